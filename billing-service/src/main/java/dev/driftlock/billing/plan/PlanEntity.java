package dev.driftlock.billing.plan;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A plan of the catalog (seeded by Flyway). */
@Entity
@Table(name = "plan")
public class PlanEntity extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(name = "monthly_price_cents", nullable = false)
    public long monthlyPriceCents;

    @Column(name = "included_anomalies", nullable = false)
    public long includedAnomalies;

    /** Price of one anomaly above the included quota, in millionths of a dollar; 0 = no overage (hard cap). */
    @Column(name = "overage_price_micros", nullable = false)
    public long overagePriceMicros;

    @Column(nullable = false)
    public String currency;
}
