package dev.driftlock.cbad;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One small generated stream per anomaly class of CBAD v2, each with one injected incident: the
 * engine must report exactly the expected incidents (id = index of the first flagged event, cause,
 * number of flagged events), at the default sensitivity.
 */
class AnomalyClassesTest {

    /** An incident as the test pins it. */
    record Seen(long id, String cause, long events) {
    }

    private static List<Seen> incidents(InputKind kind, List<String> events) {
        List<Seen> out = new ArrayList<>();
        try (Detector d = Detector.create(DetectorConfig.defaults(kind))) {
            List<Incident> last = new ArrayList<>();
            for (String e : events) {
                if (d.score(e) instanceof Verdict.Scored s && s.incident() != null) {
                    Incident i = s.incident();
                    last.removeIf(x -> x.id() == i.id() && x.cause().equals(i.cause()));
                    last.add(i);
                }
            }
            for (Incident i : last) {
                out.add(new Seen(i.id(), i.cause(), i.events()));
            }
        }
        return out;
    }

    private static String ts(long i) {
        return java.time.Instant.ofEpochSecond(1_763_700_000L + i).toString();
    }

    @Test
    void contextualNumericALatencyOrdinaryForTheStreamButNotForItsHost() {
        SplittableRandom r = new SplittableRandom(11);
        double[] level = {20, 200, 120, 400, 60};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int h = r.nextInt(5);
            double latency = level[h] * (0.9 + 0.2 * r.nextDouble());
            if (h == 0 && i >= 2500 && i < 2530) {
                latency = 120 * (0.9 + 0.2 * r.nextDouble()); // normal for host-3, six times host-1's
            }
            events.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"host\":\"host-%d\",\"latency_ms\":%.1f}", ts(i),
                    h + 1, latency));
        }
        assertEquals(List.of(new Seen(2501, "context:host=host-1:latency_ms", 8)), incidents(InputKind.JSON, events));
    }

    @Test
    void contextualNumericARouteWithIdsInItsPathIsAnEntityByItsMaskedPath() {
        SplittableRandom r = new SplittableRandom(13);
        String[] routes = {"/api/v1/users/%d", "/api/v1/orders/%d/items", "/api/search", "/health", "/api/cart"};
        double[] level = {15, 240, 120, 3, 60};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int k = r.nextInt(5);
            double latency = level[k] * (0.8 + 0.4 * r.nextDouble());
            if (k == 0 && i >= 2400 && i < 2460) {
                latency = 120 * (0.8 + 0.4 * r.nextDouble()); // ordinary for /api/search, 8x this route's
            }
            events.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"path\":\"%s\",\"latency_ms\":%.1f}", ts(i),
                    String.format(Locale.ROOT, routes[k], 1 + r.nextInt(900_000)), latency));
        }
        // every path is unique; masked, the five routes repeat and are the entity; one isolated false
        // alarm earlier (an extreme latency stream-wide)
        assertEquals(List.of(new Seen(1323, "numeric", 1), new Seen(2410, "context:path=/api/v1/users/<n>:latency_ms", 8)),
                incidents(InputKind.JSON, events));
    }

    @Test
    void contextualCategoryACardAlwaysInOneCountryThenAnother() {
        SplittableRandom r = new SplittableRandom(12);
        String[] countries = {"US", "DE", "FR", "GB", "CA"};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int card = r.nextInt(40);
            String country = countries[card % 5];
            if (card == 7 && i >= 2600) {
                country = "GB"; // card 7 always paid in FR
            }
            events.add(String.format(Locale.ROOT,
                    "{\"ts\":\"%s\",\"card\":\"card-%d\",\"country\":\"%s\",\"amount\":%.2f}", ts(i), card, country,
                    5 + 80 * r.nextDouble()));
        }
        assertEquals(List.of(new Seen(2606, "context_category:card=card-7", 16)), incidents(InputKind.JSON, events));
    }

    @Test
    void collectiveRateManyOrdinaryChargesOnOneMerchant() {
        SplittableRandom r = new SplittableRandom(13);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int m = r.nextInt(300);
            if (i >= 2400 && i < 2440 && r.nextDouble() < 0.6) {
                m = 42;
            }
            events.add(String.format(Locale.ROOT, "{\"ts\":\"%s\",\"merchant\":\"m%d\",\"amount\":%.2f}", ts(i), m,
                    5 + 80 * r.nextDouble()));
        }
        // found by the rare token's burst (merchant=m42 is 1 of 300 values) before the entity rate
        assertEquals(List.of(new Seen(2406, "burst:merchant=m42", 8)), incidents(InputKind.JSON, events));
    }

    @Test
    void logTemplatesANewTemplateAndARareTemplatesBurst() {
        SplittableRandom r = new SplittableRandom(14);
        String[] templates = {
            "sshd[%d]: Accepted publickey for user%d from 10.0.%d.%d port %d ssh2",
            "kernel: eth0: link up, %d Mbps, full duplex, lpa 0x%04X",
            "CRON[%d]: (root) CMD (run-parts /etc/cron.hourly) job %d",
            "ERROR app[%d]: request %d timed out after %d ms, retrying",
            "systemd[1]: Started Session %d of user user%d."};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String line;
            if (i >= 2000 && i < 2012) {
                line = String.format("EXT4-fs error (device sda%d): ext4_find_entry:1455: inode #%d: comm java: reading directory lblock 0",
                        r.nextInt(4), r.nextInt(100000));
            } else {
                int t = r.nextInt(5);
                line = String.format(Locale.ROOT, templates[t], r.nextInt(30000), r.nextInt(500), r.nextInt(255),
                        r.nextInt(255), 1024 + r.nextInt(60000));
            }
            events.add("Nov 21 04:" + String.format("%02d:%02d", (i / 60) % 60, i % 60) + " node-7 " + line);
        }
        // the new template (T5) is one incident of 8 flags, then a known shape; one isolated false
        // alarm on a line of the ERROR template (its severity word is an ordinary token, not a label)
        assertEquals(List.of(new Seen(643, "template:T2", 1), new Seen(2000, "template:T5", 8)),
                incidents(InputKind.TEXT, events));
    }

    @Test
    void collectiveEchoABurstOfOneUnusualShape() {
        SplittableRandom r = new SplittableRandom(15);
        String[] services = {"http", "smtp", "dns", "ftp", "ssh", "ntp"};
        String[] flags = {"SF", "SF", "SF", "SF", "REJ", "S0", "RSTO"};
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String service = services[r.nextInt(services.length)];
            String flag = flags[r.nextInt(flags.length)];
            int bytes = r.nextInt(5000);
            int count = r.nextInt(50);
            if (i >= 2200 && i < 2212) {
                // each record alone is ordinary; together they repeat one rare combination
                service = "ftp";
                flag = "RSTO";
                bytes = 1480;
                count = 49;
            }
            events.add(String.format(Locale.ROOT,
                    "{\"service\":\"%s\",\"flag\":\"%s\",\"src_bytes\":%d,\"count\":%d,\"logged_in\":%d}", service, flag,
                    bytes, count, r.nextInt(2)));
        }
        // the second record of the burst echoes the first, and the echo carries the burst as one
        // incident; one false alarm earlier (an extreme numeric value: 0 in a field that spans 0..5000)
        assertEquals(List.of(new Seen(799, "numeric", 1), new Seen(2202, "echo", 6)),
                incidents(InputKind.JSON, events));
    }
}
