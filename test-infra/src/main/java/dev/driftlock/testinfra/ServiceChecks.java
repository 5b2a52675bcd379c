package dev.driftlock.testinfra;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The checks every service's smoke test makes against the real infrastructure. */
public final class ServiceChecks {

    public static final String DATABASE_CHECK = "Database connections health check";
    public static final String KAFKA_CHECK = "Kafka connection health check";

    private ServiceChecks() {
    }

    /** Readiness is UP and includes the database, Kafka and the given further checks. */
    public static void assertReadyWith(String... moreChecks) {
        List<String> checks = new ArrayList<>(List.of(DATABASE_CHECK, KAFKA_CHECK));
        checks.addAll(List.of(moreChecks));
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems(checks.toArray(String[]::new)));
    }

    /** The tables of the {@code public} schema of a test database, sorted. */
    public static List<String> tablesOf(String database) {
        String url = PostgresTestResource.server().jdbcUrl(database);
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             ResultSet rows = connection.createStatement().executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")) {
            List<String> tables = new ArrayList<>();
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A GET of {@code path} without a token, with an expired one and with an untrusted one gets 401 problem+json. */
    public static void assertRequiresInternalToken(String path) {
        given().when().get(path).then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("status", equalTo(401))
                .body("type", equalTo("https://driftlock.dev/problems/unauthenticated"));
        given().auth().oauth2(InternalTokens.mintExpired("org_smoke", "alice", "read")).when().get(path).then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.mintWithUntrustedKey("org_smoke", "alice", "read")).when().get(path).then()
                .statusCode(401)
                .contentType("application/problem+json");
        given().auth().oauth2(InternalTokens.mint("org_smoke", "alice", "ingest")).when().get(path).then()
                .statusCode(403)
                .contentType("application/problem+json");
    }
}
