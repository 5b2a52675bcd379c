package dev.driftlock.gateway;

import static io.restassured.RestAssured.given;

import dev.driftlock.testinfra.KafkaTestResource;
import dev.driftlock.testinfra.PostgresTestResource;
import dev.driftlock.testinfra.RedisTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/** What admins (not owners) and plain members may do with members, and how bad input is answered. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "database", value = "gateway"))
@WithTestResource(value = RedisTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OidcWiremockTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SigningKeyTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = UpstreamStubTestResource.class, scope = TestResourceScope.GLOBAL)
class MemberManagementTest {

    @Test
    void adminsAddChangeAndRemoveMembersButNeverOwnersMembersCannotAndEveryChangeIsAudited() {
        String org = Accounts.signUp("user-olga", "Olga Owner");
        put("user-olga", org, "user-adam", Map.of("role", "admin", "email", "adam@olga.example")).statusCode(200);

        // an admin adds a member, promotes them to admin and back, and removes them
        put("user-adam", org, "user-mick", Map.of("role", "member")).statusCode(200).body("role", Matchers.equalTo("member"));
        put("user-adam", org, "user-mick", Map.of("role", "admin")).statusCode(200).body("role", Matchers.equalTo("admin"));
        put("user-adam", org, "user-mick", Map.of("role", "member")).statusCode(200);
        // ...but cannot make anyone owner, demote or remove the owner
        put("user-adam", org, "user-mick", Map.of("role", "owner")).statusCode(403)
                .body("detail", Matchers.equalTo("Only an owner can grant or take away the owner role."));
        put("user-adam", org, "user-olga", Map.of("role", "admin")).statusCode(403);
        delete("user-adam", org, "user-olga").statusCode(403)
                .body("detail", Matchers.equalTo("Only an owner can remove an owner."));
        // a plain member manages nobody
        put("user-mick", org, "user-nina", Map.of("role", "member")).statusCode(403);
        delete("user-mick", org, "user-adam").statusCode(403);
        // bad input
        put("user-adam", org, "user-nina", Map.of("role", "superuser")).statusCode(422)
                .contentType("application/problem+json");
        put("user-adam", org, "user-nina", Map.of("role", "member", "email", "not-an-address")).statusCode(422);
        delete("user-adam", org, "user-nobody").statusCode(404).contentType("application/problem+json");
        delete("user-adam", org, "user-mick").statusCode(204);

        // the owner hands over ownership: a second owner first, then the first one may leave
        put("user-olga", org, "user-adam", Map.of("role", "owner")).statusCode(200);
        delete("user-olga", org, "user-olga").statusCode(204);
        given().auth().oauth2(Accounts.userToken("user-adam")).when().get("/v1/orgs/" + org + "/members").then()
                .statusCode(200)
                .body("userId", Matchers.equalTo(List.of("user-adam")))
                .body("role", Matchers.equalTo(List.of("owner")));

        given().auth().oauth2(Accounts.userToken("user-adam")).when().get("/v1/orgs/" + org + "/audit").then()
                .statusCode(200)
                .body("action", Matchers.equalTo(List.of("member.removed", "member.role_changed", "member.removed",
                        "member.role_changed", "member.role_changed", "member.added", "member.added", "org.created")))
                .body("actor", Matchers.equalTo(List.of("user-olga", "user-olga", "user-adam", "user-adam", "user-adam", "user-adam",
                        "user-olga", "user-olga")))
                .body("detail[1]", Matchers.equalTo("admin -> owner"));
    }

    private static io.restassured.response.ValidatableResponse put(String actor, String org, String userId, Map<String, String> body) {
        return given().auth().oauth2(Accounts.userToken(actor)).contentType("application/json").body(body)
                .when().put("/v1/orgs/" + org + "/members/" + userId).then();
    }

    private static io.restassured.response.ValidatableResponse delete(String actor, String org, String userId) {
        return given().auth().oauth2(Accounts.userToken(actor)).when().delete("/v1/orgs/" + org + "/members/" + userId).then();
    }
}
