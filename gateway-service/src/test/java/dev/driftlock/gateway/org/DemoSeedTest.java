package dev.driftlock.gateway.org;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.driftlock.gateway.SigningKeyTestResource;
import dev.driftlock.gateway.UpstreamStubTestResource;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * Deliverable 7, {@code ./driftlock up}'s demo seed: a gateway started with
 * {@code driftlock.gateway.demo-seed.enabled=true} (a Quarkus application of its own, the setting
 * is read at start) has org {@value DemoSeed#ORG_ID}, and the key in the key file works with every
 * scope; running the seed again (what a restart does) adds a key but no second org.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DemoSeedTest.DemoSeedEnabled.class, scope = TestResourceScope.RESTRICTED_TO_CLASS)
class DemoSeedTest {

    static final Path KEY_FILE = Path.of("target", "demo-seed-test", "demo-api-key").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Turns the demo seed on, with the key file under target/ (deleted first, so the seed must write it). */
    public static class DemoSeedEnabled implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            try {
                Files.deleteIfExists(KEY_FILE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("driftlock.gateway.demo-seed.enabled", "true",
                    "driftlock.gateway.demo-seed.key-file", KEY_FILE.toString());
        }

        @Override
        public void stop() {
        }
    }

    WireMockServer upstream = UpstreamStubTestResource.server();

    @Inject
    DemoSeed seed;

    @Inject
    Pool pool;

    @Test
    void theDemoOrgExistsTheKeyFromTheKeyFileHasEveryScopeAndASecondRunCreatesNoSecondOrg() throws Exception {
        String key = Files.readString(KEY_FILE).strip();
        assertTrue(key.matches("dlk_live_[0-9A-Za-z]{8}_[0-9A-Za-z]{40}"), key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(KEY_FILE)));
        upstream.stubFor(get(urlPathEqualTo("/v1/anomalies")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));

        // a proxied read, forwarded for org_demo with the key's scopes
        given().header("X-Api-Key", key).when().get("/v1/anomalies?demo=first").then().statusCode(200).body(Matchers.equalTo("[]"));
        JsonNode claims = forwardedClaims("demo=first");
        assertEquals("org_demo", claims.get("org").asText());
        assertEquals(List.of("admin", "ingest", "read"), sorted(claims.get("groups")));
        // the gateway's own admin API: the org, its owner, the key's documented scopes
        given().header("X-Api-Key", key).when().get("/v1/orgs/org_demo").then()
                .statusCode(200)
                .body("id", Matchers.equalTo("org_demo"))
                .body("name", Matchers.equalTo("Demo"))
                .body("plan", Matchers.equalTo("developer"));
        given().header("X-Api-Key", key).when().get("/v1/orgs/org_demo/members").then()
                .statusCode(200)
                .body("userId", Matchers.equalTo(List.of("demo")))
                .body("role", Matchers.equalTo(List.of("owner")));
        given().header("X-Api-Key", key).when().get("/v1/orgs/org_demo/api-keys").then()
                .statusCode(200)
                .body("id", Matchers.equalTo(List.of(key.substring(9, 17))))
                .body("[0].scopes", Matchers.equalTo(List.of("admin", "ingest", "read")))
                .body("[0].name", Matchers.equalTo("demo key (./driftlock up)"));

        // what a restart does: the seed runs again against the same database
        seed.seed(new StartupEvent());

        String second = Files.readString(KEY_FILE).strip();
        assertNotEquals(key, second);
        given().header("X-Api-Key", second).when().get("/v1/anomalies?demo=second").then().statusCode(200);
        assertEquals("org_demo", forwardedClaims("demo=second").get("org").asText());
        given().header("X-Api-Key", second).when().get("/v1/orgs/org_demo/audit").then()
                .statusCode(200)
                .body("action", Matchers.equalTo(List.of("api_key.created", "api_key.created", "org.created")));
        given().header("X-Api-Key", second).when().get("/v1/orgs/org_demo/members").then()
                .statusCode(200)
                .body("userId", Matchers.equalTo(List.of("demo")));
        assertEquals(1L, count("SELECT count(*) FROM member WHERE user_id = $1", "demo"), "orgs owned by the demo user");
        assertEquals(1L, count("SELECT count(*) FROM outbox WHERE record_key = $1 AND payload LIKE '%org.created%'", "org_demo"),
                "org.created events of org_demo");
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next().getLong(0);
    }

    private JsonNode forwardedClaims(String marker) throws IOException {
        LoggedRequest forwarded = upstream.findAll(getRequestedFor(urlPathEqualTo("/v1/anomalies"))).stream()
                .filter(r -> r.getUrl().contains(marker)).reduce((first, last) -> last).orElseThrow();
        String jwt = forwarded.getHeader("Authorization").substring("Bearer ".length());
        assertTrue(SigningKeyTestResource.signedByGateway(jwt), "signed by the gateway's key");
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static List<String> sorted(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        values.sort(null);
        return values;
    }
}
