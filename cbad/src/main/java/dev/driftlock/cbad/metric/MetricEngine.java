package dev.driftlock.cbad.metric;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.driftlock.cbad.CbadException;
import dev.driftlock.cbad.Evidence;
import dev.driftlock.cbad.Sensitivity;
import dev.driftlock.cbad.Verdict;
import dev.driftlock.cbad.canonical.FieldFilter;
import dev.driftlock.cbad.canonical.Keys;
import dev.driftlock.cbad.explain.Explainer;
import dev.driftlock.cbad.score.StreamEngine;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Engine of numeric streams (metrics). Each point is first turned into a residual against a
 * seasonal reference (the median of the values one, two and three periods earlier, the period found
 * by autocorrelation every 128 points; the raw value when the series has no period), so a broken
 * seasonal pattern shows as large residuals. Per field, three components, each calibrated against
 * its own recent normal values ({@link dev.driftlock.cbad.score.TailCalibrator}):
 * <ul>
 *   <li>spike: robust z of the residual, {@code |r - median| / (1.4826 MAD)} over the last 512 normal points;</li>
 *   <li>level: robust z of the mean of the last 8 residuals (level shifts, drifts);</li>
 *   <li>variance: |log| of the ratio of the recent 16-point MAD to the baseline MAD.</li>
 * </ul>
 * Point p-value = Bonferroni over components and fields. After an alarm, further alarms are
 * suppressed for {@value #REFRACTORY} points (the incident is already reported); flagged points stay
 * out of the baseline and calibration, and the seasonal reference skips them;
 * suspicious points (p at most 50 alpha) are skipped too and reach baseline and calibration only
 * {@value #DELAY} points later if no alarm came meanwhile (a slowly building incident does not
 * teach the detector that it is normal); if 24 of the last 32 points were flagged the series is
 * re-based on its recent
 * points (a lasting level change is absorbed). Warm-up: {@value #WARM_BASELINE} points fill the
 * baseline, then {@value #CALIBRATION_MIN} are scored to fill the calibrators. Internal.
 */
public final class MetricEngine implements StreamEngine {

    /** Prefix of the cause of a flagged point; the field name follows. */
    static final String CAUSE = "metric:";
    static final int WARM_BASELINE = 32;
    static final int CALIBRATION_MIN = 64;
    static final int REFRACTORY = 8;
    static final int MAX_FIELDS = 32;
    static final int FLAG_WINDOW = 32;
    static final int ABSORB_FLAGS = 24;
    /** Points with p at most this many times alpha are suspicious: admitted only after DELAY points without alarm. */
    static final double SUSPECT_FACTOR = 50;
    static final int DELAY = 64;
    static final int NEAR_ALARM = 16;
    static final int MAX_PENDING = 256;
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
    static final int ISOLATED = 64;
    private long lastFlag = -1_000_000;
    private static final JsonFactory JSON = new JsonFactory();

    private final Map<String, Series> series = new LinkedHashMap<>();
    private FieldFilter filter;
    private double alpha;
    private long index;
    private int refractory;
    private final boolean[] flags = new boolean[FLAG_WINDOW];
    private int flagCount;

    /**
     * @param alpha  alarm level
     * @param filter field filter
     */
    public MetricEngine(double alpha, FieldFilter filter) {
        this.alpha = alpha;
        this.filter = filter;
    }

    /**
     * Feedback: the flagged values of a series are normal. The series is re-based on its recent
     * points (a new level or variance becomes the reference).
     *
     * @param cause {@code metric:<field>}
     * @return whether a series of that name exists
     */
    @Override
    public boolean markNormal(String cause) {
        Series s = cause != null && cause.startsWith(CAUSE) ? series.get(cause.substring(CAUSE.length())) : null;
        if (s == null) {
            return false;
        }
        s.rebase();
        return true;
    }

    @Override
    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public void setFilter(FieldFilter filter) {
        this.filter = filter;
    }

    /**
     * Parses a numeric event: a number, a comma-separated list ({@code f0, f1, ...}) or a JSON object
     * whose numeric (non-timestamp, non-id) fields are used.
     */
    Map<String, Double> parse(String raw) {
        if (raw == null) {
            throw new CbadException.InvalidInputException("event must not be null");
        }
        String s = raw.strip();
        if (s.isEmpty()) {
            throw new CbadException.InvalidInputException("empty numeric event");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (s.charAt(0) == '{') {
            try (JsonParser p = JSON.createParser(s)) {
                p.nextToken();
                walk(p, "", out);
                if (p.nextToken() != null) {
                    throw new CbadException.InvalidInputException("trailing content after the JSON object");
                }
            } catch (IOException e) {
                throw new CbadException.InvalidInputException("malformed JSON: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), e);
            }
        } else {
            String[] parts = s.split(",");
            for (int i = 0; i < parts.length; i++) {
                try {
                    out.put(parts.length == 1 ? "value" : "f" + i, Double.parseDouble(parts[i].strip()));
                } catch (NumberFormatException e) {
                    throw new CbadException.InvalidInputException("not a number: '" + parts[i].strip() + "'");
                }
            }
        }
        out.entrySet().removeIf(en -> !filter.accept(en.getKey()) || !Double.isFinite(en.getValue()));
        if (out.isEmpty()) {
            throw new CbadException.InvalidInputException("numeric event has no analysed numeric field");
        }
        return out;
    }

    private static void walk(JsonParser p, String prefix, Map<String, Double> out) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new CbadException.InvalidInputException("numeric JSON event must be an object");
        }
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            if (t == null) {
                throw new CbadException.InvalidInputException("truncated JSON object");
            }
            String name = p.currentName();
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT) {
                walk(p, path, out);
            } else if (v == JsonToken.START_ARRAY) {
                p.skipChildren();
            } else if (v.isNumeric() && !Keys.isTimestampKey(name) && !Keys.isIdKey(name)) {
                out.put(path, p.getDoubleValue());
            }
        }
    }

    private static void admit(Series s, double[] c, double residual) {
        if (s == null) {
            return;
        }
        for (int i = 0; i < c.length; i++) {
            s.cal[i].add(c[i]);
        }
        s.acceptBaseline(residual);
    }

    /** A suspicious but not flagged point, admitted to calibration and baseline later. */
    record Pending(long admitAt, String field, double[] components, double residual) {
    }

    @Override
    public Verdict score(String raw) {
        return score(parse(raw));
    }

    /**
     * @param values field name to value, in a stable order
     * @return the verdict
     */
    public Verdict score(Map<String, Double> values) {
        long idx = index++;
        double pMin = 1.0;
        Series worst = null;
        double[] worstP = null;
        double worstX = Double.NaN;
        int missing = 0;
        List<Series> ready = new ArrayList<>();
        List<double[]> readyComponents = new ArrayList<>();
        List<Double> readyValues = new ArrayList<>();
        for (Map.Entry<String, Double> en : values.entrySet()) {
            Series s = series.get(en.getKey());
            if (s == null) {
                if (series.size() >= MAX_FIELDS) {
                    continue;
                }
                s = new Series(en.getKey());
                series.put(en.getKey(), s);
            }
            double raw = en.getValue();
            double x = s.push(raw);
            if (s.baselineSize() < WARM_BASELINE) {
                s.acceptBaseline(x);
                missing = Math.max(missing, WARM_BASELINE - s.baselineSize() + CALIBRATION_MIN);
                continue;
            }
            double[] c = s.components(x);
            if (s.cal[0].size() < CALIBRATION_MIN) {
                for (int i = 0; i < c.length; i++) {
                    s.cal[i].add(c[i]);
                }
                s.acceptBaseline(x);
                missing = Math.max(missing, CALIBRATION_MIN - s.cal[0].size());
                continue;
            }
            double[] ps = new double[c.length];
            double pf = 1.0;
            for (int i = 0; i < c.length; i++) {
                ps[i] = s.cal[i].pValue(c[i]);
                pf = Math.min(pf, ps[i]);
            }
            pf = Math.min(1.0, pf * c.length);
            if (worst == null || pf < pMin) {
                pMin = pf;
                worst = s;
                worstP = ps;
                worstX = raw;
            }
            ready.add(s);
            readyComponents.add(c);
            readyValues.add(x);
        }
        int fields = ready.size();
        if (fields == 0) {
            int m = Math.max(1, missing);
            return new Verdict.Calibrating(idx, m, "calibrating: " + m + " more points needed before the first verdict");
        }
        double p = Math.min(1.0, pMin * fields);
        boolean flagged = p <= alpha;
        boolean anomaly = flagged && refractory == 0;
        if (anomaly) {
            refractory = REFRACTORY;
        } else if (refractory > 0) {
            refractory--;
        }
        int at = (int) (idx % FLAG_WINDOW);
        if (flags[at]) {
            flagCount--;
        }
        flags[at] = flagged;
        if (flagged) {
            flagCount++;
        }
        if (flagged && idx - lastFlag > ISOLATED) {
            for (int k = 0; k < fields; k++) {
                double[] c = readyComponents.get(k);
                for (int i = 0; i < c.length; i++) {
                    ready.get(k).cal[i].addCapped(c[i]);
                }
            }
        }
        if (flagged) {
            lastFlag = idx;
        }
        if (anomaly) {
            // the suspicious points just before an alarm belong to the incident: never admit them
            pending.removeIf(d -> d.admitAt() - DELAY >= idx - NEAR_ALARM);
        }
        boolean suspicious = p <= Math.min(1.0, SUSPECT_FACTOR * alpha);
        if (suspicious) {
            for (Series s : ready) {
                s.markLast();
            }
        }
        while (!pending.isEmpty() && pending.peekFirst().admitAt() <= idx) {
            Pending d = pending.removeFirst();
            admit(series.get(d.field()), d.components(), d.residual());
        }
        if (!flagged) {
            for (int k = 0; k < fields; k++) {
                Series s = ready.get(k);
                if (suspicious) {
                    if (pending.size() < MAX_PENDING) {
                        pending.addLast(new Pending(idx + DELAY, s.name, readyComponents.get(k), readyValues.get(k)));
                    }
                } else {
                    admit(s, readyComponents.get(k), readyValues.get(k));
                }
            }
        }
        if (flagCount >= ABSORB_FLAGS) {
            for (Series s : ready) {
                s.rebase();
            }
            java.util.Arrays.fill(flags, false);
            flagCount = 0;
        }
        double score = Sensitivity.score(p);
        Map<String, Double> comps = new TreeMap<>();
        List<Evidence.NumericDeviation> devs = new ArrayList<>();
        if (worst != null) {
            for (int i = 0; i < worstP.length; i++) {
                comps.put(Series.COMPONENTS[i], worstP[i]);
            }
            if (anomaly) {
                devs.add(new Evidence.NumericDeviation(worst.name, worstX, worst.expected() + worst.median(),
                        worst.z(worstX - worst.expected())));
            }
        }
        Evidence ev = new Evidence(0, 0, 0, worst == null ? 0 : worst.baselineSize(),
                worst == null ? 0 : worst.cal[0].size(), List.of(), devs, comps,
                anomaly ? CAUSE + worst.name : "", anomaly ? "unusual values of " + worst.name : "");
        String why = anomaly ? why(idx, p, score, worst, worstX, worstP) : (flagged ? "suppressed: follows an alarm "
                + "within " + REFRACTORY + " points" : "normal");
        return new Verdict.Scored(idx, score, p, alpha, anomaly, ev, why, null);
    }

    private String why(long idx, double p, double score, Series s, double x, double[] ps) {
        int best = 0;
        for (int i = 1; i < ps.length; i++) {
            if (ps[i] < ps[best]) {
                best = i;
            }
        }
        String what = switch (Series.COMPONENTS[best]) {
            case "spike" -> "a spike: the value is far outside the recent range";
            case "level" -> "a level shift: the last points sit at a new level";
            default -> "a variance change: the recent points fluctuate unlike before";
        };
        return String.format(Locale.ROOT,
                "Point %d of %s looks like %s (p = %.2g <= %.2g, score %.2f). Value %s where about %s was "
                        + "expected%s; robust z %.1f over %d normal points.",
                idx, s.name, what, p, alpha, score, Explainer.fmt(x), Explainer.fmt(s.expected() + s.median()),
                s.period() > 0 ? " (seasonal period " + s.period() + " points)" : "", s.z(x - s.expected()),
                s.baselineSize());
    }

    @Override
    public void write(StateOutput out) {
        out.i64(index);
        out.i64(lastFlag);
        out.i32(refractory);
        out.i32(flagCount);
        for (boolean f : flags) {
            out.bool(f);
        }
        out.i32(series.size());
        for (Series s : series.values()) {
            s.write(out);
        }
        out.i32(pending.size());
        for (Pending d : pending) {
            out.i64(d.admitAt());
            out.str(d.field());
            out.doubles(d.components());
            out.f64(d.residual());
        }
    }

    @Override
    public void read(StateInput in) {
        index = in.i64();
        lastFlag = in.i64();
        refractory = in.i32(0, REFRACTORY, "refractory");
        flagCount = in.i32(0, FLAG_WINDOW, "flag count");
        for (int i = 0; i < FLAG_WINDOW; i++) {
            flags[i] = in.bool();
        }
        int n = in.i32(0, MAX_FIELDS, "series count");
        for (int i = 0; i < n; i++) {
            Series s = Series.read(in);
            series.put(s.name, s);
        }
        int np = in.i32(0, MAX_PENDING, "pending count");
        for (int i = 0; i < np; i++) {
            long at = in.i64();
            String f = in.str();
            double[] c = in.doubles();
            double r = in.f64();
            if (f == null || !series.containsKey(f) || c.length != Series.COMPONENTS.length) {
                throw new CbadException.SnapshotException("corrupt snapshot: pending point", null);
            }
            pending.addLast(new Pending(at, f, c, r));
        }
    }

    @Override
    public void close() {
        for (Series s : series.values()) {
            s.close();
        }
    }
}
