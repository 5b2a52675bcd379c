package dev.driftlock.billing.subscription;

import com.stripe.param.checkout.SessionCreateParams;
import dev.driftlock.billing.BillingConfig;
import dev.driftlock.billing.audit.AuditLog;
import dev.driftlock.billing.plan.PlanCatalog;
import dev.driftlock.billing.stripe.StripeGateway;
import dev.driftlock.platform.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;

/** Starts Stripe Checkout for a paid plan, and opens the Stripe customer portal. */
@ApplicationScoped
class CheckoutService {

    private final CustomerService customers;
    private final PlanCatalog plans;
    private final StripeGateway stripe;
    private final AuditLog audit;
    private final BillingConfig config;
    private final LaunchCoupon launchCoupon;

    CheckoutService(CustomerService customers, PlanCatalog plans, StripeGateway stripe, AuditLog audit, BillingConfig config,
            LaunchCoupon launchCoupon) {
        this.customers = customers;
        this.plans = plans;
        this.stripe = stripe;
        this.audit = audit;
        this.config = config;
        this.launchCoupon = launchCoupon;
    }

    /**
     * A checkout session for {@code request.plan()}, a paid plan only (the free plan is refused
     * before any Stripe call). The launch promotion is applied when enabled and no other code (or
     * its own code) was given, after {@link LaunchCoupon} made sure its coupon has the launch terms;
     * a given code must be an active Stripe promotion code (the launch code too, while the launch
     * promotion is disabled); with no discount customers may type a code on the Checkout page.
     */
    Uni<CheckoutView> checkout(Caller caller, CheckoutRequest request) {
        String planId = request.plan();
        return Panache.withSession(() -> plans.find(planId).flatMap(plan -> CustomerEntity.<CustomerEntity>findById(caller.orgId())
                        .map(customer -> {
                            if (plan == null) {
                                throw new CheckoutRefused(422, "unknown-plan", "Unknown plan", "There is no plan '" + planId + "'.");
                            }
                            if (plan.monthlyPriceCents == 0 || plans.priceOf(planId).isEmpty()) {
                                throw new CheckoutRefused(422, "plan-not-purchasable", "Plan not purchasable",
                                        "Plan '" + planId + "' is free or has no Stripe price; every org has it by default.");
                            }
                            if (customer != null && customer.stripeSubscriptionId != null) {
                                throw new CheckoutRefused(409, "already-subscribed", "Already subscribed",
                                        "The org already has a paid subscription; change plans in the customer portal (POST /v1/billing/portal).");
                            }
                            return plan;
                        })))
                .flatMap(plan -> discount(request.promotionCode()))
                .flatMap(discount -> customers.ensureStripeCustomer(caller.orgId()).flatMap(customerId -> {
                    SessionCreateParams.Builder params = SessionCreateParams.builder()
                            .setMode(SessionCreateParams.Mode.SUBSCRIPTION)
                            .setCustomer(customerId)
                            .setClientReferenceId(caller.orgId())
                            .addLineItem(SessionCreateParams.LineItem.builder().setPrice(plans.priceOf(planId).orElseThrow()).setQuantity(1L).build())
                            .setSuccessUrl(request.successUrl() != null ? request.successUrl() : config.stripe().successUrl())
                            .setCancelUrl(request.cancelUrl() != null ? request.cancelUrl() : config.stripe().cancelUrl())
                            .putMetadata("org_id", caller.orgId())
                            .putMetadata("plan", planId)
                            .setSubscriptionData(SessionCreateParams.SubscriptionData.builder()
                                    .putMetadata("org_id", caller.orgId())
                                    .putMetadata("plan", planId)
                                    .build());
                    discount.ifPresentOrElse(params::addDiscount, () -> params.setAllowPromotionCodes(true));
                    String key = "checkout:" + caller.orgId() + ":" + UUID.randomUUID();
                    return stripe.createCheckoutSession(params.build(), key)
                            .flatMap(session -> Panache.withTransaction(() -> audit.record(caller.orgId(), "checkout.started",
                                            "plan " + planId + discount.map(d -> d.getCoupon() != null ? " with coupon " + d.getCoupon()
                                                    : " with promotion code " + d.getPromotionCode()).orElse(", promotion codes allowed"),
                                            "checkout requested",
                                            session.getKey() + "," + customerId, "user:" + caller.principal()))
                                    .replaceWith(new CheckoutView(session.getKey(), session.getValue())));
                }));
    }

    Uni<PortalView> portal(Caller caller, PortalRequest request) {
        return customers.ensureStripeCustomer(caller.orgId()).flatMap(customerId -> stripe.createPortalSession(customerId,
                        request != null && request.returnUrl() != null ? request.returnUrl() : config.stripe().portalReturnUrl(),
                        "portal:" + caller.orgId() + ":" + UUID.randomUUID()))
                .map(PortalView::new);
    }

    private Uni<Optional<SessionCreateParams.Discount>> discount(String promotionCode) {
        BillingConfig.Promotions promotions = config.promotions();
        if (promotions.launchEnabled() && (promotionCode == null || promotionCode.equalsIgnoreCase(promotions.launchCode()))) {
            return launchCoupon.ensure().map(coupon -> Optional.of(SessionCreateParams.Discount.builder().setCoupon(coupon).build()));
        }
        if (promotionCode == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return stripe.activePromotionCode(promotionCode).map(found -> Optional.of(found
                .map(id -> SessionCreateParams.Discount.builder().setPromotionCode(id).build())
                .orElseThrow(() -> new CheckoutRefused(422, "unknown-promotion-code", "Unknown promotion code",
                        "'" + promotionCode + "' is not an active promotion code."))));
    }
}
