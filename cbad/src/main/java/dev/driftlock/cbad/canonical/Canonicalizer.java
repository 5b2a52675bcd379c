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
    private final StringBuilder sb = new StringBuilder(512);

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
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                appendTextToken(raw.substring(start, i));
            }
        }
        sb.append('\n');
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        return new CanonicalEvent(bytes, bytes, new String[0], new double[0], 0);
    }

    private void appendTextToken(String token) {
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
                sb.append(maskTextValue(value));
            }
            return;
        }
        sb.append(maskTextValue(token));
    }

    private static String maskTextValue(String v) {
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
                return Masker.quantize(Double.parseDouble(v));
            } catch (NumberFormatException e) {
                return Masker.NUM;
            }
        }
        return Masker.maskString(v);
    }

    private CanonicalEvent json(String raw) {
        count = 0;
        numCount = 0;
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
        return new CanonicalEvent(analysed, full, nk, nv, nn);
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
                } else if (!s.isEmpty() && Keys.isIdKey(key)) {
                    token = Masker.ID;
                } else {
                    token = Masker.maskString(s);
                }
                add(path, token);
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
