package dev.driftlock.cbad.canonical;

/**
 * Replaces volatile tokens by typed placeholders and quantizes numbers. Hand-written scanners (no
 * regular expressions): it runs once per value of every event. Stateless and thread-safe.
 *
 * <p>Internal to the engine; not part of the public API.
 */
public final class Masker {

    /** Placeholder of timestamps and dates. */
    public static final String TS = "<ts>";
    /** Placeholder of UUIDs. */
    public static final String UUID = "<uuid>";
    /** Placeholder of IPv4/IPv6 addresses. */
    public static final String IP = "<ip>";
    /** Placeholder of hexadecimal ids. */
    public static final String HEX = "<hex>";
    /** Placeholder of base64/url-safe tokens. */
    public static final String B64 = "<b64>";
    /** Placeholder of long id-like numbers and id-named fields. */
    public static final String ID = "<id>";
    /** Placeholder of numbers embedded in strings (paths, messages). */
    public static final String NUM = "<n>";
    /** Maximum kept length of a string value. */
    static final int MAX_VALUE_CHARS = 64;

    private Masker() {
    }

    /**
     * Quantized token of a number: integers below 1000 in magnitude stay exact (status codes,
     * small counts); larger or fractional values become a third-of-an-octave bucket {@code ~k}
     * (about 26 % wide), so amounts and latencies stay a signal without being unique.
     *
     * @param v the value
     * @return the token
     */
    public static String quantize(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1000) {
            return Long.toString((long) v);
        }
        double a = Math.abs(v);
        if (a < 1e-9 || Double.isNaN(v)) {
            return "0";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "~inf" : "-~inf";
        }
        long bucket = Math.round(3.0 * (Math.log(a) / Math.log(2.0)));
        return (v < 0 ? "-~" : "~") + bucket;
    }

    /**
     * Token of a JSON number under the given key: timestamp-named or id-named keys give
     * placeholders; integers of 10 or 13 digits in the epoch-seconds/milliseconds range give
     * {@code <ts>}; integers of 15+ digits (snowflake-style ids) give {@code <id>}; everything else
     * is quantized (a 9-digit byte count stays a signal).
     *
     * @param key        last path segment (may be empty)
     * @param v          value
     * @param integer    whether the number was written as an integer
     * @param digitCount digits of the integer part (without sign)
     * @return placeholder or quantized token
     */
    public static String numberToken(String key, double v, boolean integer, int digitCount) {
        if (Keys.isTimestampKey(key)) {
            return TS;
        }
        if (Keys.isIdKey(key)) {
            return ID;
        }
        if (integer && (digitCount == 10 && v >= 1e9 && v < 4e9 || digitCount == 13 && v >= 1e12 && v < 4e12)) {
            return TS;
        }
        if (integer && digitCount >= 15) {
            return ID;
        }
        return quantize(v);
    }

    /**
     * Masks one string value (JSON string, text token).
     *
     * @param s the value
     * @return the value itself, a placeholder, or the value with embedded volatile parts masked
     */
    public static String maskString(String s) {
        int n = s.length();
        if (n == 0) {
            return s;
        }
        int digits = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            }
        }
        if (digits == 0) {
            return n <= MAX_VALUE_CHARS ? s : s.substring(0, MAX_VALUE_CHARS);
        }
        String whole = classify(s, 0, n, digits);
        if (whole != null) {
            return whole;
        }
        StringBuilder out = new StringBuilder(Math.min(n, MAX_VALUE_CHARS + 8));
        int start = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || isDelimiter(s.charAt(i))) {
                if (i > start) {
                    int segDigits = 0;
                    for (int j = start; j < i; j++) {
                        char c = s.charAt(j);
                        if (c >= '0' && c <= '9') {
                            segDigits++;
                        }
                    }
                    String masked = segDigits == 0 ? null : classifySegment(s, start, i, segDigits);
                    if (masked != null) {
                        out.append(masked);
                    } else {
                        out.append(s, start, i);
                    }
                }
                if (i < n) {
                    out.append(s.charAt(i));
                }
                start = i + 1;
                if (out.length() > MAX_VALUE_CHARS) {
                    break;
                }
            }
        }
        return out.length() <= MAX_VALUE_CHARS ? out.toString() : out.substring(0, MAX_VALUE_CHARS);
    }

    private static boolean isDelimiter(char c) {
        return c == '/' || c == ' ' || c == '?' || c == '&' || c == '=' || c == ',' || c == ';' || c == '#'
                || c == '@' || c == '"' || c == '\'' || c == '(' || c == ')' || c == '[' || c == ']';
    }

    private static String classifySegment(String s, int from, int to, int digits) {
        String whole = classify(s, from, to, digits);
        if (whole != null) {
            return whole;
        }
        if (digits >= 4 && digits == to - from) {
            return NUM;
        }
        return null;
    }

    /** Classifies s[from,to) as a whole; null if it is not a volatile token. */
    static String classify(String s, int from, int to, int digits) {
        int len = to - from;
        if (digits == len) {
            return digits >= 9 ? ID : (digits >= 4 ? NUM : null);
        }
        if (len == 36 && isUuid(s, from)) {
            return UUID;
        }
        if (len >= 8 && isDateOrTime(s, from, to)) {
            return TS;
        }
        if (len >= 7 && isIp(s, from, to)) {
            return IP;
        }
        if (len >= 8 && isHex(s, from, to)) {
            return HEX;
        }
        if (len >= 16 && s.charAt(from) != '/' && isTokenLike(s, from, to, digits)) {
            return B64;
        }
        if (isNumberLike(s, from, to)) {
            return NUM;
        }
        return null;
    }

    private static boolean isHexChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUuid(String s, int from) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(from + i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!isHexChar(c)) {
                return false;
            }
        }
        return true;
    }

    /** yyyy-mm-dd..., yyyy/mm/dd..., hh:mm:ss... */
    static boolean isDateOrTime(String s, int from, int to) {
        if (to - from >= 10 && isDigit(s.charAt(from)) && isDigit(s.charAt(from + 1))
                && isDigit(s.charAt(from + 2)) && isDigit(s.charAt(from + 3))
                && (s.charAt(from + 4) == '-' || s.charAt(from + 4) == '/')
                && isDigit(s.charAt(from + 5)) && isDigit(s.charAt(from + 6))
                && s.charAt(from + 7) == s.charAt(from + 4)
                && isDigit(s.charAt(from + 8)) && isDigit(s.charAt(from + 9))) {
            return true;
        }
        return isDigit(s.charAt(from)) && isDigit(s.charAt(from + 1)) && s.charAt(from + 2) == ':'
                && isDigit(s.charAt(from + 3)) && isDigit(s.charAt(from + 4)) && s.charAt(from + 5) == ':'
                && isDigit(s.charAt(from + 6)) && isDigit(s.charAt(from + 7));
    }

    static boolean isIp(String s, int from, int to) {
        // IPv4 with optional :port
        int groups = 0;
        int groupDigits = 0;
        int i = from;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                groupDigits++;
                if (groupDigits > 3) {
                    break;
                }
            } else if (c == '.') {
                if (groupDigits == 0) {
                    break;
                }
                groups++;
                groupDigits = 0;
            } else {
                break;
            }
        }
        if (groups == 3 && groupDigits > 0) {
            if (i == to) {
                return true;
            }
            if (s.charAt(i) == ':') {
                for (int j = i + 1; j < to; j++) {
                    if (!isDigit(s.charAt(j))) {
                        return false;
                    }
                }
                return to > i + 1;
            }
            return false;
        }
        // IPv6: hex groups and at least two colons
        int colons = 0;
        for (int j = from; j < to; j++) {
            char c = s.charAt(j);
            if (c == ':') {
                colons++;
            } else if (!isHexChar(c) && c != '.') {
                return false;
            }
        }
        return colons >= 2 && !isDateOrTime(s, from, to);
    }

    static boolean isHex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!isHexChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Base64 / url-safe token: only token characters, at least one digit, and either both letter
     * cases or at least four digits.
     */
    static boolean isTokenLike(String s, int from, int to, int digits) {
        int lower = 0;
        int upper = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 'a' && c <= 'z') {
                lower++;
            } else if (c >= 'A' && c <= 'Z') {
                upper++;
            } else if (!(isDigit(c) || c == '+' || c == '/' || c == '=' || c == '_' || c == '-')) {
                return false;
            }
        }
        return digits >= 1 && lower + upper > 0 && ((lower > 0 && upper > 0) || digits >= 4);
    }

    /** -12.5, 3.0e4, 120ms-style numbers with an optional short unit suffix. */
    static boolean isNumberLike(String s, int from, int to) {
        int i = from;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        boolean dot = false;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (isDigit(c)) {
                digits++;
            } else if (c == '.' && !dot) {
                dot = true;
            } else {
                break;
            }
        }
        if (digits == 0) {
            return false;
        }
        int suffix = to - i;
        if (suffix > 3) {
            return false;
        }
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || c == '%')) {
                return false;
            }
        }
        return dot || digits >= 4 || suffix > 0 && digits >= 1;
    }
}
