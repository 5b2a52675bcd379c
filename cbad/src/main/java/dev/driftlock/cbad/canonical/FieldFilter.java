package dev.driftlock.cbad.canonical;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Include/exclude filter on field paths. A configured name matches the path itself and its children
 * ({@code user} matches {@code user.id} and {@code user[]}). Not thread-safe (it caches decisions).
 * Internal to the engine.
 */
public final class FieldFilter {

    private static final int MAX_CACHE = 4096;
    private final Set<String> include;
    private final Set<String> exclude;
    private final Map<String, Boolean> cache = new HashMap<>();

    /**
     * @param include analysed fields (empty = all)
     * @param exclude never analysed fields
     */
    public FieldFilter(Set<String> include, Set<String> exclude) {
        this.include = Set.copyOf(include);
        this.exclude = Set.copyOf(exclude);
    }

    /** @return whether every field is accepted */
    public boolean acceptsAll() {
        return include.isEmpty() && exclude.isEmpty();
    }

    /**
     * @param path field path
     * @return whether the field is analysed
     */
    public boolean accept(String path) {
        if (acceptsAll()) {
            return true;
        }
        Boolean cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        boolean ok = (include.isEmpty() || matches(include, path)) && !matches(exclude, path);
        if (cache.size() < MAX_CACHE) {
            cache.put(path, ok);
        }
        return ok;
    }

    private static boolean matches(Set<String> names, String path) {
        if (names.contains(path)) {
            return true;
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if ((c == '.' || c == '[') && names.contains(path.substring(0, i))) {
                return true;
            }
        }
        return false;
    }
}
