package dev.driftlock.notification.recipient;

import dev.driftlock.events.DriftlockEvent;
import dev.driftlock.events.Envelope;
import dev.driftlock.platform.inbox.SessionProcessedEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Recipients and preferences of each org, from org events and the settings API. */
@ApplicationScoped
public class RecipientService {

    static final String CONSUMER = "recipients";

    private final SessionProcessedEvents processed;

    RecipientService(SessionProcessedEvents processed) {
        this.processed = processed;
    }

    /**
     * Sets an org's name and billing contacts, once per event; an older revision never overwrites a
     * newer one. Call it inside the transaction of the caller (who may queue a welcome e-mail in it).
     */
    public Uni<Void> apply(Envelope<DriftlockEvent> envelope, String name, List<String> billingEmails, long revision) {
        return processed.firstTime(envelope.eventId(), CONSUMER).flatMap(first -> {
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
        });
    }

    /** The org's audience, or null when no org event of it was seen yet. Call it inside a session. */
    public Uni<Audience> audience(String orgId) {
        return OrgRecipientsEntity.<OrgRecipientsEntity>findById(orgId)
                .map(org -> org == null ? null : new Audience(org.orgName, List.of(org.billingEmails), org.usageEmails));
    }

    Uni<NotificationSettings> settings(String orgId) {
        return Panache.withSession(() -> OrgRecipientsEntity.<OrgRecipientsEntity>findById(orgId))
                .map(org -> org == null
                        ? new NotificationSettings(List.of(), true)
                        : new NotificationSettings(List.of(org.billingEmails), org.usageEmails));
    }

    /** Turns the org's usage e-mails on or off; payment, service and account e-mails cannot be turned off. */
    Uni<NotificationSettings> setUsageEmails(String orgId, boolean usageEmails) {
        return Panache.withTransaction(() -> OrgRecipientsEntity.<OrgRecipientsEntity>findById(orgId).map(org -> {
            if (org == null) {
                throw new UnknownOrgException(orgId);
            }
            org.usageEmails = usageEmails;
            return new NotificationSettings(List.of(org.billingEmails), org.usageEmails);
        }));
    }
}
