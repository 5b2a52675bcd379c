package dev.driftlock.cbad.score;

import dev.driftlock.cbad.canonical.CanonicalEvent;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The tokens of one event as the rarity and entity models see them, hashed once: for JSON every
 * {@code key=value} line of the canonical form; for text the line's template ({@code template=T7})
 * and its parameters ({@code T7.3=value}). Categorical tokens (for the per-entity categorical
 * profile) are those whose value is neither a quantized continuous number nor a mask (exact values:
 * words, codes, small integers); another entity key is an attribute too (a card's country).
 * Reused per
 * engine (not thread-safe). Internal.
 */
final class EventTokens {

    static final int MAX = 256;
    /** Parameters of a text line's template that are followed (the first ones). */
    static final int MAX_PARAMETERS = 12;
    final long[] keys = new long[MAX];
    final long[] tokens = new long[MAX];
    int count;
    final long[] cat = new long[MAX];
    final long[] catKeys = new long[MAX];
    /** Per categorical token, its index among the tokens (for {@link #text(int)}). */
    final int[] catIndex = new int[MAX];
    int catCount;
    /** Template entity value ({@code T<id>}) of a text line, else null. */
    String template;
    private byte[] source;
    private final int[] from = new int[MAX];
    private final int[] to = new int[MAX];
    private final String[] textTokens = new String[MAX];

    /** @return the text of token i of the last event */
    String text(int i) {
        return template == null ? new String(source, from[i], to[i] - from[i], StandardCharsets.UTF_8) : textTokens[i];
    }

    /** Fills the tokens of a JSON event. */
    void json(CanonicalEvent e, EntityModel entities) {
        count = 0;
        catCount = 0;
        template = null;
        byte[] b = e.analysed();
        source = b;
        int start = 0;
        for (int i = 0; i < b.length && count < MAX; i++) {
            if (b[i] != '\n') {
                continue;
            }
            int eq = start;
            while (eq < i && b[eq] != '=') {
                eq++;
            }
            from[count] = start;
            to[count] = i;
            keys[count] = CountTable.hash(b, start, eq, 0);
            tokens[count] = CountTable.hash(b, start, i, 0);
            if (eq + 1 < i && isCategorical(b, eq + 1, i)) {
                catKeys[catCount] = keys[count];
                cat[catCount] = tokens[count];
                catIndex[catCount] = count;
                catCount++;
            }
            count++;
            start = i + 1;
        }
    }

    /** Fills the tokens of a text line from its template match. */
    void text(int templateId, List<String> parameters) {
        count = 0;
        catCount = 0;
        template = "T" + templateId;
        keys[0] = CountTable.hash("template", 0);
        tokens[0] = CountTable.hash("template=" + template, 0);
        textTokens[0] = "template=" + template;
        count = 1;
        for (String p : parameters) {
            if (count > MAX_PARAMETERS) {
                break;
            }
            int eq = p.indexOf('=');
            String key = template + "." + p.substring(0, eq);
            keys[count] = CountTable.hash(key, 0);
            textTokens[count] = key + p.substring(eq);
            tokens[count] = CountTable.hash(textTokens[count], 0);
            if (isCategorical(p, eq + 1)) {
                catKeys[catCount] = keys[count];
                cat[catCount] = tokens[count];
                catIndex[catCount] = count;
                catCount++;
            }
            count++;
        }
    }

    private static boolean isCategorical(byte[] b, int from, int to) {
        byte c = b[from];
        return !(c == '<' || c == '~' || c == '-' && from + 1 < to && b[from + 1] == '~');
    }

    private static boolean isCategorical(String s, int from) {
        if (from >= s.length()) {
            return false;
        }
        char c = s.charAt(from);
        return !(c == '<' || c == '~' || c == '-' || (c >= '0' && c <= '9'));
    }
}
