package dev.driftlock.metering.usage;

import dev.driftlock.metering.MeteringConfig;
import dev.driftlock.metering.account.Account;
import dev.driftlock.metering.account.QuotaPolicy;
import dev.driftlock.metering.account.Subscription;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** An org's plan terms, effective quota policy and current period, from its account and the config. */
@ApplicationScoped
class Plans {

    private final MeteringConfig config;

    Plans(MeteringConfig config) {
        this.config = config;
    }

    /** An org without a subscription, or on the free plan's id, is on the free plan. */
    boolean free(Account account) {
        return account.subscription() == null || account.subscription().plan().equals(config.freePlan().id());
    }

    Terms terms(Account account, BillingPeriod.Choice choice) {
        Subscription s = account.subscription();
        return choice.subscribed() && s != null ? terms(s) : freeTerms();
    }

    Terms terms(Subscription s) {
        return new Terms(s.plan(), s.includedAnomalies(), s.overagePriceMicros(), s.currency());
    }

    Terms freeTerms() {
        MeteringConfig.FreePlan free = config.freePlan();
        return new Terms(free.id(), free.includedAnomalies(), free.overagePriceMicros(), free.currency());
    }

    /** The org's own policy, else the default: {@code hard_cap} on the free plan, {@code allow} on paid plans. */
    QuotaPolicy policy(Account account) {
        if (account.ownPolicy() != null) {
            return account.ownPolicy();
        }
        return new QuotaPolicy(free(account) ? QuotaPolicy.HARD_CAP : QuotaPolicy.ALLOW, config.quota().capPercent(),
                config.quota().invoiceThresholdCents(), false);
    }

    BillingPeriod.Choice current(Account account, Instant now) {
        return BillingPeriod.of(account.subscription(), List.of(), now);
    }

    int warningPercent() {
        return config.quota().warningPercent();
    }
}
