package dev.driftlock.detection.stream;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Transaction boundary of the stream registry. */
@ApplicationScoped
class StreamService {

    private final StreamRepository repository;

    StreamService(StreamRepository repository) {
        this.repository = repository;
    }

    /** Applies one ingested event to its stream, once: a replayed record changes nothing. */
    Uni<Void> apply(IngestRecord event) {
        String key = event.orgId() + "/" + event.streamId();
        return Panache.withTransaction(() -> repository.findById(key).flatMap(stream -> {
            if (stream == null) {
                StreamEntity created = new StreamEntity();
                created.id = key;
                created.orgId = event.orgId();
                created.streamId = event.streamId();
                created.firstEventAt = event.timestamp();
                advance(created, event);
                return repository.persist(created).replaceWithVoid();
            }
            if (stream.lastPartition == event.partition() && event.offset() <= stream.lastOffset) {
                return Uni.createFrom().voidItem();
            }
            advance(stream, event);
            return Uni.createFrom().voidItem();
        }));
    }

    Uni<List<StreamView>> list(String orgId) {
        return Panache.withSession(() -> repository.listForOrg(orgId))
                .map(rows -> rows.stream().map(StreamView::of).toList());
    }

    private static void advance(StreamEntity stream, IngestRecord event) {
        stream.eventsSeen++;
        stream.lastPartition = event.partition();
        stream.lastOffset = event.offset();
        stream.lastEventAt = event.timestamp();
    }
}
