package dev.driftlock.gateway.security;

import dev.driftlock.gateway.problem.ProblemException;

/** Authenticated, but the credentials lack what the operation needs: 403. */
public class AccessDeniedException extends ProblemException {

    public AccessDeniedException(String detail) {
        super(403, "forbidden", "Forbidden", detail);
    }
}
