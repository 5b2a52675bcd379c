package dev.driftlock.detection.problem;

import dev.driftlock.platform.problem.ProblemException;

/** 413: the body is over a documented byte or count limit. */
public final class TooLargeException extends ProblemException {

    public TooLargeException(String detail) {
        super(413, "too-large", "Payload too large", detail);
    }
}
