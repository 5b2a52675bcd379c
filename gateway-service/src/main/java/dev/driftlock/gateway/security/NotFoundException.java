package dev.driftlock.gateway.security;

import dev.driftlock.gateway.problem.ProblemException;

/** Not there, or belongs to another org (never tell which): 404. */
public class NotFoundException extends ProblemException {

    public NotFoundException(String detail) {
        super(404, "not-found", "Not found", detail);
    }
}
