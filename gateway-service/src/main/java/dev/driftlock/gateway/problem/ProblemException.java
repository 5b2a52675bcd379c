package dev.driftlock.gateway.problem;

/**
 * Base of the gateway's feature exceptions (rate limited, ingest blocked, upstream failures...):
 * service-platform's problem+json mapper answers them for REST endpoints, and {@link ProblemMapper}
 * for the proxy.
 */
public abstract class ProblemException extends dev.driftlock.platform.problem.ProblemException {

    protected ProblemException(int status, String slug, String title, String detail) {
        super(status, slug, title, detail);
    }
}
