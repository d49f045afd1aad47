package dev.switchboard.edge;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * A session that ended (DELETE), or that no replica issued, is answered 404 as the protocol says, so that a client
 * knows to initialize again instead of being served as if it had no session.
 */
@QuarkusTest
class SessionEndTest {

    private static RequestSpecification mcp() {
        return given().contentType("application/json").header("Accept", "application/json, text/event-stream")
                .header("MCP-Protocol-Version", "2025-11-25");
    }

    private static String initialize() {
        return mcp().body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"session-end\",\"version\":\"1\"}}}")
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
    }

    @Test
    void aPostInAnEndedSessionIsAnswered404() {
        String session = initialize();
        mcp().header("Mcp-Session-Id", session).body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}").post("/mcp")
                .then().statusCode(200);
        mcp().header("Mcp-Session-Id", session).delete("/mcp").then().statusCode(200);
        mcp().header("Mcp-Session-Id", session).body("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}").post("/mcp")
                .then().statusCode(404).body("error.message", containsString("ended"));
    }

    @Test
    void aSessionNoReplicaIssuedIsAnswered404() {
        mcp().header("Mcp-Session-Id", "bogus-session").body("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}")
                .post("/mcp").then().statusCode(404).body("error.code", equalTo(-32600));
        String forged = initialize().replaceAll("\\.[^.]+$", ".AAAAAAAAAAAAAAAAAAAAAA");
        mcp().header("Mcp-Session-Id", forged).body("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}").post("/mcp")
                .then().statusCode(404);
    }
}
