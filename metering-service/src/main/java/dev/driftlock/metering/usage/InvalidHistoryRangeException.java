package dev.driftlock.metering.usage;

import dev.driftlock.platform.problem.ProblemException;

/** A history range that cannot be answered (422). */
class InvalidHistoryRangeException extends ProblemException {

    InvalidHistoryRangeException(String detail) {
        super(422, "invalid-history-range", "Invalid history range", detail);
    }
}
