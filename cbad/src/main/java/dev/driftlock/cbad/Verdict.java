package dev.driftlock.cbad;

import java.util.Optional;

/**
 * The result of scoring one event: either the detector is still calibrating (no verdict yet) or the
 * event was scored.
 */
public sealed interface Verdict permits Verdict.Calibrating, Verdict.Scored {

    /** @return 0-based position of the event in the stream */
    long index();

    /** @return "calibrating" or "scored" */
    String status();

    /** @return true only for a scored event whose p-value is at most the alarm level */
    boolean anomaly();

    /** @return anomaly score 0..1 (0 while calibrating) */
    double score();

    /**
     * No verdict yet: the baseline or the calibration set is not full.
     *
     * @param index   0-based event position
     * @param missing how many more events are needed before the first verdict
     * @param why     plain-language status
     */
    record Calibrating(long index, int missing, String why) implements Verdict {
        @Override
        public String status() {
            return "calibrating";
        }

        @Override
        public boolean anomaly() {
            return false;
        }

        @Override
        public double score() {
            return 0.0;
        }
    }

    /**
     * A scored event.
     *
     * @param index    0-based event position
     * @param score    0..1, {@code min(1, -log10(pValue)/6)}
     * @param pValue   calibrated p-value against recent normal events (small = surprising)
     * @param alpha    the alarm level in force (from the sensitivity)
     * @param anomaly  {@code pValue <= alpha}
     * @param evidence structured evidence
     * @param why      one plain-language paragraph ("normal" for ordinary events)
     * @param drift    the window drift test that ran at this event, or null (one every hop)
     * @param incident the incident this flagged event opened or grew (null for normal events)
     */
    record Scored(long index, double score, double pValue, double alpha, boolean anomaly, Evidence evidence,
                  String why, DriftReport drift, Incident incident) implements Verdict {

        /** A verdict not (yet) filed into an incident. */
        public Scored(long index, double score, double pValue, double alpha, boolean anomaly, Evidence evidence,
                      String why, DriftReport drift) {
            this(index, score, pValue, alpha, anomaly, evidence, why, drift, null);
        }

        /** @return the incident of a flagged event, if any */
        public Optional<Incident> incidentRef() {
            return Optional.ofNullable(incident);
        }

        @Override
        public String status() {
            return "scored";
        }

        /** @return the window drift test that ran at this event, if any */
        public Optional<DriftReport> driftReport() {
            return Optional.ofNullable(drift);
        }
    }
}
