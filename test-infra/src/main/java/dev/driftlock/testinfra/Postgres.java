package dev.driftlock.testinfra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

/** A real PostgreSQL server from the zonky binaries (user {@code postgres}, trust auth). */
public final class Postgres implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final EmbeddedPostgres server;

    private Postgres(EmbeddedPostgres server) {
        this.server = server;
    }

    /**
     * Starts PostgreSQL with its data in {@code workDir/data}; when {@code keepData} the directory
     * is reused across restarts, otherwise wiped first.
     */
    public static Postgres start(Path workDir, int port, boolean keepData) {
        try {
            Files.createDirectories(workDir.resolve("tmp"));
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setOverrideWorkingDirectory(workDir.resolve("tmp").toFile())
                    .setDataDirectory(workDir.resolve("data"))
                    .setCleanDataDirectory(!keepData)
                    .setPort(port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", keepData ? "on" : "off")
                    .setServerConfig("synchronous_commit", keepData ? "on" : "off")
                    .setServerConfig("full_page_writes", keepData ? "on" : "off")
                    .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(workDir.resolve("postgres.log").toFile()))
                    .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(workDir.resolve("postgres.log").toFile()))
                    .start();
            return new Postgres(server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL in " + workDir, e);
        }
    }

    public int port() {
        return server.getPort();
    }

    /** Creates the database if it does not exist yet, on any server reachable at {@code adminJdbcUrl}. */
    public static void createDatabase(String adminJdbcUrl, String user, String password, String database) {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("invalid database name: " + database);
        }
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl, user, password);
             PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rows = exists.executeQuery()) {
                if (rows.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    public void createDatabase(String database) {
        createDatabase(jdbcUrl("postgres"), "postgres", "postgres", database);
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public String reactiveUrl(String database) {
        return "postgresql://127.0.0.1:" + port() + "/" + database;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
