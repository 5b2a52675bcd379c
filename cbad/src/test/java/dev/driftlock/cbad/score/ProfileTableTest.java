package dev.driftlock.cbad.score;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The profile table behaves exactly like an access-ordered LRU LinkedHashMap of the same capacity. */
class ProfileTableTest {

    private static List<Long> order(ProfileTable t) {
        List<Long> out = new ArrayList<>();
        t.forEach((k, p) -> out.add(k));
        return out;
    }

    @Test
    void getsPutsAndEvictionsMatchAnLruLinkedHashMap() {
        int capacity = 16;
        Map<Long, EntityModel.Profile> lru = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, EntityModel.Profile> eldest) {
                return size() > capacity;
            }
        };
        ProfileTable table = new ProfileTable(capacity);
        SplittableRandom r = new SplittableRandom(5);
        for (int step = 0; step < 20_000; step++) {
            // 40 keys for 16 places: many misses, evictions and re-insertions; some keys collide in the index
            long key = 1 + r.nextInt(40) * (r.nextBoolean() ? 1L : 1L << 40);
            EntityModel.Profile expected = lru.get(key);
            EntityModel.Profile got = table.get(key);
            assertSame(expected, got, "step " + step);
            if (got == null) {
                EntityModel.Profile p = new EntityModel.Profile("k", Long.toString(key), step);
                lru.put(key, p);
                table.put(key, p);
            }
            assertEquals(lru.size(), table.size());
        }
        assertEquals(new ArrayList<>(lru.keySet()), order(table));
        table.clear();
        assertEquals(0, table.size());
        assertEquals(List.of(), order(table));
    }
}
