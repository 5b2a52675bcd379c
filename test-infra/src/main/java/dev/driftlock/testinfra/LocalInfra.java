package dev.driftlock.testinfra;

import dev.driftlock.events.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The infrastructure host behind {@code ./driftlock up}: starts Kafka (own JVM), PostgreSQL and
 * Redis from Maven artifacts with data under {@code <home>/data} (kept across restarts), unless
 * {@code DRIFTLOCK_KAFKA}, {@code DRIFTLOCK_DB_URL} (a JDBC URL without database, user and password
 * from {@code DRIFTLOCK_DB_USER}/{@code DRIFTLOCK_DB_PASSWORD}) or {@code DRIFTLOCK_REDIS} name external
 * ones; creates every service database and topic; writes the internal-token key pair; writes
 * {@code <home>/run/infra.env} and then stays up until it is terminated, stopping what it started.
 *
 * <p>Usage: {@code LocalInfra <home> <kafkaPort> <kafkaControllerPort> <postgresPort> <redisPort> <db,db,...>}
 */
public final class LocalInfra {

    private LocalInfra() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: LocalInfra <home> <kafkaPort> <kafkaControllerPort> <postgresPort> <redisPort> <databases>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        Path data = home.resolve("data");
        Path run = home.resolve("run");
        Files.createDirectories(run);
        Files.deleteIfExists(run.resolve("infra.env"));
        List<AutoCloseable> started = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(started), "local-infra-stop"));

        Map<String, String> env = new LinkedHashMap<>();
        String kafka = System.getenv("DRIFTLOCK_KAFKA");
        if (kafka == null || kafka.isBlank()) {
            KafkaBroker broker = KafkaBroker.start(data.resolve("kafka"), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            started.add(broker);
            kafka = broker.bootstrapServers();
            env.put("KAFKA_PID", Long.toString(broker.pid()));
        }
        KafkaBroker.createTopics(kafka, Topics.ALL);
        env.put("KAFKA", kafka);

        String dbUrl = System.getenv("DRIFTLOCK_DB_URL");
        String dbUser = envOr("DRIFTLOCK_DB_USER", "postgres");
        String dbPassword = envOr("DRIFTLOCK_DB_PASSWORD", "postgres");
        if (dbUrl == null || dbUrl.isBlank()) {
            Postgres postgres = Postgres.start(data.resolve("postgres"), Integer.parseInt(args[3]), true);
            started.add(postgres);
            dbUrl = "jdbc:postgresql://127.0.0.1:" + postgres.port();
        }
        dbUrl = dbUrl.replaceAll("/+$", "");
        for (String database : Arrays.stream(args[5].split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            Postgres.createDatabase(dbUrl + "/postgres", dbUser, dbPassword, database);
        }
        env.put("DB_URL", dbUrl);
        env.put("DB_USER", dbUser);
        env.put("DB_PASSWORD", dbPassword);

        String redis = System.getenv("DRIFTLOCK_REDIS");
        if (redis == null || redis.isBlank()) {
            Redis server = Redis.start(Integer.parseInt(args[4]), data.resolve("redis"));
            started.add(server);
            redis = server.url();
        }
        env.put("REDIS", redis);

        InternalTokens.writeKeyPairIfMissing(home.resolve("keys"));
        env.put("INTERNAL_TOKEN_PRIVATE_KEY", home.resolve("keys/internal-token.pem").toString());
        env.put("INTERNAL_TOKEN_PUBLIC_KEY", home.resolve("keys/internal-token.pub.pem").toString());

        writeEnv(run.resolve("infra.env"), env);
        System.out.println("infrastructure ready: " + env);
        new CountDownLatch(1).await();
    }

    private static void writeEnv(Path file, Map<String, String> env) throws IOException {
        StringBuilder text = new StringBuilder();
        env.forEach((key, value) -> text.append(key).append("='").append(value.replace("'", "")).append("'\n"));
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, text);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static void stopAll(List<AutoCloseable> started) {
        for (AutoCloseable resource : started.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("stopping " + resource + " failed: " + e.getMessage());
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
