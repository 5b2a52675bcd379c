package dev.driftlock.cbad.score;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void exponentialTailBeyondTheMaximum() {
        TailCalibrator c = new TailCalibrator(100, 0.0);
        for (int i = 1; i <= 99; i++) {
            c.add(i);
        }
        // top 10 (90..99) mean excess over 90 = 4.5
        assertEquals(Math.exp(-9 / 4.5) / 100.0, c.pValue(108), 1e-15);
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
