/**
 * CBAD: compression-based anomaly detection. The API is {@link dev.driftlock.cbad.Detector},
 * {@link dev.driftlock.cbad.DetectorConfig}, {@link dev.driftlock.cbad.Verdict} and their value
 * types; see {@code docs/cbad.md}.
 */
package dev.driftlock.cbad;
