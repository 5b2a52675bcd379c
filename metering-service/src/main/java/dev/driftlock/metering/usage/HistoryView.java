package dev.driftlock.metering.usage;

import java.time.LocalDate;
import java.util.List;

/** Daily anomalies (billable, by detection day) and ingested events (charts only, by receive day), UTC days. */
record HistoryView(LocalDate from, LocalDate to, List<Day> days) {

    record Day(LocalDate date, long anomalies, long ingestedEvents) {
    }
}
