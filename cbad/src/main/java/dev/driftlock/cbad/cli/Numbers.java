package dev.driftlock.cbad.cli;

/**
 * Recognises numbers in CSV fields. A field is a number when it has JSON number syntax
 * ({@code -9.2e-06}, {@code 1E5}, {@code 2.5e+3}, {@code 0.001}, {@code 12345678901234567890}),
 * also in the lenient forms spreadsheets write: a leading {@code +}, leading zeros, a bare leading
 * or trailing decimal point ({@code +1}, {@code 007}, {@code .5}, {@code 5.}). Surrounding blanks
 * are ignored. {@code NaN}, {@code Infinity}, hexadecimal, {@code 1,000} and {@code 1d} are text.
 */
final class Numbers {

    private Numbers() {
    }

    /**
     * @param field a CSV field
     * @return the field as JSON number text (itself when already in JSON syntax, else normalised
     *         without losing digits), or null when the field is not a number
     */
    static String jsonNumber(String field) {
        String s = field.strip();
        int n = s.length();
        int i = 0;
        boolean minus = false;
        boolean plus = false;
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            minus = s.charAt(i) == '-';
            plus = !minus;
            i++;
        }
        int intStart = i;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
        }
        int intEnd = i;
        int fracStart = -1;
        int fracEnd = -1;
        if (i < n && s.charAt(i) == '.') {
            fracStart = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            fracEnd = i;
        }
        boolean hasInt = intEnd > intStart;
        boolean hasFrac = fracStart >= 0 && fracEnd > fracStart;
        if (!hasInt && !hasFrac) {
            return null;
        }
        int expStart = i;
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                i++;
            }
            int digits = i;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == digits) {
                return null;
            }
        }
        if (i != n) {
            return null;
        }
        boolean leadingZero = intEnd - intStart > 1 && s.charAt(intStart) == '0';
        boolean strict = !plus && hasInt && !leadingZero && (fracStart < 0 || hasFrac);
        if (strict) {
            return s;
        }
        StringBuilder out = new StringBuilder(n + 2);
        if (minus) {
            out.append('-');
        }
        int z = intStart;
        while (z < intEnd - 1 && s.charAt(z) == '0') {
            z++;
        }
        if (hasInt) {
            out.append(s, z, intEnd);
        } else {
            out.append('0');
        }
        if (hasFrac) {
            out.append('.').append(s, fracStart, fracEnd);
        }
        out.append(s, expStart, n);
        return out.toString();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
