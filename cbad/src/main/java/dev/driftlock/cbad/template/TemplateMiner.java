package dev.driftlock.cbad.template;

import dev.driftlock.cbad.state.StateInput;
import dev.driftlock.cbad.state.StateOutput;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Mines log templates online, in the manner of Drain (He et al., ICWS 2017): lines are grouped by
 * token count and first token (a token with a digit or a mask stands for any), and within a group a
 * line joins the most similar template when at least {@value #SIMILARITY} of its positions agree;
 * the positions where they differ become the wildcard {@value #WILDCARD}. Otherwise the line starts
 * a new template. Template ids are given in order of creation, so the same lines give the same ids.
 *
 * <p>Memory: at most {@value #MAX_TEMPLATES} templates of at most {@value #MAX_TOKENS} tokens; when
 * full, the template seen least recently is forgotten (a line of it later starts a new template).
 * Not thread-safe; one per stream.
 */
public final class TemplateMiner {

    /** The wildcard of a template position. */
    public static final String WILDCARD = "<*>";
    static final double SIMILARITY = 0.5;
    /** Most templates kept per stream. */
    public static final int MAX_TEMPLATES = 1000;
    /** Tokens of a line considered; the rest is ignored. */
    public static final int MAX_TOKENS = 64;

    /** A template and how often it matched. */
    static final class Cluster {
        final int id;
        final String[] tokens;
        long count;
        long lastSeen;

        Cluster(int id, String[] tokens) {
            this.id = id;
            this.tokens = tokens;
        }
    }

    /**
     * The result of matching a line.
     *
     * @param id         template id (stable)
     * @param isNew      the line started a new template
     * @param count      lines of this template so far, this one included
     * @param parameters the line's tokens at the template's wildcard positions, as {@code position=token}
     * @param template   the template text after this line
     */
    public record Match(int id, boolean isNew, long count, List<String> parameters, String template) {
    }

    private final Map<String, List<Cluster>> groups = new HashMap<>();
    private final Map<Integer, Cluster> byId = new HashMap<>();
    private int nextId;
    private long clock;

    /** @return templates held */
    public int size() {
        return byId.size();
    }

    /**
     * Matches one line (its masked tokens) and learns from it.
     *
     * @param line the tokens in line order
     * @return the template it belongs to
     */
    public Match match(List<String> line) {
        String[] tokens = line.size() > MAX_TOKENS ? line.subList(0, MAX_TOKENS).toArray(String[]::new)
                : line.toArray(String[]::new);
        clock++;
        String group = groupKey(tokens);
        List<Cluster> candidates = groups.computeIfAbsent(group, k -> new ArrayList<>());
        Cluster best = null;
        double bestSim = -1;
        for (Cluster c : candidates) {
            double sim = similarity(c.tokens, tokens);
            if (sim > bestSim) {
                bestSim = sim;
                best = c;
            }
        }
        boolean isNew = best == null || bestSim < SIMILARITY;
        if (isNew) {
            if (byId.size() >= MAX_TEMPLATES) {
                evictOldest();
            }
            best = new Cluster(nextId++, tokens.clone());
            candidates.add(best);
            byId.put(best.id, best);
        } else {
            for (int i = 0; i < tokens.length; i++) {
                if (!best.tokens[i].equals(tokens[i])) {
                    best.tokens[i] = WILDCARD;
                }
            }
        }
        best.count++;
        best.lastSeen = clock;
        List<String> params = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            if (best.tokens[i].equals(WILDCARD)) {
                params.add(i + "=" + tokens[i]);
            }
        }
        return new Match(best.id, isNew, best.count, params, String.join(" ", best.tokens));
    }

    /** @return the template text of an id, or null when unknown */
    public String template(int id) {
        Cluster c = byId.get(id);
        return c == null ? null : String.join(" ", c.tokens);
    }

    private static String groupKey(String[] tokens) {
        String first = tokens.length == 0 ? "" : tokens[0];
        return tokens.length + " " + (isVariable(first) ? WILDCARD : first);
    }

    private static boolean isVariable(String t) {
        if (t.isEmpty() || t.charAt(0) == '<' || t.charAt(0) == '~') {
            return true;
        }
        for (int i = 0; i < t.length(); i++) {
            if (Character.isDigit(t.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static double similarity(String[] template, String[] tokens) {
        if (tokens.length == 0) {
            return 1.0;
        }
        int same = 0;
        for (int i = 0; i < tokens.length; i++) {
            if (template[i].equals(tokens[i])) {
                same++;
            }
        }
        return same / (double) tokens.length;
    }

    private void evictOldest() {
        Cluster oldest = null;
        for (Cluster c : byId.values()) {
            if (oldest == null || c.lastSeen < oldest.lastSeen) {
                oldest = c;
            }
        }
        byId.remove(oldest.id);
        groups.get(groupKey(oldest.tokens)).remove(oldest);
    }

    /** @param out state sink */
    public void write(StateOutput out) {
        out.i32(nextId);
        out.i64(clock);
        List<Cluster> all = new ArrayList<>(byId.values());
        all.sort((a, b) -> Integer.compare(a.id, b.id));
        out.i32(all.size());
        for (Cluster c : all) {
            out.i32(c.id);
            out.i64(c.count);
            out.i64(c.lastSeen);
            out.i32(c.tokens.length);
            for (String t : c.tokens) {
                out.str(t);
            }
        }
    }

    /** @param in state source written by {@link #write} */
    public void read(StateInput in) {
        groups.clear();
        byId.clear();
        nextId = in.i32();
        clock = in.i64();
        int n = in.i32(0, MAX_TEMPLATES, "template count");
        for (int i = 0; i < n; i++) {
            int id = in.i32();
            long count = in.i64();
            long lastSeen = in.i64();
            String[] tokens = new String[in.i32(0, MAX_TOKENS, "template length")];
            for (int k = 0; k < tokens.length; k++) {
                tokens[k] = in.str();
            }
            Cluster c = new Cluster(id, tokens);
            c.count = count;
            c.lastSeen = lastSeen;
            byId.put(id, c);
            groups.computeIfAbsent(groupKey(tokens), k -> new ArrayList<>()).add(c);
        }
    }
}
