package dev.driftlock.notification.notice;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the signature of a Resend webhook (Svix scheme): HMAC-SHA256, keyed with the
 * base64-decoded {@code whsec_} secret, over {@code <svix-id>.<svix-timestamp>.<raw body>}; the
 * {@code svix-signature} header lists one or more {@code v1,<base64>} signatures (key rotation).
 * Timestamps further than {@link #TOLERANCE} from now are refused (replays).
 */
final class SvixSignature {

    static final Duration TOLERANCE = Duration.ofMinutes(5);

    private final byte[] key;

    SvixSignature(String secret) {
        String encoded = secret.startsWith("whsec_") ? secret.substring("whsec_".length()) : secret;
        this.key = Base64.getDecoder().decode(encoded);
    }

    /** Whether the request is authentic and fresh. */
    boolean verify(String id, String timestamp, String signatures, String body, Instant now) {
        if (id == null || timestamp == null || signatures == null || body == null) {
            return false;
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return false;
        }
        if (Duration.between(Instant.ofEpochSecond(seconds), now).abs().compareTo(TOLERANCE) > 0) {
            return false;
        }
        byte[] expected = sign(id + "." + timestamp.trim() + "." + body);
        for (String candidate : signatures.trim().split(" +")) {
            if (candidate.startsWith("v1,")) {
                byte[] given;
                try {
                    given = Base64.getDecoder().decode(candidate.substring(3));
                } catch (IllegalArgumentException notBase64) {
                    continue;
                }
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The {@code v1,<base64>} signature of {@code content} (also what tests sign with). */
    String signature(String id, String timestamp, String body) {
        return "v1," + Base64.getEncoder().encodeToString(sign(id + "." + timestamp + "." + body));
    }

    private byte[] sign(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
