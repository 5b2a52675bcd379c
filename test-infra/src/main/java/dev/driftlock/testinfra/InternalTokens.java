package dev.driftlock.testinfra;

import io.smallrye.jwt.build.Jwt;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/**
 * The internal token the gateway signs for every request it forwards (RS256): issuer
 * {@value #ISSUER}, audience {@value #AUDIENCE}, subject = principal, claim {@value #ORG_CLAIM} =
 * org id, {@code groups} = scopes, lifetime 60 s. Tests mint tokens with a key pair generated once
 * per JVM; {@link InternalTokenTestResource} configures services to trust its public key.
 */
public final class InternalTokens {

    public static final String ISSUER = "driftlock-gateway";
    public static final String AUDIENCE = "driftlock-services";
    public static final String ORG_CLAIM = "org";

    private static final KeyPair KEYS = generate();
    private static final KeyPair FOREIGN_KEYS = generate();

    private InternalTokens() {
    }

    /** A valid token for {@code orgId}, acting as {@code principal} with the given scopes. */
    public static String mint(String orgId, String principal, String... scopes) {
        return sign(orgId, principal, Instant.now().plusSeconds(60), KEYS, scopes);
    }

    /** A token that expired a minute ago. */
    public static String mintExpired(String orgId, String principal, String... scopes) {
        Instant past = Instant.now().minusSeconds(600);
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(principal).claim(ORG_CLAIM, orgId).groups(Set.of(scopes))
                .issuedAt(past).expiresAt(past.plusSeconds(60)).sign(KEYS.getPrivate());
    }

    /** A well-formed token signed by a key the services do not trust. */
    public static String mintWithUntrustedKey(String orgId, String principal, String... scopes) {
        return sign(orgId, principal, Instant.now().plusSeconds(60), FOREIGN_KEYS, scopes);
    }

    public static String publicKeyPem() {
        return pem("PUBLIC KEY", KEYS.getPublic());
    }

    /**
     * Writes a new key pair for the local stack ({@code internal-token.pem} private PKCS#8,
     * {@code internal-token.pub.pem} public) unless the files exist.
     */
    public static void writeKeyPairIfMissing(Path dir) {
        Path privateKey = dir.resolve("internal-token.pem");
        Path publicKey = dir.resolve("internal-token.pub.pem");
        if (Files.exists(privateKey) && Files.exists(publicKey)) {
            return;
        }
        KeyPair pair = generate();
        try {
            Files.createDirectories(dir);
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate()));
            Files.writeString(publicKey, pem("PUBLIC KEY", pair.getPublic()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keys to " + dir, e);
        }
    }

    private static String sign(String orgId, String principal, Instant expiresAt, KeyPair keys, String... scopes) {
        return Jwt.issuer(ISSUER).audience(AUDIENCE).subject(principal).claim(ORG_CLAIM, orgId).groups(Set.of(scopes))
                .issuedAt(Instant.now()).expiresAt(expiresAt).sign(keys.getPrivate());
    }

    private static String pem(String type, Key key) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
