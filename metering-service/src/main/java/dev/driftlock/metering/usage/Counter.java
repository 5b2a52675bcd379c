package dev.driftlock.metering.usage;

/** An org's anomaly count in one billing period, with the terms of that period. */
record Counter(String orgId, BillingPeriod period, Terms terms, long anomalies) {
}
