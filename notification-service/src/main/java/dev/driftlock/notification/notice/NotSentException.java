package dev.driftlock.notification.notice;

import dev.driftlock.platform.inbox.PermanentFailure;

/**
 * Some e-mail of an event was not sent (refused for good or retries exhausted): the event goes to
 * the dead-letter topic with this message as the reason, without further processing retries.
 */
class NotSentException extends RuntimeException implements PermanentFailure {

    NotSentException(String reason) {
        super(reason);
    }
}
