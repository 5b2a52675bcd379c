package dev.driftlock.cbad.harness2;

import java.util.List;

/**
 * API gateway access logs as JSON: 16 routes with Zipf traffic shares and their own log-normal
 * latency (medians 9-420 ms, Pareto slow tail) and response sizes; paths carry numeric and UUID ids;
 * 900 clients (Zipf) with browser, mobile and SDK agents; 4 gateway hosts in 2 regions; normal 4xx
 * (2 % 404 from stale links and bots, 1 % 401) and rare 5xx (0.3 %); volatile request and trace ids
 * and timestamps; diurnal arrival rate around 3 requests/s.
 *
 * <p>Classes (three incidents per stream, the first after 30 % of the stream):
 * <ul>
 *   <li>{@code path_scan}: one new client requests 60-150 distinct paths (dotfiles, admin panels, id
 *       enumeration) within 20-60 s, mostly 404/403;</li>
 *   <li>{@code error_burst}: one route answers 5xx to 85 % of its requests for 600 records (its 5xx
 *       records are labelled);</li>
 *   <li>{@code latency_spike}: one fast route becomes 8-12x slower for 150 records; the values stay
 *       inside the stream-wide latency range;</li>
 *   <li>{@code latency_shift}: one fast route's latency level triples for 1,500 records;</li>
 *   <li>{@code traffic_drop}: the busiest route stops receiving traffic for 800 records (every record of
 *       the window is labelled: what is missing cannot carry a label).</li>
 * </ul>
 */
final class ApiGen {

    static final List<String> CLASSES = List.of("path_scan", "error_burst", "latency_spike", "latency_shift",
            "traffic_drop");

    /** method, path template ({id} numeric, {uuid}), latency median ms, bytes median. */
    private record Route(String method, String path, double latency, double bytes) {
    }

    private static final Route[] ROUTES = {
            new Route("GET", "/api/v1/products", 38, 14_000),
            new Route("GET", "/api/v1/products/{id}", 22, 3_200),
            new Route("GET", "/api/v1/cart", 15, 900),
            new Route("POST", "/api/v1/cart/items", 31, 450),
            new Route("GET", "/api/v1/search", 140, 22_000),
            new Route("GET", "/api/v1/users/{id}", 12, 1_100),
            new Route("POST", "/api/v1/auth/token", 95, 700),
            new Route("GET", "/api/v1/orders/{id}", 27, 2_400),
            new Route("POST", "/api/v1/orders", 210, 1_300),
            new Route("POST", "/api/v1/payments", 420, 800),
            new Route("GET", "/api/v1/recommendations", 180, 9_500),
            new Route("GET", "/static/app.{uuid}.js", 9, 180_000),
            new Route("GET", "/api/v1/inventory/{id}", 45, 600),
            new Route("PUT", "/api/v1/users/{id}/preferences", 33, 300),
            new Route("GET", "/health", 2, 40),
            new Route("DELETE", "/api/v1/cart/items/{id}", 19, 120)};
    private static final double[] ROUTE_WEIGHT = Gen.zipf(ROUTES.length, 1.1);
    private static final String[] AGENTS = {
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 Version/18.1 Safari/605.1.15",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
            "ShopApp/5.12.0 (Android 14; Pixel 8)", "ShopApp/5.12.1 (iOS 18.1; iPhone15,2)",
            "okhttp/4.12.0", "partner-sdk-python/2.4.1", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko Firefox/133.0"};
    private static final String[] SCAN_PATHS = {"/.env", "/.git/config", "/wp-login.php", "/wp-admin/", "/admin",
            "/phpmyadmin/", "/actuator/env", "/actuator/heapdump", "/server-status", "/.aws/credentials",
            "/config.json", "/backup.zip", "/api/v1/debug", "/console", "/.DS_Store", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
            "/cgi-bin/luci", "/xmlrpc.php", "/api/swagger.json", "/graphql", "/.svn/entries", "/login.action"};
    private static final String[] HOSTS = {"gw-euw1-a", "gw-euw1-b", "gw-use1-a", "gw-use1-b"};

    private record Client(String ip, int agent, String user) {
    }

    private final Gen g;
    private final Client[] clients = new Client[900];
    private final double[] clientWeight = Gen.zipf(900, 0.8);
    private final LabelledData.Builder out = new LabelledData.Builder();
    private final Timeline timeline = new Timeline();
    // the incident in force over a window of records (route-level classes)
    private String klass = "none";
    private String incident;
    private int route = -1;
    private int from;
    private int to;

    private ApiGen(long seed) {
        g = new Gen(seed);
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Client(g.ipv4(), g.nextInt(AGENTS.length), g.chance(0.7) ? "u_" + g.slug(8) : null);
        }
    }

    static LabelledData generate(String klass, long seed, int n) {
        return new ApiGen(seed).run(klass, n);
    }

    private LabelledData run(String k, int n) {
        int[] starts = {(int) (n * 0.30), (int) (n * 0.55), (int) (n * 0.80)};
        int next = k.equals("none") ? starts.length : 0;
        while (out.size() < n) {
            g.advance(3.0);
            timeline.flush(g.now, out);
            if (next < starts.length && out.size() >= starts[next]) {
                start(k, next + 1);
                next++;
            }
            normal();
        }
        timeline.flush(Long.MAX_VALUE, out);
        return out.build("api", k, "jsonl", null);
    }

    private void start(String k, int n) {
        String id = "I" + n + "_" + k;
        klass = k;
        incident = id;
        from = out.size();
        switch (k) {
            case "path_scan" -> scan(id);
            case "error_burst" -> {
                route = new int[]{3, 6, 7, 8, 9}[g.nextInt(5)];
                to = from + 600;
            }
            case "latency_spike" -> {
                route = new int[]{1, 2, 5, 7}[g.nextInt(4)];
                to = from + 150;
            }
            case "latency_shift" -> {
                route = new int[]{1, 2, 5, 7}[g.nextInt(4)];
                to = from + 1500;
            }
            case "traffic_drop" -> {
                route = 0;
                to = from + 800;
            }
            default -> throw new IllegalArgumentException("api class " + k);
        }
    }

    private boolean active() {
        return route >= 0 && out.size() >= from && out.size() < to;
    }

    private void normal() {
        int r = g.pick(ROUTE_WEIGHT);
        String label = "";
        if (active() && klass.equals("traffic_drop")) {
            while (r == route) {
                r = g.pick(ROUTE_WEIGHT);
            }
            label = incident;
        }
        Route rt = ROUTES[r];
        Client c = clients[g.pick(clientWeight)];
        double latency = g.lognormal(rt.latency(), 0.45);
        if (g.chance(0.01)) {
            latency += g.pareto(rt.latency(), 1.3); // slow tail: GC pauses, cold caches
        }
        int status = rt.method().equals("POST") && r != 6 ? 201 : 200;
        double u = g.uniform();
        if (u < 0.02) {
            status = 404;
        } else if (u < 0.03) {
            status = 401;
        } else if (u < 0.033) {
            status = g.chance(0.5) ? 500 : 503;
        } else if (rt.method().equals("GET") && u < 0.08) {
            status = 304;
        }
        if (active() && r == route) {
            switch (klass) {
                case "error_burst" -> {
                    if (g.chance(0.85)) {
                        status = g.pick(new Integer[]{500, 502, 503, 503});
                        latency = status == 502 ? g.uniform(5, 30) : g.lognormal(rt.latency(), 0.3);
                        label = incident;
                    }
                }
                case "latency_spike" -> {
                    latency *= g.uniform(8, 12);
                    label = incident;
                }
                case "latency_shift" -> {
                    latency *= 3;
                    label = incident;
                }
                default -> {
                }
            }
        }
        String path = path(rt.path());
        double bytes = status >= 400 ? 60 + g.nextInt(200) : status == 304 ? 0 : g.lognormal(rt.bytes(), 0.5);
        out.add(record(g.now, c, rt.method(), path, status, latency, bytes), label);
    }

    private String path(String template) {
        return template.replace("{id}", String.valueOf(10_000 + g.nextInt(990_000))).replace("{uuid}", g.hex(8));
    }

    private String record(long time, Client c, String method, String path, int status, double latency, double bytes) {
        StringBuilder sb = new StringBuilder(420);
        sb.append("{\"ts\":").append(Gen.q(Gen.iso(time)))
                .append(",\"request_id\":").append(Gen.q(g.uuid()))
                .append(",\"trace_id\":").append(Gen.q(g.hex(32)))
                .append(",\"host\":").append(Gen.q(HOSTS[g.nextInt(HOSTS.length)]))
                .append(",\"client_ip\":").append(Gen.q(c.ip()))
                .append(",\"user_agent\":").append(Gen.q(AGENTS[c.agent()]));
        if (c.user() != null) {
            sb.append(",\"user\":").append(Gen.q(c.user()));
        }
        sb.append(",\"http\":{\"method\":").append(Gen.q(method))
                .append(",\"path\":").append(Gen.q(path))
                .append(",\"status\":").append(status)
                .append("},\"latency_ms\":").append(Gen.num(latency, 1))
                .append(",\"bytes\":").append(Math.round(bytes)).append('}');
        return sb.toString();
    }

    private void scan(String id) {
        Client scanner = new Client(g.ipv4(), -1, null);
        String agent = g.pick(new String[]{"python-requests/2.32.3", "Mozilla/5.0 zgrab/0.x", "curl/8.5.0"});
        int count = 60 + g.nextInt(91);
        long span = (20 + g.nextInt(41)) * 1000L;
        long t = g.now;
        int base = 10_000 + g.nextInt(50_000);
        for (int i = 0; i < count; i++) {
            t += Math.max(20, Math.round(-Math.log(1 - g.uniform()) * span / count));
            String path;
            int status;
            if (g.chance(0.5)) {
                path = SCAN_PATHS[g.nextInt(SCAN_PATHS.length)] + (g.chance(0.3) ? "?" + g.slug(4) + "=1" : "");
                status = g.chance(0.85) ? 404 : 403;
            } else {
                path = "/api/v1/users/" + (base + i);
                status = g.chance(0.6) ? 401 : 404;
            }
            String rec = record(t, new Client(scanner.ip(), 0, null), "GET", path, status, g.lognormal(6, 0.4),
                    60 + g.nextInt(120));
            rec = rec.replace(Gen.q(AGENTS[0]), Gen.q(agent));
            timeline.schedule(t, rec, id);
        }
    }
}
