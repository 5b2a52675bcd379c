package dev.driftlock.gateway.quota;

/** The quota state the gateway enforces for the caller's org. */
record QuotaStateView(String state, String reason, String message) {
}
