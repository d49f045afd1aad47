package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.ALICE;
import static dev.switchboard.support.Gateway.envelope;
import static dev.switchboard.support.Gateway.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.SessionTest;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Which mailbox an inbox tool acts on: the accountId argument, else the x-account-id header, else the organization's
 * only mailbox; an ambiguous call lists the mailboxes, a label change on an IMAP mailbox is refused naming one that
 * supports it, and every inbox answer names its mailbox.
 */
@QuarkusTest
class MailboxSelectionTest extends SessionTest {

    @Test
    void inboxAnswersNameTheirMailbox() {
        ToolResponse response = call(client, "inbox_threads_search", Map.of("accountId", "sales@acme.test", "query", "invoice"));
        assertThat(envelope(response).getJsonObject("mailbox").getString("id")).isEqualTo("sales@acme.test");
    }

    @Test
    void theMailboxComesFromTheArgumentTheHeaderOrTheOnlyOne() {
        ToolResponse ambiguous = call(client, "inbox_threads_search", Map.of("query", "invoice"));
        assertThat(ambiguous.isError()).isTrue();
        assertThat(text(ambiguous)).contains("sales@acme.test (gmail)").contains("support@acme.test (imap)").contains("accountId");

        McpStreamableTestClient withHeader = streamable(ALICE, Map.of("x-account-id", "support@acme.test"));
        ToolResponse viaHeader = call(withHeader, "inbox_threads_search", Map.of());
        assertThat(envelope(viaHeader).getJsonObject("mailbox").getString("id")).isEqualTo("support@acme.test");
        ToolResponse only = call(streamable(Gateway.BOB), "inbox_threads_search", Map.of("query", "invoice"));
        assertThat(envelope(only).getJsonObject("mailbox").getString("id")).isEqualTo("hello@globex.test");
        ToolResponse imap = call(client, "inbox_thread_labels_update", Map.of("accountId", "support@acme.test",
                "threadId", "th_acme_support_001", "addLabelIds", List.of("Label_invoice")));
        assertThat(imap.isError()).isTrue();
        assertThat(text(imap)).contains("IMAP").contains("sales@acme.test");
    }
}
