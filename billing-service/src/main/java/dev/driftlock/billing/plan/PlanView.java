package dev.driftlock.billing.plan;

/** A plan as the API shows it. */
public record PlanView(String id, String name, long monthlyPriceCents, long includedAnomalies, long overagePriceMicros, String currency) {

    public static PlanView of(PlanEntity plan) {
        return new PlanView(plan.id, plan.name, plan.monthlyPriceCents, plan.includedAnomalies, plan.overagePriceMicros, plan.currency);
    }
}
