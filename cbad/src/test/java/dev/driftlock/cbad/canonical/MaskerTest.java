package dev.driftlock.cbad.canonical;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MaskerTest {

    @Test
    void volatileTokensBecomeTypedPlaceholders() {
        assertEquals("<uuid>", Masker.maskString("3f2b8c1e-9d4a-4e1b-8f6a-0c2d4e6f8a1b"));
        assertEquals("<ts>", Masker.maskString("2026-11-21T15:41:23.123Z"));
        assertEquals("<ts>", Masker.maskString("15:41:23,123"));
        assertEquals("<ip>", Masker.maskString("192.168.10.20"));
        assertEquals("<ip>", Masker.maskString("10.0.0.1:8080"));
        assertEquals("<ip>", Masker.maskString("fe80::1ff:fe23:4567:890a"));
        assertEquals("<hex>", Masker.maskString("9f86d081884c7d65"));
        assertEquals("<b64>", Masker.maskString("dGhpcyBpcyBhIHRva2VuIDEyMw=="));
        assertEquals("<id>", Masker.maskString("123456789012"));
    }

    @Test
    void wordsAndSmallNumbersStay() {
        assertEquals("GET", Masker.maskString("GET"));
        assertEquals("authentication_failed", Masker.maskString("authentication_failed"));
        assertEquals("v1", Masker.maskString("v1"));
        assertEquals("/api/v1/users/<n>/orders", Masker.maskString("/api/v1/users/48213/orders"));
        assertEquals("/api/users/<uuid>", Masker.maskString("/api/users/3f2b8c1e-9d4a-4e1b-8f6a-0c2d4e6f8a1b"));
    }

    @Test
    void numbersAreQuantizedNotErased() {
        assertEquals("200", Masker.quantize(200));
        assertEquals("-3", Masker.quantize(-3));
        assertEquals("~30", Masker.quantize(1000));
        assertEquals("~31", Masker.quantize(1250.75));
        assertEquals("~50", Masker.quantize(100_000));
        assertEquals("-~30", Masker.quantize(-1000));
        assertEquals("~-3", Masker.quantize(0.5));
        assertEquals("0", Masker.quantize(0.0));
    }

    @Test
    void numberTokensUseTheFieldName() {
        assertEquals("<ts>", Masker.numberToken("created_at", 1763700000, true, 10));
        assertEquals("<id>", Masker.numberToken("user_id", 42, true, 2));
        assertEquals("<ts>", Masker.numberToken("x", 1763700000123L, true, 13));
        assertEquals("<id>", Masker.numberToken("x", 1234567890123456789L, true, 19));
        assertEquals("~85", Masker.numberToken("bytes", 350_000_000, true, 9));
        assertEquals("~36", Masker.numberToken("amount", 4096.5, false, 4));
    }

    @Test
    void keyNames() {
        assertEquals(true, Keys.isTimestampKey("@timestamp"));
        assertEquals(true, Keys.isTimestampKey("meta.createdAt"));
        assertEquals(false, Keys.isTimestampKey("status"));
        assertEquals(true, Keys.isIdKey("requestId"));
        assertEquals(true, Keys.isIdKey("trace_id"));
        assertEquals(false, Keys.isIdKey("paid"));
    }
}
