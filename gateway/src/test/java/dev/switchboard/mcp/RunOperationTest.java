package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SessionTest;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The generic operations: list_operations filters by group and text, pages, and carries each operation's schema;
 * run_operation runs any catalog operation and validates its arguments as a tool of its own would.
 */
@QuarkusTest
class RunOperationTest extends SessionTest {

    @Test
    void listOperationsFiltersAndCarriesSchemas() {
        JsonArray contacts = allPages(Map.of("group", "contacts"));
        assertThat(contacts.stream().map(o -> ((JsonObject) o).getString("group"))).containsOnly("contacts");
        assertThat(contacts.size()).isEqualTo(14);
        JsonObject delete = contacts.stream().map(JsonObject.class::cast).filter(o -> o.getString("name").equals("contacts_delete"))
                .findFirst().orElseThrow();
        assertThat(delete.getBoolean("destructive")).isTrue();
        assertThat(delete.containsKey("tool")).isFalse();
        assertThat(delete.getJsonObject("inputSchema").getJsonArray("required").getList()).contains("contactId");
        JsonArray labels = result(call(client, "list_operations", Map.of("query", "label"))).getJsonArray("items");
        assertThat(labels.stream().map(o -> ((JsonObject) o).getString("name"))).contains("inbox_labels_list", "inbox_thread_labels_update");
        JsonObject firstPage = result(call(client, "list_operations", Map.of("limit", 10)));
        assertThat(firstPage.getJsonArray("items")).hasSize(10);
        JsonObject second = result(call(client, "list_operations", Map.of("limit", 10, "cursor", firstPage.getString("nextCursor"))));
        assertThat(second.getJsonArray("items").getJsonObject(0).getString("name"))
                .isNotEqualTo(firstPage.getJsonArray("items").getJsonObject(0).getString("name"));
        assertThat(call(client, "list_operations", Map.of("group", "nope")).isError()).isTrue();
    }

    @Test
    void withoutALimitAPageIsSmallAndTheCursorReachesEveryOperationOnce() {
        ToolResponse first = call(client, "list_operations", Map.of());
        JsonObject page = result(first);
        // the whole catalog with its schemas is some 90 KB: a model asking "what is there" gets a page it can afford
        assertThat(page.encode().length()).isLessThanOrEqualTo(8 * 1024);
        assertThat(page.getJsonArray("items").size()).isGreaterThan(1);
        assertThat(page.getString("nextCursor")).isNotBlank();
        assertThat(page.getJsonArray("items").getJsonObject(0).getJsonObject("inputSchema").getString("type")).isEqualTo("object");
        JsonArray all = allPages(Map.of());
        assertThat(all.stream().map(o -> ((JsonObject) o).getString("name")).distinct().count())
                .isEqualTo(all.size()).isEqualTo(dev.switchboard.support.ToolSet.operationCount());
    }

    /** Every item of list_operations with these arguments, following nextCursor to the last page. */
    private JsonArray allPages(Map<String, Object> arguments) {
        JsonArray items = new JsonArray();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            Map<String, Object> asked = new java.util.HashMap<>(arguments);
            if (cursor != null) {
                asked.put("cursor", cursor);
            }
            JsonObject page = result(call(client, "list_operations", asked));
            items.addAll(page.getJsonArray("items"));
            cursor = page.getString("nextCursor");
            if (cursor == null) {
                return items;
            }
        }
        throw new AssertionError("list_operations did not reach its last page");
    }

    @Test
    void runOperationValidatesLikeAToolOfItsOwn() {
        ToolResponse deleted = call(client, "run_operation", Map.of("operation", "contacts_delete",
                "arguments", Map.of("contactId", "ct_acme_0005")));
        assertThat(result(deleted).getBoolean("deleted")).isTrue();
        assertThat(call(client, "contacts_get", Map.of("contactId", "ct_acme_0005")).isError()).isTrue();

        ToolResponse bad = call(client, "run_operation", Map.of("operation", "contacts_list", "arguments", Map.of("limit", 1000)));
        assertThat(bad.isError()).isTrue();
        assertThat(text(bad)).contains("'arguments.limit' must be at most 100");
        ToolResponse unknown = call(client, "run_operation", Map.of("operation", "contact_delete", "arguments", Map.of()));
        assertThat(text(unknown)).contains("Unknown operation").contains("contacts_delete");
        ToolResponse notAnObject = call(client, "run_operation", Map.of("operation", "contacts_list", "arguments", "limit=3"));
        assertThat(notAnObject.isError()).isTrue();
        assertThat(text(notAnObject)).contains("'arguments'");
        ToolResponse job = call(client, "run_operation", Map.of("operation", "insights_run", "arguments",
                Map.of("definitionId", "idef_acme_0001")));
        assertThat(result(job).getString("status")).isEqualTo("succeeded");
    }
}
