package dev.driftlock.testinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/** A real redis-server process (6.2, shipped in the embedded-redis jar). */
public final class Redis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private Redis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts Redis on 127.0.0.1; with {@code dataDir} it persists (append-only file) there. */
    public static Redis start(int port, Path dataDir) {
        try {
            var builder = RedisServer.newRedisServer().bind("127.0.0.1").port(port).setting("maxmemory 128mb")
                    .setting("save \"\"");
            if (dataDir != null) {
                Files.createDirectories(dataDir);
                builder.setting("dir " + dataDir.toAbsolutePath()).setting("appendonly yes");
            } else {
                builder.setting("appendonly no");
            }
            RedisServer server = builder.build();
            server.start();
            return new Redis(server, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Redis on port " + port, e);
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
