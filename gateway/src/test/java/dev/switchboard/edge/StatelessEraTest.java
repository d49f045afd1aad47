package dev.switchboard.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * A client of the stateless protocol version (2026-07-28) on the same endpoint as the handshake clients: no
 * initialize, no session, each request describing its client in {@code _meta}. It discovers the server, lists and calls
 * the same tools, acting on the organization its key and headers choose, and a request the server cannot serve is
 * refused with the error the specification names, the request's own id and HTTP 400 or 404.
 */
@QuarkusTest
class StatelessEraTest {

    private static final String VERSION = "2026-07-28";

    @TestHTTPResource("/mcp")
    URI endpoint;

    private static JsonObject meta() {
        return new JsonObject().put("io.modelcontextprotocol/protocolVersion", VERSION)
                .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
                .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "stateless-test").put("version", "1"));
    }

    private static RequestSpecification request(String method, String header) {
        RequestSpecification request = given().contentType("application/json").header("Accept", "application/json")
                .header("Mcp-Method", method);
        return header == null ? request : request.header("MCP-Protocol-Version", header);
    }

    private static Response call(int id, String method, JsonObject params) {
        return request(method, VERSION).header("Authorization", "Bearer " + Gateway.ALICE)
                .body(new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", method)
                        .put("params", params.put("_meta", meta())).encode())
                .post("/mcp");
    }

    @Test
    void discoverNamesEveryVersionAndWhatTheServerOffers() {
        call(1, "server/discover", new JsonObject()).then().statusCode(200).body("id", equalTo(1))
                .body("result.supportedVersions", hasItems(VERSION, "2025-11-25", "2024-11-05"))
                .body("result.capabilities.tools", notNullValue())
                .body("result._meta.'io.modelcontextprotocol/serverInfo'.name", notNullValue())
                .body("result.resultType", equalTo("complete"));
    }

    @Test
    void toolsAreListedWithCachingHintsInTheSameOrderEachTime() {
        Response first = call(2, "tools/list", new JsonObject());
        first.then().statusCode(200).body("result.resultType", equalTo("complete")).body("result.cacheScope", equalTo("private"))
                .body("result.ttlMs", notNullValue());
        assertThat(first.jsonPath().getList("result.tools.name")).isNotEmpty()
                .isEqualTo(call(3, "tools/list", new JsonObject()).jsonPath().getList("result.tools.name"));
        // the handshake era's answer is unchanged
        given().contentType("application/json").header("Accept", "application/json")
                .body("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}").post("/mcp").then().statusCode(200)
                .body("result.ttlMs", nullValue()).body("result.resultType", nullValue());
    }

    @Test
    void aToolCallActsOnTheOrganizationTheKeyAndHeadersChoose() {
        call(5, "tools/call", new JsonObject().put("name", "organizations_current").put("arguments", new JsonObject()))
                .then().statusCode(200).body("result.resultType", equalTo("complete")).body("result.isError", equalTo(false))
                .body("result.structuredContent.organization.id", equalTo("org_acme"));
        request("tools/call", VERSION).header("Authorization", "Bearer " + Gateway.ALICE).header("X-Company-ID", "org_globex")
                .body(new JsonObject().put("jsonrpc", "2.0").put("id", 6).put("method", "tools/call")
                        .put("params", new JsonObject().put("name", "organizations_current").put("arguments", new JsonObject())
                                .put("_meta", meta())).encode())
                .post("/mcp").then().statusCode(200).body("result.structuredContent.organization.id", equalTo("org_globex"));
        // no key: the same refusal as in the handshake era
        request("tools/call", VERSION).body(new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call")
                .put("params", new JsonObject().put("name", "organizations_current").put("arguments", new JsonObject())
                        .put("_meta", meta())).encode())
                .post("/mcp").then().statusCode(200).body("id", equalTo(7)).body("error.code", equalTo(-32001));
    }

    @Test
    void aClientThatCanAskItsUserIsAskedWhichMailbox() {
        JsonObject canAsk = meta().put("io.modelcontextprotocol/clientCapabilities", new JsonObject().put("elicitation", new JsonObject()));
        JsonObject first = new JsonObject(request("tools/call", VERSION).header("Authorization", "Bearer " + Gateway.ALICE)
                .body(new JsonObject().put("jsonrpc", "2.0").put("id", 31).put("method", "tools/call").put("params",
                        new JsonObject().put("name", "inbox_threads_list").put("arguments", new JsonObject())
                                .put("_meta", canAsk)).encode()).post("/mcp").then().statusCode(200).extract().asString());
        JsonObject asked = first.getJsonObject("result");
        assertThat(asked.getString("resultType")).isEqualTo("input_required");
        assertThat(asked.getJsonObject("inputRequests").getJsonObject("mailbox").getJsonObject("params")
                .getJsonObject("requestedSchema").getJsonObject("properties").getJsonObject("accountId").getJsonArray("enum"))
                .containsExactlyInAnyOrder("sales@acme.test", "support@acme.test");
        String resumed = request("tools/call", VERSION).header("Authorization", "Bearer " + Gateway.ALICE)
                .body(new JsonObject().put("jsonrpc", "2.0").put("id", 32).put("method", "tools/call").put("params",
                        new JsonObject().put("name", "inbox_threads_list").put("arguments", new JsonObject())
                                .put("inputResponses", new JsonObject().put("mailbox", new JsonObject().put("action", "accept")
                                        .put("content", new JsonObject().put("accountId", "support@acme.test"))))
                                .put("requestState", asked.getString("requestState")).put("_meta", canAsk)).encode())
                .post("/mcp").then().statusCode(200).body("result.resultType", equalTo("complete"))
                .body("result.isError", equalTo(false)).extract().asString();
        assertThat(new JsonObject(resumed).getJsonObject("result").getJsonObject("structuredContent").encode())
                .contains("support@acme.test");
        // a client that cannot ask gets the error that names the mailboxes, as in the handshake era
        call(33, "tools/call", new JsonObject().put("name", "inbox_threads_list").put("arguments", new JsonObject()))
                .then().statusCode(200).body("result.isError", equalTo(true))
                .body("result.content[0].text", containsString("pass accountId"));
    }

    @Test
    void requestsTheServerCannotServeAreRefusedWithTheirOwnId() {
        request("tools/list", VERSION).body("{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/list\",\"params\":{\"_meta\":"
                + "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}").post("/mcp").then().statusCode(400)
                .body("id", equalTo(11)).body("error.code", equalTo(-32602))
                .body("error.message", containsString("clientCapabilities"));
        JsonObject future = meta().put("io.modelcontextprotocol/protocolVersion", "2099-01-01");
        request("tools/list", "2099-01-01").body(new JsonObject().put("jsonrpc", "2.0").put("id", 12).put("method", "tools/list")
                .put("params", new JsonObject().put("_meta", future)).encode()).post("/mcp").then().statusCode(400)
                .body("id", equalTo(12)).body("error.code", equalTo(-32022))
                .body("error.data.supported", hasItems(VERSION, "2025-11-25")).body("error.data.requested", equalTo("2099-01-01"));
        given().contentType("application/json").header("Accept", "application/json").header("MCP-Protocol-Version", "2099-01-01")
                .body("{\"jsonrpc\":\"2.0\",\"id\":13,\"method\":\"tools/list\"}").post("/mcp").then().statusCode(400)
                .body("id", equalTo(13)).body("error.code", equalTo(-32022));
        request("tools/list", "2025-11-25").body(new JsonObject().put("jsonrpc", "2.0").put("id", 14).put("method", "tools/list")
                .put("params", new JsonObject().put("_meta", meta())).encode()).post("/mcp").then().statusCode(400)
                .body("id", equalTo(14)).body("error.code", equalTo(-32020));
        request("tools/call", VERSION).header("Mcp-Name", "contacts_list").body(new JsonObject().put("jsonrpc", "2.0").put("id", 15)
                .put("method", "tools/call").put("params", new JsonObject().put("name", "organizations_current")
                        .put("_meta", meta())).encode()).post("/mcp").then().statusCode(400)
                .body("id", equalTo(15)).body("error.code", equalTo(-32020)).body("error.message", containsString("Mcp-Name"));
        for (String removed : new String[] { "initialize", "ping", "logging/setLevel" }) {
            call(16, removed, new JsonObject()).then().statusCode(404).body("id", equalTo(16)).body("error.code", equalTo(-32601));
        }
        call(17, "no/such/method", new JsonObject()).then().statusCode(404).body("error.code", equalTo(-32601));
    }

    @Test
    void aListenStreamIsAcknowledgedFirst() throws Exception {
        String body = new JsonObject().put("jsonrpc", "2.0").put("id", 21).put("method", "subscriptions/listen")
                .put("params", new JsonObject().put("notifications", new JsonObject().put("toolsListChanged", true)
                        .put("resourcesListChanged", true).put("weatherChanged", true)).put("_meta", meta())).encode();
        HttpRequest request = HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").header("MCP-Protocol-Version", VERSION)
                .timeout(Duration.ofMinutes(1)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = events.readLine();
            } while (line != null && !line.startsWith("data:"));
            assertThat(line).isNotNull();
            JsonObject ack = new JsonObject(line.substring(5).trim());
            assertThat(ack.getString("method")).isEqualTo("notifications/subscriptions/acknowledged");
            assertThat(ack.getJsonObject("params").getJsonObject("_meta").getValue("io.modelcontextprotocol/subscriptionId"))
                    .isEqualTo(21);
            // only what exists is acknowledged
            assertThat(ack.getJsonObject("params").getJsonObject("notifications").fieldNames())
                    .containsExactlyInAnyOrder("toolsListChanged", "resourcesListChanged");
        }
    }
}
