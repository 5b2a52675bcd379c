package dev.driftlock.detection.stream;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
class StreamRepository implements PanacheRepositoryBase<StreamEntity, String> {

    Uni<List<StreamEntity>> listForOrg(String orgId) {
        return list("orgId", Sort.by("streamId"), orgId);
    }
}
