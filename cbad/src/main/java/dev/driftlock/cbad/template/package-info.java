/**
 * Online log-template mining: a Drain-style fixed-depth parse tree that turns masked text lines into
 * templates (the constant part of a line) and their parameters. Internal to the engine.
 */
package dev.driftlock.cbad.template;
