package dev.driftlock.metering.usage;

import dev.driftlock.metering.account.QuotaPolicy;
import java.util.ArrayList;
import java.util.List;

/** The arithmetic of usage: thresholds, overage, money and quota state. Pure; exact integer math. */
final class UsageRules {

    /** Usage thresholds every org gets, in percent of the included anomalies. */
    static final List<Integer> STANDARD_THRESHOLDS = List.of(70, 90, 100);

    private UsageRules() {
    }

    /** 70, 90, 100 and, for a soft cap, the cap percent. */
    static List<Integer> thresholds(QuotaPolicy policy) {
        List<Integer> thresholds = new ArrayList<>(STANDARD_THRESHOLDS);
        if (QuotaPolicy.SOFT_CAP.equals(policy.policy()) && !thresholds.contains(policy.capPercent())) {
            thresholds.add(policy.capPercent());
            thresholds.sort(Integer::compare);
        }
        return List.copyOf(thresholds);
    }

    /** True when {@code used} is at least {@code percent} % of {@code included} (exact; never for 0 included). */
    static boolean atLeast(long used, long included, int percent) {
        return included > 0 && Math.multiplyExact(used, 100L) >= Math.multiplyExact(included, (long) percent);
    }

    /** The thresholds {@code used} has reached. */
    static List<Integer> reached(long used, long included, List<Integer> thresholds) {
        return thresholds.stream().filter(t -> atLeast(used, included, t)).toList();
    }

    static long overage(long used, long included) {
        return Math.max(0, used - included);
    }

    /**
     * Estimated overage charge in integer cents: overage count x price in micros, computed on the
     * period total and rounded half-up to the cent once (never summed per anomaly).
     */
    static long overageCents(long overageAnomalies, long overagePriceMicros) {
        long micros = Math.multiplyExact(overageAnomalies, overagePriceMicros);
        return (micros + 5_000) / 10_000;
    }

    /** Invoice threshold steps reached: step n once the overage is at least n x the threshold. */
    static int invoiceSteps(long overageCents, long thresholdCents) {
        return thresholdCents <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, overageCents / thresholdCents);
    }

    /** Percent of the included anomalies used, rounded down (0 when nothing is included). */
    static long percentUsed(long used, long included) {
        return included <= 0 ? 0 : Math.multiplyExact(used, 100L) / included;
    }

    /** A quota state as the gateway enforces it. */
    record QuotaState(String state, String reason, int capPercent) {

        static final String OK = "ok";
        static final String WARNING = "warning";
        static final String BLOCKED = "blocked";
    }

    /**
     * The quota state: a suspended org is blocked ({@code payment_suspended}); a capped org at its
     * cap is blocked ({@code cap_reached}); from {@code warningPercent} on it is a warning; else ok.
     */
    static QuotaState quotaState(long used, long included, QuotaPolicy policy, String dunningState, int warningPercent) {
        int cap = policy.blockingPercent();
        if ("suspended".equals(dunningState)) {
            return new QuotaState(QuotaState.BLOCKED, "payment_suspended", cap);
        }
        if (cap > 0 && (included <= 0 || atLeast(used, included, cap))) {
            return new QuotaState(QuotaState.BLOCKED, "cap_reached", cap);
        }
        if (atLeast(used, included, warningPercent)) {
            return new QuotaState(QuotaState.WARNING, "usage_warning", cap);
        }
        return new QuotaState(QuotaState.OK, "none", cap);
    }
}
