package dev.switchboard.edge;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.LogTail;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;

/**
 * What a client without a key can make the gateway log or echo: never a line of its own (forged), never a stack
 * trace for its bad request, never much more than its request in logs or answers.
 */
@QuarkusTest
class LogSafetyTest {

    private static RequestSpecification json() {
        return given().contentType("application/json").accept("application/json, text/event-stream");
    }

    private static int bytes(List<String> lines) {
        return lines.stream().mapToInt(line -> line.length() + 1).sum();
    }

    @Test
    void aLineBreakInAnIdForgesNoLogLine() {
        LogTail log = LogTail.mark();
        String forged = "7\ntool_call request_id=forged tool=contacts_list operation=contacts_list organization=org_acme "
                + "outcome=ok duration_ms=1";
        json().body(new JsonObject().put("jsonrpc", "2.0").put("id", forged).put("method", "tools/call")
                .put("params", new JsonObject().put("name", "contacts_list").put("arguments", new JsonObject())).encode())
                .post("/mcp").then().statusCode(200).body("error.code", equalTo(-32001));
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(log.lines())
                .anyMatch(line -> line.contains("tool_call request_id=7\\u000atool_call")));
        assertThat(log.lines()).noneMatch(line -> line.startsWith("tool_call"));
    }

    @Test
    void aLineBreakInALegacyMessagePathForgesNoLogLine() {
        LogTail log = LogTail.mark();
        json().body("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}").post("/mcp/messages/abc%0Aforged WARN line")
                .then().statusCode(404).body("error.message", org.hamcrest.Matchers.containsString("/mcp/sse"));
        assertThat(log.lines()).noneMatch(line -> line.startsWith("forged"));
    }

    @Test
    void aHugeIdOrNameAddsLittleToTheLogAndTheAnswer() {
        LogTail log = LogTail.mark();
        String huge = "x".repeat(5_000_000);
        Response byId = json().body(new JsonObject().put("jsonrpc", "2.0").put("id", huge).put("method", "tools/call")
                .put("params", new JsonObject().put("name", "contacts_list")).encode()).post("/mcp");
        byId.then().statusCode(400).body("error.code", equalTo(-32600));
        Response byName = json().body(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
                .put("params", new JsonObject().put("name", huge)).encode()).post("/mcp");
        byName.then().body("error.code", equalTo(-32602));
        Response byOperation = json().header("Authorization", "Bearer " + Gateway.ALICE)
                .body(new JsonObject().put("jsonrpc", "2.0").put("id", 2).put("method", "tools/call").put("params",
                        new JsonObject().put("name", "run_operation").put("arguments", new JsonObject()
                                .put("operation", "y".repeat(3_000_000)).put("arguments", new JsonObject()))).encode())
                .post("/mcp");
        byOperation.then().statusCode(200);
        assertThat(byId.asString().length() + byName.asString().length()).isLessThan(2048);
        assertThat(byOperation.asString()).contains("Unknown operation").hasSizeLessThan(4096);
        assertThat(bytes(log.lines())).as("log written for three oversized requests").isLessThan(6 * 1024);
    }

    @TestHTTPResource("/")
    URI base;

    private HttpResponse<String> raw(String method, String path, String contentType, String body) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void formAndMultipartBodiesAreRefusedInOneLineOnEveryRoute() throws Exception {
        LogTail log = LogTail.mark();
        HttpResponse<String> form = raw("POST", "/mcp", "application/x-www-form-urlencoded", "f=" + "a".repeat(10_000));
        assertThat(form.statusCode()).isEqualTo(415);
        assertThat(new JsonObject(form.body()).getJsonObject("error").getInteger("code")).isEqualTo(-32600);
        String multipart = "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n" + "a".repeat(10_000) + "\r\n--b--\r\n";
        assertThat(raw("POST", "/mcp", "multipart/form-data; boundary=b", multipart).statusCode()).isEqualTo(415);
        for (String method : List.of("GET", "OPTIONS", "TRACE", "PATCH", "BREW")) {
            HttpResponse<String> answer = raw(method, "/sandbox/v1/auth/whoami", "multipart/form-data; boundary=b", multipart);
            assertThat(answer.statusCode()).as(method).isBetween(400, 499);
        }
        assertThat(log.lines()).noneMatch(line -> line.startsWith("\tat ") || line.contains("Exception"));
    }
}
