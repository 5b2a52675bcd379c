package dev.driftlock.cbad.cli;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class NumbersTest {

    @Test
    void jsonNumberSyntaxIsKeptAsWritten() {
        for (String s : new String[]{"0", "-0", "42", "-9.2e-06", "1E5", "2.5e+3", "0.001", "-0.5",
                "12345678901234567890123", "3.14159", "1e-400", "6.02E23"}) {
            assertEquals(s, Numbers.jsonNumber(s), s);
        }
    }

    @Test
    void lenientFormsAreNormalisedToJsonWithoutLosingDigits() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("+1", "1");
        cases.put("+2.5e+3", "2.5e+3");
        cases.put("007", "7");
        cases.put("-000.25", "-0.25");
        cases.put("00", "0");
        cases.put(".5", "0.5");
        cases.put("-.5e-2", "-0.5e-2");
        cases.put("5.", "5");
        cases.put("5.e3", "5e3");
        cases.put("  -9.2e-06 ", "-9.2e-06");
        cases.forEach((in, want) -> assertEquals(want, Numbers.jsonNumber(in), in));
    }

    @Test
    void nonNumbersAreText() {
        for (String s : new String[]{"", " ", "-", "+", ".", "e5", "1e", "1e+", "1.2.3", "NaN", "Infinity",
                "-Infinity", "0x1F", "1,000", "1d", "1f", "12ms", "--1", "1-2", "1 2", "\"1\""}) {
            assertNull(Numbers.jsonNumber(s), s);
        }
    }
}
