package dev.driftlock.cbad.metric;

import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.canonical.FieldFilter;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetricParseTest {

    private static MetricEngine engine() {
        return new MetricEngine(0.001, new FieldFilter(Set.of(), Set.of()));
    }

    @Test
    void everyJsonNumberSyntaxIsAValue() {
        String row = """
                {"ts": 1763700000, "a": -9.2e-06, "b": 1E5, "c": 2.5e+3, "d": 0.0005, "e": -7, \
                "f": 123456789012345678901234567890}""";
        Map<String, Double> want = new LinkedHashMap<>();
        want.put("a", -9.2e-06);
        want.put("b", 1e5);
        want.put("c", 2500.0);
        want.put("d", 0.0005);
        want.put("e", -7.0);
        want.put("f", 1.2345678901234568e29);
        assertEquals(want, engine().parse(row));
    }

    @Test
    void aRowWhoseOnlyValueHasAnExponentIsAnalysed() {
        assertEquals(Map.of("value", -9.2e-06), engine().parse("{\"value\": -9.2e-06}"));
        assertEquals(Map.of("value", -9.2e-06), engine().parse("-9.2e-06"));
    }

    @Test
    void trailingContentAfterTheObjectIsAnInputError() {
        CbadException e = assertThrows(CbadException.InvalidInputException.class,
                () -> engine().parse("{\"a\": 1} {\"b\": 2}"));
        assertEquals("trailing content after the JSON object", e.getMessage());
    }
}
