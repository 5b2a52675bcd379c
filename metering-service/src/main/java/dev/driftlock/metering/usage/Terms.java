package dev.driftlock.metering.usage;

/** The plan terms a period is counted and charged under. */
record Terms(String plan, long includedAnomalies, long overagePriceMicros, String currency) {
}
