package dev.driftlock.billing.webhook;

import com.stripe.exception.EventDataObjectDeserializationException;
import com.stripe.model.Event;
import com.stripe.model.Invoice;
import com.stripe.model.StripeObject;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.ApiResource;
import dev.driftlock.billing.BillingConfig;
import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.billing.dunning.DunningService;
import dev.driftlock.billing.invoice.InvoiceService;
import dev.driftlock.billing.stripe.StripeGateway;
import dev.driftlock.billing.subscription.CustomerEntity;
import dev.driftlock.billing.subscription.SubscriptionService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Applies stored Stripe events, oldest Stripe {@code created} first, each in its own transaction
 * with its effects (row lock on the event, so two instances never apply one twice). Stripe may
 * deliver late, twice or out of order: subscription state carries the {@code created} of the event
 * it came from and an older event never overwrites it; invoice status never moves back; published
 * facts have deterministic ids. A failing event is retried on later runs up to
 * {@code webhook-max-attempts}, then left with its error for an operator.
 */
@ApplicationScoped
class StripeEventProcessor {

    private static final Logger LOG = Logger.getLogger(StripeEventProcessor.class);
    static final int BATCH = 50;

    private final StripeEventStore store;
    private final SubscriptionService subscriptions;
    private final InvoiceService invoices;
    private final DunningService dunning;
    private final StripeGateway stripe;
    private final AuditLog audit;
    private final BillingConfig config;

    StripeEventProcessor(StripeEventStore store, SubscriptionService subscriptions, InvoiceService invoices, DunningService dunning,
            StripeGateway stripe, AuditLog audit, BillingConfig config) {
        this.store = store;
        this.subscriptions = subscriptions;
        this.invoices = invoices;
        this.dunning = dunning;
        this.stripe = stripe;
        this.audit = audit;
        this.config = config;
    }

    @Scheduled(every = "${driftlock.billing.webhook-process-every:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> processPending() {
        return store.pending(config.webhookMaxAttempts(), BATCH)
                .flatMap(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(this::processOne)
                        .collect().last())
                .replaceWithVoid();
    }

    private Uni<String> processOne(String id) {
        return store.find(id)
                .flatMap(stored -> prefetch(stored).flatMap(prefetched -> Panache.withTransaction(() -> store.lockPending(id)
                        .flatMap(locked -> locked == null ? Uni.createFrom().item("already-applied")
                                : apply(locked, prefetched).call(outcome -> store.markApplied(id, outcome))))))
                .invoke(outcome -> LOG.debugf("stripe event %s: %s", id, outcome))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf(failure, "stripe event %s failed; retried on a later run", id);
                    // never let a failure to record the failure stop the events after this one
                    String error = failure.getCause() == null ? failure.toString() : failure + " (" + failure.getCause() + ")";
                    return store.markFailed(id, error).replaceWith("failed")
                            .onFailure().recoverWithItem(markFailure -> {
                                LOG.errorf(markFailure, "stripe event %s: could not record the failed attempt", id);
                                return "failed";
                            });
                });
    }

    /** Reads from Stripe, outside any transaction, what applying the event needs beyond its payload. */
    private Uni<Subscription> prefetch(StripeEventStore.StoredEvent stored) {
        if (stored == null || !"checkout.session.completed".equals(stored.type())) {
            return Uni.createFrom().nullItem();
        }
        Session session = (Session) dataOf(parse(stored.payload()));
        if (!"subscription".equals(session.getMode()) || session.getSubscription() == null) {
            return Uni.createFrom().nullItem();
        }
        return stripe.retrieveSubscription(session.getSubscription());
    }

    private Uni<String> apply(StripeEventStore.StoredEvent stored, Subscription prefetched) {
        Event event = parse(stored.payload());
        String actor = "stripe:" + stored.id();
        long asOf = stored.created();
        String type = stored.type();
        return switch (type) {
            case "checkout.session.completed" -> {
                Session session = (Session) dataOf(event);
                String orgId = session.getClientReferenceId() != null ? session.getClientReferenceId() : metadata(session.getMetadata());
                yield customer(session.getCustomer(), orgId).flatMap(customer -> {
                    if (customer == null) {
                        return unknownCustomer();
                    }
                    return audit.record(customer.orgId, "checkout.completed", "session " + session.getId(), type,
                                    session.getId() + "," + session.getCustomer() + "," + session.getSubscription(), actor)
                            .flatMap(ignored -> prefetched == null ? Uni.createFrom().item("no-subscription")
                                    : subscriptions.applyStripe(customer, prefetched, asOf, type, actor));
                });
            }
            case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted" -> {
                Subscription subscription = (Subscription) dataOf(event);
                yield customer(subscription.getCustomer(), metadata(subscription.getMetadata())).flatMap(customer -> {
                    if (customer == null) {
                        return unknownCustomer();
                    }
                    return type.endsWith(".deleted")
                            ? subscriptions.applyEnded(customer, subscription, asOf, type, actor)
                            : subscriptions.applyStripe(customer, subscription, asOf, type, actor);
                });
            }
            case "customer.subscription.trial_will_end" -> {
                Subscription subscription = (Subscription) dataOf(event);
                yield customer(subscription.getCustomer(), metadata(subscription.getMetadata())).flatMap(customer -> customer == null
                        ? unknownCustomer()
                        : audit.record(customer.orgId, "subscription.trial_will_end", "trial ends " + (subscription.getTrialEnd() == null ? "(not given)" : java.time.Instant.ofEpochSecond(subscription.getTrialEnd())), type,
                                subscription.getId(), actor).replaceWith("noted"));
            }
            case "invoice.finalized", "invoice.paid", "invoice.payment_failed" -> {
                Invoice invoice = (Invoice) dataOf(event);
                yield customer(invoice.getCustomer(), metadata(invoice.getMetadata())).flatMap(customer -> {
                    if (customer == null) {
                        return unknownCustomer();
                    }
                    return switch (type) {
                        case "invoice.finalized" -> invoices.finalized(customer.orgId, invoice, actor);
                        case "invoice.paid" -> invoices.paid(customer.orgId, invoice, actor)
                                .flatMap(ignored -> dunning.invoicePaid(customer, invoice.getId(), actor));
                        default -> invoices.paymentFailed(customer.orgId, invoice, stored.id(), actor)
                                .flatMap(open -> open ? dunning.paymentFailed(customer, invoice.getId(), actor)
                                        : Uni.createFrom().item("already-paid"));
                    };
                });
            }
            default -> Uni.createFrom().item("ignored");
        };
    }

    /** The customer row (locked) of a Stripe customer, or of the org named in metadata (then linked to the Stripe customer). */
    private static Uni<CustomerEntity> customer(String stripeCustomerId, String orgId) {
        Uni<CustomerEntity> byStripe = stripeCustomerId == null ? Uni.createFrom().nullItem() : CustomerEntity.lockByStripeCustomer(stripeCustomerId);
        return byStripe.flatMap(found -> {
            if (found != null || orgId == null) {
                return Uni.createFrom().item(found);
            }
            return CustomerEntity.lock(orgId).invoke(byOrg -> {
                if (byOrg != null && byOrg.stripeCustomerId == null) {
                    byOrg.stripeCustomerId = stripeCustomerId;
                }
            });
        });
    }

    /**
     * No org for the event's Stripe customer yet (the event that links them may still come): fail, so
     * the event is tried again on later runs, and left with the error after the last attempt.
     */
    private static Uni<String> unknownCustomer() {
        return Uni.createFrom().failure(new IllegalStateException("no org for the event's Stripe customer (yet)"));
    }

    private static String metadata(Map<String, String> metadata) {
        return metadata == null ? null : metadata.get("org_id");
    }

    private static Event parse(String payload) {
        return ApiResource.GSON.fromJson(payload, Event.class);
    }

    /** The event's object; tolerates an API version other than the library's (we read stable fields only). */
    private static StripeObject dataOf(Event event) {
        try {
            return event.getDataObjectDeserializer().deserializeUnsafe();
        } catch (EventDataObjectDeserializationException e) {
            throw new IllegalArgumentException("unreadable data object of " + event.getId(), e);
        }
    }
}
