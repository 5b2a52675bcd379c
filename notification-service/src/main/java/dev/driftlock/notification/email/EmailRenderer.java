package dev.driftlock.notification.email;

import dev.driftlock.notification.NotificationConfig;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.enterprise.context.ApplicationScoped;

/** Renders a notice as HTML and plain text from the Qute templates under {@code templates/emails}. */
@ApplicationScoped
public class EmailRenderer {

    @CheckedTemplate(basePath = "emails")
    static class Templates {
        static native TemplateInstance usageHtml(String orgName, UsageNotice notice, String link, String settingsLink);

        static native TemplateInstance usageText(String orgName, UsageNotice notice, String link, String settingsLink);

        static native TemplateInstance capReachedHtml(String orgName, CapReachedNotice notice, String link);

        static native TemplateInstance capReachedText(String orgName, CapReachedNotice notice, String link);

        static native TemplateInstance paymentFailedHtml(String orgName, PaymentFailedNotice notice, String link);

        static native TemplateInstance paymentFailedText(String orgName, PaymentFailedNotice notice, String link);

        static native TemplateInstance dunningHtml(String orgName, DunningNotice notice, String link);

        static native TemplateInstance dunningText(String orgName, DunningNotice notice, String link);

        static native TemplateInstance invoiceHtml(String orgName, InvoiceNotice notice, String link);

        static native TemplateInstance invoiceText(String orgName, InvoiceNotice notice, String link);

        static native TemplateInstance welcomeHtml(String orgName, WelcomeNotice notice, String link);

        static native TemplateInstance welcomeText(String orgName, WelcomeNotice notice, String link);
    }

    private final String dashboardUrl;

    EmailRenderer(NotificationConfig config) {
        this.dashboardUrl = config.dashboardUrl().replaceAll("/+$", "");
    }

    public RenderedEmail render(Notice notice, String orgName) {
        RenderedEmail rendered = renderBodies(notice, orgName);
        return new RenderedEmail(rendered.subject(), rendered.html().strip() + "\n", rendered.text().strip() + "\n");
    }

    private RenderedEmail renderBodies(Notice notice, String orgName) {
        String link = notice.link(dashboardUrl);
        String subject = notice.subject(orgName);
        return switch (notice) {
            case UsageNotice n -> {
                String settings = dashboardUrl + "/settings/notifications";
                yield new RenderedEmail(subject, Templates.usageHtml(orgName, n, link, settings).render(),
                        Templates.usageText(orgName, n, link, settings).render());
            }
            case CapReachedNotice n -> new RenderedEmail(subject, Templates.capReachedHtml(orgName, n, link).render(),
                    Templates.capReachedText(orgName, n, link).render());
            case PaymentFailedNotice n -> new RenderedEmail(subject, Templates.paymentFailedHtml(orgName, n, link).render(),
                    Templates.paymentFailedText(orgName, n, link).render());
            case DunningNotice n -> new RenderedEmail(subject, Templates.dunningHtml(orgName, n, link).render(),
                    Templates.dunningText(orgName, n, link).render());
            case InvoiceNotice n -> new RenderedEmail(subject, Templates.invoiceHtml(orgName, n, link).render(),
                    Templates.invoiceText(orgName, n, link).render());
            case WelcomeNotice n -> new RenderedEmail(subject, Templates.welcomeHtml(orgName, n, link).render(),
                    Templates.welcomeText(orgName, n, link).render());
        };
    }
}
