package dev.driftlock.notification.recipient;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.notification.inbox.ProcessedEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Transaction boundary of recipients and preferences. */
@ApplicationScoped
class RecipientService {

    static final String CONSUMER = "recipients";

    private final ProcessedEvents processed;

    RecipientService(ProcessedEvents processed) {
        this.processed = processed;
    }

    /** Sets an org's name and billing contacts, once per event; an older revision never overwrites a newer one. */
    Uni<Void> apply(Envelope<DriftlockEvent> envelope, String name, List<String> billingEmails, long revision) {
        return Panache.withTransaction(() -> processed.firstTime(envelope.eventId(), CONSUMER).flatMap(first -> {
            if (!first) {
                return Uni.createFrom().voidItem();
            }
            return OrgRecipientsEntity.<OrgRecipientsEntity>findById(envelope.orgId()).flatMap(existing -> {
                if (existing == null) {
                    OrgRecipientsEntity created = new OrgRecipientsEntity();
                    created.orgId = envelope.orgId();
                    created.orgName = name;
                    created.billingEmails = billingEmails.toArray(String[]::new);
                    created.usageEmails = true;
                    created.orgRevision = revision;
                    return created.persist().replaceWithVoid();
                }
                if (revision > existing.orgRevision) {
                    existing.orgName = name;
                    existing.billingEmails = billingEmails.toArray(String[]::new);
                    existing.orgRevision = revision;
                }
                return Uni.createFrom().voidItem();
            });
        }));
    }

    Uni<NotificationSettings> settings(String orgId) {
        return Panache.withSession(() -> OrgRecipientsEntity.<OrgRecipientsEntity>findById(orgId))
                .map(org -> org == null
                        ? new NotificationSettings(List.of(), true)
                        : new NotificationSettings(List.of(org.billingEmails), org.usageEmails));
    }
}
