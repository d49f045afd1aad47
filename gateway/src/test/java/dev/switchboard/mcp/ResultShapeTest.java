package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.support.Gateway;
import dev.switchboard.support.ReferenceProfiles;
import io.quarkiverse.mcp.server.MetaKey;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * MCP_RESULT_SHAPE=payload: the result's own fields are the structured content (structuredContent.threads,
 * .nextPageToken, as the inbox reference reads them), the organization and the mailbox are in the result's _meta, the
 * text still starts with the organization header, and every output schema is exactly the result's schema.
 */
@QuarkusTest
@TestProfile(ReferenceProfiles.InboxDocument.class)
class ResultShapeTest {

    @Inject
    OperationCatalog catalog;

    @Test
    void theStructuredContentIsThePayloadWithTheOrganizationInMeta() {
        Gateway.resetSandbox();
        McpStreamableTestClient client = ToolNamingTest.client(Map.of("Authorization", "Bearer " + Gateway.ALICE,
                "x-account-id", "sales@acme.test"));
        try {
            ToolResponse response = call(client, "mail_search_threads", Map.of("query", "invoice OR receipt", "maxResults", 2));
            JsonObject payload = JsonObject.mapFrom(response.structuredContent());
            assertThat(payload.fieldNames()).containsExactlyInAnyOrder("threads", "nextCursor", "nextPageToken");
            assertThat(payload.getJsonArray("threads")).hasSize(2);
            assertThat(payload.getString("nextPageToken")).isEqualTo(payload.getString("nextCursor"));
            assertThat(JsonObject.mapFrom(response._meta().get(MetaKey.of("organization"))))
                    .isEqualTo(new JsonObject().put("id", "org_acme").put("name", "Acme Inc").put("slug", "acme"));
            assertThat(JsonObject.mapFrom(response._meta().get(MetaKey.of("mailbox")))).isEqualTo(new JsonObject().put("id", "sales@acme.test"));
            String[] lines = text(response).split("\n", 3);
            assertThat(lines[0]).isEqualTo("[organization] Acme Inc (id: org_acme)");
            assertThat(lines[1]).matches("-{62}");
            assertThat(new JsonObject(lines[2])).isEqualTo(payload);

            // a page cut to the budget says so in _meta and in a notice line of the text; its JSON stays the payload
            ToolResponse cut = call(client, "mail_list_operations", Map.of("limit", 100));
            JsonObject operations = JsonObject.mapFrom(cut.structuredContent());
            assertThat(cut._meta().get(MetaKey.of("truncated"))).isEqualTo(true);
            assertThat(String.valueOf(cut._meta().get(MetaKey.of("notice")))).startsWith("Showing ");
            String[] cutLines = text(cut).split("\n", 4);
            assertThat(cutLines[1]).startsWith("[notice] Showing ");
            assertThat(new JsonObject(cutLines[3])).isEqualTo(operations);
            assertThat(operations.getString("nextCursor")).isNotBlank();
        } finally {
            client.disconnect();
        }
    }

    @Test
    void everyOutputSchemaIsExactlyTheResultsSchema() {
        McpStreamableTestClient client = ToolNamingTest.client(Map.of());
        try {
            client.when().toolsList(page -> {
                JsonObject search = page.findByName("mail_search_threads").outputSchema();
                // exactly: every keyword that decides what is valid; descriptions are left to the manifest
                JsonObject expected = new JsonObject(ToolSchemas.withoutDescriptions(
                        (com.fasterxml.jackson.databind.node.ObjectNode) catalog.require("inbox_threads_search").responseSchema()).toString());
                assertThat(search).isEqualTo(expected);
                assertThat(search.getJsonObject("properties").fieldNames()).containsExactlyInAnyOrder("threads", "nextCursor",
                        "nextPageToken");
                assertThat(page.findByName("mail_get_current_organization").outputSchema().getJsonObject("properties")
                        .fieldNames()).contains("organization", "keyKind", "source").doesNotContain("result");
            }).thenAssertResults();
        } finally {
            client.disconnect();
        }
    }
}
