package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.support.Gateway;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A continuation cursor carries what it continues, for every paged operation of the catalog, through the gateway and
 * at the sandbox itself: page 2 by cursor is page 2 by offset (the second item of a two-item page) with the same
 * filters, and the cursor replayed with other filters, for another organization or with another key is refused with a
 * message that says so, instead of silently listing something else.
 */
@QuarkusTest
class CursorTest {

    /**
     * How to page one operation: the arguments of the first page (path ids and a filter that keeps two items or more),
     * and, when it has filters, the same arguments with one filter changed.
     */
    record Case(Map<String, Object> arguments, Map<String, Object> otherFilters, String changed) {
        static Case of(Map<String, Object> arguments) {
            return new Case(arguments, null, null);
        }

        static Case of(Map<String, Object> arguments, String filter, Object otherValue) {
            Map<String, Object> other = new HashMap<>(arguments);
            other.put(filter, otherValue);
            return new Case(arguments, other, filter);
        }
    }

    private static final String MAILBOX = "sales@acme.test";

    static final Map<String, Case> CASES = Map.ofEntries(
            Map.entry("organizations_index", Case.of(Map.of())),
            Map.entry("agents_list", Case.of(Map.of("status", "active"), "status", "paused")),
            Map.entry("agents_files_list", Case.of(Map.of("agentId", "ag_acme_0001"))),
            Map.entry("agents_tools_list", Case.of(Map.of("agentId", "ag_acme_0001"))),
            Map.entry("contacts_list", Case.of(Map.of("sort", "email"), "sort", "-email")),
            Map.entry("contacts_duplicates_list", Case.of(Map.of())),
            Map.entry("conversations_list", Case.of(Map.of("channel", "email"), "channel", "sms")),
            Map.entry("conversations_by_contact", Case.of(Map.of("contactId", "ct_acme_0001"))),
            Map.entry("transcripts_list", Case.of(Map.of("agentId", "ag_acme_0001"), "agentId", "ag_acme_0002")),
            Map.entry("workflows_list", Case.of(Map.of("status", "active"), "status", "draft")),
            Map.entry("workflows_enrollments_list", Case.of(Map.of("workflowId", "wf_acme_0001"))),
            Map.entry("campaigns_list", Case.of(Map.of())),
            Map.entry("campaign_senders_list", Case.of(Map.of())),
            Map.entry("segments_list", Case.of(Map.of())),
            Map.entry("crm_opportunities_list", Case.of(Map.of("status", "open"), "status", "won")),
            Map.entry("tools_list", Case.of(Map.of())),
            Map.entry("tools_logs", Case.of(Map.of("toolId", "tl_acme_0001", "level", "info"), "level", "warn")),
            Map.entry("inbox_contacts_list", Case.of(Map.of("accountId", MAILBOX))),
            Map.entry("inbox_threads_filter", Case.of(Map.of("accountId", MAILBOX, "folder", "inbox"), "folder", "sent")),
            Map.entry("inbox_threads_list", Case.of(Map.of("accountId", MAILBOX, "label", "INBOX"), "label", "SENT")),
            Map.entry("inbox_threads_search", Case.of(Map.of("accountId", MAILBOX, "query", "invoice OR receipt"), "query",
                    "receipt")),
            Map.entry("tracking_clients_list", Case.of(Map.of())),
            Map.entry("insights_list", Case.of(Map.of())));

    @Inject
    OperationCatalog catalog;

    private McpStreamableTestClient alice;
    private McpStreamableTestClient aliceInGlobex;
    private McpStreamableTestClient agency;

    @BeforeEach
    void connect() {
        Gateway.resetSandbox();
        alice = Gateway.streamable(Gateway.ALICE);
        aliceInGlobex = Gateway.streamable(Gateway.ALICE, Map.of("X-Company-ID", "org_globex"));
        agency = Gateway.streamable(Gateway.AGENCY);
        // lists the seed data leaves at one item get a second one
        run(alice, "agents_files_upload", Map.of("agentId", "ag_acme_0001", "name", "second.txt", "mediaType", "text/plain",
                "contentBase64", "aGVsbG8="));
        run(alice, "agents_tools_attach", Map.of("agentId", "ag_acme_0001", "toolId", "tl_acme_0002"));
        run(alice, "messages_send_sms", Map.of("to", "ct_acme_0001", "body", "A second conversation."));
    }

    @AfterEach
    void disconnect() {
        alice.disconnect();
        aliceInGlobex.disconnect();
        agency.disconnect();
    }

    @Test
    void everyPagedOperationIsCovered() {
        List<String> paged = catalog.all().stream().filter(Operation::paginated).map(Operation::name).sorted().toList();
        assertThat(CASES.keySet()).containsExactlyInAnyOrderElementsOf(paged);
    }

    @Test
    void throughTheGatewayACursorContinuesOnlyItsOwnList() {
        for (Operation operation : catalog.all().stream().filter(Operation::paginated).toList()) {
            Case paging = CASES.get(operation.name());
            String listField = operation.listField().orElse("items");
            JsonObject first = ok(run(alice, operation.name(), with(paging.arguments(), "limit", 1)), operation);
            String cursor = first.getString("nextCursor");
            assertThat(cursor).as("%s has a second page with %s", operation.name(), paging.arguments()).isNotNull();
            JsonArray byOffset = ok(run(alice, operation.name(), with(paging.arguments(), "limit", 2)), operation)
                    .getJsonArray(listField);
            JsonObject second = ok(run(alice, operation.name(), with(with(paging.arguments(), "limit", 1), "cursor", cursor)),
                    operation);
            assertThat(second.getJsonArray(listField).getValue(0)).as("%s: page 2 by cursor is page 2 by offset",
                    operation.name()).isEqualTo(byOffset.getValue(1));

            if (paging.otherFilters() != null) {
                assertThat(refused(run(alice, operation.name(), with(paging.otherFilters(), "cursor", cursor))))
                        .as("%s with %s changed", operation.name(), paging.changed())
                        .contains("'cursor' continues a list with other arguments: " + paging.changed() + " differs");
            }
            if (operation.organizationScoped()) {
                assertThat(refused(run(aliceInGlobex, operation.name(), with(paging.arguments(), "cursor", cursor))))
                        .as("%s in another organization", operation.name())
                        .contains("'cursor' continues a list of another organization, not of Globex Corporation");
            }
            assertThat(refused(run(agency, operation.name(), with(paging.arguments(), "cursor", cursor))))
                    .as("%s with another key", operation.name()).contains("'cursor' was issued to another API key");
            assertThat(refused(run(alice, operation.name(), with(paging.arguments(), "cursor", cursor.replace('A', 'B')
                    + "x")))).as("%s with a changed cursor", operation.name())
                    .contains("'cursor' is not a cursor this server issued, or it was changed");
        }
    }

    @Test
    void atTheSandboxACursorContinuesOnlyItsOwnList() {
        for (Operation operation : catalog.all().stream().filter(Operation::paginated).toList()) {
            Case paging = CASES.get(operation.name());
            String listField = operation.listField().orElse("items");
            Response first = sandbox(Gateway.ALICE, "org_acme", operation, with(paging.arguments(), "limit", 1));
            String cursor = first.then().statusCode(200).extract().path("nextCursor");
            assertThat(cursor).as("%s has a second page", operation.name()).isNotNull();
            List<Object> byOffset = sandbox(Gateway.ALICE, "org_acme", operation, with(paging.arguments(), "limit", 2))
                    .then().statusCode(200).extract().path(listField);
            List<Object> second = sandbox(Gateway.ALICE, "org_acme", operation,
                    with(with(paging.arguments(), "limit", 1), "cursor", cursor)).then().statusCode(200).extract().path(listField);
            assertThat(second.get(0)).as("%s: page 2 by cursor is page 2 by offset", operation.name()).isEqualTo(byOffset.get(1));
            if (paging.otherFilters() != null) {
                assertThat(refusedBySandbox(sandbox(Gateway.ALICE, "org_acme", operation, with(paging.otherFilters(), "cursor", cursor))))
                        .contains("other filters: " + paging.changed() + " differs");
            }
            if (operation.organizationScoped()) {
                Response elsewhere = sandbox(Gateway.ALICE, "org_globex", operation, with(paging.arguments(), "cursor", cursor));
                if (elsewhere.statusCode() == 404) {
                    // its parent (an agent, a workflow, a mailbox) is not found there: refused before any page is read
                    assertThat(elsewhere.jsonPath().getString("code")).as(operation.name()).isEqualTo("not_found");
                } else {
                    assertThat(refusedBySandbox(elsewhere)).as(operation.name()).contains("another organization");
                }
            }
            assertThat(refusedBySandbox(sandbox(Gateway.AGENCY, "org_acme", operation, with(paging.arguments(), "cursor", cursor))))
                    .as(operation.name()).contains("another API key");
        }
    }

    @Test
    void listOperationsCursorsCarryTheirFiltersToo() {
        JsonObject first = result(call(alice, "list_operations", Map.of("group", "contacts", "limit", 2)));
        String cursor = first.getString("nextCursor");
        JsonObject both = result(call(alice, "list_operations", Map.of("group", "contacts", "limit", 4)));
        JsonObject second = result(call(alice, "list_operations", Map.of("group", "contacts", "limit", 2, "cursor", cursor)));
        assertThat(second.getJsonArray("items").getJsonObject(0).getString("name"))
                .isEqualTo(both.getJsonArray("items").getJsonObject(2).getString("name"));
        assertThat(text(call(alice, "list_operations", Map.of("group", "agents", "cursor", cursor))))
                .contains("other arguments: group differs");
        assertThat(text(call(agency, "list_operations", Map.of("group", "contacts", "cursor", cursor))))
                .contains("another API key");
    }

    private static Map<String, Object> with(Map<String, Object> arguments, String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(arguments);
        copy.put(name, value);
        return copy;
    }

    private static ToolResponse run(McpStreamableTestClient client, String operation, Map<String, Object> arguments) {
        return call(client, "run_operation", Map.of("operation", operation, "arguments", arguments));
    }

    private static JsonObject ok(ToolResponse response, Operation operation) {
        assertThat(response.isError()).as("%s: %s", operation.name(), text(response)).isFalse();
        return result(response);
    }

    private static String refused(ToolResponse response) {
        assertThat(response.isError()).as(text(response)).isTrue();
        return text(response);
    }

    private static Response sandbox(String key, String organization, Operation operation, Map<String, Object> arguments) {
        Map<String, Object> query = new HashMap<>(arguments);
        String path = operation.pathTemplate().replace("{organizationId}", organization);
        for (String name : List.copyOf(query.keySet())) {
            if (path.contains("{" + name + "}")) {
                path = path.replace("{" + name + "}", String.valueOf(query.remove(name)));
            }
        }
        return given().header("Authorization", "Bearer " + key).queryParams(query.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())))).get("/sandbox" + path);
    }

    private static String refusedBySandbox(Response response) {
        response.then().statusCode(422);
        assertThat(response.jsonPath().getString("details.fields[0].field")).isEqualTo("cursor");
        return response.jsonPath().getString("message");
    }
}
