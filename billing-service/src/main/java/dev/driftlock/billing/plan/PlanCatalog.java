package dev.driftlock.billing.plan;

import dev.driftlock.billing.BillingConfig;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The plans (table {@code plan}) and their Stripe prices (config {@code driftlock.billing.stripe.prices.<plan>}). */
@ApplicationScoped
public class PlanCatalog {

    private final Map<String, String> prices;

    PlanCatalog(BillingConfig config) {
        this.prices = Map.copyOf(config.stripe().prices());
    }

    /** The plan, or null. Call it inside a session. */
    public Uni<PlanEntity> find(String planId) {
        return PlanEntity.findById(planId);
    }

    /** The Stripe price id of a plan, if it can be bought. */
    public Optional<String> priceOf(String planId) {
        return Optional.ofNullable(prices.get(planId)).filter(price -> !price.isBlank());
    }

    /** The plan a Stripe price belongs to, if any. */
    public Optional<String> planOfPrice(String priceId) {
        return prices.entrySet().stream().filter(e -> e.getValue().equals(priceId)).map(Map.Entry::getKey).findFirst();
    }
}
