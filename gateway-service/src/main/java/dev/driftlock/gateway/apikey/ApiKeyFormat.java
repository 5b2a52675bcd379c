package dev.driftlock.gateway.apikey;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The API key format {@code dlk_<env>_<lookup id>_<secret>}: a recognizable prefix (secret
 * scanners can match {@code dlk_live_}), an 8-character base62 lookup id stored in clear, and a
 * 40-character base62 secret (about 238 bits) of which only HMAC-SHA256(pepper, secret) is stored.
 */
final class ApiKeyFormat {

    static final String PREFIX = "dlk_";
    static final int LOOKUP_LENGTH = 8;
    static final int SECRET_LENGTH = 40;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Mac prototype;
    private final String environment;
    private final SecureRandom random;

    ApiKeyFormat(String pepper, String environment, SecureRandom random) {
        if (!environment.matches("[a-z]{1,8}")) {
            throw new IllegalArgumentException("environment must be 1-8 lower-case letters: " + environment);
        }
        try {
            prototype = Mac.getInstance("HmacSHA256");
            prototype.init(new SecretKeySpec(pepper.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        this.environment = environment;
        this.random = random;
    }

    /** A new key; {@link NewKey#plaintext()} is shown once and never stored. */
    NewKey generate() {
        String lookupId = randomBase62(LOOKUP_LENGTH);
        String secret = randomBase62(SECRET_LENGTH);
        return new NewKey(lookupId, PREFIX + environment + "_" + lookupId + "_" + secret, hash(secret));
    }

    /** Splits a presented key; empty when it does not have the key's shape. */
    static Optional<Presented> parse(String key) {
        if (key == null || !key.startsWith(PREFIX) || key.length() > 100) {
            return Optional.empty();
        }
        String[] parts = key.split("_", -1);
        if (parts.length != 4 || parts[2].length() != LOOKUP_LENGTH || parts[3].length() < 32
                || !isBase62(parts[2]) || !isBase62(parts[3])) {
            return Optional.empty();
        }
        return Optional.of(new Presented(parts[2], parts[3]));
    }

    /** Whether a presented key looks like one of ours (so other bearer tokens are left to OIDC). */
    static boolean looksLikeKey(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    byte[] hash(String secret) {
        try {
            Mac mac = (Mac) prototype.clone();
            return mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the presented secret's hash with the stored one. */
    boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }

    private String randomBase62(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        return out.toString();
    }

    private static boolean isBase62(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (BASE62.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    record NewKey(String lookupId, String plaintext, byte[] secretHash) {
    }

    record Presented(String lookupId, String secret) {
    }
}
