package dev.driftlock.billing.stripe;

import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Coupon;
import com.stripe.model.Invoice;
import com.stripe.model.PromotionCode;
import com.stripe.model.Subscription;
import com.stripe.param.CouponCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.common.EmptyParam;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * The service's view of Stripe: each call runs the blocking {@link StripeClient} on a worker thread
 * and resumes on the caller's Vert.x context (so reactive Hibernate can go on). Failures become
 * {@link StripeCallFailed}.
 */
@ApplicationScoped
public class StripeGateway {

    private final StripeClient client;
    private final Vertx vertx;

    StripeGateway(StripeClient client, Vertx vertx) {
        this.client = client;
        this.vertx = vertx;
    }

    /** A new Stripe customer for the org (idempotent per org); answers its id. */
    public Uni<String> createCustomer(String orgId, String name, String email) {
        CustomerCreateParams.Builder params = CustomerCreateParams.builder().setName(name).putMetadata("org_id", orgId);
        if (email != null) {
            params.setEmail(email);
        }
        return call("create the customer", () -> client.createCustomer(params.build(), "customer:" + orgId).getId());
    }

    /** Sets the Stripe customer's name and e-mail (a null e-mail clears it); answers nothing but success. */
    public Uni<Void> updateCustomer(String customerId, String name, String email, String idempotencyKey) {
        CustomerUpdateParams.Builder params = CustomerUpdateParams.builder();
        if (name != null) {
            params.setName(name);
        } else {
            params.setName(EmptyParam.EMPTY);
        }
        if (email != null) {
            params.setEmail(email);
        } else {
            params.setEmail(EmptyParam.EMPTY);
        }
        return call("update the customer", () -> client.updateCustomer(customerId, params.build(), idempotencyKey)).replaceWithVoid();
    }

    /**
     * The coupon {@code params} describes: Stripe's copy if one with its id exists (whatever its
     * terms; the caller checks them), else a new one created with {@code idempotencyKey}. A coupon
     * created by someone else between our read and our create is read again.
     */
    public Uni<Coupon> couponOrCreate(CouponCreateParams params, String idempotencyKey) {
        return call("read or create the coupon", () -> {
            var existing = client.retrieveCoupon(params.getId());
            if (existing.isPresent()) {
                return existing.get();
            }
            try {
                return client.createCoupon(params, idempotencyKey);
            } catch (InvalidRequestException e) {
                if ("resource_already_exists".equals(e.getCode())) {
                    return client.retrieveCoupon(params.getId()).orElseThrow(() -> e);
                }
                throw e;
            }
        });
    }

    /** Answers the checkout session's id and URL. */
    public Uni<Map.Entry<String, String>> createCheckoutSession(SessionCreateParams params, String idempotencyKey) {
        return call("start the checkout", () -> {
            com.stripe.model.checkout.Session session = client.createCheckoutSession(params, idempotencyKey);
            return Map.entry(session.getId(), session.getUrl());
        });
    }

    /** Answers the portal session's URL. */
    public Uni<String> createPortalSession(String customerId, String returnUrl, String idempotencyKey) {
        var params = com.stripe.param.billingportal.SessionCreateParams.builder().setCustomer(customerId).setReturnUrl(returnUrl).build();
        return call("open the customer portal", () -> client.createPortalSession(params, idempotencyKey).getUrl());
    }

    public Uni<Subscription> retrieveSubscription(String subscriptionId) {
        return call("read the subscription", () -> client.retrieveSubscription(subscriptionId));
    }

    /** The id of the active promotion code customers know as {@code code}, if any. */
    public Uni<Optional<String>> activePromotionCode(String code) {
        return call("look up the promotion code", () -> client.activePromotionCode(code).map(PromotionCode::getId));
    }

    /**
     * Creates, fills and finalizes a one-off invoice of {@code amountCents}. {@code keyPrefix} makes
     * each of the three calls idempotent, so calling again with the same prefix answers the same invoice.
     */
    public Uni<Invoice> invoiceNow(String customerId, long amountCents, String currency, String description,
            Map<String, String> metadata, String keyPrefix) {
        return call("create the invoice", () -> {
            Invoice draft = client.createInvoice(InvoiceCreateParams.builder()
                    .setCustomer(customerId)
                    .setCurrency(currency)
                    .setCollectionMethod(InvoiceCreateParams.CollectionMethod.CHARGE_AUTOMATICALLY)
                    .setAutoAdvance(true)
                    .setPendingInvoiceItemsBehavior(InvoiceCreateParams.PendingInvoiceItemsBehavior.EXCLUDE)
                    .setDescription(description)
                    .putAllMetadata(metadata)
                    .build(), keyPrefix + ":invoice");
            client.createInvoiceItem(InvoiceItemCreateParams.builder()
                    .setCustomer(customerId)
                    .setInvoice(draft.getId())
                    .setAmount(amountCents)
                    .setCurrency(currency)
                    .setDescription(description)
                    .putAllMetadata(metadata)
                    .build(), keyPrefix + ":item");
            return client.finalizeInvoice(draft.getId(), keyPrefix + ":finalize");
        });
    }

    private <T> Uni<T> call(String what, StripeCall<T> call) {
        return vertx.executeBlocking(() -> {
            try {
                return call.run();
            } catch (StripeException e) {
                throw new StripeCallFailed(what, e);
            }
        }, false);
    }

    @FunctionalInterface
    private interface StripeCall<T> {
        T run() throws StripeException;
    }
}
