package dev.driftlock.detection.problem;

import dev.driftlock.platform.problem.ProblemException;

/** 404: no such resource in the caller's org (another org's resources are reported the same way). */
public final class NotFoundException extends ProblemException {

    public NotFoundException(String detail) {
        super(404, "not-found", "Not found", detail);
    }
}
