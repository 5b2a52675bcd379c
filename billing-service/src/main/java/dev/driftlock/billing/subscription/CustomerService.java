package dev.driftlock.billing.subscription;

import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.platform.inbox.SessionProcessedEvents;
import dev.driftlock.billing.plan.PlanEntity;
import dev.driftlock.billing.plan.PlanView;
import dev.driftlock.billing.stripe.StripeGateway;
import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.OrgUpdated;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Objects;
import java.util.function.Supplier;

/** Transaction boundary of billing customers. */
@ApplicationScoped
public class CustomerService {

    static final String CONSUMER = "customers";

    private final SessionProcessedEvents processed;
    private final SubscriptionService subscriptions;
    private final StripeGateway stripe;
    private final AuditLog audit;

    CustomerService(SessionProcessedEvents processed, SubscriptionService subscriptions, StripeGateway stripe, AuditLog audit) {
        this.processed = processed;
        this.subscriptions = subscriptions;
        this.stripe = stripe;
        this.audit = audit;
    }

    /** Every new org becomes a customer on the default (free) plan, announced with a subscription_changed. */
    Uni<Void> onOrgCreated(Envelope<DriftlockEvent> envelope, OrgCreated org) {
        return once(envelope, () -> CustomerEntity.lock(envelope.orgId()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().voidItem();
            }
            CustomerEntity customer = new CustomerEntity();
            customer.orgId = envelope.orgId();
            customer.name = org.name();
            customer.billingEmail = org.billingEmails().isEmpty() ? null : org.billingEmails().getFirst();
            customer.createdAt = envelope.occurredAt();
            return subscriptions.startOnDefaultPlan(customer, "kafka:" + envelope.eventId())
                    .flatMap(ignored -> customer.persist())
                    .replaceWithVoid();
        }));
    }

    /**
     * Name and billing contact follow the org; an older revision never overwrites a newer one. When
     * the org has a Stripe customer and name or e-mail changed, Stripe's customer is updated first
     * (outside the transaction, idempotency key {@code customer-update:<event id>}): a Stripe failure
     * fails the event, which is retried and finally dead-lettered, and a retry reuses the key. A
     * replayed event is recognised before any Stripe call. Each applied change writes an audit row.
     */
    Uni<Void> onOrgUpdated(Envelope<DriftlockEvent> envelope, OrgUpdated org) {
        String email = org.billingEmails().isEmpty() ? null : org.billingEmails().getFirst();
        return Panache.withSession(() -> processed.seen(envelope.eventId(), CONSUMER)
                        .flatMap(seen -> seen ? Uni.createFrom().<CustomerEntity>nullItem() : CustomerEntity.<CustomerEntity>findById(envelope.orgId())))
                .flatMap(customer -> {
                    if (customer == null || customer.stripeCustomerId == null || !changes(customer, org, email)) {
                        return Uni.createFrom().item(false);
                    }
                    return stripe.updateCustomer(customer.stripeCustomerId, org.name(), email, "customer-update:" + envelope.eventId())
                            .replaceWith(true);
                })
                .flatMap(pushed -> once(envelope, () -> CustomerEntity.lock(envelope.orgId()).flatMap(customer -> {
                    if (customer == null || org.revision() <= customer.orgRevision) {
                        return Uni.createFrom().voidItem();
                    }
                    boolean changed = changes(customer, org, email);
                    if (changed && customer.stripeCustomerId != null && !pushed) {
                        // the Stripe customer was created after our read: fail, so the retry updates it in Stripe too
                        return Uni.createFrom().failure(new IllegalStateException(
                                "org " + customer.orgId + " got Stripe customer " + customer.stripeCustomerId + " meanwhile; retrying to update it"));
                    }
                    String detail = "revision " + customer.orgRevision + " -> " + org.revision() + ": name '" + customer.name + "' -> '"
                            + org.name() + "', billing e-mail " + customer.billingEmail + " -> " + email
                            + (pushed ? " (Stripe customer updated)" : " (no Stripe customer yet)");
                    customer.name = org.name();
                    customer.billingEmail = email;
                    customer.orgRevision = org.revision();
                    return changed
                            ? audit.record(customer.orgId, "customer.updated", detail, "org.updated", customer.stripeCustomerId,
                                    "kafka:" + envelope.eventId())
                            : Uni.createFrom().voidItem();
                })));
    }

    private static boolean changes(CustomerEntity customer, OrgUpdated org, String email) {
        return org.revision() > customer.orgRevision
                && (!Objects.equals(customer.name, org.name()) || !Objects.equals(customer.billingEmail, email));
    }

    /**
     * The org's Stripe customer id, creating the Stripe customer when first needed (idempotent per
     * org, so two racing callers get the same one). Fails with {@link UnknownOrg} for an org billing never saw.
     */
    public Uni<String> ensureStripeCustomer(String orgId) {
        return Panache.withSession(() -> CustomerEntity.<CustomerEntity>findById(orgId)).flatMap(customer -> {
            if (customer == null) {
                return Uni.createFrom().failure(new UnknownOrg(orgId));
            }
            if (customer.stripeCustomerId != null) {
                return Uni.createFrom().item(customer.stripeCustomerId);
            }
            String sentName = customer.name;
            String sentEmail = customer.billingEmail;
            return stripe.createCustomer(orgId, sentName, sentEmail)
                    .flatMap(stripeId -> Panache.withTransaction(() -> CustomerEntity.lock(orgId).map(locked -> {
                        if (locked.stripeCustomerId == null) {
                            locked.stripeCustomerId = stripeId;
                        }
                        return new Contact(locked.stripeCustomerId, locked.name, locked.billingEmail, locked.orgRevision);
                    })))
                    .flatMap(contact -> Objects.equals(contact.name(), sentName) && Objects.equals(contact.email(), sentEmail)
                            ? Uni.createFrom().item(contact.stripeCustomerId())
                            // an org.updated committed while the customer was being created (it saw no Stripe customer yet)
                            : stripe.updateCustomer(contact.stripeCustomerId(), contact.name(), contact.email(),
                                    "customer-sync:" + orgId + ":" + contact.orgRevision()).replaceWith(contact.stripeCustomerId()));
        });
    }

    /** Name and e-mail of a customer row as stored with its Stripe customer. */
    private record Contact(String stripeCustomerId, String name, String email, long orgRevision) {
    }

    Uni<SubscriptionView> subscription(String orgId) {
        return Panache.withSession(() -> CustomerEntity.<CustomerEntity>findById(orgId).flatMap(customer -> {
            if (customer == null) {
                return Uni.createFrom().failure(new UnknownOrg(orgId));
            }
            return PlanEntity.<PlanEntity>findById(customer.planId).map(plan -> SubscriptionView.of(customer, PlanView.of(plan)));
        }));
    }

    private Uni<Void> once(Envelope<DriftlockEvent> envelope, Supplier<Uni<Void>> effect) {
        return Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER)
                .flatMap(first -> first ? effect.get() : Uni.createFrom().voidItem()));
    }
}
