package dev.driftlock.metering.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftlock.metering.account.QuotaPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageRulesTest {

    static final QuotaPolicy ALLOW = new QuotaPolicy(QuotaPolicy.ALLOW, 120, 50_000, false);
    static final QuotaPolicy SOFT_CAP_150 = new QuotaPolicy(QuotaPolicy.SOFT_CAP, 150, 50_000, true);
    static final QuotaPolicy HARD_CAP = new QuotaPolicy(QuotaPolicy.HARD_CAP, 120, 50_000, false);

    @Test
    void thresholdsAreSeventyNinetyHundredPlusTheSoftCap() {
        assertEquals(List.of(70, 90, 100), UsageRules.thresholds(ALLOW));
        assertEquals(List.of(70, 90, 100), UsageRules.thresholds(HARD_CAP));
        assertEquals(List.of(70, 90, 100, 150), UsageRules.thresholds(SOFT_CAP_150));
    }

    @Test
    void aThresholdIsReachedExactlyAtItsShareWithoutRounding() {
        assertEquals(List.of(), UsageRules.reached(699, 1000, List.of(70, 90, 100)));
        assertEquals(List.of(70), UsageRules.reached(700, 1000, List.of(70, 90, 100)));
        // 70% of 7 is 4.9: 4 anomalies have not reached it, 5 have
        assertEquals(List.of(), UsageRules.reached(4, 7, List.of(70)));
        assertEquals(List.of(70), UsageRules.reached(5, 7, List.of(70)));
        assertEquals(List.of(70, 90, 100, 150), UsageRules.reached(1500, 1000, List.of(70, 90, 100, 150)));
        assertEquals(List.of(), UsageRules.reached(5, 0, List.of(70, 90, 100)));
    }

    @Test
    void overageCentsAreRoundedHalfUpOnThePeriodTotal() {
        // 1 anomaly at $0.001 = 0.1 cent -> 0; 5 anomalies = 0.5 cent -> 1
        assertEquals(0, UsageRules.overageCents(1, 1_000));
        assertEquals(0, UsageRules.overageCents(4, 1_000));
        assertEquals(1, UsageRules.overageCents(5, 1_000));
        // 15,001 x 1,234 micros = 18,511,234 micros = 1,851.1234 cents
        assertEquals(1851, UsageRules.overageCents(15_001, 1_234));
        // 3 x 5,000 micros = 1.5 cents -> 2 (summing per anomaly would give 3 x round(0.5) = 3)
        assertEquals(2, UsageRules.overageCents(3, 5_000));
        assertEquals(0, UsageRules.overage(999, 1000));
        assertEquals(7, UsageRules.overage(1007, 1000));
    }

    @Test
    void invoiceStepsAreWholeMultiplesOfTheThreshold() {
        assertEquals(0, UsageRules.invoiceSteps(49_999, 50_000));
        assertEquals(1, UsageRules.invoiceSteps(50_000, 50_000));
        assertEquals(3, UsageRules.invoiceSteps(3_750, 1_000));
    }

    @Test
    void quotaStateFollowsPolicyCapAndDunning() {
        assertEquals(new UsageRules.QuotaState("ok", "none", 100), UsageRules.quotaState(899, 1000, HARD_CAP, "ok", 90));
        assertEquals(new UsageRules.QuotaState("warning", "usage_warning", 100), UsageRules.quotaState(900, 1000, HARD_CAP, "ok", 90));
        assertEquals(new UsageRules.QuotaState("blocked", "cap_reached", 100), UsageRules.quotaState(1000, 1000, HARD_CAP, "ok", 90));
        assertEquals(new UsageRules.QuotaState("warning", "usage_warning", 150), UsageRules.quotaState(1499, 1000, SOFT_CAP_150, "ok", 90));
        assertEquals(new UsageRules.QuotaState("blocked", "cap_reached", 150), UsageRules.quotaState(1500, 1000, SOFT_CAP_150, "ok", 90));
        assertEquals(new UsageRules.QuotaState("warning", "usage_warning", 0), UsageRules.quotaState(50_000, 1000, ALLOW, "ok", 90));
        assertEquals(new UsageRules.QuotaState("ok", "none", 0), UsageRules.quotaState(10, 1000, ALLOW, "grace", 90));
        assertEquals(new UsageRules.QuotaState("blocked", "payment_suspended", 0), UsageRules.quotaState(0, 1000, ALLOW, "suspended", 90));
    }
}
