package dev.driftlock.cbad.canonical;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.InputKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CanonicalizerTest {

    static final String LOGIN_EVENT = "{\"ts\":\"2026-11-21T10:00:00Z\",\"request_id\":\"3f2b8c1e-9d4a-4e1b-8f6a-0c2d4e6f8a1b\","
            + "\"http\":{\"status\":401,\"path\":\"/api/login\",\"method\":\"POST\"},\"client\":{\"ip\":\"10.1.2.3\"},"
            + "\"latency_ms\":35.2,\"tags\":[\"a\",\"b\"],\"ok\":false,\"note\":null}";

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void jsonIsSortedMaskedAndQuantized() {
        Canonicalizer c = new Canonicalizer(InputKind.JSON, new FieldFilter(Set.of(), Set.of()));
        CanonicalEvent e = c.canonicalize(LOGIN_EVENT);
        assertEquals("""
                client.ip=<ip>
                http.method=POST
                http.path=/api/login
                http.status=401
                latency_ms=~15
                note=null
                ok=false
                request_id=<id>
                tags[]=a
                tags[]=b
                ts=<ts>
                """, text(e.analysed()));
        assertEquals(2, e.numCount());
        assertEquals("http.status", e.numKeys()[0]);
        assertEquals(35.2, e.numValues()[1]);
    }

    @Test
    void keyOrderDoesNotMatter() {
        Canonicalizer c = new Canonicalizer(InputKind.JSON, new FieldFilter(Set.of(), Set.of()));
        byte[] a = c.canonicalize("{\"a\":1,\"b\":{\"c\":\"x\",\"d\":2}}").analysed();
        byte[] b = c.canonicalize("{\"b\":{\"d\":2,\"c\":\"x\"},\"a\":1}").analysed();
        assertArrayEquals(a, b);
    }

    @Test
    void includeAndExcludeFilterFields() {
        Canonicalizer c = new Canonicalizer(InputKind.JSON, new FieldFilter(Set.of("http"), Set.of("http.method")));
        CanonicalEvent e = c.canonicalize(LOGIN_EVENT);
        assertEquals("http.path=/api/login\nhttp.status=401\n", text(e.analysed()));
        assertEquals(Canonicalizer.refilter(e.full(), new FieldFilter(Set.of("http"), Set.of("http.method"))).length,
                e.analysed().length);
    }

    @Test
    void digitRunsInsideWordsOfTextLinesAreMasked() {
        Canonicalizer c = new Canonicalizer(InputKind.TEXT, new FieldFilter(Set.of(), Set.of()));
        CanonicalEvent e = c.canonicalize("gmetad: failed to resolve an270 an271 node-12 in 25ms");
        assertEquals("gmetad:\nfailed\nto\nresolve\nan#\nan#\nnode-#\nin\n25ms\n", text(e.analysed()));
    }

    @Test
    void textLinesKeepWordsAndMaskIds() {
        Canonicalizer c = new Canonicalizer(InputKind.TEXT, new FieldFilter(Set.of(), Set.of()));
        CanonicalEvent e = c.canonicalize(
                "2026-11-21 10:00:00,123 WARN [pool-3] user=48213 req=9f86d081884c7d65 took 1234 ms (25ms) from 10.0.0.7");
        assertEquals("<ts>\n<ts>\nWARN\n[pool-#]\nuser=~47\nreq=<hex>\ntook\n~31\nms\n(25ms)\nfrom\n<ip>\n",
                text(e.analysed()));
        assertEquals(3, e.numCount());
        assertArrayEquals(new String[] {"user", "took", "#ms"}, e.numKeys());
        assertArrayEquals(new double[] {48213, 1234, 25}, e.numValues());
    }

    @Test
    void malformedJsonIsAnInputError() {
        Canonicalizer c = new Canonicalizer(InputKind.JSON, new FieldFilter(Set.of(), Set.of()));
        assertThrows(CbadException.InvalidInputException.class, () -> c.canonicalize("{\"a\":"));
        assertThrows(CbadException.InvalidInputException.class, () -> c.canonicalize("[1,2]"));
        assertThrows(CbadException.InvalidInputException.class, () -> c.canonicalize(null));
        assertThrows(CbadException.InvalidInputException.class, () -> c.canonicalize("{\"a\":1} x"));
    }
}
