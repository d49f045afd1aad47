package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.ToolSet;
import dev.switchboard.support.ReferenceProfiles;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.ToolInfo;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * MCP_TOOL_NAMING=reference under MCP_TOOL_PREFIX=mail_: the verb-first names of the reference documents, each a name
 * that can be called, in tools/list, list_operations, run_operation, descriptions and "did you mean" answers; and the
 * inbox reference's key header, x-mail-key, read as the API key.
 */
@QuarkusTest
@TestProfile(ReferenceProfiles.InboxDocument.class)
class ToolNamingTest {

    static McpStreamableTestClient client(Map<String, String> headers) {
        return McpAssured.newStreamableClient().setMcpPath("/api/mcp").setAdditionalHeaders(message -> {
            MultiMap multiMap = MultiMap.caseInsensitiveMultiMap();
            headers.forEach(multiMap::add);
            return multiMap;
        }).build().connect();
    }

    @Test
    void toolsAreNamedVerbFirstUnderThePrefix() {
        McpStreamableTestClient client = client(Map.of("Authorization", "Bearer " + Gateway.ALICE));
        try {
            client.when().toolsList(page -> {
                assertThat(page.tools()).hasSize(ToolSet.defaultCount()).extracting(ToolInfo::name).allMatch(name -> name.startsWith("mail_"))
                        .contains("mail_get_current_organization", "mail_list_organizations", "mail_switch_organization",
                                "mail_list_contacts", "mail_list_accounts", "mail_search_threads", "mail_get_thread",
                                "mail_send_message", "mail_run_operation", "mail_list_operations", "mail_get_campaign_stats");
                // texts name what can be called: "as listed by inbox_accounts_list" as this server calls it
                String search = page.findByName("mail_search_threads").inputSchema().toString();
                assertThat(search).contains("mail_list_accounts").doesNotContain("inbox_accounts_list");
                // run_operation's own argument names an operation as run_operation takes it: no "(via ...)" after it
                assertThat(page.findByName("mail_run_operation").inputSchema().toString()).contains("delete_contact")
                        .doesNotContain("(via");
            }).thenAssertResults();
            JsonObject delete = find(operations(client, "delete_contact"), "delete_contact");
            assertThat(delete.containsKey("tool")).isFalse();
            assertThat(find(operations(client, "list_contacts"), "list_contacts").getString("tool")).isEqualTo("mail_list_contacts");
            for (String name : new String[] { "list_duplicate_contacts", "contacts_duplicates_list", "mail_list_duplicate_contacts" }) {
                ToolResponse ran = call(client, "mail_run_operation", Map.of("operation", name, "arguments", Map.of()));
                assertThat(ran.isError()).as(name + ": " + text(ran)).isFalse();
            }
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anUnknownNameGetsTheNameToCallAlsoWithoutThePrefix() {
        McpStreamableTestClient client = client(Map.of("Authorization", "Bearer " + Gateway.ALICE));
        try {
            for (String asked : new String[] { "list_accounts", "inbox_accounts_list", "other_list_accounts", "mail_list_acounts" }) {
                var refused = error(client, asked, Map.of());
                assertThat(refused.code()).isEqualTo(-32602);
                assertThat(refused.message()).as(asked).startsWith("Unknown tool '" + asked + "'. Did you mean mail_list_accounts?");
            }
            assertThat(error(client, "list_accounts", Map.of()).message()).contains("This server's tool names start with mail_.");
            var operation = error(client, "delete_contact", Map.of());
            assertThat(operation.message()).contains("call mail_run_operation with operation \"delete_contact\"");
        } finally {
            client.disconnect();
        }
    }

    @Test
    void theInboxReferencesKeyHeaderCarriesTheKey() {
        McpStreamableTestClient keyed = client(Map.of("x-mail-key", Gateway.ALICE));
        McpStreamableTestClient other = client(Map.of("x-other-key", Gateway.ALICE));
        try {
            ToolResponse current = call(keyed, "mail_get_current_organization", Map.of());
            assertThat(current.isError()).isFalse();
            assertThat(text(current)).startsWith("[organization] Acme Inc (id: org_acme)");
            var refused = error(other, "mail_get_current_organization", Map.of());
            assertThat(refused.code()).isEqualTo(-32001);
            assertThat(refused.message()).isEqualTo("Authentication required: this server does not read the header x-other-key. "
                    + "Send the API key as Authorization: Bearer <API key> (or x-mail-key: <API key>) with every tool call.");
        } finally {
            keyed.disconnect();
            other.disconnect();
        }
    }

    private static JsonArray operations(McpStreamableTestClient client, String query) {
        ToolResponse listed = call(client, "mail_list_operations", Map.of("query", query));
        return JsonObject.mapFrom(listed.structuredContent()).getJsonArray("items");
    }

    private static JsonObject find(JsonArray operations, String name) {
        return operations.stream().map(JsonObject.class::cast).filter(op -> name.equals(op.getString("name"))).findFirst()
                .orElseThrow(() -> new AssertionError(name + " not in " + operations));
    }
}
