package dev.driftlock.cbad.score;

import dev.driftlock.cbad.canonical.CanonicalEvent;
import dev.driftlock.cbad.canonical.Masker;
import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The entity keys of a stream: fields whose values repeat and partition it (a host, a card, a
 * merchant, a route), found from the first {@value #DISCOVERY} events or given per stream (see
 * {@link EntityModel}). A field is a key raw or with its values masked ({@value #MASKED} suffix),
 * whichever partitions. Not thread-safe. Internal to the engine.
 */
final class EntityKeys {

    static final int DISCOVERY = 512;
    static final int MAX_KEYS = 3;
    static final int MAX_CANDIDATE_VALUES = 512;

    private List<String> chosen;
    private final Map<String, Map<String, Integer>> candidates = new LinkedHashMap<>();
    private final Map<String, Integer> presence = new HashMap<>();
    private int observed;

    /** @param configured keys given for the stream (empty: found automatically) */
    EntityKeys(List<String> configured) {
        if (!configured.isEmpty()) {
            setChosen(List.copyOf(configured.subList(0, Math.min(MAX_KEYS, configured.size()))));
        }
    }

    /** @return whether the keys are known (given, or found) */
    boolean chosen() {
        return chosen != null;
    }

    /** @return the keys in use (empty while they are still being found) */
    List<String> keys() {
        return chosen == null ? List.of() : chosen;
    }

    /**
     * Suffix of an entity key whose values are used masked: a field whose raw values rarely repeat
     * but whose masked values do ({@code /api/v1/users/730827} and {@code /api/v1/users/12} are the
     * route {@code /api/v1/users/<n>}).
     */
    static final String MASKED = " <masked>";

    /** @return the field an entity key reads, for explanations */
    static String display(String key) {
        return key.endsWith(MASKED) ? key.substring(0, key.length() - MASKED.length()) : key;
    }

    /** @return the event's value of an entity key (masked for a masked key), or null */
    static String value(CanonicalEvent e, String key) {
        if (key.endsWith(MASKED)) {
            String v = value(e, display(key));
            return v == null ? null : Masker.maskString(v);
        }
        for (int i = 0; i < e.rawCount(); i++) {
            if (e.rawKeys()[i].equals(key)) {
                return e.rawValues()[i];
            }
        }
        return null;
    }

    private long[] chosenHashes = new long[0];

    /** @return the hash of the field an entity key reads (the raw field of a masked key) */
    long hash(String key) {
        for (int i = 0; i < chosenHashes.length; i++) {
            if (chosen.get(i).equals(key)) {
                return chosenHashes[i];
            }
        }
        byte[] b = display(key).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return CountTable.hash(b, 0, b.length, 0);
    }

    private void setChosen(List<String> keys) {
        chosen = keys;
        chosenHashes = new long[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            byte[] b = display(keys.get(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            chosenHashes[i] = CountTable.hash(b, 0, b.length, 0);
        }
    }

    /** Counts an event's raw values; after {@value #DISCOVERY} events the keys are chosen. */
    void discover(CanonicalEvent e) {
        observed++;
        for (int i = 0; i < e.rawCount(); i++) {
            String k = e.rawKeys()[i];
            presence.merge(k, 1, Integer::sum);
            count(k, e.rawValues()[i]);
            String masked = Masker.maskString(e.rawValues()[i]);
            if (!masked.startsWith("<")) {
                // a value that is wholly an IP, id or hash stays raw: masked, they would all be one
                presence.merge(k + MASKED, 1, Integer::sum);
                count(k + MASKED, masked);
            }
        }
        if (observed >= DISCOVERY) {
            setChosen(choose());
            candidates.clear();
            presence.clear();
        }
    }

    private void count(String key, String value) {
        Map<String, Integer> values = candidates.computeIfAbsent(key, x -> new HashMap<>());
        if (values.size() < MAX_CANDIDATE_VALUES || values.containsKey(value)) {
            values.merge(value, 1, Integer::sum);
        }
    }

    private List<String> choose() {
        List<String> ok = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> c : candidates.entrySet()) {
            int present = presence.get(c.getKey());
            Map<String, Integer> values = c.getValue();
            int distinct = values.size();
            int top = values.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            boolean hinted = hinted(display(c.getKey()));
            if (present >= observed / 2 && distinct >= 2 && distinct < MAX_CANDIDATE_VALUES
                    && (hinted ? distinct < present : distinct * 4 <= present) && top <= 0.95 * present) {
                ok.add(c.getKey());
            }
        }
        // a field is an entity raw or masked, never both: masked when that merges values (ids in
        // paths), raw when masking changes nothing
        ok.removeIf(k -> k.endsWith(MASKED) ? ok.contains(display(k))
                && candidates.get(k).size() >= candidates.get(display(k)).size()
                : ok.contains(k + MASKED) && candidates.get(k + MASKED).size() < candidates.get(k).size());
        ok.sort((a, b) -> {
            int h = Boolean.compare(hinted(display(b)), hinted(display(a)));
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
    }
}
