package dev.driftlock.billing.customer;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** An org as a billing customer; the Stripe customer is created when first needed. */
@Entity
@Table(name = "customer")
class CustomerEntity extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    String orgId;

    @Column(nullable = false)
    String name;

    @Column(name = "billing_email")
    String billingEmail;

    @Column(name = "plan_id", nullable = false)
    String planId;

    @Column(name = "stripe_customer_id")
    String stripeCustomerId;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "org_revision", nullable = false)
    long orgRevision;
}
