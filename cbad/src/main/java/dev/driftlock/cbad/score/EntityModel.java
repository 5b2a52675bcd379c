package dev.driftlock.cbad.score;

import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Context and rates per entity. Entity keys are fields whose values repeat and partition the stream
 * (a host, a card, a merchant, an endpoint, a service): found from the first {@value #DISCOVERY}
 * events that carry short string values (present in half of them, at least two values, no value in
 * more than 95 %, on average four events per value, or any repetition for a field named like an
 * entity: host, user, card, account, merchant, ...), or given per stream; at most {@value #MAX_KEYS},
 * entity-named first, then the finer partitions. For text
 * streams the log template is the entity. Per entity value a profile holds:
 * <ul>
 *   <li>numeric profile (fields with more than {@value #DISCRETE} distinct values that are neither
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

    static final int DISCOVERY = 512;
    static final int MAX_KEYS = 3;
    static final int MAX_ENTITIES = 4096;
    static final int WINDOW = 128;
    static final int MIN_HISTORY = 16;
    static final int MAX_FIELDS = 16;
    static final int MAX_SEEN = 32;
    static final int MAX_CANDIDATE_VALUES = 512;
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

    private final List<String> configured;
    private List<String> chosen;
    private final Map<String, Map<String, Integer>> candidates = new LinkedHashMap<>();
    private final Map<String, Integer> presence = new HashMap<>();
    private int observed;
    private final LinkedHashMap<Long, Profile> profiles = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Profile> eldest) {
            return size() > MAX_ENTITIES;
        }
    };
    private final long[][] ring = new long[WINDOW][MAX_KEYS];
    private long pushes;
    /** Event index from which entity profiles exist (the keys were chosen then). */
    private long rateStart;
    private final Map<String, Integer> fields = new LinkedHashMap<>();
    private final double[] globalMean = new double[MAX_FIELDS];
    private final double[] globalDev = new double[MAX_FIELDS];
    private final long[] globalN = new long[MAX_FIELDS];
    /** Per field, how often a value exceeded the previous one: counters and sequence numbers are no profile. */
    private final long[] rising = new long[MAX_FIELDS];
    private final double[] previous = new double[MAX_FIELDS];
    /** Per field, how many values were exactly 0: a mostly-zero field is a rare-event count, not a measure. */
    private final long[] zeros = new long[MAX_FIELDS];
    /** Per field, its first distinct values: a field with at most {@value #DISCRETE} is a code, not a measure. */
    @SuppressWarnings("unchecked")
    private final java.util.Set<Double>[] distinct = new java.util.Set[MAX_FIELDS];
    static final int DISCRETE = 16;
    /**
     * The deviation floor as a share of the entity's mean and of the field's stream-wide deviation:
     * an entity whose values hardly vary cannot turn its next small change into a huge score.
     */
    static final double FLOOR_SHARE = 0.05;
    /** An entity value with more than this share of the events since it appeared has no context. */
    static final double DOMINANT_SHARE = 0.5;

    {
        for (int i = 0; i < MAX_FIELDS; i++) {
            distinct[i] = new java.util.HashSet<>();
        }
    }

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
    String rateEntity;
    String categoricalEntity;
    /** Index (among the event's tokens) of the attribute that changed. */
    int categoricalToken;

    private TokenRarity rarity;

    /** @param r the stream's token counts (for the global share of an attribute's value) */
    void useRarity(TokenRarity r) {
        this.rarity = r;
    }

    /** @param entityKeys entity keys given for the stream (empty: found automatically) */
    EntityModel(List<String> entityKeys) {
        this.configured = List.copyOf(entityKeys);
        if (!entityKeys.isEmpty()) {
            setChosen(List.copyOf(entityKeys.subList(0, Math.min(MAX_KEYS, entityKeys.size()))));
        }
    }

    /** @return the entity keys in use (empty while they are still being found) */
    List<String> keys() {
        return chosen == null ? List.of() : chosen;
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
        rateEntity = null;
        categoricalEntity = null;
        if (chosen == null) {
            discover(e);
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
        pushes++;
        List<String> ks = template != null ? TEMPLATE_KEYS : keys();
        if (template == null && !ks.isEmpty()) {
            for (int i = 0; i < e.numCount(); i++) {
                Integer f = fields.get(e.numKeys()[i]);
                fieldIndex[i] = f == null ? -1 : f;
            }
        }
        for (int k = 0; k < ks.size(); k++) {
            String key = ks.get(k);
            String value = template != null ? template : rawValue(e, key);
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
            rateEntity = p.key + "=" + p.value + " (" + k + " of the last " + (int) window + " events, "
                    + String.format(Locale.ROOT, "%.1f", lambda) + " expected)";
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
            if (f < 0 || p.n[f] < MIN_HISTORY || rising[f] > 0.9 * globalN[f] || distinct[f].size() <= DISCRETE
                    || zeros[f] > 0.8 * globalN[f]) {
                continue;
            }
            numericApplies = true;
            double x = e.numValues()[i];
            double floor = Math.max(FLOOR_SHARE * globalDev[f], Math.max(FLOOR_SHARE * Math.abs(p.mean[f]), 1e-9));
            double z = Math.abs(x - p.mean[f]) / Math.max(p.dev[f], floor);
            z = Math.min(z, 1e4);
            if (z > contextNumeric) {
                contextNumeric = z;
                contextEntity = p.key + "=" + p.value;
                contextField = e.numKeys()[i];
            }
        }
    }

    private void scoreCategorical(Profile p, long[] keys, long[] tokens, int[] index, int count) {
        long own = keyHash(p.key);
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
                    categoricalEntity = p.key + "=" + p.value;
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
        int[] idx = new int[e.numCount()];
        for (int i = 0; i < e.numCount(); i++) {
            Integer f = fields.get(e.numKeys()[i]);
            if (f == null && fields.size() < MAX_FIELDS) {
                f = fields.size();
                fields.put(e.numKeys()[i], f);
            }
            idx[i] = f == null ? -1 : f;
            if (f != null) {
                double x = e.numValues()[i];
                if (globalN[f] > 0 && x > previous[f]) {
                    rising[f]++;
                }
                previous[f] = x;
                if (x == 0) {
                    zeros[f]++;
                }
                if (distinct[f].size() <= DISCRETE) {
                    distinct[f].add(x);
                }
                globalN[f]++;
                double r = Math.max(1.0 / globalN[f], 0.005);
                globalDev[f] += r * (Math.abs(x - globalMean[f]) - globalDev[f]);
                globalMean[f] += r * (x - globalMean[f]);
            }
        }
        List<String> ks = template != null ? List.of(TEMPLATE_KEY) : keys();
        for (String key : ks) {
            String value = template != null ? template : rawValue(e, key);
            if (value == null) {
                continue;
            }
            Profile p = profiles.get(CountTable.hash(value, CountTable.hash(key, 17)));
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
            long own = keyHash(key);
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

    private static String rawValue(CanonicalEvent e, String key) {
        for (int i = 0; i < e.rawCount(); i++) {
            if (e.rawKeys()[i].equals(key)) {
                return e.rawValues()[i];
            }
        }
        return null;
    }

    /** @return whether a field (by the hash of its path's UTF-8 bytes) is one of the entity keys */
    boolean isEntityKey(long keyHash) {
        for (long h : chosenHashes) {
            if (h == keyHash) {
                return true;
            }
        }
        return false;
    }

    private long[] chosenHashes = new long[0];

    private long keyHash(String key) {
        for (int i = 0; i < chosenHashes.length; i++) {
            if (chosen.get(i).equals(key)) {
                return chosenHashes[i];
            }
        }
        byte[] b = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return CountTable.hash(b, 0, b.length, 0);
    }

    private void setChosen(List<String> keys) {
        chosen = keys;
        chosenHashes = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            byte[] b = keys.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            chosenHashes[i] = CountTable.hash(b, 0, b.length, 0);
        }
    }

    private void discover(CanonicalEvent e) {
        observed++;
        for (int i = 0; i < e.rawCount(); i++) {
            String k = e.rawKeys()[i];
            presence.merge(k, 1, Integer::sum);
            Map<String, Integer> values = candidates.computeIfAbsent(k, x -> new HashMap<>());
            if (values.size() < MAX_CANDIDATE_VALUES || values.containsKey(e.rawValues()[i])) {
                values.merge(e.rawValues()[i], 1, Integer::sum);
            }
        }
        if (observed >= DISCOVERY) {
            setChosen(choose());
            candidates.clear();
            presence.clear();
        }
    }

    private List<String> choose() {
        List<String> ok = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> c : candidates.entrySet()) {
            int present = presence.get(c.getKey());
            Map<String, Integer> values = c.getValue();
            int distinct = values.size();
            int top = values.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            boolean hinted = hinted(c.getKey());
            if (present >= observed / 2 && distinct >= 2 && distinct < MAX_CANDIDATE_VALUES
                    && (hinted ? distinct < present : distinct * 4 <= present) && top <= 0.95 * present) {
                ok.add(c.getKey());
            }
        }
        ok.sort((a, b) -> {
            int h = Boolean.compare(hinted(b), hinted(a));
            if (h != 0) {
                return h;
            }
            int d = Integer.compare(candidates.get(b).size(), candidates.get(a).size());
            return d != 0 ? d : a.compareTo(b);
        });
        return List.copyOf(ok.subList(0, Math.min(MAX_KEYS, ok.size())));
    }

    private static boolean hinted(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (String hint : new String[] {"host", "user", "card", "account", "merchant", "customer", "client",
                "device", "endpoint", "path", "service", "ip", "src", "dst", "tenant", "node", "pod", "route"}) {
            if (k.contains(hint)) {
                return true;
            }
        }
        return false;
    }

    void write(StateOutput out) {
        out.i32(observed);
        out.bool(chosen != null);
        if (chosen != null) {
            out.i32(chosen.size());
            chosen.forEach(out::str);
        } else {
            out.i32(candidates.size());
            for (Map.Entry<String, Map<String, Integer>> c : candidates.entrySet()) {
                out.str(c.getKey());
                out.i32(presence.get(c.getKey()));
                List<Map.Entry<String, Integer>> vs = new ArrayList<>(c.getValue().entrySet());
                vs.sort(Map.Entry.comparingByKey());
                out.i32(vs.size());
                for (Map.Entry<String, Integer> v : vs) {
                    out.str(v.getKey());
                    out.i32(v.getValue());
                }
            }
        }
        out.i32(fields.size());
        for (Map.Entry<String, Integer> f : fields.entrySet()) {
            out.str(f.getKey());
        }
        out.doubles(globalMean);
        out.doubles(globalDev);
        for (int i = 0; i < MAX_FIELDS; i++) {
            out.i64(globalN[i]);
            out.i64(rising[i]);
            out.i64(zeros[i]);
            out.f64(previous[i]);
            List<Double> ds = new ArrayList<>(distinct[i]);
            ds.sort(Double::compare);
            out.i32(ds.size());
            ds.forEach(out::f64);
        }
        out.i64(pushes);
        out.i64(rateStart);
        for (long[] slot : ring) {
            for (long h : slot) {
                out.i64(h);
            }
        }
        out.i32(profiles.size());
        for (Map.Entry<Long, Profile> en : profiles.entrySet()) {
            Profile p = en.getValue();
            out.i64(en.getKey());
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
        }
    }

    void read(StateInput in) {
        observed = in.i32();
        candidates.clear();
        presence.clear();
        if (in.bool()) {
            int n = in.i32(0, MAX_KEYS, "entity key count");
            List<String> ks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ks.add(in.str());
            }
            setChosen(List.copyOf(ks));
        } else {
            chosen = null;
            int n = in.i32(0, 10_000, "candidate count");
            for (int i = 0; i < n; i++) {
                String k = in.str();
                presence.put(k, in.i32());
                int m = in.i32(0, MAX_CANDIDATE_VALUES, "candidate values");
                Map<String, Integer> values = new HashMap<>();
                for (int j = 0; j < m; j++) {
                    values.put(in.str(), in.i32());
                }
                candidates.put(k, values);
            }
        }
        fields.clear();
        int nf = in.i32(0, MAX_FIELDS, "entity field count");
        for (int i = 0; i < nf; i++) {
            fields.put(in.str(), i);
        }
        System.arraycopy(in.doubles(), 0, globalMean, 0, MAX_FIELDS);
        System.arraycopy(in.doubles(), 0, globalDev, 0, MAX_FIELDS);
        for (int i = 0; i < MAX_FIELDS; i++) {
            globalN[i] = in.i64();
            rising[i] = in.i64();
            zeros[i] = in.i64();
            previous[i] = in.f64();
            distinct[i].clear();
            int nd = in.i32(0, DISCRETE + 1, "distinct values");
            for (int j = 0; j < nd; j++) {
                distinct[i].add(in.f64());
            }
        }
        pushes = in.i64();
        rateStart = in.i64();
        for (long[] slot : ring) {
            for (int k = 0; k < MAX_KEYS; k++) {
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
