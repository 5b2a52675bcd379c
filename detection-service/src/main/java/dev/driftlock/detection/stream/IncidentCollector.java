package dev.driftlock.detection.stream;

import dev.driftlock.cbad.Incident;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.detection.anomaly.IncidentUpdate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Collects the flagged verdicts of one consumer batch into the latest state of each incident they
 * opened or grew (ADR 0031), so the batch upserts one anomaly row per incident. The strongest
 * verdict of the batch is the highest score, the earliest on a tie, which is what the row keeps
 * across batches too, so the same input gives the same rows however it is split into batches.
 */
final class IncidentCollector {

    private static final class Pending {
        final String orgId;
        final String streamId;
        final String eventRef;
        final String event;
        final Instant firstSeenAt;
        final String firstTraceparent;
        Incident incident;
        Verdict.Scored strongest;
        Instant lastSeenAt;
        String traceparent;

        Pending(String orgId, String streamId, String eventRef, String event, Instant firstSeenAt, String firstTraceparent) {
            this.firstTraceparent = firstTraceparent;
            this.orgId = orgId;
            this.streamId = streamId;
            this.eventRef = eventRef;
            this.event = event;
            this.firstSeenAt = firstSeenAt;
        }
    }

    private final Map<UUID, Pending> byId = new LinkedHashMap<>();

    /**
     * Files one flagged verdict.
     *
     * @return whether it opened a new incident (a new billable anomaly)
     */
    boolean add(IngestRecord r, Verdict.Scored scored, String traceparent) {
        Incident incident = scored.incident();
        if (incident == null) {
            return false;
        }
        UUID id = IncidentUpdate.id(r.orgId(), r.streamId(), incident.id());
        String eventRef = r.eventId() != null ? r.eventId() : "#" + scored.index();
        Pending p = byId.computeIfAbsent(id, k -> new Pending(r.orgId(), r.streamId(), eventRef, r.body(), r.timestamp(),
                traceparent));
        if (p.strongest == null || scored.score() > p.strongest.score()) {
            p.strongest = scored;
        }
        p.incident = incident;
        p.lastSeenAt = r.timestamp();
        p.traceparent = traceparent;
        return incident.opened();
    }

    /** @return one update per incident, in the order the batch first touched them */
    List<IncidentUpdate> updates() {
        List<IncidentUpdate> updates = new ArrayList<>(byId.size());
        byId.forEach((id, p) -> updates.add(new IncidentUpdate(id, p.orgId, p.streamId, p.eventRef, p.event, p.incident,
                p.strongest, p.firstSeenAt, p.lastSeenAt, p.firstTraceparent, p.traceparent)));
        return updates;
    }
}
