package dev.driftlock.cbad.incident;

import dev.driftlock.cbad.Incident;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups the flagged events of one stream into incidents: a flagged event joins the open incident
 * of its cause when it comes at most {@code gapEvents} events, or (when both carry an event time)
 * at most {@code gapMillis} of event time, after that incident's latest event; otherwise it opens a
 * new one. Incidents whose gap has passed are closed. At most {@value #MAX_OPEN} incidents are open
 * at once (the one seen longest ago is closed first). Deterministic, no clock: the same verdicts give
 * the same incidents. Not thread-safe; one per stream.
 */
public final class IncidentTracker {

    /** Most incidents open at once. */
    public static final int MAX_OPEN = 64;

    private static final class Open {
        final long id;
        final String cause;
        final long firstTime;
        long lastSeen;
        long lastTime;
        long events;
        final List<Incident.Strong> strongest = new ArrayList<>();

        Open(long id, String cause, long firstTime) {
            this.id = id;
            this.cause = cause;
            this.firstTime = firstTime;
        }
    }

    private final Map<String, Open> open = new LinkedHashMap<>();
    private int gapEvents;
    private long gapMillis;

    /**
     * @param gapEvents most events between two flags of one incident
     * @param gapMillis most event time between two flags of one incident
     */
    public IncidentTracker(int gapEvents, long gapMillis) {
        this.gapEvents = gapEvents;
        this.gapMillis = gapMillis;
    }

    /** Changes the gaps (open incidents are kept). */
    public void setGaps(int events, long millis) {
        this.gapEvents = events;
        this.gapMillis = millis;
    }

    /**
     * Files one flagged event.
     *
     * @param index     its position
     * @param eventTime its event time or {@link Long#MIN_VALUE}
     * @param cause     its cause
     * @param score     its anomaly score
     * @param why       its explanation
     * @return the incident it opened or grew
     */
    public Incident flag(long index, long eventTime, String cause, double score, String why) {
        expire(index, eventTime);
        Open o = open.get(cause);
        boolean opened = o == null;
        if (opened) {
            if (open.size() >= MAX_OPEN) {
                Iterator<Map.Entry<String, Open>> it = open.entrySet().iterator();
                it.next();
                it.remove();
            }
            o = new Open(index, cause, eventTime);
            open.put(cause, o);
        } else {
            // keep the map in order of latest activity
            open.remove(cause);
            open.put(cause, o);
        }
        o.lastSeen = index;
        o.lastTime = eventTime;
        o.events++;
        o.strongest.add(new Incident.Strong(index, score, why));
        o.strongest.sort((a, b) -> a.score() != b.score() ? Double.compare(b.score(), a.score())
                : Long.compare(a.index(), b.index()));
        while (o.strongest.size() > Incident.STRONGEST) {
            o.strongest.remove(o.strongest.size() - 1);
        }
        return new Incident(o.id, cause, opened, o.id, o.lastSeen, o.firstTime, o.lastTime, o.events, o.strongest);
    }

    /** Closes the incidents whose gap has passed at this event. */
    public void expire(long index, long eventTime) {
        open.values().removeIf(o -> !within(o, index, eventTime));
    }

    private boolean within(Open o, long index, long eventTime) {
        if (index - o.lastSeen <= gapEvents) {
            return true;
        }
        return eventTime != Long.MIN_VALUE && o.lastTime != Long.MIN_VALUE && eventTime - o.lastTime >= 0
                && eventTime - o.lastTime <= gapMillis;
    }

    /** @return incidents open now */
    public int openCount() {
        return open.size();
    }

    /** @param out state sink */
    public void write(StateOutput out) {
        out.i32(open.size());
        for (Open o : open.values()) {
            out.i64(o.id);
            out.str(o.cause);
            out.i64(o.firstTime);
            out.i64(o.lastSeen);
            out.i64(o.lastTime);
            out.i64(o.events);
            out.i32(o.strongest.size());
            for (Incident.Strong s : o.strongest) {
                out.i64(s.index());
                out.f64(s.score());
                out.str(s.why());
            }
        }
    }

    /** @param in state source written by {@link #write} */
    public void read(StateInput in) {
        open.clear();
        int n = in.i32(0, MAX_OPEN, "open incidents");
        for (int i = 0; i < n; i++) {
            long id = in.i64();
            String cause = in.str();
            Open o = new Open(id, cause, in.i64());
            o.lastSeen = in.i64();
            o.lastTime = in.i64();
            o.events = in.i64();
            int s = in.i32(0, Incident.STRONGEST, "strongest events");
            for (int k = 0; k < s; k++) {
                o.strongest.add(new Incident.Strong(in.i64(), in.f64(), in.str()));
            }
            open.put(cause, o);
        }
    }
}
