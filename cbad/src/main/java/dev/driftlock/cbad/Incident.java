package dev.driftlock.cbad;

import java.util.List;

/**
 * One incident of a stream: flagged events with the same cause, none more than the gap after the
 * previous one (see {@link DetectorConfig#incidentGapEvents()} and
 * {@link DetectorConfig#incidentGapMillis()}). This is what a customer is billed for: one incident,
 * however many events it grows to.
 *
 * @param id        stream-local id: the index of its first event (the same input gives the same ids,
 *                  across restarts and replays)
 * @param cause     what its events have in common (see {@link Evidence#cause()})
 * @param opened    true on the verdict of its first event, false when it grew
 * @param firstSeen index of its first event
 * @param lastSeen  index of its latest event
 * @param firstTime event time of its first event (epoch ms), or {@link Long#MIN_VALUE} when the
 *                  events carry none
 * @param lastTime  event time of its latest event, or {@link Long#MIN_VALUE}
 * @param events    flagged events so far
 * @param strongest its strongest events so far (at most {@value #STRONGEST}), strongest first
 */
public record Incident(long id, String cause, boolean opened, long firstSeen, long lastSeen, long firstTime,
                       long lastTime, long events, List<Strong> strongest) {

    /** Strongest events kept per incident. */
    public static final int STRONGEST = 3;

    /** Copies the list. */
    public Incident {
        strongest = List.copyOf(strongest);
    }

    /**
     * One of the strongest events of an incident.
     *
     * @param index its position in the stream
     * @param score its anomaly score
     * @param why   its explanation
     */
    public record Strong(long index, double score, String why) {
    }
}
