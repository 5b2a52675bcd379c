package dev.driftlock.gateway;

import static io.restassured.RestAssured.given;

import io.quarkus.test.oidc.server.OidcWiremockTestResource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Signs users up and creates keys through the gateway's own API, as a client would. */
public final class Accounts {

    private Accounts() {
    }

    /** An access token of the OIDC test server for subject {@code userId}. */
    public static String userToken(String userId) {
        return OidcWiremockTestResource.generateJwtToken(userId, Set.of("user"), userId, "Bearer");
    }

    /** Signs {@code userId} up with a new org; returns the org id. */
    public static String signUp(String userId, String orgName) {
        return given().auth().oauth2(userToken(userId)).contentType("application/json")
                .body(Map.of("name", orgName, "billingEmails", List.of("billing@" + userId + ".example")))
                .when().post("/v1/orgs")
                .then().statusCode(201).extract().path("id");
    }

    /** A new API key of {@code orgId} created by its owner {@code userId}; returns the plaintext key. */
    public static String createKey(String userId, String orgId, List<String> scopes, List<String> streams) {
        Map<String, Object> body = streams == null ? Map.of("name", "test key", "scopes", scopes)
                : Map.of("name", "test key", "scopes", scopes, "streams", streams);
        return given().auth().oauth2(userToken(userId)).contentType("application/json").body(body)
                .when().post("/v1/orgs/" + orgId + "/api-keys")
                .then().statusCode(201).extract().path("key");
    }
}
