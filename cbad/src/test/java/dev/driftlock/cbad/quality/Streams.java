package dev.driftlock.cbad.quality;

import dev.driftlock.cbad.InputKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Seeded generators of labelled streams: JSON API logs, card transactions and metric series, with
 * volatile ids and timestamps in every event. Same seed, same stream.
 */
public final class Streams {

    static final String[] ENDPOINTS = {"/api/users/%d", "/api/orders/%d", "/api/items", "/api/cart",
        "/api/search", "/health", "/api/login", "/api/orders", "/api/users/%d/profile", "/static/app.js"};
    static final double[] ENDPOINT_WEIGHTS = {14, 12, 14, 10, 12, 6, 6, 8, 8, 10};
    static final String[] AGENTS = {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) Safari/605.1", "okhttp/4.12.0", "DriftLockMobile/3.4 (iOS 17)"};
    static final String[] REGIONS = {"eu-west-1", "us-east-1", "ap-south-1"};
    static final String[] SCAN_PATHS = {"/.env", "/wp-login.php", "/admin/config.php", "/phpmyadmin/index.php",
        "/.git/config", "/cgi-bin/luci", "/actuator/env", "/server-status", "/backup.sql", "/vendor/phpunit/eval-stdin.php"};

    private Streams() {
    }

    private static String uuid(SplittableRandom r) {
        return new java.util.UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static String hex(SplittableRandom r, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return sb.toString();
    }

    private static String ip(SplittableRandom r) {
        return (10 + r.nextInt(200)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static int pick(SplittableRandom r, double[] w) {
        double t = 0;
        for (double v : w) {
            t += v;
        }
        double x = r.nextDouble() * t;
        for (int i = 0; i < w.length; i++) {
            x -= w[i];
            if (x < 0) {
                return i;
            }
        }
        return w.length - 1;
    }

    private static double logNormal(SplittableRandom r, double median, double sigma) {
        double u1 = Math.max(1e-12, r.nextDouble());
        double u2 = r.nextDouble();
        double g = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return median * Math.exp(sigma * g);
    }

    private static String ts(long epochMs) {
        return Instant.ofEpochMilli(epochMs).toString();
    }

    /** One normal API log event. */
    static String apiEvent(SplittableRandom r, long t, String mode) {
        int e = pick(r, ENDPOINT_WEIGHTS);
        String path = String.format(Locale.ROOT, ENDPOINTS[e], 1 + r.nextInt(90000));
        String method = switch (e) {
            case 6 -> "POST";
            case 3, 7 -> r.nextInt(3) == 0 ? "POST" : "GET";
            default -> "GET";
        };
        int status = 200;
        double u = r.nextDouble();
        if (e == 6) {
            status = u < 0.03 ? 401 : 200;
        } else if (u < 0.02) {
            status = 404;
        } else if (u < 0.03) {
            status = 304;
        } else if (method.equals("POST") && u < 0.5) {
            status = 201;
        }
        double latency = logNormal(r, e == 4 ? 80 : 25, 0.5);
        long bytes = Math.round(logNormal(r, e == 9 ? 90000 : 1800, 0.6));
        String agent = AGENTS[r.nextInt(AGENTS.length)];
        String user = "user" + r.nextInt(5000);
        String error = null;
        switch (mode) {
            case "error_burst" -> {
                if (r.nextDouble() < 0.8) {
                    status = r.nextBoolean() ? 500 : 503;
                    error = r.nextBoolean() ? "upstream connect timeout after 3000ms" : "database connection pool exhausted";
                    latency = logNormal(r, 3000, 0.1);
                }
            }
            case "endpoint_scan" -> {
                if (r.nextDouble() < 0.7) {
                    path = SCAN_PATHS[r.nextInt(SCAN_PATHS.length)];
                    method = "GET";
                    status = 404;
                    agent = "Mozilla/5.0 zgrab/0.x";
                    bytes = 150;
                }
            }
            case "latency_spike" -> {
                if (r.nextDouble() < 0.7) {
                    latency = logNormal(r, 2500, 0.3);
                }
            }
            case "credential_stuffing" -> {
                if (r.nextDouble() < 0.8) {
                    path = "/api/login";
                    method = "POST";
                    status = 401;
                    agent = "python-requests/2.31.0";
                    bytes = 61;
                }
            }
            case "huge_response" -> {
                if (r.nextDouble() < 0.5) {
                    bytes = Math.round(logNormal(r, 300_000_000L, 0.3));
                }
            }
            default -> {
            }
        }
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"timestamp\":\"").append(ts(t)).append("\",\"request_id\":\"").append(uuid(r))
                .append("\",\"trace\":\"").append(hex(r, 16)).append("\",\"client\":{\"ip\":\"").append(ip(r))
                .append("\",\"agent\":\"").append(agent).append("\"},\"http\":{\"method\":\"").append(method)
                .append("\",\"path\":\"").append(path).append("\",\"status\":").append(status).append("},");
        if (mode.equals("schema_change")) {
            sb.append("\"duration\":\"").append(String.format(Locale.ROOT, "%.1fms", latency))
                    .append("\",\"resp\":{\"size\":").append(bytes).append(",\"encoding\":\"br\"},\"api_version\":2");
        } else {
            sb.append("\"latency_ms\":").append(String.format(Locale.ROOT, "%.1f", latency))
                    .append(",\"bytes\":").append(bytes);
        }
        sb.append(",\"user\":\"").append(user).append("\",\"region\":\"").append(REGIONS[r.nextInt(3)]).append('"');
        if (error != null) {
            sb.append(",\"error\":\"").append(error).append('"');
        }
        sb.append('}');
        return sb.toString();
    }

    /** Incident types of the API log stream. */
    public static final String[] API_INCIDENTS = {"error_burst", "endpoint_scan", "latency_spike", "schema_change",
        "credential_stuffing", "huge_response"};

    /**
     * @param seed      seed
     * @param n         events
     * @param incidents incident types to inject, evenly spaced after the warm-up (empty: normal only)
     * @return the labelled stream
     */
    public static LabelledStream apiLogs(long seed, int n, List<String> incidents) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> events = new ArrayList<>(n);
        List<LabelledStream.Incident> labels = placements(n, incidents, seed, 40);
        long t = 1_763_700_000_000L;
        for (int i = 0; i < n; i++) {
            t += 1 + r.nextInt(400);
            String mode = modeAt(labels, i);
            events.add(apiEvent(r, t, mode));
        }
        return new LabelledStream("api-logs", InputKind.JSON, events, labels);
    }

    static List<LabelledStream.Incident> placements(int n, List<String> types, long seed, int length) {
        List<LabelledStream.Incident> out = new ArrayList<>();
        if (types.isEmpty()) {
            return out;
        }
        int warm = 1200;
        int gap = (n - warm) / types.size();
        Random r = new Random(seed);
        for (int k = 0; k < types.size(); k++) {
            int start = warm + k * gap + r.nextInt(Math.max(1, gap / 3));
            int len = types.get(k).equals("huge_response") ? 4 : length;
            out.add(new LabelledStream.Incident(types.get(k), start, Math.min(n, start + len)));
        }
        return out;
    }

    static String modeAt(List<LabelledStream.Incident> labels, int i) {
        for (LabelledStream.Incident inc : labels) {
            if (i >= inc.start() && i < inc.end()) {
                return inc.type();
            }
        }
        return "normal";
    }

    /** Incident types of the transaction stream. */
    public static final String[] TXN_INCIDENTS = {"fraud_burst", "card_testing"};

    /**
     * @param seed      seed
     * @param n         events
     * @param incidents incident types
     * @return card transactions; amounts are kept as a signal
     */
    public static LabelledStream transactions(long seed, int n, List<String> incidents) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String> events = new ArrayList<>(n);
        List<LabelledStream.Incident> labels = placements(n, incidents, seed + 1, 30);
        long t = 1_763_700_000_000L;
        String[] channels = {"pos", "online", "contactless"};
        for (int i = 0; i < n; i++) {
            t += 1 + r.nextInt(2000);
            String mode = modeAt(labels, i);
            double amount = Math.round(logNormal(r, 35, 0.8) * 100) / 100.0;
            String merchant = "m" + r.nextInt(300);
            int mcc = 5411 + 10 * r.nextInt(12);
            String country = r.nextDouble() < 0.92 ? "US" : "CA";
            String currency = country.equals("US") ? "USD" : "CAD";
            String channel = channels[r.nextInt(3)];
            boolean approved = r.nextDouble() > 0.02;
            if (mode.equals("fraud_burst") && r.nextDouble() < 0.8) {
                amount = Math.round(logNormal(r, 2400, 0.3) * 100) / 100.0;
                country = r.nextBoolean() ? "RO" : "NG";
                currency = "EUR";
                channel = "online";
                merchant = "m" + (900 + r.nextInt(3));
                mcc = 5944;
            } else if (mode.equals("card_testing") && r.nextDouble() < 0.8) {
                amount = Math.round((0.5 + r.nextDouble() * 0.5) * 100) / 100.0;
                channel = "online";
                merchant = "m777";
                mcc = 5999;
                approved = false;
            }
            events.add(String.format(Locale.ROOT,
                    "{\"txn_id\":\"%s\",\"created_at\":\"%s\",\"card\":{\"hash\":\"%s\",\"bin\":%d},"
                            + "\"merchant\":\"%s\",\"mcc\":%d,\"amount\":%.2f,\"currency\":\"%s\",\"country\":\"%s\","
                            + "\"channel\":\"%s\",\"approved\":%b}",
                    uuid(r), ts(t), hex(r, 32), 400000 + r.nextInt(20) * 1111, merchant, mcc, amount, currency, country,
                    channel, approved));
        }
        return new LabelledStream("transactions", InputKind.JSON, events, labels);
    }

    /** Incident types of metric series. */
    public static final String[] METRIC_INCIDENTS = {"spike", "level_shift", "variance_change", "drift",
        "broken_pattern"};

    /**
     * @param seed      seed
     * @param n         points
     * @param incidents incident types
     * @return a seasonal metric with noise ({@code {"ts":..,"cpu":..}} per point)
     */
    public static LabelledStream metric(long seed, int n, List<String> incidents) {
        SplittableRandom r = new SplittableRandom(seed);
        List<LabelledStream.Incident> labels = new ArrayList<>();
        int warm = 400;
        if (!incidents.isEmpty()) {
            int gap = (n - warm) / incidents.size();
            for (int k = 0; k < incidents.size(); k++) {
                int start = warm + k * gap + gap / 4;
                int len = switch (incidents.get(k)) {
                    case "spike" -> 1;
                    case "drift" -> 150;
                    default -> 60;
                };
                labels.add(new LabelledStream.Incident(incidents.get(k), start, Math.min(n, start + len)));
            }
        }
        List<String> events = new ArrayList<>(n);
        long t = 1_763_700_000L;
        for (int i = 0; i < n; i++) {
            String mode = modeAt(labels, i);
            double season = 10 * Math.sin(2 * Math.PI * i / 48.0);
            double u1 = Math.max(1e-12, r.nextDouble());
            double noise = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * r.nextDouble());
            double v = 50 + season + 2 * noise;
            LabelledStream.Incident inc = null;
            for (LabelledStream.Incident x : labels) {
                if (i >= x.start() && i < x.end()) {
                    inc = x;
                }
            }
            switch (mode) {
                case "spike" -> v += 30;
                case "level_shift" -> v += 14;
                case "variance_change" -> v += 8 * noise;
                case "drift" -> v += 25.0 * (i - inc.start()) / (inc.end() - inc.start());
                case "broken_pattern" -> v = 50 + 2 * noise;
                default -> {
                }
            }
            t += 60;
            events.add(String.format(Locale.ROOT, "{\"ts\":%d,\"cpu\":%.3f}", t, v));
        }
        return new LabelledStream("metric", InputKind.NUMERIC, events, labels);
    }
}
