package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.switchboard.support.Processes;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpHttpRequestCustomizer;

/**
 * The official Java MCP SDK 2.2.0's client of the stateless era (package {@code modern}) against the packaged gateway:
 * it discovers the server, lists the tools, reads the organization, writes once with an idempotency key, reads a
 * prompt, reads a resource and completes a template's variable, follows a long operation's progress, and answers the
 * gateway's question which mailbox to use.
 */
class JavaSdkIT {

    @RegisterExtension
    static final Processes processes = new Processes();
    private static GatewayProcess gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = processes.add(GatewayProcess.start("java-sdk-gateway", Map.of()));
    }

    private static McpSyncClient client(String key) {
        HttpClientMcpTransport transport = HttpClientMcpTransport.builder("http://127.0.0.1:" + gateway.port + "/mcp")
                .requestCustomizer(McpHttpRequestCustomizer.fromSync((request, headers, context) ->
                        headers.set("Authorization", "Bearer " + key)))
                .build();
        return McpClient.sync(transport)
                .formElicitation(question -> McpSchema.ElicitResult.accept(Map.of("accountId", "support@acme.test")))
                .build();
    }

    @Test
    void theStatelessClientWorksAgainstTheGateway() {
        McpSyncClient client = client("sbx_alice");
        McpSchema.DiscoverResult discovered = client.discover();
        assertThat(discovered.supportedVersions()).contains("2026-07-28");
        assertThat(client.listTools().list().tools()).extracting(McpSchema.Tool::name).contains("organizations_current");

        McpSchema.CallToolResult current = client.tool("organizations_current").arguments(Map.of()).call();
        assertThat(current.isError()).isFalse();
        assertThat(String.valueOf(current.structuredContent())).contains("org_acme");

        String key = UUID.randomUUID().toString();
        Map<String, Object> contact = Map.of("idempotencyKey", key, "email", "java-sdk-" + key.substring(0, 8) + "@example.com");
        McpSchema.CallToolResult first = client.tool("contacts_create").arguments(contact).call();
        McpSchema.CallToolResult again = client.tool("contacts_create").arguments(contact).call();
        assertThat(first.isError()).isFalse();
        assertThat(String.valueOf(again.structuredContent())).isEqualTo(String.valueOf(first.structuredContent()));

        assertThat(String.valueOf(client.prompt("invoice_processor").arguments(Map.of()).get().messages()))
                .contains("inbox_threads_search");

        assertThat(String.valueOf(client.resource("workspace://mailboxes").read().contents()))
                .contains("sales@acme.test").doesNotContain("globex");
        assertThat(client.completion(new McpSchema.ResourceReference("workspace://mailboxes/{accountId}/labels"),
                "accountId", "su").complete().completion().values()).containsExactly("support@acme.test");

        // a long operation reports its progress as it runs
        java.util.List<McpSchema.ProgressParams> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        McpSchema.CallToolResult imported = client.tool("run_operation").arguments(Map.of("operation", "contacts_import",
                "arguments", Map.of("rows", java.util.List.of(Map.of("email", "java-sdk-import-" + key.substring(0, 8)
                        + "@example.com"))))).progress(progress::add).call();
        assertThat(imported.isError()).isFalse();
        assertThat(String.valueOf(imported.structuredContent())).contains("succeeded");
        assertThat(progress).as("progress notifications of contacts_import").isNotEmpty();

        // org_acme has two mailboxes: the gateway asks, the client's handler answers, the call resumes
        McpSchema.CallToolResult threads = client.tool("inbox_threads_list").arguments(Map.of()).call();
        assertThat(threads.isError()).isFalse();
        assertThat(String.valueOf(threads.structuredContent())).contains("support@acme.test");
    }
}
