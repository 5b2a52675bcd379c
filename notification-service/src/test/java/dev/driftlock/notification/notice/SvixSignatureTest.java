package dev.driftlock.notification.notice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SvixSignatureTest {

    static final String SECRET = "whsec_ZHJpZnRsb2NrLXRlc3Qtd2ViaG9vay1zZWNyZXQtMzI=";
    static final String BODY = """
            {"type":"email.delivered","created_at":"2026-11-21T10:00:00.000Z","data":{"email_id":"re_1"}}""";
    static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
    static final String TIMESTAMP = String.valueOf(NOW.getEpochSecond());

    final SvixSignature svix = new SvixSignature(SECRET);

    @Test
    void aRequestSignedWithTheSecretIsAccepted() {
        String signature = svix.signature("msg_1", TIMESTAMP, BODY);
        assertEquals("v1,rOFJEH2C9o2twsI8f3TCHR24hIELoXxw2XJnb31g2Lo=", signature);
        assertTrue(svix.verify("msg_1", TIMESTAMP, signature, BODY, NOW));
        assertTrue(svix.verify("msg_1", TIMESTAMP, "v1,b2xkLXNpZ25hdHVyZQ== " + signature, BODY, NOW.plusSeconds(299)));
    }

    @Test
    void aTamperedStaleOrForeignRequestIsRefused() {
        String signature = svix.signature("msg_1", TIMESTAMP, BODY);
        assertFalse(svix.verify("msg_1", TIMESTAMP, signature, BODY.replace("re_1", "re_2"), NOW));
        assertFalse(svix.verify("msg_2", TIMESTAMP, signature, BODY, NOW));
        assertFalse(svix.verify("msg_1", TIMESTAMP, signature, BODY, NOW.plusSeconds(301)));
        assertFalse(svix.verify("msg_1", TIMESTAMP, new SvixSignature("whsec_b3RoZXItc2VjcmV0").signature("msg_1", TIMESTAMP, BODY),
                BODY, NOW));
        assertFalse(svix.verify("msg_1", TIMESTAMP, "v1,not-base64!", BODY, NOW));
        assertFalse(svix.verify("msg_1", "yesterday", signature, BODY, NOW));
        assertFalse(svix.verify(null, TIMESTAMP, signature, BODY, NOW));
    }
}
