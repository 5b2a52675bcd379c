package dev.driftlock.cbad.canonical;

import java.util.Locale;

/**
 * Recognizes timestamp-like and id-like field names. Internal to the engine.
 */
public final class Keys {

    private Keys() {
    }

    private static String last(String path) {
        int dot = path.lastIndexOf('.');
        String k = dot < 0 ? path : path.substring(dot + 1);
        return k.endsWith("[]") ? k.substring(0, k.length() - 2) : k;
    }

    /**
     * @param path field path or name
     * @return whether the field holds timestamps (ts, time, timestamp, @timestamp, date, *_at, *At, *_time)
     */
    public static boolean isTimestampKey(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        String k = last(path);
        String l = k.toLowerCase(Locale.ROOT);
        return l.equals("ts") || l.equals("time") || l.equals("timestamp") || l.equals("@timestamp")
                || l.equals("date") || l.equals("datetime") || l.equals("created") || l.equals("updated")
                || l.endsWith("_at") || l.endsWith("_time") || l.endsWith("_ts") || l.endsWith("timestamp")
                || (k.endsWith("At") && k.length() > 2) || (k.endsWith("Time") && k.length() > 4);
    }

    /**
     * @param path field path or name
     * @return whether the field holds identifiers (id, *_id, *Id, uuid, guid, trace/span/request/session ids, nonce)
     */
    public static boolean isIdKey(String path) {
        if (path == null || path.isEmpty()) {
            return false;
        }
        String k = last(path);
        String l = k.toLowerCase(Locale.ROOT);
        return l.equals("id") || l.endsWith("_id") || l.endsWith("-id") || (k.endsWith("Id") && k.length() > 2)
                || k.endsWith("ID") || l.contains("uuid") || l.equals("guid") || l.equals("nonce")
                || l.equals("traceparent") || l.equals("etag");
    }
}
