package dev.driftlock.gateway.proxy;

import dev.driftlock.gateway.problem.ProblemException;

/** 413: the request body is larger than the gateway accepts. */
class PayloadTooLargeException extends ProblemException {

    PayloadTooLargeException(long max) {
        super(413, "payload-too-large", "Payload too large",
                "Request bodies are limited to " + max + " bytes: send events in smaller batches.");
    }
}
