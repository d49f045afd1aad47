package dev.switchboard.sandbox;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.switchboard.support.Gateway;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The sandbox control endpoint can install faults and reset data, so loopback is not enough: every call needs this
 * process's control token (the test profile fixes it; elsewhere SANDBOX_CONTROL_TOKEN or a random one per start).
 */
@QuarkusTest
class SandboxControlTest {

    @AfterEach
    void noFaults() {
        Gateway.clearFaults();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "GET,/sandbox/_control/faults", "POST,/sandbox/_control/faults", "DELETE,/sandbox/_control/faults",
            "POST,/sandbox/_control/reset", "PUT,/sandbox/_control/memberships", "GET,/sandbox/_control/requests" })
    void withoutTheTokenEveryControlCallIsRefused(String method, String path) {
        given().contentType(ContentType.JSON).body(Map.of("operation", "*", "probability", 1.0, "status", 500))
                .request(method, path).then().statusCode(403).contentType(ContentType.JSON)
                .body("code", equalTo("forbidden"))
                .body("message", containsString("X-Sandbox-Control-Token"))
                .body("details.header", equalTo("X-Sandbox-Control-Token"));
    }

    @Test
    void aWrongTokenIsRefusedAndChangesNothing() {
        given().header(Gateway.CONTROL_TOKEN_HEADER, "guess-" + Gateway.controlToken()).contentType(ContentType.JSON)
                .body(Map.of("operation", "*", "probability", 1.0, "latencyMs", 600_000))
                .post("/sandbox/_control/faults").then().statusCode(403).body("code", equalTo("forbidden"))
                .body("message", containsString("does not hold"))
                .body(not(containsString(Gateway.controlToken())));
        Gateway.control().get("/sandbox/_control/faults").then().statusCode(200).body("$", hasSize(0));
        given().header("Authorization", "Bearer sbx_alice").get("/sandbox/v1/organizations/org_acme/agents").then().statusCode(200);
    }

    @Test
    void theRightTokenWorks() {
        String id = Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 503));
        Gateway.control().get("/sandbox/_control/faults").then().statusCode(200).body("id", equalTo(java.util.List.of(id)));
        given().header("Authorization", "Bearer sbx_alice").get("/sandbox/v1/organizations/org_acme/agents").then().statusCode(503);
        Gateway.control().delete("/sandbox/_control/faults/" + id).then().statusCode(204);
        Gateway.control().delete("/sandbox/_control/faults/" + id).then().statusCode(404).body("code", equalTo("not_found"));
        Gateway.resetSandbox();
        Gateway.control().get("/sandbox/_control/requests").then().statusCode(200);
    }
}
