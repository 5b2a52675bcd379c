package dev.driftlock.metering;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftlock.events.EventJson;
import dev.driftlock.testinfra.InternalTokens;
import io.restassured.response.ValidatableResponse;

/** Calls of the metering API as an org's user, and reading published events, for tests. */
public final class MeteringApi {

    private static final ObjectMapper JSON = EventJson.mapper();

    private MeteringApi() {
    }

    /** GET /v1/usage as a reader of the org; answers 200. */
    public static ValidatableResponse usage(String org) {
        return given().auth().oauth2(InternalTokens.mint(org, "alice", "read")).when().get("/v1/usage").then().statusCode(200);
    }

    /** PUT /v1/quota-policy as an admin of the org; answers 200. */
    public static void putPolicy(String org, String body) {
        given().auth().oauth2(InternalTokens.mint(org, "alice", "admin")).contentType("application/json").body(body)
                .when().put("/v1/quota-policy").then().statusCode(200);
    }

    /** The parsed envelope of a published event. */
    public static JsonNode envelope(String value) {
        try {
            return JSON.readTree(value);
        } catch (Exception e) {
            throw new IllegalStateException("not an event: " + value, e);
        }
    }
}
