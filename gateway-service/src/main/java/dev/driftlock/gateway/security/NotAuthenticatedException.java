package dev.driftlock.gateway.security;

import dev.driftlock.gateway.problem.ProblemException;

/** No usable credentials: 401 with a hint on how to authenticate. */
public class NotAuthenticatedException extends ProblemException {

    public NotAuthenticatedException(String detail) {
        super(401, "unauthenticated", "Unauthenticated", detail);
    }
}
