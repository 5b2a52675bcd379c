/**
 * The {@code driftlock detect} command line ({@link dev.driftlock.cbad.cli.Main}).
 */
package dev.driftlock.cbad.cli;
