package dev.driftlock.gateway.apikey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    private final ApiKeyFormat format = new ApiKeyFormat("pepper-1", "live", new SecureRandom());

    @Test
    void aNewKeyHasThePrefixTheLookupIdAndAFortyCharacterSecretAndOnlyItsHashIsKept() {
        ApiKeyFormat.NewKey key = format.generate();

        assertTrue(key.plaintext().matches("dlk_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}"), key.plaintext());
        assertEquals(key.lookupId(), key.plaintext().substring(9, 17));
        ApiKeyFormat.Presented presented = ApiKeyFormat.parse(key.plaintext()).orElseThrow();
        assertEquals(key.lookupId(), presented.lookupId());
        assertTrue(format.matches(presented.secret(), key.secretHash()));
        assertFalse(key.plaintext().contains(HexFormat.of().formatHex(key.secretHash())));
    }

    @Test
    void theHashIsHmacSha256WithThePepperSoAnotherPepperDoesNotMatch() {
        // HMAC-SHA256(key "pepper-1", "secret") computed independently with openssl
        assertArrayEquals(HexFormat.of().parseHex("edb57544c69fd5a8ec22117cb27df88836b3c881b084cf2c500f4126dedeb365"), format.hash("secret"));
        ApiKeyFormat otherPepper = new ApiKeyFormat("pepper-2", "live", new SecureRandom());
        assertFalse(otherPepper.matches("secret", format.hash("secret")));
        assertNotEquals(HexFormat.of().formatHex(format.hash("secret")), HexFormat.of().formatHex(otherPepper.hash("secret")));
    }

    @Test
    void malformedKeysAreNotParsed() {
        assertEquals(Optional.empty(), ApiKeyFormat.parse(null));
        assertEquals(Optional.empty(), ApiKeyFormat.parse("sk_live_abc"));
        assertEquals(Optional.empty(), ApiKeyFormat.parse("dlk_live_SHORT_0123456789012345678901234567890123456789"));
        assertEquals(Optional.empty(), ApiKeyFormat.parse("dlk_live_AAAAAAAA_tooShortSecret"));
        assertEquals(Optional.empty(), ApiKeyFormat.parse("dlk_live_AAAA-AAA_0123456789012345678901234567890123456789"));
        assertEquals(Optional.empty(), ApiKeyFormat.parse("dlk_live_AAAAAAAA_0123456789012345678901234567890123456789_x"));
        assertTrue(ApiKeyFormat.parse("dlk_test_AAAAAAAA_0123456789012345678901234567890123456789").isPresent());
    }
}
