package dev.switchboard.mcp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.ToolSet;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The descriptions of the server outside MCP: /mcp/metadata (name, endpoints, transports, protocol versions, headers,
 * tools) and /mcp-manifest.json (every tool and operation with its schemas).
 */
@QuarkusTest
class MetadataTest {

    @Test
    void metadataAndManifestDescribeTheServer() {
        given().get("/mcp/metadata").then().statusCode(200)
                .body("name", equalTo("platform-backend"))
                .body("endpoints.streamableHttp", endsWith("/mcp"))
                .body("transports", hasItem("sse"))
                .body("protocolVersions", hasItem("2025-06-18"))
                .body("headers.required[0].name", equalTo("Authorization"))
                .body("headers.optional.name", hasItem("X-Company-ID"))
                .body("tools", hasSize(ToolSet.defaultCount()))
                .body("operationCount", equalTo(ToolSet.operationCount()))
                .body("tools.find { it.name == 'campaigns_send' }.longRunning", equalTo(true));
        given().get("/mcp-manifest.json").then().statusCode(200)
                .body("tools", hasSize(ToolSet.defaultCount()))
                .body("operations", hasSize(ToolSet.operationCount()))
                .body("tools.find { it.name == 'contacts_list' }.inputSchema.properties.limit.maximum", equalTo(100))
                .body("tools.find { it.name == 'contacts_list' }.outputSchema.properties.result.properties.items.type", equalTo("array"))
                .body("operations.find { it.name == 'contacts_delete' }.inputSchema.required", hasItem("contactId"));
    }
}
