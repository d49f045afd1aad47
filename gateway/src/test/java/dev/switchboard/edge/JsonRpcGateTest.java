package dev.switchboard.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.LogTail;
import dev.switchboard.support.ToolSet;
import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The findings of a fuzzer and of clients nobody here wrote, one by one: every message gets the JSON-RPC answer the
 * specification names, at once; nothing hangs, nothing answers 500, nothing writes a stack trace; a client that sends no
 * Accept header gets plain JSON; every 4xx has a body that says what to change.
 */
@QuarkusTest
class JsonRpcGateTest {

    private static final String BOTH = "application/json, text/event-stream";

    private static RequestSpecification post(String accept) {
        RequestSpecification request = given().config(RestAssuredConfig.config().encoderConfig(
                EncoderConfig.encoderConfig().appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("application/json");
        return accept == null ? request : request.header("Accept", accept);
    }

    private static Response send(String body) {
        return post(BOTH).body(body).post("/mcp");
    }

    @Test
    void messagesTheLibraryHungOnAreAnsweredAtOnce() {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":true}").then().statusCode(200)
                .body("id", equalTo(1)).body("error.code", equalTo(-32602)).body("error.message", containsString("'params'"));
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"completion/complete\"}").then().statusCode(200)
                .body("error.code", equalTo(-32602)).body("error.message", containsString("params.ref"));
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"completion/complete\",\"params\":{\"ref\":\"x\",\"argument\":5}}")
                .then().statusCode(200).body("error.code", equalTo(-32602));
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{}}").then().statusCode(200)
                .body("error.code", equalTo(-32602)).body("error.message", containsString("params.name"));
        send("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":true}").then().statusCode(400)
                .body("error.code", equalTo(-32602));
    }

    @Test
    void batchesAndClientResponsesAreAnsweredAsTheSpecificationSays() {
        RequestSpecification batch = post(BOTH).header("MCP-Protocol-Version", "2025-03-26");
        batch.body("[{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":7}}]")
                .post("/mcp").then().statusCode(202);
        post(BOTH).header("MCP-Protocol-Version", "2025-03-26").body("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-03-26\",\"capabilities\":{},\"clientInfo\":{\"name\":\"b\",\"version\":\"1\"}}},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]").post("/mcp").then().statusCode(400)
                .body("[0].error.message", containsString("initialize must be sent alone"));
        // a response to a request the server never sent (a string id) was a 500 with a NumberFormatException
        send("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":{}}").then().statusCode(202);
    }

    /**
     * A batch is answered with one array, as JSON-RPC says, whatever its length: a one-element batch was answered with
     * a bare object, a longer one with one event per response.
     */
    @Test
    void aBatchOfRequestsIsAnsweredWithOneArray() {
        Response one = post(BOTH).header("MCP-Protocol-Version", "2025-03-26").header("Authorization", "Bearer " + Gateway.ALICE)
                .body("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]").post("/mcp");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.contentType()).startsWith("application/json");
        assertThat(one.jsonPath().getList("id")).containsExactly(1);

        Response three = post(BOTH).header("MCP-Protocol-Version", "2025-03-26").header("Authorization", "Bearer " + Gateway.ALICE)
                .body("[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"},"
                        + "{\"jsonrpc\":\"2.0\",\"id\":\"three\",\"method\":\"tools/call\",\"params\":{\"name\":"
                        + "\"organizations_current\",\"arguments\":{}}},"
                        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]").post("/mcp");
        assertThat(three.statusCode()).isEqualTo(200);
        assertThat(three.contentType()).startsWith("application/json");
        assertThat(three.jsonPath().getList("id")).as(three.asString()).containsExactly(2, "three");
        assertThat(three.jsonPath().getBoolean("[1].result.isError")).isFalse();
        assertThat(three.asString()).contains("org_acme");
    }

    /** Batches follow the version the session negotiated, not the header (which a client may leave out). */
    @Test
    void aSessionsBatchesFollowTheVersionItNegotiated() {
        String session = post(BOTH).body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"b\",\"version\":\"1\"}}}")
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
        post(BOTH).header("Mcp-Session-Id", session)
                .body("[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]")
                .post("/mcp").then().statusCode(400).body("error.message", containsString("2025-06-18"));

        String batching = post(BOTH).body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
                + "\"protocolVersion\":\"2025-03-26\",\"capabilities\":{},\"clientInfo\":{\"name\":\"b\",\"version\":\"1\"}}}")
                .post("/mcp").then().statusCode(200).extract().header("Mcp-Session-Id");
        Response answered = post(BOTH).header("Mcp-Session-Id", batching)
                .body("[{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"}]")
                .post("/mcp");
        assertThat(answered.statusCode()).as(answered.asString()).isEqualTo(200);
        assertThat(answered.jsonPath().getList("id")).containsExactly(2, 3);
    }

    @Test
    void aRequestWithoutIdIsANotificationThatDoesNothing() {
        int before = Gateway.requests("contacts_list");
        given().header("Authorization", "Bearer " + Gateway.ALICE).contentType("application/json").header("Accept", BOTH)
                .body("{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\",\"arguments\":{}}}")
                .post("/mcp").then().statusCode(202).body(equalTo(""));
        assertThat(Gateway.requests("contacts_list")).as("the tool did not run").isEqualTo(before);
    }

    @Test
    void batchesAndOddIdsGetJsonRpcErrorsNot500s() {
        for (String batch : List.of("[]", "[null]", "[1]")) {
            Response answer = send(batch);
            assertThat(answer.statusCode()).as(batch).isEqualTo(400);
            assertThat(answer.asString()).as(batch).contains("\"code\":-32600");
        }
        // batches were only part of protocol version 2025-03-26
        post(BOTH).header("MCP-Protocol-Version", "2025-06-18")
                .body("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}]")
                .post("/mcp").then().statusCode(400).body("error.message", containsString("2025-06-18"));
        send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"logging/setLevel\"}").then().body("error.code", equalTo(-32602));
        send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"logging/setLevel\",\"params\":{\"level\":\"loud\"}}").then()
                .body("error.code", equalTo(-32602)).body("error.message", containsString("debug, info"));
        send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\",\"_meta\":[]}}")
                .then().body("error.code", equalTo(-32602)).body("error.message", containsString("_meta"));
        for (String id : List.of("true", "{}", "[1]", "null")) {
            Response answer = send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"ping\"}");
            assertThat(answer.statusCode()).as(id).isLessThan(500);
            assertThat(answer.asString()).as(id).contains("'id' must be a string or an integer");
        }
        String deep = "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\","
                + "\"arguments\":{\"query\":" + "[".repeat(5000) + "]".repeat(5000) + "}}}";
        assertThat(send(deep).statusCode()).isLessThan(500);
    }

    @Test
    void aParseErrorAnswersIdNull() {
        send("{not json").then().statusCode(400).body("error.code", equalTo(-32700)).body("id", nullValue())
                .body(containsString("\"id\":null"));
    }

    @Test
    void clientsWithoutAnAcceptHeaderGetPlainJson() {
        JsonObject initialize = new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params",
                new JsonObject().put("protocolVersion", "2024-11-05").put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "curl-test").put("version", "1.0.0")));
        post(null).body(initialize.encode()).post("/mcp").then().statusCode(200)
                .contentType(containsString("application/json")).body("result.serverInfo.name", equalTo("platform-backend"));
        post(null).body("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\",\"params\":{}}").post("/mcp").then()
                .statusCode(200).contentType(containsString("application/json")).body("result.tools.size()", equalTo(ToolSet.defaultCount()));
        post(null).header("Authorization", "Bearer " + Gateway.ALICE)
                .body("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"calls_trigger\","
                        + "\"arguments\":{\"agentId\":\"ag_acme_0001\",\"phone\":\"+14155550123\"},"
                        + "\"_meta\":{\"progressToken\":\"p\"}}}")
                .post("/mcp").then().statusCode(200).contentType(containsString("application/json"))
                .body("result.isError", equalTo(false)).body("result.structuredContent.result.status", equalTo("succeeded"));
    }

    @Test
    void every4xxSaysWhatToChange() {
        post(BOTH).header("MCP-Protocol-Version", "1999-01-01").body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")
                .post("/mcp").then().statusCode(400).body("error.message", containsString("2025-06-18"));
        given().header("Mcp-Session-Id", "no-such-session").get("/mcp").then().statusCode(404)
                .body("error.message", containsString("Initialize a new session"));
        given().delete("/mcp").then().statusCode(400).body("error.message", containsString("Mcp-Session-Id"));
        given().contentType("application/json").put("/mcp").then().statusCode(405)
                .body("error.message", containsString("POST"));
        // under /mcp/..., where nothing is served: JSON that names the endpoints, never the server's HTML page
        for (String path : List.of("/mcp/nothing", "/mcp/messages", "/mcp/sse/extra", "/mcp/metadata/x")) {
            given().get(path).then().statusCode(404).contentType(containsString("application/json"))
                    .body("error.message", containsString("Nothing is served at " + path))
                    .body("error.message", containsString("POST /mcp (Streamable HTTP)"));
        }
        post(BOTH).body("{}").post("/mcp/nothing").then().statusCode(404).contentType(containsString("application/json"));
    }

    @Test
    void invalidInputLogsOneLineAndNoStackTrace() {
        LogTail log = LogTail.mark();
        // the fuzzer's 118-byte unauthenticated call with a null argument
        send("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\",\"arguments\":{\"limit\":null}}}")
                .then().statusCode(200).body("error.code", equalTo(-32001));
        post(BOTH).header("Authorization", "Bearer " + Gateway.ALICE)
                .body("{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\","
                        + "\"arguments\":{\"limit\":null,\"query\":\"acme\"}}}")
                .post("/mcp").then().statusCode(200).body("result.isError", equalTo(false));
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(log.lines().stream()
                .filter(line -> line.contains("tool_call")).count()).isEqualTo(2));
        assertThat(log.lines()).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
    }

    @Test
    void textThatIsNotValidUnicodeIsRefusedNamingTheField() {
        Response answer = post(BOTH).header("Authorization", "Bearer " + Gateway.ALICE)
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"contacts_list\","
                        + "\"arguments\":{\"query\":\"\\ud800abc\"}}}")
                .post("/mcp");
        answer.then().statusCode(200).body("result.isError", equalTo(true));
        assertThat(answer.asString()).contains("'query' is not valid Unicode text").doesNotContain("Exception");
    }

    @Test
    void theMailboxHeaderIsCheckedLikeTheArgument() {
        int before = Gateway.requests("inbox_threads_search");
        Response answer = post(BOTH).header("Authorization", "Bearer " + Gateway.ALICE).header("x-account-id", "..")
                .body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"inbox_threads_search\","
                        + "\"arguments\":{\"query\":\"invoice\"}}}")
                .post("/mcp");
        answer.then().statusCode(200).body("result.isError", equalTo(true));
        assertThat(answer.asString()).contains("x-account-id");
        assertThat(Gateway.requests("inbox_threads_search")).as("nothing went upstream").isEqualTo(before);
    }

    @Test
    void foreignHostsAndOriginsAreRefusedOnEveryRoute() {
        for (String path : List.of("/q/metrics", "/q/health", "/mcp/metadata", "/sandbox/v1/auth/whoami")) {
            given().header("Host", "evil.example.com").get(path).then().statusCode(403)
                    .body("error.message", containsString("Host not allowed"));
            given().header("Origin", "http://evil.example.com").get(path).then().statusCode(403)
                    .body("error.message", containsString("Origin not allowed"));
        }
        given().header("Host", "evil.example.com").header("Origin", "http://evil.example.com")
                .header("X-Sandbox-Control-Token", Gateway.controlToken()).contentType("application/json")
                .body(Map.of("operation", "*", "latencyMs", 600000, "probability", 1.0))
                .post("/sandbox/_control/faults").then().statusCode(403);
        given().header("Origin", "http://localhost.evil.example.com").get("/mcp/metadata").then().statusCode(403);
        given().header("Origin", "http://localhost:5173").get("/mcp/metadata").then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173");
    }

    /** A browser client of 2026-07-28 sends Mcp-Method and Mcp-Name on every POST: its preflight must allow them. */
    @Test
    void aBrowsersPreflightAllowsTheStatelessEraHeaders() {
        String allowed = given().header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "mcp-method, mcp-name, mcp-protocol-version, authorization")
                .options("/mcp").then().statusCode(204).extract().header("Access-Control-Allow-Headers").toLowerCase();
        assertThat(allowed).contains("mcp-method", "mcp-name", "mcp-protocol-version", "authorization");
    }

    /** The MCP endpoints themselves (Streamable HTTP and legacy SSE); the MCP Inspector's origin is let through. */
    @Test
    void foreignHostsAndOriginsAreRefusedOnTheMcpEndpoints() {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream").header("Origin", "http://evil.example.com")
                .body(ping).post("/mcp").then().statusCode(403);
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream")
                .header("Origin", "http://localhost.evil.example.com").body(ping).post("/mcp").then().statusCode(403);
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream").header("Host", "evil.example.com")
                .body(ping).post("/mcp").then().statusCode(403);
        given().header("Origin", "http://evil.example.com").get("/mcp/sse").then().statusCode(403);
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream").header("Origin", "http://localhost:6274")
                .body(ping).post("/mcp").then().statusCode(200);
    }
}
