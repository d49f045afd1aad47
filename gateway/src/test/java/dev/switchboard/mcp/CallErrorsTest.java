package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SessionTest;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Errors a model can act on: bad arguments and refusals of the upstream are tool errors that name the field or the id
 * and what is allowed; a missing or unknown key, an unknown tool or method and malformed params are JSON-RPC errors with
 * their codes.
 */
@QuarkusTest
class CallErrorsTest extends SessionTest {

    @Test
    void badArgumentsAreToolErrorsNamingTheField() {
        ToolResponse response = call(client, "contacts_list", Map.of("limit", 500, "sort", "sideways"));
        assertThat(response.isError()).isTrue();
        assertThat(text(response)).startsWith("[organization] Acme Inc (id: org_acme)")
                .contains("'limit' must be at most 100").contains("'sort' must be one of").contains("-createdAt");
        ToolResponse unknown = call(client, "contacts_get", Map.of("contactId", "ct_acme_9999"));
        assertThat(unknown.isError()).isTrue();
        assertThat(text(unknown)).contains("not_found").contains("ct_acme_9999");
        ToolResponse refused = call(client, "inbox_thread_labels_update", Map.of("accountId", "sales@acme.test",
                "threadId", "th_acme_sales_001", "addLabelIds", List.of("Label_missing")));
        assertThat(text(refused)).contains("Label_missing").contains("Label_invoice");
    }

    @Test
    void protocolErrorsAreJsonRpcErrors() {
        assertThat(error(streamable(null), "contacts_list", Map.of()).code()).isEqualTo(-32001);
        assertThat(error(streamable("sbx_nobody"), "contacts_list", Map.of()).code()).isEqualTo(-32002);
        assertThat(error(client, "no_such_tool", Map.of()).code()).isEqualTo(-32602);
        client.when().message(client.newRequest("no/such/method")).withErrorAssert(e -> assertThat(e.code()).isEqualTo(-32601))
                .send().thenAssertResults();
        client.when().message(client.newRequest("tools/call").put("params", "not an object"))
                .withErrorAssert(e -> assertThat(e.code()).isEqualTo(-32602)).send().thenAssertResults();
        client.when().message(client.newRequest("tools/call").put("params", new JsonObject().put("name", "contacts_list")
                .put("arguments", "limit=2"))).withErrorAssert(e -> assertThat(e.code()).isEqualTo(-32602)).send()
                .thenAssertResults();
    }
}
