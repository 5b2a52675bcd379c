package dev.driftlock.billing.subscription;

import com.stripe.model.Coupon;
import com.stripe.param.CouponCreateParams;
import dev.driftlock.billing.BillingConfig;
import dev.driftlock.billing.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The launch promotion's Stripe coupon (50% off, duration repeating, 3 months). Before a checkout
 * applies it, {@link #ensure()} reads it from Stripe and creates it when missing (idempotency key
 * from its id and terms); a coupon with that id but other terms, or no longer valid, is never
 * applied: the checkout fails with {@link LaunchPromotionMisconfigured} and the mismatch is logged.
 * Read on every launch checkout (no cache), so a coupon deleted or changed in Stripe is noticed at once.
 */
@ApplicationScoped
class LaunchCoupon {

    private static final Logger LOG = Logger.getLogger(LaunchCoupon.class);

    static final BigDecimal PERCENT_OFF = BigDecimal.valueOf(50);
    static final String DURATION = "repeating";
    static final long DURATION_IN_MONTHS = 3;

    private final StripeGateway stripe;
    private final BillingConfig config;

    LaunchCoupon(StripeGateway stripe, BillingConfig config) {
        this.stripe = stripe;
        this.config = config;
    }

    /** The id of the launch coupon, existing in Stripe with the launch terms. */
    Uni<String> ensure() {
        String id = config.promotions().launchCoupon();
        CouponCreateParams params = CouponCreateParams.builder()
                .setId(id)
                .setName("Launch: 50% off for 3 months")
                .setPercentOff(PERCENT_OFF)
                .setDuration(CouponCreateParams.Duration.REPEATING)
                .setDurationInMonths(DURATION_IN_MONTHS)
                .build();
        return stripe.couponOrCreate(params, "coupon:" + id + ":" + PERCENT_OFF + "-off-" + DURATION + "-" + DURATION_IN_MONTHS)
                .map(coupon -> {
                    List<String> mismatches = mismatches(coupon);
                    if (!mismatches.isEmpty()) {
                        String detail = "The Stripe coupon '" + id + "' behind the launch promotion " + String.join(", ", mismatches)
                                + "; it needs percent_off 50, duration repeating, duration_in_months 3. No checkout was started."
                                + " Fix the coupon in Stripe or point DRIFTLOCK_BILLING_PROMOTIONS_LAUNCH_COUPON to one with these terms"
                                + " (or disable the promotion).";
                        LOG.error(detail);
                        throw new LaunchPromotionMisconfigured(detail);
                    }
                    return coupon.getId();
                });
    }

    /** What is wrong with the coupon for the launch promotion, in words; empty when it fits. */
    static List<String> mismatches(Coupon coupon) {
        List<String> wrong = new ArrayList<>();
        if (coupon.getPercentOff() == null || coupon.getPercentOff().compareTo(PERCENT_OFF) != 0) {
            wrong.add(coupon.getPercentOff() == null
                    ? "has no percent_off (amount_off " + coupon.getAmountOff() + ")"
                    : "has percent_off " + coupon.getPercentOff().stripTrailingZeros().toPlainString());
        }
        if (!DURATION.equals(coupon.getDuration())) {
            wrong.add("has duration " + coupon.getDuration());
        }
        if (coupon.getDurationInMonths() == null || coupon.getDurationInMonths() != DURATION_IN_MONTHS) {
            wrong.add("has duration_in_months " + coupon.getDurationInMonths());
        }
        if (Boolean.FALSE.equals(coupon.getValid())) {
            wrong.add("is no longer valid (expired or fully redeemed)");
        }
        return wrong;
    }
}
