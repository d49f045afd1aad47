package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.envelope;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SessionTest;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * The answer envelope: one text content that starts with an "[organization] name (id: ...)" line and a rule, followed by
 * the same JSON as the structured content, {organization, result}.
 */
@QuarkusTest
class EnvelopeTest extends SessionTest {

    @Test
    void everyAnswerNamesItsOrganizationInTextAndStructure() {
        ToolResponse response = call(client, "contacts_list", Map.of("limit", 2));
        assertThat(response.isError()).isFalse();
        assertThat(response.content()).hasSize(1);
        String[] lines = text(response).split("\n", 3);
        assertThat(lines[0]).isEqualTo("[organization] Acme Inc (id: org_acme)");
        assertThat(lines[1]).matches("-{20,}");
        JsonObject body = new JsonObject(lines[2]);
        assertThat(body).isEqualTo(envelope(response));
        assertThat(body.getJsonObject("organization"))
                .isEqualTo(new JsonObject().put("id", "org_acme").put("name", "Acme Inc").put("slug", "acme"));
        assertThat(body.getJsonObject("result").getJsonArray("items")).hasSize(2);
        assertThat(body.getJsonObject("result").getString("nextCursor")).isNotBlank();
    }
}
