package dev.driftlock.gateway.apikey;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftlock.gateway.Accounts;
import dev.driftlock.gateway.GatewayConfig;
import dev.driftlock.gateway.SigningKeyTestResource;
import dev.driftlock.gateway.UpstreamStubTestResource;
import dev.driftlock.gateway.security.VerifiedKey;
import dev.driftlock.testinfra.Eventually;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands.ReactiveRedisSubscriber;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A revoked key stops working within seconds on a SECOND replica. As in {@code SharedRateLimitTest},
 * the second replica is a second, independent instance of the component in this JVM: its own
 * verifier (own cache, with a 10-minute TTL so only the broadcast can evict it) subscribed to the
 * revocation channel of the same real Redis, reading the same database. The revocation itself goes
 * through the running gateway's HTTP API (replica A).
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class RevocationAcrossReplicasTest {

    @Inject
    Pool pool;

    @Inject
    GatewayConfig config;

    @Inject
    ReactiveRedisDataSource redis;

    @Test
    void aKeyRevokedOnReplicaAIsRejectedByReplicaBWithinSecondsDespiteItsLongCache() {
        String org = Accounts.signUp("user-rhea", "Rhea Replicas");
        String key = Accounts.createKey("user-rhea", org, List.of("ingest", "read"), null);
        String keyId = key.substring(9, 17);
        ApiKeyVerifier replicaB = new ApiKeyVerifier(pool, config.apiKeys().pepper(), config.apiKeys().environment(),
                Duration.ofMinutes(10), Duration.ofMinutes(10));
        ReactiveRedisSubscriber listening = new RevocationBroadcast(redis, replicaB).subscribe().await().atMost(Duration.ofSeconds(10));
        try {
            VerifiedKey before = replicaB.verify(key).await().atMost(Duration.ofSeconds(10));
            assertEquals(org, before.orgId());
            assertEquals(Set.of("ingest", "read"), before.scopes());

            given().auth().oauth2(Accounts.userToken("user-rhea")).when().delete("/v1/orgs/" + org + "/api-keys/" + keyId).then()
                    .statusCode(204);
            long revoked = System.nanoTime();

            Eventually.assertThat(Duration.ofSeconds(5), () -> {
                AuthenticationFailedException rejected = assertThrows(AuthenticationFailedException.class,
                        () -> replicaB.verify(key).await().atMost(Duration.ofSeconds(5)));
                assertEquals("revoked API key", rejected.getMessage());
            });
            double seconds = (System.nanoTime() - revoked) / 1e9;
            assertTrue(seconds < 5, "replica B rejected the key after " + seconds + " s");
        } finally {
            listening.unsubscribe().await().atMost(Duration.ofSeconds(5));
        }
    }
}
