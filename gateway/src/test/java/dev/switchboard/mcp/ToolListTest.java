package dev.switchboard.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SessionTest;
import dev.switchboard.support.ToolSet;
import io.quarkiverse.mcp.server.test.McpAssured.ToolInfo;
import io.quarkus.test.junit.QuarkusTest;

/**
 * tools/list: the default set, that is the native tools and the curated operations of the contract (support/ToolSet),
 * the hidden operations not, each with an object input schema without organizationId, an output schema, a title and
 * honest hints; listing needs no key.
 */
@QuarkusTest
class ToolListTest extends SessionTest {

    @Test
    void theCuratedToolsAreListedWithSchemasAndHints() {
        client.when().toolsList(page -> {
            List<String> names = page.tools().stream().map(ToolInfo::name).toList();
            assertThat(names).containsExactlyInAnyOrderElementsOf(ToolSet.defaults())
                    .contains("contacts_list", "inbox_threads_search", "campaigns_send", "calls_trigger", "insights_list")
                    .doesNotContain("contacts_delete", "auth_whoami", "jobs_get");
            for (ToolInfo tool : page.tools()) {
                assertThat(tool.inputSchema().getString("type")).as(tool.name()).isEqualTo("object");
                assertThat(tool.outputSchema()).as(tool.name()).isNotNull();
                if (!tool.name().equals("organizations_switch")) { // the one tool whose subject is the organization
                    assertThat(tool.inputSchema().getJsonObject("properties").containsKey("organizationId")).as(tool.name()).isFalse();
                }
                assertThat(tool.title()).as(tool.name()).isNotBlank();
            }
            ToolInfo list = page.findByName("contacts_list");
            assertThat(list.annotations().orElseThrow().readOnlyHint()).isTrue();
            assertThat(list.annotations().orElseThrow().destructiveHint()).isFalse();
            ToolInfo update = page.findByName("contacts_update");
            assertThat(update.annotations().orElseThrow().readOnlyHint()).isFalse();
            assertThat(update.annotations().orElseThrow().idempotentHint()).isFalse();
            assertThat(page.findByName("messages_send_sms").annotations().orElseThrow().openWorldHint()).isTrue();
            assertThat(page.findByName("run_operation").annotations().orElseThrow().destructiveHint()).isTrue();
            assertThat(page.findByName("inbox_send_message").inputSchema().getJsonArray("required").getList())
                    .doesNotContain("accountId").contains("to", "body");
        }).thenAssertResults();
    }

    @Test
    void everyDescriptionReadsAsOneSentenceAfterAnother() {
        client.when().toolsList(page -> {
            List<String> descriptions = new java.util.ArrayList<>();
            for (ToolInfo tool : page.tools()) {
                descriptions.add(tool.description());
                collectDescriptions(tool.inputSchema(), descriptions);
                collectDescriptions(tool.outputSchema(), descriptions);
            }
            assertThat(descriptions).isNotEmpty().noneMatch(d -> d.contains(". .") || d.contains("..") || d.contains(" ."));
            String limit = page.findByName("contacts_list").inputSchema().getJsonObject("properties").getJsonObject("limit")
                    .getString("description");
            assertThat(limit).isEqualTo("Maximum number of items to return (1-100). Also accepted as maxResults.");
        }).thenAssertResults();
    }

    @Test
    void outputSchemasInTheListValidateAsBeforeWithoutTheirDescriptions() {
        client.when().toolsList(page -> {
            for (ToolInfo tool : page.tools()) {
                List<String> descriptions = new java.util.ArrayList<>();
                collectDescriptions(tool.outputSchema(), descriptions);
                assertThat(descriptions).as(tool.name()).isEmpty();
            }
            // what decides validity stays: the contact id's pattern, the closed objects, the required members
            io.vertx.core.json.JsonObject contact = page.findByName("contacts_list").outputSchema().getJsonObject("properties")
                    .getJsonObject("result").getJsonObject("properties").getJsonObject("items").getJsonObject("items");
            assertThat(contact.getJsonObject("properties").getJsonObject("id").getString("pattern")).isEqualTo("^ct_[A-Za-z0-9_]+$");
            assertThat(contact.getBoolean("additionalProperties")).isFalse();
            assertThat(contact.getJsonArray("required").getList()).contains("id", "createdAt");
        }).thenAssertResults();
        // the described form is in the manifest
        io.restassured.RestAssured.given().get(dev.switchboard.config.Endpoints.MANIFEST).then().statusCode(200)
                .body("tools.find { it.name == 'contacts_list' }.outputSchema.properties.result.description",
                        org.hamcrest.Matchers.equalTo("A page of contacts."));
    }

    private static void collectDescriptions(Object node, List<String> descriptions) {
        if (node instanceof io.vertx.core.json.JsonObject object) {
            if (object.getValue("description") instanceof String text) {
                descriptions.add(text);
            }
            object.forEach(field -> collectDescriptions(field.getValue(), descriptions));
        } else if (node instanceof io.vertx.core.json.JsonArray array) {
            array.forEach(element -> collectDescriptions(element, descriptions));
        }
    }

    @Test
    void toolsListNeedsNoKey() {
        streamable(null).when().toolsList(page -> assertThat(page.size()).isEqualTo(ToolSet.defaultCount())).pingPong()
                .thenAssertResults();
    }
}
