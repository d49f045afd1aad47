package dev.switchboard.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.LogTail;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** Each write leaves one audit event on its own logger, with who, where, what and how it ended; a read leaves none. */
@QuarkusTest
class AuditTrailTest {

    private static void call(String tool, JsonObject arguments) {
        given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Authorization", "Bearer " + Gateway.ALICE)
                .body(new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call")
                        .put("params", new JsonObject().put("name", tool).put("arguments", arguments)).encode())
                .post("/mcp").then().statusCode(200);
    }

    @Test
    void aWriteLeavesOneEventAndAReadNone() {
        LogTail log = LogTail.mark();
        String key = UUID.randomUUID().toString();
        call("contacts_list", new JsonObject().put("limit", 1));
        call("contacts_create", new JsonObject().put("email", "audit-" + key.substring(0, 8) + "@example.com")
                .put("idempotencyKey", key));
        org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(events(log)).hasSize(1));
        JsonObject event = events(log).get(0);
        assertThat(event.getString("operation")).isEqualTo("contacts_create");
        assertThat(event.getString("organization")).isEqualTo("org_acme");
        assertThat(event.getString("idempotencyKey")).isEqualTo(key);
        assertThat(event.getString("outcome")).isEqualTo("ok");
        assertThat(event.getString("who")).startsWith("key:").doesNotContain(Gateway.ALICE);
        assertThat(event.getString("time")).isNotBlank();
    }

    private static List<JsonObject> events(LogTail log) {
        return log.lines().stream().filter(line -> line.contains("\"event\":\"write\""))
                .map(line -> new JsonObject(line.substring(line.indexOf("{\"event\"")))).toList();
    }
}
