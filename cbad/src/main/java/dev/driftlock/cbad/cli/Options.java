package dev.driftlock.cbad.cli;

import dev.driftlock.cbad.InputKind;

import java.util.List;

/**
 * Parsed {@code driftlock detect} options ({@link Arguments}).
 *
 * @param input       input file, or null for stdin
 * @param output      output file, or null for stdout
 * @param format      jsonl, csv, text, or null (detected from the first non-empty line)
 * @param kind        analysis kind, or null (from the format and the first record)
 * @param fields      fields to analyse (empty: all but timestamp-like ones)
 * @param exclude     fields never analysed
 * @param sensitivity 0..1
 * @param baseline    baseline size in events
 * @param stopOnError stop at the first unreadable record ({@code --on-error stop})
 */
record Options(String input, String output, String format, InputKind kind, List<String> fields,
               List<String> exclude, double sensitivity, int baseline, boolean stopOnError) {
}
