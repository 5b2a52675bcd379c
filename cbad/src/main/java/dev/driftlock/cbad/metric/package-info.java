/**
 * Numeric (metric) streams: seasonal residuals, robust spike/level/variance components.
 *
 * <p>Internal to the engine: types here are public only so that the engine's packages can use each
 * other. They are not part of the API and may change at any time; use {@link dev.driftlock.cbad.Detector}.
 */
package dev.driftlock.cbad.metric;
