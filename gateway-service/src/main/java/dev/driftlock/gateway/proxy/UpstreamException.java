package dev.driftlock.gateway.proxy;

import dev.driftlock.gateway.problem.ProblemException;

/** The service behind the gateway could not answer: 502 (unreachable), 503 (circuit open), 504 (too slow). */
class UpstreamException extends ProblemException {

    UpstreamException(int status, String slug, String title, String detail) {
        super(status, slug, title, detail);
    }
}
