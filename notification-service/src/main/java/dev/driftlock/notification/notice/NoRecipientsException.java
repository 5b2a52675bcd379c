package dev.driftlock.notification.notice;

/** An org's event arrived before any org event of it: retried (the org event may follow), then dead-lettered. */
class NoRecipientsException extends RuntimeException {

    NoRecipientsException(String orgId) {
        super("no recipients known for org " + orgId + " (no org event consumed yet)");
    }
}
