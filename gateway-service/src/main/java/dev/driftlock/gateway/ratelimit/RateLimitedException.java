package dev.driftlock.gateway.ratelimit;

import dev.driftlock.gateway.problem.ProblemException;
import java.util.Map;

/** 429: a rate limit refused the request; carries the rate-limit headers. */
public class RateLimitedException extends ProblemException {

    private final transient Map<String, String> headers;

    RateLimitedException(Map<String, String> headers) {
        super(429, "rate-limited", "Too many requests",
                "This API key or org sent more requests than its plan allows; retry after " + headers.get("Retry-After")
                        + " s (see the RateLimit headers) or upgrade the plan.");
        this.headers = headers;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
