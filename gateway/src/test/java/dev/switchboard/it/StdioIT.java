package dev.switchboard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ToolSet;
import io.quarkiverse.mcp.server.test.McpAssured;
import io.quarkiverse.mcp.server.test.McpAssured.McpStdioTestClient;
import io.vertx.core.json.JsonObject;

/** MCP_TRANSPORT=stdio: the same tools over stdin and stdout, with the key and organization from the environment. */
class StdioIT {

    @Test
    void toolsWorkOverStdioWithTheEnvironmentsCredentials() throws Exception {
        try (McpStdioTestClient client = McpAssured.newStdioClient()
                .setCommand(GatewayProcess.command())
                .setEnvironment(Map.of("MCP_TRANSPORT", "stdio", "MCP_BACKEND_AUTHORIZATION", "Bearer sbx_alice",
                        "MCP_COMPANY_ID", "org_globex", "MCP_SESSION_FILE", ""))
                .build().connect()) {
            client.when()
                    .toolsList(page -> assertThat(page.size()).isEqualTo(ToolSet.defaultCount()))
                    .toolsCall("organizations_current", Map.of(), response -> {
                        JsonObject structured = JsonObject.mapFrom(response.structuredContent());
                        assertThat(structured.getJsonObject("result").getString("source")).isEqualTo("header");
                        assertThat(structured.getJsonObject("organization").getString("id")).isEqualTo("org_globex");
                    })
                    .toolsCall("contacts_list", Map.of("limit", 1), response -> assertThat(response.isError()).isFalse())
                    .thenAssertResults();
            assertThat(client.stderrLines()).anyMatch(line -> line.contains("MCP over stdio"));
            // the loopback HTTP endpoint the bridge relays to answers no one else, and tells them nothing to set
            String port = client.stderrLines().stream().filter(line -> line.contains("Listening on: http://127.0.0.1:"))
                    .map(line -> line.replaceAll(".*Listening on: http://127\\.0\\.0\\.1:(\\d+).*", "$1")).findFirst().orElseThrow();
            Rpc.Answer answer = Rpc.post("http://127.0.0.1:" + port + "/mcp", Rpc.call(1, "contacts_list", new JsonObject()),
                    Map.of());
            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.message().getJsonObject("error").getString("message")).contains("answers only that client")
                    .doesNotContain("MCP_BACKEND_AUTHORIZATION").doesNotContain("MCP_TRANSPORT");
        }
    }

    @Test
    void errorsNameTheSettingsTheUserSetNotHeaders() {
        try (McpStdioTestClient client = McpAssured.newStdioClient()
                .setCommand(GatewayProcess.command())
                .setEnvironment(Map.of("MCP_TRANSPORT", "stdio", "MCP_BACKEND_AUTHORIZATION", "Bearer sbx_bob",
                        "MCP_COMPANY_ID", "org_initech", "MCP_SESSION_FILE", ""))
                .build().connect()) {
            client.when().toolsCall("contacts_list").withArguments(Map.of("limit", 1)).withErrorAssert(error -> {
                assertThat(error.code()).isEqualTo(-32003);
                assertThat(error.message()).contains("MCP_COMPANY_ID").doesNotContain("X-Company-ID").doesNotContain("header");
            }).send().thenAssertResults();
        }
    }
}
