package dev.driftlock.cbad.harness2;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Randomness and formatting shared by the v2 generators: one {@link SplittableRandom} per stream
 * (seeded, so every stream is reproducible), heavy-tailed draws, Zipf picks, a diurnal arrival
 * process and the volatile tokens real producers write (UUIDs, hex trace ids, ISO timestamps).
 */
final class Gen {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String LOWER = "0123456789abcdefghijklmnopqrstuvwxyz";

    /** 2026-03-02T06:00:00Z: a Monday morning. */
    static final long EPOCH_MS = 1_772_431_200_000L;

    final SplittableRandom r;
    /** Current event time, epoch ms. */
    long now = EPOCH_MS;

    Gen(long seed) {
        r = new SplittableRandom(seed);
    }

    double uniform() {
        return r.nextDouble();
    }

    double uniform(double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    int nextInt(int bound) {
        return r.nextInt(bound);
    }

    boolean chance(double p) {
        return r.nextDouble() < p;
    }

    double gaussian() {
        // Box-Muller on the stream's own generator (no hidden state)
        double u = Math.max(1e-300, r.nextDouble());
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Log-normal with the given median and log-scale sigma. */
    double lognormal(double median, double sigma) {
        return median * Math.exp(sigma * gaussian());
    }

    /** Pareto tail above xmin with index a (a small a: heavy tail). */
    double pareto(double xmin, double a) {
        return xmin / Math.pow(Math.max(1e-12, 1 - r.nextDouble()), 1 / a);
    }

    /** Cumulative Zipf weights 1/(k+1)^s over n items. */
    static double[] zipf(int n, double s) {
        double[] w = new double[n];
        for (int k = 0; k < n; k++) {
            w[k] = 1 / Math.pow(k + 1, s);
        }
        return cumulative(w);
    }

    /** Cumulative, normalized weights (the last is 1) for {@link #pick(double[])}. */
    static double[] cumulative(double... w) {
        double[] c = new double[w.length];
        double sum = 0;
        for (double x : w) {
            sum += x;
        }
        double acc = 0;
        for (int i = 0; i < w.length; i++) {
            acc += w[i];
            c[i] = acc / sum;
        }
        return c;
    }

    /** Index drawn from cumulative weights. */
    int pick(double[] cumulative) {
        double u = r.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    <T> T pick(T[] items) {
        return items[r.nextInt(items.length)];
    }

    /**
     * Advances the clock by an exponential gap for a diurnal Poisson arrival process: the rate
     * swings between 0.4x and 1.6x of {@code perSecond} over a day, lowest around 03:00.
     */
    void advance(double perSecond) {
        double hour = ((now / 3_600_000.0) % 24 + 24) % 24;
        double rate = perSecond * (1 + 0.6 * Math.sin(2 * Math.PI * (hour - 9) / 24));
        double gap = -Math.log(Math.max(1e-12, 1 - r.nextDouble())) / rate;
        now += Math.max(1, Math.round(gap * 1000));
    }

    /** Hour of the day (0..24) of the clock, for diurnal levels. */
    double hourOfDay() {
        return ((now / 3_600_000.0) % 24 + 24) % 24;
    }

    String iso() {
        return ISO.format(Instant.ofEpochMilli(now));
    }

    static String iso(long epochMs) {
        return ISO.format(Instant.ofEpochMilli(epochMs));
    }

    String uuid() {
        return hex(8) + "-" + hex(4) + "-4" + hex(3) + "-" + "89ab".charAt(r.nextInt(4)) + hex(3) + "-" + hex(12);
    }

    String hex(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return sb.toString();
    }

    /** Mixed-case alphanumeric token (card fingerprints, API keys). */
    String token(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALNUM.charAt(r.nextInt(ALNUM.length())));
        }
        return sb.toString();
    }

    /** Lower-case alphanumeric token (merchant slugs, job names). */
    String slug(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(LOWER.charAt(r.nextInt(LOWER.length())));
        }
        return sb.toString();
    }

    String ipv4() {
        return (11 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    static String num(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** JSON string literal (the generators only write printable ASCII, quotes and backslashes escaped). */
    static String q(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
