package dev.driftlock.detection.problem;

import dev.driftlock.platform.problem.ProblemException;

/** 503: a dependency (Kafka) did not confirm in time; the request may be retried (with event ids, safely). */
public final class UnavailableException extends ProblemException {

    public UnavailableException(String detail) {
        super(503, "unavailable", "Service unavailable", detail);
    }
}
