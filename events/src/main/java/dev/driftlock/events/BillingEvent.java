package dev.driftlock.events;

/** Events of {@link Topics#BILLING}. */
public sealed interface BillingEvent extends DriftlockEvent
        permits SubscriptionChanged, DunningStateChanged, PaymentFailed, InvoiceCreated, InvoicePaid {
}
