package dev.driftlock.notification;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The self-hosted configuration: e-mails over SMTP instead of Resend; nothing else differs. */
public class SmtpProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("driftlock.notification.provider", "smtp");
    }
}
