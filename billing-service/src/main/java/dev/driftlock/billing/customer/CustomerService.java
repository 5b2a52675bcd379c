package dev.driftlock.billing.customer;

import dev.driftlock.billing.BillingConfig;
import dev.driftlock.billing.inbox.ProcessedEvents;
import dev.driftlock.billing.plan.PlanEntity;
import dev.driftlock.billing.plan.PlanView;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgUpdated;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;

/** Transaction boundary of billing customers. */
@ApplicationScoped
class CustomerService {

    static final String CONSUMER = "customers";

    private final ProcessedEvents processed;
    private final BillingConfig config;

    CustomerService(ProcessedEvents processed, BillingConfig config) {
        this.processed = processed;
        this.config = config;
    }

    /** Every new org becomes a customer on the default (free) plan. */
    Uni<Void> onOrgCreated(Envelope<DriftlockEvent> envelope, OrgCreated org) {
        return once(envelope, () -> CustomerEntity.<CustomerEntity>findById(envelope.orgId()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            CustomerEntity customer = new CustomerEntity();
            customer.orgId = envelope.orgId();
            customer.name = org.name();
            customer.billingEmail = org.billingEmails().isEmpty() ? null : org.billingEmails().getFirst();
            customer.planId = config.defaultPlan();
            customer.createdAt = envelope.occurredAt();
            return customer.persist().replaceWithVoid();
        }));
    }

    /** Name and billing contact follow the org; an older revision never overwrites a newer one. */
    Uni<Void> onOrgUpdated(Envelope<DriftlockEvent> envelope, OrgUpdated org) {
        return once(envelope, () -> CustomerEntity.<CustomerEntity>findById(envelope.orgId()).map(customer -> {
            if (customer != null && org.revision() > customer.orgRevision) {
                customer.name = org.name();
                customer.billingEmail = org.billingEmails().isEmpty() ? null : org.billingEmails().getFirst();
                customer.orgRevision = org.revision();
            }
            return null;
        }));
    }

    Uni<SubscriptionView> subscription(String orgId) {
        return Panache.withSession(() -> CustomerEntity.<CustomerEntity>findById(orgId)
                .flatMap(customer -> PlanEntity.<PlanEntity>findById(customer == null ? config.defaultPlan() : customer.planId))
                .map(plan -> new SubscriptionView(orgId, PlanView.of(plan), "active")));
    }

    private Uni<Void> once(Envelope<DriftlockEvent> envelope, Supplier<Uni<Void>> effect) {
        return Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER)
                .flatMap(first -> first ? effect.get() : Uni.createFrom().voidItem()));
    }
}
