package dev.driftlock.notification.email;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.DunningStateChanged;
import dev.driftlock.events.InvoiceCreated;
import dev.driftlock.events.OrgCreated;
import dev.driftlock.events.PaymentFailed;
import dev.driftlock.events.QuotaStateChanged;
import dev.driftlock.events.UsageThresholdCrossed;
import java.util.Optional;
import java.util.Set;

/** Which events become e-mails, and which are skipped. */
public final class Notices {

    /** Usage thresholds that are e-mailed; the cap itself is told by the quota block e-mail. */
    static final Set<Integer> USAGE_THRESHOLDS = Set.of(70, 90, 100);

    private Notices() {
    }

    /** The notice an event calls for, or empty when it calls for none. */
    public static Optional<Notice> of(DriftlockEvent event) {
        return Optional.ofNullable(switch (event) {
            case UsageThresholdCrossed u when USAGE_THRESHOLDS.contains(u.thresholdPercent()) ->
                    new UsageNotice(u.thresholdPercent(), u.usedAnomalies(), u.includedAnomalies(), u.plan(), u.periodStart(), u.periodEnd());
            case QuotaStateChanged q when "blocked".equals(q.state()) && "cap_reached".equals(q.reason()) ->
                    new CapReachedNotice(q.usedAnomalies(), q.includedAnomalies(), q.capPercent(), q.policy(), q.periodEnd());
            case PaymentFailed p ->
                    new PaymentFailedNotice(p.invoiceId(), p.amountDueCents(), p.currency(), p.attemptCount(), p.nextAttemptAt(), p.hostedInvoiceUrl());
            case DunningStateChanged d when !d.state().equals(d.previousState()) && Set.of("grace", "suspended", "ok").contains(d.state()) ->
                    new DunningNotice(d.state(), d.previousState(), d.graceEndsAt(), d.reason(), d.revision());
            case InvoiceCreated i when "mid_cycle".equals(i.kind()) ->
                    new InvoiceNotice(i.invoiceId(), i.amountCents(), i.currency(), i.hostedInvoiceUrl(), i.invoicePdfUrl(), i.periodStart(), i.periodEnd());
            case OrgCreated o -> new WelcomeNotice();
            default -> null; // other kinds, or events added later to the contracts
        });
    }
}
