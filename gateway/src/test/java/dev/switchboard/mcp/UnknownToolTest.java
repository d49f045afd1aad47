package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.ToolSet;
import io.quarkiverse.mcp.server.test.McpAssured.McpSseTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.ToolInfo;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A tool name that is no tool is answered -32602 with the closest names that can be called ("did you mean"), whether
 * it is the reference documents' verb-first name, a misspelling, another product's prefix or an operation without a
 * tool of its own; run_operation takes an operation by either name and answers an unknown one the same way.
 */
@QuarkusTest
class UnknownToolTest {

    private McpStreamableTestClient client;

    @BeforeEach
    void connect() {
        client = Gateway.streamable(Gateway.ALICE);
    }

    @AfterEach
    void disconnect() {
        client.disconnect();
    }

    @Test
    void theNamesOfTheReferenceDocumentsGetTheNameToCall() {
        assertDidYouMean("list_contacts", "contacts_list");
        assertDidYouMean("get_current_organization", "organizations_current");
        assertDidYouMean("switch_organization", "organizations_switch");
        assertDidYouMean("list_accounts", "inbox_accounts_list");
        assertDidYouMean("get_thread", "inbox_thread_get");
        assertDidYouMean("send_message", "inbox_send_message");
        assertDidYouMean("other_search_threads", "inbox_threads_search"); // another product's prefix
        assertDidYouMean("contacts_lst", "contacts_list");
        var operation = error(client, "contacts_delete", Map.of());
        assertThat(operation.code()).isEqualTo(-32602);
        assertThat(operation.message()).contains("It is an operation without a tool of its own: call run_operation with "
                + "operation \"contacts_delete\"");
        var nothing = error(client, "xyzzy", Map.of());
        assertThat(nothing.message()).isEqualTo("Unknown tool 'xyzzy'. tools/list names every tool; list_operations finds "
                + "the operations that run_operation runs.");
    }

    @Test
    void overLegacySseToo() {
        McpSseTestClient sse = Gateway.sse(Gateway.ALICE, Map.of());
        try {
            var refused = error(sse, "list_contacts", Map.of());
            assertThat(refused.code()).isEqualTo(-32602);
            assertThat(refused.message()).contains("Did you mean contacts_list?");
        } finally {
            sse.disconnect();
        }
    }

    @Test
    void runOperationTakesEitherNameAndAnswersAnUnknownOneWithTheClosest() {
        assertThat(result(call(client, "run_operation", Map.of("operation", "list_duplicate_contacts", "arguments", Map.of())))
                .getJsonArray("items")).isNotEmpty();
        String unknown = text(call(client, "run_operation", Map.of("operation", "contacts_duplicate_list")));
        assertThat(unknown).endsWith("Error: Unknown operation 'contacts_duplicate_list'. Did you mean contacts_duplicates_list? "
                + "Call list_operations to find the right one.");
    }

    @Test
    void whatAnswersUnknownNamesIsNeverListed() {
        client.when().toolsList(page -> assertThat(page.tools()).hasSize(ToolSet.defaultCount()).extracting(ToolInfo::name)
                .noneMatch(name -> name.contains("unknown"))).thenAssertResults();
    }

    private void assertDidYouMean(String asked, String expected) {
        var refused = error(client, asked, Map.of());
        assertThat(refused.code()).as(asked).isEqualTo(-32602);
        assertThat(refused.message()).as(asked).startsWith("Unknown tool '" + asked + "'. Did you mean " + expected);
    }
}
