package dev.driftlock.cbad.incident;

import dev.driftlock.cbad.Incident;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IncidentTrackerTest {

    private static final long NO_TIME = Long.MIN_VALUE;

    @Test
    void flagsOfOneCauseWithinTheGapGrowOneIncident() {
        IncidentTracker t = new IncidentTracker(100, 60_000);
        Incident first = t.flag(500, NO_TIME, "rate:card=4242", 0.7, "a");
        assertTrue(first.opened());
        assertEquals(500, first.id());
        Incident last = null;
        for (int i = 1; i < 40; i++) {
            last = t.flag(500 + 3L * i, NO_TIME, "rate:card=4242", i == 20 ? 0.99 : 0.7, "e" + i);
            assertFalse(last.opened());
        }
        assertEquals(500, last.id());
        assertEquals(617, last.lastSeen());
        assertEquals(40, last.events());
        assertEquals(List.of(new Incident.Strong(560, 0.99, "e20"), new Incident.Strong(500, 0.7, "a"),
                new Incident.Strong(503, 0.7, "e1")), last.strongest());
    }

    @Test
    void anotherCauseOrAPassedGapOpensANewIncident() {
        IncidentTracker t = new IncidentTracker(100, 60_000);
        assertEquals(10, t.flag(10, NO_TIME, "compression", 0.8, "").id());
        assertEquals(20, t.flag(20, NO_TIME, "echo", 0.8, "").id());
        assertEquals(10, t.flag(110, NO_TIME, "compression", 0.8, "").id());
        assertEquals(211, t.flag(211, NO_TIME, "compression", 0.8, "").id());
        assertEquals(1, t.openCount());
    }

    @Test
    void eventTimeKeepsAnIncidentOpenAcrossManyEvents() {
        IncidentTracker t = new IncidentTracker(100, 60_000);
        long t0 = 1_763_700_000_000L;
        assertEquals(0, t.flag(0, t0, "context:host=web-1:latency_ms", 0.8, "").id());
        // 5,000 events later but 59 s of event time later: the same incident
        Incident grown = t.flag(5_000, t0 + 59_000, "context:host=web-1:latency_ms", 0.8, "");
        assertEquals(0, grown.id());
        assertEquals(t0 + 59_000, grown.lastTime());
        // 61 s later and more than 100 events: a new one
        assertEquals(9_000, t.flag(9_000, t0 + 120_000, "context:host=web-1:latency_ms", 0.8, "").id());
    }

    @Test
    void stateRoundTripsExactly() {
        IncidentTracker t = new IncidentTracker(100, 60_000);
        t.flag(1, NO_TIME, "a", 0.5, "x");
        t.flag(2, 77, "b", 0.6, "y");
        StateOutput out = new StateOutput();
        t.write(out);
        IncidentTracker u = new IncidentTracker(100, 60_000);
        u.read(new StateInput(out.toByteArray()));
        assertEquals(t.flag(50, NO_TIME, "a", 0.9, "z"), u.flag(50, NO_TIME, "a", 0.9, "z"));
        assertEquals(t.flag(60, 80, "b", 0.9, "w"), u.flag(60, 80, "b", 0.9, "w"));
    }
}
