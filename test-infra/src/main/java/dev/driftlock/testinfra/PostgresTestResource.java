package dev.driftlock.testinfra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Quarkus test resource: one real PostgreSQL server per test JVM and a database named by the
 * init arg {@code database}. Sets the reactive and JDBC (Flyway) datasource URLs.
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private static Postgres server;
    private String database = "driftlock";

    public static synchronized Postgres server() {
        if (server == null) {
            try {
                Files.createDirectories(Path.of("target"));
                server = Postgres.start(Files.createTempDirectory(Path.of("target"), "postgres-"), FreePorts.next(), false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Postgres started = server;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "postgres-test-stop"));
        }
        return server;
    }

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        Postgres postgres = server();
        postgres.createDatabase(database);
        return Map.of(
                "quarkus.datasource.reactive.url", postgres.reactiveUrl(database),
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(database),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public void stop() {
        // shared by every Quarkus restart in this JVM; stopped by the shutdown hook
    }
}
