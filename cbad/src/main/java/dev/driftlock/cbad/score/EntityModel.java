package dev.driftlock.cbad.score;

import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Context and rates per entity. Entity keys are fields whose values repeat and partition the stream
 * (a host, a card, a merchant, an endpoint, a service): found from the first {@value EntityKeys#DISCOVERY}
 * events that carry short string values (present in half of them, at least two values, no value in
 * more than 95 %, on average four events per value, or any repetition for a field named like an
 * entity: host, user, card, account, merchant, ...), or given per stream; at most {@value EntityKeys#MAX_KEYS},
 * entity-named first, then the finer partitions. For text
 * streams the log template is the entity. Per entity value a profile holds:
 * <ul>
 *   <li>numeric profile (fields with more than {@value FieldScales#DISCRETE} distinct values that are neither
 *       counters nor mostly zero): running mean and mean absolute deviation of each numeric field over the
 *       entity's normal events; the <em>contextual numeric</em> score is the largest
 *       {@code |x - mean| / max(deviation, floor)}, the floor 5 % of the entity's mean or of the field's
 *       stream-wide deviation, whichever is larger, so a flat entity never gives an infinite score;</li>
 *   <li>attributes: per field (up to {@value #MAX_SEEN}), the entity's value and whether it ever
 *       varied; the <em>contextual categorical</em> score of an attribute that was constant over
 *       all its n (at least {@value #MIN_HISTORY}) appearances for the entity and now differs is
 *       {@code min(log2(n + 1), n log2(1 / s))}, s the stream-wide share of the constant value
 *       (constancy of a value nearly every event has is no evidence) (a card always in one
 *       country, then another; an endpoint always answering 200, then 500);</li>
 *   <li>rate: its events among the last {@value #WINDOW}; the <em>rate</em> score is the Poisson
 *       surprise {@code -log2 P(X >= k)} of that count given the entity's earlier rate (a burst of
 *       ordinary charges on one card, an error template's burst, a scan by one client).</li>
 * </ul>
 * Profiles need {@value #MIN_HISTORY} events before they score. At most {@value #MAX_ENTITIES}
 * profiles; the least recently seen is evicted. Deterministic; not thread-safe. Internal.
 */
final class EntityModel {

    static final int MAX_ENTITIES = 4096;
    static final int WINDOW = 128;
    static final int MIN_HISTORY = 16;
    static final int MAX_FIELDS = 16;
    static final int MAX_SEEN = 32;
    /** Key of the template entity of text streams. */
    static final String TEMPLATE_KEY = "template";
    private static final List<String> TEMPLATE_KEYS = List.of(TEMPLATE_KEY);
    private final int[] fieldIndex = new int[dev.driftlock.cbad.canonical.Canonicalizer.MAX_NUMERIC];
    private static final double LN2 = Math.log(2);
    private static final double[] LOG_FACTORIAL = new double[WINDOW + 2];

    static {
        for (int i = 1; i < LOG_FACTORIAL.length; i++) {
            LOG_FACTORIAL[i] = LOG_FACTORIAL[i - 1] + Math.log(i);
        }
    }

    static final class Profile {
        final String key;
        final String value;
        final long first;
        long count;
        int recent;
        final double[] mean = new double[MAX_FIELDS];
        final double[] dev = new double[MAX_FIELDS];
        final int[] n = new int[MAX_FIELDS];
        final long[] attrKey = new long[MAX_SEEN];
        final long[] attrValue = new long[MAX_SEEN];
        final boolean[] varied = new boolean[MAX_SEEN];
        final int[] attrSeen = new int[MAX_SEEN];
        int attrCount;
        int learned;

        Profile(String key, String value, long first) {
            this.key = key;
            this.value = value;
            this.first = first;
        }
    }

    private final EntityKeys entityKeys;
    private final ProfileTable profiles = new ProfileTable(MAX_ENTITIES);
    private final long[][] ring = new long[WINDOW][EntityKeys.MAX_KEYS];
    /** The last observed event and its profiles per key (learning it right after needs no lookup). */
    private CanonicalEvent observed;
    private final Profile[] observedProfiles = new Profile[EntityKeys.MAX_KEYS];
    private long pushes;
    /** Event index from which entity profiles exist (the keys were chosen then). */
    private long rateStart;
    private final FieldScales scales = new FieldScales(MAX_FIELDS);
    /**
     * The deviation floor as a share of the entity's mean and of the field's stream-wide deviation:
     * an entity whose values hardly vary cannot turn its next small change into a huge score.
     */
    static final double FLOOR_SHARE = 0.05;
    /** An entity value with more than this share of the events since it appeared has no context. */
    static final double DOMINANT_SHARE = 0.5;

    // results of the last score()
    double contextNumeric;
    double contextCategorical;
    double rate;
    /** Whether each score applied to the last event (a profile with enough history existed). */
    boolean numericApplies;
    boolean categoricalApplies;
    boolean rateApplies;
    String contextEntity;
    String contextField;
    /** The entity of the last rate score, its count in the window and the count expected. */
    private Profile rateProfile;
    private int rateCount;
    private double rateExpected;
    String categoricalEntity;

    /** @return the entity of the last rate score, {@code key=value} (null when none scored) */
    String rateEntity() {
        return rateProfile == null ? null : EntityKeys.display(rateProfile.key) + "=" + rateProfile.value;
    }

    /** @return the last rate score in words: the entity, its count and the count expected */
    String rateDetail() {
        return rateEntity() + " (" + rateCount + " of the last " + Math.min(WINDOW, pushes) + " events, "
                + String.format(Locale.ROOT, "%.1f", rateExpected) + " expected)";
    }
    /** Index (among the event's tokens) of the attribute that changed. */
    int categoricalToken;

    private TokenRarity rarity;

    /** @param r the stream's token counts (for the global share of an attribute's value) */
    void useRarity(TokenRarity r) {
        this.rarity = r;
    }

    /** @param entityKeys entity keys given for the stream (empty: found automatically) */
    EntityModel(List<String> entityKeys) {
        this.entityKeys = new EntityKeys(entityKeys);
    }

    /** @return the entity keys in use (empty while they are still being found) */
    List<String> keys() {
        return entityKeys.keys();
    }

    /**
     * Observes an event's raw values for key discovery, counts it in the rate window, and scores it;
     * the scores are left in the fields {@link #contextNumeric}, {@link #contextCategorical} and
     * {@link #rate}.
     *
     * @param e         the event
     * @param template  the template id of a text line, or null
     * @param catTokens hashes of the event's categorical tokens
     * @param catIndex  per categorical token, its index among the event's tokens (for explanations)
     * @param catCount  valid tokens
     * @param index     the event's position
     */
    void observe(CanonicalEvent e, String template, long[] catKeys, long[] catTokens, int[] catIndex, int catCount,
                 long index) {
        contextNumeric = 0;
        contextCategorical = 0;
        rate = 0;
        numericApplies = false;
        categoricalApplies = false;
        rateApplies = false;
        contextEntity = null;
        rateProfile = null;
        categoricalEntity = null;
        if (!entityKeys.chosen()) {
            entityKeys.discover(e);
            rateStart = index + 1;
        }
        long[] slot = ring[(int) (pushes % WINDOW)];
        if (pushes >= WINDOW) {
            for (long h : slot) {
                Profile old = h == 0 ? null : profiles.get(h);
                if (old != null && old.recent > 0) {
                    old.recent--;
                }
            }
        }
        java.util.Arrays.fill(slot, 0);
        java.util.Arrays.fill(observedProfiles, null);
        observed = e;
        pushes++;
        List<String> ks = template != null ? TEMPLATE_KEYS : keys();
        if (template == null && !ks.isEmpty()) {
            for (int i = 0; i < e.numCount(); i++) {
                fieldIndex[i] = scales.index(e.numKeys()[i]);
            }
        }
        for (int k = 0; k < ks.size(); k++) {
            String key = ks.get(k);
            String value = template != null ? template : EntityKeys.value(e, key);
            if (value == null) {
                continue;
            }
            long h = CountTable.hash(value, CountTable.hash(key, 17));
            Profile p = profiles.get(h);
            if (p == null) {
                p = new Profile(key, value, index);
                profiles.put(h, p);
            }
            p.count++;
            p.recent++;
            slot[k] = h;
            observedProfiles[k] = p;
            rateApplies |= pushes >= WINDOW;
            scoreRate(p, index);
            // an entity with most of the stream's events is the stream: its profile is the global
            // one, which the point components already see
            boolean dominant = p.count > DOMINANT_SHARE * (index - p.first + 1);
            if (p.learned >= MIN_HISTORY && !dominant) {
                if (template == null) {
                    // per-template parameters are already keyed by their template in TokenRarity
                    categoricalApplies |= catCount > 0;
                    scoreNumeric(p, e);
                    scoreCategorical(p, catKeys, catTokens, catIndex, catCount);
                }
            }
        }
    }

    private void scoreRate(Profile p, long index) {
        long age = index - p.first + 1;
        if (p.first < rateStart + 2L * WINDOW && age < 2L * WINDOW) {
            // profiles opened when the keys were chosen have an unknown past: no rate yet
            return;
        }
        long before = p.count - p.recent;
        double window = Math.min(WINDOW, pushes);
        double outside = age - window;
        if (p.first >= rateStart + 2L * WINDOW) {
            // a genuinely new entity: before it has a past, assume one event per four windows
            outside = Math.max(outside, 4 * window);
        } else if (outside < window) {
            return;
        }
        double lambda = window * (before + 0.5) / outside;
        int k = p.recent;
        // rare entities only (at most RARE_SHARE of the events): a common one's share moves too much
        if (k < 3 || k <= lambda * 2 || lambda > TokenBursts.RARE_SHARE * window) {
            return;
        }
        double bits = -poissonUpperLog(k, lambda) / LN2;
        if (bits > rate) {
            rate = bits;
            rateProfile = p;
            rateCount = k;
            rateExpected = lambda;
        }
    }

    static double poissonUpperLog(int k, double lambda) {
        double logTerm = -lambda + k * Math.log(lambda) - LOG_FACTORIAL[Math.min(k, WINDOW + 1)];
        double sum = 0;
        double term = 1;
        for (int j = k; j < k + 40; j++) {
            sum += term;
            term *= lambda / (j + 1);
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return logTerm + Math.log(sum);
    }

    private void scoreNumeric(Profile p, CanonicalEvent e) {
        for (int i = 0; i < e.numCount(); i++) {
            int f = fieldIndex[i];
            if (f < 0 || p.n[f] < MIN_HISTORY || !scales.measure(f)) {
                continue;
            }
            numericApplies = true;
            double x = e.numValues()[i];
            double floor = Math.max(FLOOR_SHARE * scales.deviation(f), Math.max(FLOOR_SHARE * Math.abs(p.mean[f]), 1e-9));
            double z = Math.abs(x - p.mean[f]) / Math.max(p.dev[f], floor);
            z = Math.min(z, 1e4);
            if (z > contextNumeric) {
                contextNumeric = z;
                contextEntity = EntityKeys.display(p.key) + "=" + p.value;
                contextField = e.numKeys()[i];
            }
        }
    }

    private void scoreCategorical(Profile p, long[] keys, long[] tokens, int[] index, int count) {
        long own = entityKeys.hash(p.key);
        for (int i = 0; i < count; i++) {
            if (keys[i] == own) {
                continue;
            }
            int a = attr(p, keys[i]);
            if (a >= 0 && !p.varied[a] && p.attrSeen[a] >= MIN_HISTORY && p.attrValue[a] != tokens[i]) {
                // an attribute constant over all of the entity's history changed; the constancy is
                // only evidence if the constant value is not what nearly every event has anyway
                double share = rarity == null ? 0.0 : rarity.share(keys[i], p.attrValue[a]);
                double evidence = p.attrSeen[a] * -Math.log(Math.max(share, 1e-9)) / LN2;
                double bits = Math.min(Math.log(p.attrSeen[a] + 1.0) / LN2, evidence);
                if (bits > contextCategorical) {
                    contextCategorical = bits;
                    categoricalEntity = EntityKeys.display(p.key) + "=" + p.value;
                    categoricalToken = index[i];
                }
            }
        }
    }

    private static int attr(Profile p, long key) {
        for (int i = 0; i < p.attrCount; i++) {
            if (p.attrKey[i] == key) {
                return i;
            }
        }
        return -1;
    }

    /** Learns a normal event into its entities' profiles and the stream-wide field scales. */
    void learn(CanonicalEvent e, String template, long[] catKeys, long[] catTokens, int catCount) {
        int[] idx = scales.learn(e);
        List<String> ks = template != null ? TEMPLATE_KEYS : keys();
        for (int k = 0; k < ks.size(); k++) {
            String key = ks.get(k);
            Profile p;
            if (e == observed) {
                p = observedProfiles[k];
            } else {
                String value = template != null ? template : EntityKeys.value(e, key);
                p = value == null ? null : profiles.get(CountTable.hash(value, CountTable.hash(key, 17)));
            }
            if (p == null) {
                continue;
            }
            p.learned++;
            for (int i = 0; i < e.numCount(); i++) {
                int f = idx[i];
                if (f < 0) {
                    continue;
                }
                double x = e.numValues()[i];
                p.n[f]++;
                double r = Math.max(1.0 / p.n[f], 0.05);
                p.dev[f] += r * (Math.abs(x - p.mean[f]) - p.dev[f]);
                p.mean[f] += r * (x - p.mean[f]);
            }
            long own = entityKeys.hash(key);
            for (int i = 0; i < catCount; i++) {
                if (catKeys[i] == own) {
                    continue;
                }
                int a = attr(p, catKeys[i]);
                if (a < 0 && p.attrCount < MAX_SEEN) {
                    p.attrKey[p.attrCount] = catKeys[i];
                    p.attrValue[p.attrCount] = catTokens[i];
                    p.attrSeen[p.attrCount] = 1;
                    p.attrCount++;
                } else if (a >= 0) {
                    p.attrSeen[a]++;
                    if (p.attrValue[a] != catTokens[i]) {
                        p.varied[a] = true;
                    }
                }
            }
        }
    }

    void write(StateOutput out) {
        entityKeys.write(out);
        scales.write(out);
        out.i64(pushes);
        out.i64(rateStart);
        for (long[] slot : ring) {
            for (long h : slot) {
                out.i64(h);
            }
        }
        out.i32(profiles.size());
        profiles.forEach((h, p) -> {
            out.i64(h);
            out.str(p.key);
            out.str(p.value);
            out.i64(p.first);
            out.i64(p.count);
            out.i32(p.recent);
            out.doubles(p.mean);
            out.doubles(p.dev);
            out.ints(p.n);
            out.i32(p.attrCount);
            for (int i = 0; i < p.attrCount; i++) {
                out.i64(p.attrKey[i]);
                out.i64(p.attrValue[i]);
                out.bool(p.varied[i]);
                out.i32(p.attrSeen[i]);
            }
            out.i32(p.learned);
        });
    }

    void read(StateInput in) {
        entityKeys.read(in);
        scales.read(in);
        pushes = in.i64();
        rateStart = in.i64();
        for (long[] slot : ring) {
            for (int k = 0; k < EntityKeys.MAX_KEYS; k++) {
                slot[k] = in.i64();
            }
        }
        profiles.clear();
        int np = in.i32(0, MAX_ENTITIES, "entity count");
        for (int i = 0; i < np; i++) {
            long h = in.i64();
            Profile p = new Profile(in.str(), in.str(), in.i64());
            p.count = in.i64();
            p.recent = in.i32();
            System.arraycopy(in.doubles(), 0, p.mean, 0, MAX_FIELDS);
            System.arraycopy(in.doubles(), 0, p.dev, 0, MAX_FIELDS);
            System.arraycopy(in.ints(), 0, p.n, 0, MAX_FIELDS);
            p.attrCount = in.i32(0, MAX_SEEN, "attribute count");
            for (int j = 0; j < p.attrCount; j++) {
                p.attrKey[j] = in.i64();
                p.attrValue[j] = in.i64();
                p.varied[j] = in.bool();
                p.attrSeen[j] = in.i32();
            }
            p.learned = in.i32();
            profiles.put(h, p);
        }
    }
}
