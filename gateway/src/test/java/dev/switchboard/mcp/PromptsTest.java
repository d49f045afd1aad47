package dev.switchboard.mcp;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A client's prompt picker offers the reference documents' workflows (the inbox blueprints and the organization
 * check-in), with their arguments, and the server declares that it has prompts.
 */
@QuarkusTest
class PromptsTest {

    private static Response send(String body) {
        return given().contentType("application/json").header("Accept", "application/json").body(body).post("/mcp");
    }

    @Test
    void theWorkflowsAreListedAndDeclared() {
        send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
                + "\"capabilities\":{},\"clientInfo\":{\"name\":\"prompts\",\"version\":\"1\"}}}").then().statusCode(200)
                .body("result.capabilities.prompts", notNullValue());
        send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"prompts/list\"}").then().statusCode(200)
                .body("result.prompts.name", hasItems("organization_check_in", "invoice_processor", "lead_capture", "daily_digest"));
    }

    @Test
    void aPromptNamesTheToolsAndUsesItsArguments() {
        send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"prompts/get\",\"params\":{\"name\":\"invoice_processor\","
                + "\"arguments\":{\"query\":\"bill OR statement\"}}}").then().statusCode(200)
                .body("result.messages[0].content.text", containsString("inbox_threads_search"))
                .body("result.messages[0].content.text", containsString("bill OR statement"));
        send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/get\",\"params\":{\"name\":\"organization_check_in\"}}")
                .then().statusCode(200).body("result.messages[0].content.text", containsString("organizations_current"));
    }
}
