package dev.driftlock.cbad.harness2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merges injected incident records into a normal background by event time: a generator schedules
 * incident records at their own times, and before each normal record every scheduled record that is
 * due is emitted. Incident records thus interleave with normal traffic as they would in a real
 * stream (a card-testing run of 30 charges in 4 minutes sits among the other cards' payments).
 */
final class Timeline {

    /** A scheduled record. */
    record Due(long time, int seq, String record, String incident) {
    }

    private final List<Due> pending = new ArrayList<>();
    private int seq;

    void schedule(long time, String record, String incident) {
        pending.add(new Due(time, seq++, record, incident));
        pending.sort(Comparator.comparingLong(Due::time).thenComparingInt(Due::seq));
    }

    /** Emits every scheduled record with time at most {@code now}. */
    void flush(long now, LabelledData.Builder out) {
        while (!pending.isEmpty() && pending.get(0).time() <= now) {
            Due d = pending.remove(0);
            out.add(d.record(), d.incident());
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }
}
