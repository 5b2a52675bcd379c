package dev.driftlock.cbad.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TailCalibratorTest {

    @Test
    void conformalPValuesInsideTheRange() {
        TailCalibrator c = new TailCalibrator(100, 0.0);
        for (int i = 1; i <= 99; i++) {
            c.add(i);
        }
        assertEquals(1.0, c.pValue(0.5));
        assertEquals(0.51, c.pValue(50), 1e-12);
        assertEquals(0.02, c.pValue(99), 1e-12);
    }

    @Test
    void lightTailedScoresGetAnExponentialTailBeyondTheMaximum() {
        TailCalibrator c = new TailCalibrator(100, 0.0);
        for (int i = 1; i <= 99; i++) {
            c.add(i);
        }
        // top 10 (90..99): excesses 0..9, mean 4.5, variance 9.17 -> shape 0, scale 4.5; 10 of 100 above u
        assertEquals(0.1 * Math.exp(-18 / 4.5), c.pValue(108), 1e-15);
    }

    @Test
    void heavyTailedScoresGetAParetoTail() {
        TailCalibrator c = new TailCalibrator(100, 0.0);
        for (int i = 1; i <= 90; i++) {
            c.add(1);
        }
        double[] top = {2, 2, 2, 2, 3, 3, 5, 10, 40, 200};
        for (double t : top) {
            c.add(t);
        }
        // ties at u = 2 shrink the fit to the 7 top values: excesses 0 1 1 3 8 38 198, mean 35.57,
        // variance 5310.95 -> shape 0.381, scale 22.02; an exponential tail would give 9.6e-7
        double p = c.pValue(400);
        assertEquals(3.0652508872197333E-4, p, 1e-15);
        assertTrue(p > 300 * (7 / 101.0) * Math.exp(-398 / 35.571));
    }

    @Test
    void slidingWindowForgetsOldestScores() {
        TailCalibrator c = new TailCalibrator(3, 0.0);
        c.add(5);
        c.add(1);
        c.add(3);
        c.add(2);
        assertArrayEquals(new double[] {1, 2, 3}, c.sortedCopy());
        assertEquals(2.0, c.median());
    }

    @Test
    void granularityBoundsTheTailScale() {
        TailCalibrator c = new TailCalibrator(50, 8.0);
        for (int i = 0; i < 40; i++) {
            c.add(160);
        }
        assertEquals(Math.exp(-1.0) / 41.0, c.pValue(168), 1e-15);
    }
}
