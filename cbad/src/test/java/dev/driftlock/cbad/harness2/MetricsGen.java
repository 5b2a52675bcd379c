package dev.driftlock.cbad.harness2;

import java.util.List;

/**
 * Host metrics as JSON, one record per host every 2 minutes (hosts in random order within a tick):
 * 10 hosts in three roles with their own levels (CPU 12-55 %, latency 8-160 ms, requests/s), a
 * diurnal swing, a 30-tick (hourly) batch cycle, AR(1) noise and occasional latency outliers (up to
 * 2.5x); a volatile timestamp and sample id.
 *
 * <p>Classes, each on one host, three incidents per stream (after 30 % of the stream); the values
 * stay inside what other hosts report, so only the host's own history shows them:
 * <ul>
 *   <li>{@code spike}: latency 4-6x for 1-2 ticks;</li>
 *   <li>{@code level_shift}: CPU +20 points and latency x1.8 for 80 ticks;</li>
 *   <li>{@code variance_change}: latency noise x5 (same mean) for 80 ticks;</li>
 *   <li>{@code stuck}: CPU repeats one value exactly for 80 ticks (a dead collector);</li>
 *   <li>{@code broken_seasonality}: the host's hourly batch cycle stops for 90 ticks (3 cycles).</li>
 * </ul>
 */
final class MetricsGen {

    static final List<String> CLASSES = List.of("spike", "level_shift", "variance_change", "stuck",
            "broken_seasonality");
    private static final int PERIOD = 30;

    private record Host(String name, String role, double cpu, double latency, double rps, double cycle) {
    }

    private final Gen g;
    private final Host[] hosts = new Host[10];
    private final double[] cpuNoise = new double[10];
    private final double[] latNoise = new double[10];
    private final LabelledData.Builder out = new LabelledData.Builder();

    private MetricsGen(long seed) {
        g = new Gen(seed);
        for (int i = 0; i < hosts.length; i++) {
            String role = i < 6 ? "web" : i < 8 ? "db" : "cache";
            String name = role + "-" + (i < 6 ? i + 1 : i < 8 ? i - 5 : i - 7);
            double cpu = role.equals("db") ? g.uniform(35, 55) : role.equals("web") ? g.uniform(18, 45) : g.uniform(12, 20);
            double lat = role.equals("db") ? g.uniform(60, 160) : role.equals("web") ? g.uniform(25, 70) : g.uniform(8, 14);
            hosts[i] = new Host(name, role, cpu, lat, g.uniform(40, 400), role.equals("db") ? g.uniform(10, 18) : g.uniform(3, 8));
        }
    }

    static LabelledData generate(String klass, long seed, int n) {
        return new MetricsGen(seed).run(klass, n);
    }

    private LabelledData run(String klass, int n) {
        int ticks = (n + hosts.length - 1) / hosts.length;
        int[] starts = {(int) (ticks * 0.30), (int) (ticks * 0.55), (int) (ticks * 0.80)};
        int[] victims = {g.nextInt(10), g.nextInt(10), g.nextInt(10)};
        int len = switch (klass) {
            case "spike" -> 1;
            case "broken_seasonality" -> 3 * PERIOD;
            default -> 80;
        };
        int[] order = new int[hosts.length];
        double[] stuckValue = new double[hosts.length];
        for (int tick = 0; tick < ticks && out.size() < n; tick++) {
            g.now = Gen.EPOCH_MS + tick * 120_000L;
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            for (int i = order.length - 1; i > 0; i--) {
                int j = g.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double day = Math.sin(2 * Math.PI * (g.hourOfDay() - 9) / 24);
            for (int hi : order) {
                if (out.size() >= n) {
                    break;
                }
                Host h = hosts[hi];
                String label = "";
                int inc = -1;
                if (!klass.equals("none")) {
                    for (int k = 0; k < starts.length; k++) {
                        int l = klass.equals("spike") ? 1 + (k % 2) : len;
                        if (victims[k] == hi && tick >= starts[k] && tick < starts[k] + l) {
                            inc = k;
                        }
                    }
                }
                if (inc >= 0) {
                    label = "I" + (inc + 1) + "_" + klass;
                }
                double phase = (tick % PERIOD) / (double) PERIOD;
                double cycle = phase < 0.2 ? h.cycle() * Math.sin(Math.PI * phase / 0.2) : 0; // batch job at :00
                if (inc >= 0 && klass.equals("broken_seasonality")) {
                    cycle = 0;
                }
                cpuNoise[hi] = 0.7 * cpuNoise[hi] + g.gaussian() * 1.5;
                double load = 1 + 0.35 * day;
                double cpu = h.cpu() * load + cycle + cpuNoise[hi];
                double sd = inc >= 0 && klass.equals("variance_change") ? 5 : 1;
                latNoise[hi] = 0.6 * latNoise[hi] + g.gaussian() * 0.08 * sd;
                double lat = h.latency() * (1 + 0.2 * day + cycle / 40) * Math.exp(latNoise[hi]);
                if (g.chance(0.004)) {
                    lat *= Math.min(2.5, g.pareto(1.3, 3)); // occasional slow sample (at most 2.5x)
                }
                if (inc >= 0) {
                    switch (klass) {
                        case "spike" -> lat *= g.uniform(4, 6);
                        case "level_shift" -> {
                            cpu += 20;
                            lat *= 1.8;
                        }
                        case "stuck" -> cpu = stuckValue[hi];
                        default -> {
                        }
                    }
                } else {
                    stuckValue[hi] = Math.round(Math.max(1, Math.min(99, cpu)) * 10) / 10.0;
                }
                cpu = Math.max(1, Math.min(99, cpu));
                double rps = h.rps() * load * (1 + 0.05 * g.gaussian());
                double mem = 40 + h.cpu() * 0.5 + 2 * g.gaussian();
                out.add("{\"ts\":" + Gen.q(g.iso()) + ",\"sample\":" + Gen.q(g.hex(12))
                        + ",\"host\":" + Gen.q(h.name()) + ",\"role\":" + Gen.q(h.role())
                        + ",\"cpu_pct\":" + Gen.num(cpu, 1) + ",\"mem_pct\":" + Gen.num(mem, 1)
                        + ",\"latency_ms\":" + Gen.num(lat, 2) + ",\"rps\":" + Gen.num(rps, 1)
                        + ",\"disk_iops\":" + Math.round(g.lognormal(h.role().equals("db") ? 900 : 120, 0.3)) + "}", label);
            }
        }
        return out.build("metrics", klass, "jsonl", null);
    }
}
