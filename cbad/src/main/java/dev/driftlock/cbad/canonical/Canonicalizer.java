package dev.driftlock.cbad.canonical;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.InputKind;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a raw JSON event or text line into its canonical form: keys sorted, volatile tokens
 * replaced by typed placeholders ({@link Masker}), numbers quantized, fields filtered. One instance
 * per detector (not thread-safe: it reuses buffers). Internal to the engine.
 */
public final class Canonicalizer {

    /** Maximum canonical tokens per event; further fields are ignored. */
    public static final int MAX_TOKENS = 256;
    /** Maximum numeric fields extracted per event. */
    public static final int MAX_NUMERIC = 32;
    /** Maximum raw (entity candidate) values kept per event. */
    public static final int MAX_RAW = 32;
    /** Longest string value kept raw as an entity candidate. */
    static final int MAX_RAW_CHARS = 64;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_TEXT_CHARS = 4096;
    private static final JsonFactory JSON = new JsonFactory();

    private final InputKind kind;
    private FieldFilter filter;
    private final String[] keys = new String[MAX_TOKENS];
    private final String[] values = new String[MAX_TOKENS];
    private int count;
    private final String[] numKeys = new String[MAX_NUMERIC];
    private final double[] numValues = new double[MAX_NUMERIC];
    private int numCount;
    private final String[] rawKeys = new String[MAX_RAW];
    private final String[] rawValues = new String[MAX_RAW];
    private int rawCount;
    private long eventTime;
    private final StringBuilder sb = new StringBuilder(512);
    /** Last purely alphabetic token of a text line (names the number that follows it). */
    private String lastWord = "";

    /**
     * @param kind   JSON or TEXT
     * @param filter field filter (JSON only)
     */
    public Canonicalizer(InputKind kind, FieldFilter filter) {
        this.kind = kind;
        this.filter = filter;
    }

    /** @param filter new field filter */
    public void setFilter(FieldFilter filter) {
        this.filter = filter;
    }

    /**
     * @param raw the event
     * @return its canonical form
     * @throws CbadException.InvalidInputException if the event is null, blank or not a JSON object
     */
    public CanonicalEvent canonicalize(String raw) {
        if (raw == null) {
            throw new CbadException.InvalidInputException("event must not be null");
        }
        return kind == InputKind.TEXT ? text(raw) : json(raw);
    }

    private CanonicalEvent text(String raw) {
        sb.setLength(0);
        numCount = 0;
        lastWord = "";
        int n = Math.min(raw.length(), MAX_TEXT_CHARS);
        int i = 0;
        while (i < n) {
            while (i < n && Character.isWhitespace(raw.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !Character.isWhitespace(raw.charAt(i))) {
                i++;
            }
            if (i > start) {
                appendTextToken(raw.substring(start, i));
                sb.append('\n');
            }
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        return new CanonicalEvent(bytes, bytes, java.util.Arrays.copyOf(numKeys, numCount),
                java.util.Arrays.copyOf(numValues, numCount), numCount);
    }

    private static boolean isOpening(char c) {
        return c == '(' || c == '[' || c == '{' || c == '"' || c == '\'' || c == '<';
    }

    private static boolean isClosing(char c) {
        return c == ')' || c == ']' || c == '}' || c == '"' || c == '\'' || c == '>' || c == ',' || c == ';'
                || c == ':' || c == '.';
    }

    private void appendTextToken(String raw) {
        // surrounding punctuation is kept but not classified: "(25ms)," is "(" + 25ms + "),"
        int a = 0;
        int b = raw.length();
        while (a < b && isOpening(raw.charAt(a))) {
            a++;
        }
        while (b > a && isClosing(raw.charAt(b - 1))) {
            b--;
        }
        if (a == b) {
            sb.append(raw);
            return;
        }
        sb.append(raw, 0, a);
        appendCore(raw.substring(a, b));
        sb.append(raw, b, raw.length());
    }

    /**
     * Digit runs inside a word of a text line ({@code an270}, {@code node-12}, {@code blk_38865})
     * are volatile names, not content: they become {@code #} ({@code an#}), so a line listing
     * hundreds of host names compresses like the line it is. Quantized numbers and masks are kept.
     */
    static String maskDigitRuns(String t) {
        if (t.isEmpty() || t.charAt(0) == '~' || t.charAt(0) == '<' || t.charAt(0) == '-'
                || Character.isDigit(t.charAt(0))) {
            return t; // a quantity with its unit (25ms), a quantized number or a mask
        }
        boolean letter = false;
        boolean digit = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            letter |= Character.isLetter(c);
            digit |= c >= '0' && c <= '9';
        }
        if (!letter || !digit) {
            return t;
        }
        StringBuilder out = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                if (out.isEmpty() || out.charAt(out.length() - 1) != '#') {
                    out.append('#');
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private void appendCore(String token) {
        int eq = token.indexOf('=');
        if (eq > 0 && eq < token.length() - 1) {
            String key = token.substring(0, eq);
            String value = token.substring(eq + 1);
            sb.append(key).append('=');
            if (Keys.isTimestampKey(key)) {
                sb.append(Masker.TS);
            } else if (Keys.isIdKey(key)) {
                sb.append(Masker.ID);
            } else {
                sb.append(maskTextValue(value, key));
            }
            return;
        }
        sb.append(maskDigitRuns(maskTextValue(token, lastWord.isEmpty() ? "#" : lastWord)));
        boolean word = !token.isEmpty();
        for (int i = 0; i < token.length() && word; i++) {
            word = Character.isLetter(token.charAt(i));
        }
        lastWord = word ? token.toLowerCase(java.util.Locale.ROOT) : "";
    }

    private void recordNumber(String key, double v) {
        if (numCount < MAX_NUMERIC) {
            numKeys[numCount] = key;
            numValues[numCount] = v;
            numCount++;
        }
    }

    /**
     * Masks a text token; numbers (bare or with a short unit) are quantized and recorded for the
     * numeric model under {@code key} (the key of key=value, the unit as {@code #ms}, or the word
     * before a bare number).
     */
    private String maskTextValue(String v, String key) {
        // plain numbers are a signal: quantize them like JSON numbers
        int n = v.length();
        int digits = 0;
        boolean numeric = n > 0;
        boolean dot = false;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !dot && i > 0) {
                dot = true;
            } else if (!(c == '-' && i == 0)) {
                numeric = false;
            }
        }
        if (numeric && digits > 0 && digits < 9 && v.charAt(n - 1) != '.') {
            try {
                double d = Double.parseDouble(v);
                recordNumber(key, d);
                return Masker.quantize(d);
            } catch (NumberFormatException e) {
                return Masker.NUM;
            }
        }
        // a number with a short unit (120ms, 3.5s, 80%): quantized, unit kept
        int k = 0;
        int dots = 0;
        while (k < n && (Character.isDigit(v.charAt(k)) || v.charAt(k) == '.')) {
            if (v.charAt(k) == '.') {
                dots++;
            }
            k++;
        }
        if (k > 0 && k < 9 && k < n && n - k <= 3 && dots <= 1 && Character.isDigit(v.charAt(0))
                && v.charAt(k - 1) != '.') {
            boolean unit = true;
            for (int j = k; j < n; j++) {
                char c = v.charAt(j);
                unit &= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '%';
            }
            if (unit) {
                try {
                    double d = Double.parseDouble(v.substring(0, k));
                    recordNumber("#" + v.substring(k), d);
                    return Masker.quantize(d) + v.substring(k);
                } catch (NumberFormatException e) {
                    return Masker.NUM;
                }
            }
        }
        return Masker.maskString(v);
    }

    private CanonicalEvent json(String raw) {
        count = 0;
        numCount = 0;
        rawCount = 0;
        eventTime = Long.MIN_VALUE;
        try (JsonParser p = JSON.createParser(raw)) {
            JsonToken t = p.nextToken();
            if (t != JsonToken.START_OBJECT) {
                throw new CbadException.InvalidInputException("event is not a JSON object");
            }
            object(p, "", 0);
            if (p.nextToken() != null) {
                throw new CbadException.InvalidInputException("trailing content after the JSON object");
            }
        } catch (IOException e) {
            throw new CbadException.InvalidInputException("malformed JSON: " + firstLine(e.getMessage()), e);
        }
        // stable insertion sort by key (arrays keep element order)
        for (int i = 1; i < count; i++) {
            String k = keys[i];
            String v = values[i];
            int j = i - 1;
            while (j >= 0 && keys[j].compareTo(k) > 0) {
                keys[j + 1] = keys[j];
                values[j + 1] = values[j];
                j--;
            }
            keys[j + 1] = k;
            values[j + 1] = v;
        }
        sb.setLength(0);
        for (int i = 0; i < count; i++) {
            sb.append(keys[i]).append('=').append(values[i]).append('\n');
        }
        byte[] full = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] analysed = full;
        if (!filter.acceptsAll()) {
            sb.setLength(0);
            for (int i = 0; i < count; i++) {
                if (filter.accept(keys[i])) {
                    sb.append(keys[i]).append('=').append(values[i]).append('\n');
                }
            }
            analysed = sb.toString().getBytes(StandardCharsets.UTF_8);
        }
        int nn = 0;
        String[] nk = new String[numCount];
        double[] nv = new double[numCount];
        for (int i = 0; i < numCount; i++) {
            if (filter.accept(numKeys[i])) {
                nk[nn] = numKeys[i];
                nv[nn] = numValues[i];
                nn++;
            }
        }
        int rn = 0;
        String[] rk = new String[rawCount];
        String[] rv = new String[rawCount];
        for (int i = 0; i < rawCount; i++) {
            if (filter.accept(rawKeys[i])) {
                rk[rn] = rawKeys[i];
                rv[rn] = rawValues[i];
                rn++;
            }
        }
        return new CanonicalEvent(analysed, full, nk, nv, nn, rk, rv, rn, eventTime);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void object(JsonParser p, String prefix, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new CbadException.InvalidInputException("JSON nesting deeper than " + MAX_DEPTH);
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t != JsonToken.FIELD_NAME) {
                throw new CbadException.InvalidInputException("malformed JSON object");
            }
            String name = p.currentName();
            p.nextToken();
            value(p, prefix.isEmpty() ? name : prefix + "." + name, name, depth);
        }
    }

    private void value(JsonParser p, String path, String key, int depth) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> object(p, path, depth + 1);
            case START_ARRAY -> {
                String elementPath = path + "[]";
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    value(p, elementPath, key, depth + 1);
                }
            }
            case VALUE_STRING -> {
                String s = p.getText();
                String token;
                if (!s.isEmpty() && Keys.isTimestampKey(key)) {
                    token = Masker.TS;
                    if (eventTime == Long.MIN_VALUE) {
                        eventTime = EventTime.parse(s);
                    }
                } else if (!s.isEmpty() && Keys.isIdKey(key)) {
                    token = Masker.ID;
                } else {
                    token = Masker.maskString(s);
                }
                add(path, token);
                if (depth <= 1 && s.length() <= MAX_RAW_CHARS && token != Masker.TS) {
                    addRaw(path, s);
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double v = p.getDoubleValue();
                boolean integer = t == JsonToken.VALUE_NUMBER_INT;
                int digits = 0;
                if (integer) {
                    String text = p.getText();
                    digits = text.startsWith("-") ? text.length() - 1 : text.length();
                }
                String token = Masker.numberToken(key, v, integer, digits);
                add(path, token);
                if (token == Masker.TS && eventTime == Long.MIN_VALUE && Keys.isTimestampKey(key)) {
                    eventTime = EventTime.fromEpoch(v);
                } else if (token == Masker.ID && integer && depth <= 1) {
                    addRaw(path, p.getText());
                }
                if (token != Masker.TS && token != Masker.ID && numCount < MAX_NUMERIC) {
                    numKeys[numCount] = path;
                    numValues[numCount] = v;
                    numCount++;
                }
            }
            case VALUE_TRUE -> add(path, "true");
            case VALUE_FALSE -> add(path, "false");
            case VALUE_NULL -> add(path, "null");
            default -> throw new CbadException.InvalidInputException("unexpected JSON token " + t);
        }
    }

    private void addRaw(String path, String value) {
        if (rawCount < MAX_RAW) {
            rawKeys[rawCount] = path;
            rawValues[rawCount] = value;
            rawCount++;
        }
    }

    private void add(String path, String token) {
        if (count < MAX_TOKENS) {
            keys[count] = path;
            values[count] = token;
            count++;
        }
    }

    /**
     * Filters canonical JSON bytes ({@code key=value\n} lines) by a field filter; used when the
     * filter changes and the baseline (kept unfiltered) is re-read.
     *
     * @param full   canonical bytes of all fields
     * @param filter the filter
     * @return the analysed bytes
     */
    public static byte[] refilter(byte[] full, FieldFilter filter) {
        if (filter.acceptsAll()) {
            return full;
        }
        String s = new String(full, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(s.length());
        int start = 0;
        while (start < s.length()) {
            int nl = s.indexOf('\n', start);
            if (nl < 0) {
                nl = s.length();
            }
            int eq = s.indexOf('=', start);
            String key = eq > start && eq < nl ? s.substring(start, eq) : s.substring(start, nl);
            if (filter.accept(key)) {
                out.append(s, start, Math.min(nl + 1, s.length()));
            }
            start = nl + 1;
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
