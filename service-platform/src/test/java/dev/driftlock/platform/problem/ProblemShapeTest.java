package dev.driftlock.platform.problem;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import dev.driftlock.platform.testapp.PlatformDb;
import dev.driftlock.platform.testapp.PlatformTestResources;
import dev.driftlock.testinfra.InternalTokenTestResource;
import dev.driftlock.testinfra.InternalTokens;
import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The problem+json shape of docs/adr/0006, one test per kind of error. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PlatformTestResources.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = PlatformDb.DATABASE))
@WithTestResource(value = InternalTokenTestResource.class, scope = TestResourceScope.GLOBAL)
class ProblemShapeTest {

    @Test
    void aFeatureExceptionAnswersItsOwnStatusSlugAndTitle() {
        given().when().get("/test/problems/feature").then()
                .statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/quota-exhausted"))
                .body("title", equalTo("Quota exhausted"))
                .body("status", equalTo(409))
                .body("detail", equalTo("The org used 1000 of 1000 anomalies this period."))
                .body("instance", equalTo("/test/problems/feature"))
                .body("errors", nullValue());
    }

    @Test
    void noTokenIsUnauthenticatedWithTheConfiguredDetail() {
        given().when().get("/test/problems/admin").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("https://driftlock.dev/problems/unauthenticated"))
                .body("title", equalTo("Unauthenticated"))
                .body("status", equalTo(401))
                .body("detail", equalTo("A valid internal token is required; call this API through the DriftLock gateway."))
                .body("instance", equalTo("/test/problems/admin"));
    }

    @Test
    void anUntrustedTokenIsUnauthenticatedToo() {
        given().auth().oauth2(InternalTokens.mintWithUntrustedKey("org_a", "alice", "admin"))
                .when().get("/test/problems/admin").then()
                .statusCode(401)
                .body("type", equalTo("https://driftlock.dev/problems/unauthenticated"))
                .body("detail", equalTo("A valid internal token is required; call this API through the DriftLock gateway."));
    }

    @Test
    void aMissingScopeIsForbidden() {
        given().auth().oauth2(InternalTokens.mint("org_a", "alice", "read"))
                .when().get("/test/problems/admin").then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/forbidden"))
                .body("title", equalTo("Forbidden"))
                .body("status", equalTo(403))
                .body("detail", equalTo("The credentials used lack the scope this operation needs."))
                .body("instance", equalTo("/test/problems/admin"));
        given().auth().oauth2(InternalTokens.mint("org_a", "alice", "admin"))
                .when().get("/test/problems/admin").then()
                .statusCode(200)
                .body(equalTo("ok"));
    }

    @Test
    void invalidValuesNameEachFieldAsTheClientWroteItInOrder() {
        given().contentType("application/json")
                .body(Map.of("name", " ", "billingEmails", List.of("not-an-email", "b@example.com")))
                .when().post("/test/problems/settings").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/validation"))
                .body("title", equalTo("Invalid values"))
                .body("status", equalTo(422))
                .body("detail", equalTo("Some values are not valid; see errors."))
                .body("instance", equalTo("/test/problems/settings"))
                .body("errors.field", equalTo(List.of("billingEmails", "billingEmails[0]", "name")))
                .body("errors.message", equalTo(List.of("size must be between 0 and 1",
                        "must be a well-formed email address", "must not be blank")));
    }

    @Test
    void aBodyThatIsNotJsonIsMalformedJson() {
        given().contentType("application/json").body("{\"name\": ")
                .when().post("/test/problems/settings").then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/malformed-json"))
                .body("title", equalTo("Malformed JSON"))
                .body("status", equalTo(400))
                .body("detail", matchesPattern("The request body is not valid JSON of the expected shape: .+"))
                .body("instance", equalTo("/test/problems/settings"));
    }

    @Test
    void aWebApplicationExceptionKeepsItsStatusWithItsReasonAsTitle() {
        given().when().get("/test/problems/missing").then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/not-found"))
                .body("title", equalTo("Not Found"))
                .body("status", equalTo(404))
                .body("detail", equalTo("no stream checkout-api in this org"))
                .body("instance", equalTo("/test/problems/missing"));
    }

    @Test
    void anUnexpectedFailureIsAnInternalErrorWithAnIdAndNoStackTrace() {
        given().when().get("/test/problems/boom").then()
                .statusCode(500)
                .contentType("application/problem+json")
                .body("type", equalTo("https://driftlock.dev/problems/internal"))
                .body("title", equalTo("Internal error"))
                .body("status", equalTo(500))
                .body("detail", matchesPattern("Something went wrong on our side \\(error id [0-9a-f-]{36}\\)\\."))
                .body("instance", equalTo("/test/problems/boom"));
    }
}
