package dev.driftlock.detection.problem;

import dev.driftlock.platform.problem.ProblemException;

/** 400: the body cannot be parsed (bad JSON, bad NDJSON line). */
public final class MalformedBodyException extends ProblemException {

    public MalformedBodyException(String detail) {
        super(400, "malformed-json", "Malformed JSON", detail);
    }
}
