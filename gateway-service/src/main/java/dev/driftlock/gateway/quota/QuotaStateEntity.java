package dev.driftlock.gateway.quota;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** The latest quota state metering published for an org. */
@Entity
@Table(name = "quota_state")
class QuotaStateEntity extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    String orgId;

    @Column(nullable = false)
    String state;

    @Column(nullable = false)
    String reason;

    String message;

    /** When metering decided it; an older event never replaces a newer one. */
    @Column(name = "decided_at", nullable = false)
    Instant decidedAt;
}
