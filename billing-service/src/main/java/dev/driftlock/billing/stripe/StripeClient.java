package dev.driftlock.billing.stripe;

import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.Coupon;
import com.stripe.model.Customer;
import com.stripe.model.Invoice;
import com.stripe.model.PromotionCode;
import com.stripe.model.Subscription;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.CouponCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import com.stripe.param.InvoiceCreateParams;
import com.stripe.param.InvoiceFinalizeInvoiceParams;
import com.stripe.param.InvoiceItemCreateParams;
import com.stripe.param.PromotionCodeListParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.driftlock.billing.BillingConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * Fault tolerance around stripe-java (blocking; call it through {@link StripeGateway}). Every
 * writing call carries an {@code Idempotency-Key}, so a retry (ours or a redelivered event's) gets
 * the object the first call created instead of a second one. Only transport failures and rate
 * limits are retried (every method, class-level policy); Stripe's own network retries are off so
 * there is one retry policy.
 */
@ApplicationScoped
@Retry(maxRetries = 2, delay = 200, delayUnit = ChronoUnit.MILLIS, retryOn = {ApiConnectionException.class, RateLimitException.class})
@CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.75, delay = 10, delayUnit = ChronoUnit.SECONDS,
        failOn = ApiConnectionException.class)
class StripeClient {

    private final com.stripe.StripeClient stripe;

    StripeClient(BillingConfig config) {
        this.stripe = com.stripe.StripeClient.builder()
                .setApiKey(config.stripe().apiKey())
                .setApiBase(config.stripe().apiBase())
                .setConnectTimeout(config.stripe().connectTimeoutMillis())
                .setReadTimeout(config.stripe().readTimeoutMillis())
                .setMaxNetworkRetries(0)
                .build();
    }

    Customer createCustomer(CustomerCreateParams params, String idempotencyKey) throws StripeException {
        return stripe.v1().customers().create(params, options(idempotencyKey));
    }

    Customer updateCustomer(String customerId, CustomerUpdateParams params, String idempotencyKey) throws StripeException {
        return stripe.v1().customers().update(customerId, params, options(idempotencyKey));
    }

    /** The coupon, or empty when Stripe answers 404 {@code resource_missing}. */
    Optional<Coupon> retrieveCoupon(String couponId) throws StripeException {
        try {
            return Optional.of(stripe.v1().coupons().retrieve(couponId));
        } catch (InvalidRequestException e) {
            if (Integer.valueOf(404).equals(e.getStatusCode())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    Coupon createCoupon(CouponCreateParams params, String idempotencyKey) throws StripeException {
        return stripe.v1().coupons().create(params, options(idempotencyKey));
    }

    Session createCheckoutSession(SessionCreateParams params, String idempotencyKey) throws StripeException {
        return stripe.v1().checkout().sessions().create(params, options(idempotencyKey));
    }

    com.stripe.model.billingportal.Session createPortalSession(com.stripe.param.billingportal.SessionCreateParams params,
            String idempotencyKey) throws StripeException {
        return stripe.v1().billingPortal().sessions().create(params, options(idempotencyKey));
    }

    Subscription retrieveSubscription(String subscriptionId) throws StripeException {
        return stripe.v1().subscriptions().retrieve(subscriptionId);
    }

    Optional<PromotionCode> activePromotionCode(String code) throws StripeException {
        return stripe.v1().promotionCodes().list(PromotionCodeListParams.builder().setCode(code).setActive(true).setLimit(1L).build())
                .getData().stream().findFirst();
    }

    Invoice createInvoice(InvoiceCreateParams params, String idempotencyKey) throws StripeException {
        return stripe.v1().invoices().create(params, options(idempotencyKey));
    }

    void createInvoiceItem(InvoiceItemCreateParams params, String idempotencyKey) throws StripeException {
        stripe.v1().invoiceItems().create(params, options(idempotencyKey));
    }

    Invoice finalizeInvoice(String invoiceId, String idempotencyKey) throws StripeException {
        return stripe.v1().invoices().finalizeInvoice(invoiceId, InvoiceFinalizeInvoiceParams.builder().build(), options(idempotencyKey));
    }

    private static RequestOptions options(String idempotencyKey) {
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }
}
