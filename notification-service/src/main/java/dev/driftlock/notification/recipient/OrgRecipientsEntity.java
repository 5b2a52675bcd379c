package dev.driftlock.notification.recipient;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Who gets an org's e-mails, and its preferences. */
@Entity
@Table(name = "org_recipients")
class OrgRecipientsEntity extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    String orgId;

    @Column(name = "org_name", nullable = false)
    String orgName;

    @Column(name = "billing_emails", nullable = false)
    String[] billingEmails;

    /** Usage e-mails (70/90/100%) can be turned off; payment and security e-mails cannot. */
    @Column(name = "usage_emails", nullable = false)
    boolean usageEmails;

    @Column(name = "org_revision", nullable = false)
    long orgRevision;
}
