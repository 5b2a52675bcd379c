package dev.driftlock.billing.subscription;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * An org as a billing customer, with its subscription and dunning state. The Stripe customer is
 * created when first needed. {@code revision} counts the state events published for the org.
 */
@Entity
@Table(name = "customer")
public class CustomerEntity extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    public String orgId;

    @Column(nullable = false)
    public String name;

    @Column(name = "billing_email")
    public String billingEmail;

    @Column(name = "plan_id", nullable = false)
    public String planId;

    @Column(name = "stripe_customer_id")
    public String stripeCustomerId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "org_revision", nullable = false)
    public long orgRevision;

    @Column(name = "subscription_status", nullable = false)
    public String subscriptionStatus;

    @Column(name = "stripe_subscription_id")
    public String stripeSubscriptionId;

    /** The last subscription Stripe ended for the org; its later non-ended events are ignored (ended is terminal in Stripe). */
    @Column(name = "ended_subscription_id")
    public String endedSubscriptionId;

    @Column(name = "period_start")
    public Instant periodStart;

    @Column(name = "period_end")
    public Instant periodEnd;

    /** Stripe {@code created} (epoch seconds) of the event whose subscription state is applied. */
    @Column(name = "subscription_as_of", nullable = false)
    public long subscriptionAsOf;

    /** {@code ok}, {@code grace} or {@code suspended}. */
    @Column(name = "dunning_state", nullable = false)
    public String dunningState;

    @Column(name = "grace_ends_at")
    public Instant graceEndsAt;

    /** The failed invoice that started the current dunning. */
    @Column(name = "dunning_invoice_id")
    public String dunningInvoiceId;

    @Column(nullable = false)
    public long revision;

    /** The org's row, locked for update, or null. */
    public static Uni<CustomerEntity> lock(String orgId) {
        return findById(orgId, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The row of a Stripe customer, locked for update, or null. */
    public static Uni<CustomerEntity> lockByStripeCustomer(String stripeCustomerId) {
        return CustomerEntity.<CustomerEntity>find("stripeCustomerId", stripeCustomerId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }
}
