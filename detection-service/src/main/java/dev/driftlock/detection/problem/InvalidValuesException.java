package dev.driftlock.detection.problem;

import dev.driftlock.platform.problem.ProblemException;

/** 422: the request is well-formed but a value is not acceptable (bad id, out-of-range setting...). */
public final class InvalidValuesException extends ProblemException {

    public InvalidValuesException(String detail) {
        super(422, "validation", "Invalid values", detail);
    }
}
