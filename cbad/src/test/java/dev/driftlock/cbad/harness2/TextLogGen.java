package dev.driftlock.cbad.harness2;

import java.util.List;
import java.util.function.Function;

/**
 * Application log lines (Logback layout: date, level, thread, logger, message) from 22 message
 * templates with skewed frequencies (from 14 % down to 0.2 % of lines), numeric, hex, UUID, IP and
 * name parameters, and severity words that are <em>not</em> labels: normal traffic has regular
 * ERROR lines (declined payments, retried jobs), WARN lines and a rare FATAL watchdog line.
 *
 * <p>Classes (three incidents per stream, after 30 % of the stream):
 * <ul>
 *   <li>{@code new_template}: 3-8 lines of a template never seen before within about a minute
 *       (INFO, WARN or ERROR);</li>
 *   <li>{@code rare_burst}: the connection-pool timeout line (0.4 % of normal lines) becomes 30 % of
 *       the lines for 150 lines (its lines in the window are labelled);</li>
 *   <li>{@code mix_shift}: cache hits and misses swap shares (hits 14 % to 4 %, misses 5 % to 15 %) for
 *       600 lines; each template alone is ordinary (the miss lines in the window are labelled).</li>
 * </ul>
 */
final class TextLogGen {

    static final List<String> CLASSES = List.of("new_template", "rare_burst", "mix_shift");

    private record Template(String level, String thread, String logger, double weight, Function<Gen, String> msg) {
    }

    private static final String[] JOBS = {"reconcile-ledger", "expire-carts", "sync-catalog", "rebuild-search-index",
            "send-digest", "purge-sessions"};
    private static final String[] NODES = {"node-a1", "node-a2", "node-b1", "node-b2", "node-c1"};

    private static final Template[] T = {
            new Template("INFO", "http", "c.s.orders.OrderService", 12, g -> "Order " + (4_000_000 + g.nextInt(999_999))
                    + " created for customer c_" + g.slug(6) + " total=" + Gen.num(g.lognormal(45, 0.9), 2) + " EUR in "
                    + Math.round(g.lognormal(35, 0.5)) + "ms"),
            new Template("DEBUG", "http", "c.s.cache.CacheManager", 14, g -> "Cache hit for key product:" + (10_000 + g.nextInt(90_000))),
            new Template("DEBUG", "http", "c.s.cache.CacheManager", 5, g -> "Cache miss for key product:" + (10_000 + g.nextInt(90_000))
                    + ", loading from db"),
            new Template("INFO", "http", "c.s.auth.SessionService", 8, g -> "User u_" + g.slug(8) + " logged in from " + g.ipv4()),
            new Template("INFO", "sched", "c.s.auth.SessionService", 5, g -> "Session " + g.hex(16) + " expired after "
                    + (15 + g.nextInt(45)) + " minutes of inactivity"),
            new Template("WARN", "http", "c.s.pay.PaymentClient", 2, g -> "Payment provider responded slowly: "
                    + Math.round(g.lognormal(2500, 0.4)) + "ms for charge ch_" + g.token(24)),
            new Template("ERROR", "http", "c.s.pay.PaymentClient", 2, g -> "Payment declined for order "
                    + (4_000_000 + g.nextInt(999_999)) + ": " + g.pick(new String[]{"card_declined", "insufficient_funds",
                    "expired_card"})),
            new Template("INFO", "sched", "c.s.jobs.Scheduler", 3, g -> "Job " + g.pick(JOBS) + " started"),
            new Template("INFO", "sched", "c.s.jobs.Scheduler", 3, g -> "Job " + g.pick(JOBS) + " finished in "
                    + Math.round(g.lognormal(4000, 1.0)) + "ms, " + Math.round(g.pareto(10, 1.2)) + " records processed"),
            new Template("ERROR", "sched", "c.s.jobs.Scheduler", 1, g -> "Job " + g.pick(JOBS) + " attempt " + (1 + g.nextInt(4))
                    + "/5 failed: java.net.SocketTimeoutException: Read timed out"),
            new Template("WARN", "http", "com.zaxxer.hikari.pool.HikariPool", 0.5, g -> "HikariPool-1 - Connection is not available, request timed out after "
                    + (30000 + g.nextInt(40)) + "ms."),
            new Template("INFO", "kafka", "o.a.k.c.c.internals.ConsumerCoordinator", 6, g -> "[Consumer clientId=orders-"
                    + g.nextInt(4) + ", groupId=orders] Committed offset " + (1_200_000 + g.nextInt(400_000))
                    + " for partition orders-" + g.nextInt(12)),
            new Template("FATAL", "sched", "c.s.cluster.Watchdog", 0.3, g -> "Heartbeat from " + g.pick(NODES) + " missed "
                    + (3 + g.nextInt(3)) + " times, marking node unhealthy"),
            new Template("INFO", "http", "c.s.inventory.InventoryService", 5, g -> "Reserved " + (1 + g.nextInt(6))
                    + " units of sku SKU-" + g.slug(6).toUpperCase() + " for order " + (4_000_000 + g.nextInt(999_999))),
            new Template("WARN", "http", "c.s.web.RateLimiter", 1, g -> "Rate limit exceeded for client " + g.ipv4() + ", "
                    + (120 + g.nextInt(400)) + " requests in 60s"),
            new Template("INFO", "sched", "c.s.mail.Mailer", 3, g -> "Sent " + g.pick(new String[]{"order_confirmation",
                    "password_reset", "shipping_update"}) + " email to u_" + g.slug(8) + " (message id " + g.uuid() + ")"),
            new Template("ERROR", "http", "c.s.web.ApiExceptionHandler", 0.4, g -> "Unhandled exception on GET /api/v1/recommendations:"
                    + " java.lang.IllegalStateException: empty candidate set for segment " + g.nextInt(40)),
            new Template("INFO", "sched", "c.s.ops.HealthCheck", 2, g -> "Health check OK: db=" + Math.round(g.lognormal(4, 0.5))
                    + "ms cache=" + Math.round(g.lognormal(1, 0.5)) + "ms queue_depth=" + g.nextInt(50)),
            new Template("WARN", "gc", "c.s.ops.GcMonitor", 0.6, g -> "GC pause " + Math.round(g.lognormal(180, 0.6))
                    + "ms (G1 Evacuation Pause), heap " + (40 + g.nextInt(50)) + "% after collection"),
            new Template("DEBUG", "http", "c.s.orders.CartValidator", 6, g -> "Validating cart " + g.hex(12) + " with "
                    + (1 + g.nextInt(12)) + " items"),
            new Template("INFO", "sched", "c.s.reports.ReportService", 0.3, g -> "Generated report " + g.pick(JOBS) + "-"
                    + Gen.iso(g.now).substring(0, 10) + ".csv (" + Math.round(g.pareto(100, 1.1)) + " rows)"),
            new Template("INFO", "http", "c.s.web.AccessLog", 10, g -> g.pick(new String[]{"GET", "GET", "POST"}) + " /api/v1/"
                    + g.pick(new String[]{"products", "cart", "orders", "search"}) + " " + g.pick(new String[]{"200", "200", "200", "304", "404"})
                    + " " + Math.round(g.lognormal(30, 0.7)) + "ms")};
    private static final int HIT = 1;
    private static final int MISS = 2;
    private static final int POOL = 10;

    private static final Template[] NEW = {
            new Template("INFO", "sched", "c.s.config.ConfigWatcher", 0, g -> "Reloaded feature flags from /etc/app/flags.yaml: "
                    + (1 + g.nextInt(9)) + " flags changed"),
            new Template("WARN", "sched", "c.s.tls.TlsContext", 0, g -> "Certificate for api.partner.example.com expires in "
                    + (3 + g.nextInt(10)) + " days"),
            new Template("ERROR", "http", "c.s.orders.OrderService", 0, g -> "Invariant violated: order " + (4_000_000 + g.nextInt(999_999))
                    + " total " + Gen.num(g.lognormal(45, 0.9), 2) + " does not match the sum of its items")};

    private final Gen g;
    private final LabelledData.Builder out = new LabelledData.Builder();
    private final Timeline timeline = new Timeline();

    private TextLogGen(long seed) {
        g = new Gen(seed);
    }

    static LabelledData generate(String klass, long seed, int n) {
        return new TextLogGen(seed).run(klass, n);
    }

    private String line(long time, Template t) {
        String thread = switch (t.thread()) {
            case "http" -> "http-nio-8080-exec-" + (1 + g.nextInt(40));
            case "kafka" -> "kafka-consumer-" + (1 + g.nextInt(4));
            case "gc" -> "gc-monitor";
            default -> "scheduling-" + (1 + g.nextInt(3));
        };
        String ts = Gen.iso(time).replace('T', ' ').replace('.', ',').substring(0, 23);
        return ts + " " + String.format("%-5s", t.level()) + " [" + thread + "] " + t.logger() + " - " + t.msg().apply(g);
    }

    private LabelledData run(String klass, int n) {
        int[] starts = {(int) (n * 0.30), (int) (n * 0.55), (int) (n * 0.80)};
        int next = klass.equals("none") ? starts.length : 0;
        double[] normal = weights(false, false);
        double[] burst = weights(true, false);
        double[] shifted = weights(false, true);
        String incident = null;
        int from = -1;
        int to = -1;
        while (out.size() < n) {
            g.advance(6);
            timeline.flush(g.now, out);
            if (next < starts.length && out.size() >= starts[next]) {
                incident = "I" + (next + 1) + "_" + klass;
                from = out.size();
                to = from + (klass.equals("rare_burst") ? 150 : 600);
                if (klass.equals("new_template")) {
                    Template t = NEW[next % NEW.length];
                    int count = 3 + g.nextInt(6);
                    long at = g.now;
                    for (int i = 0; i < count; i++) {
                        at += 1000 + g.nextInt(12_000);
                        timeline.schedule(at, line(at, t), incident);
                    }
                }
                next++;
            }
            boolean active = out.size() >= from && out.size() < to;
            double[] w = active && klass.equals("rare_burst") ? burst : active && klass.equals("mix_shift") ? shifted : normal;
            int k = g.pick(w);
            String label = active && (klass.equals("rare_burst") && k == POOL || klass.equals("mix_shift") && k == MISS)
                    ? incident : "";
            out.add(line(g.now, T[k]), label);
        }
        timeline.flush(Long.MAX_VALUE, out);
        return out.build("text", klass, "text", null);
    }

    private static double[] weights(boolean burst, boolean shifted) {
        double[] w = new double[T.length];
        double sum = 0;
        for (int i = 0; i < T.length; i++) {
            w[i] = T[i].weight();
            if (shifted && i == HIT) {
                w[i] = 4;
            } else if (shifted && i == MISS) {
                w[i] = 15;
            }
            sum += w[i];
        }
        if (burst) {
            // the pool line takes 30 % of all lines
            w[POOL] = 0.3 / 0.7 * (sum - w[POOL]);
        }
        return Gen.cumulative(w);
    }
}
