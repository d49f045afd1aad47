package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.envelope;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.support.Gateway;
import dev.switchboard.support.OperatorProfile;
import dev.switchboard.support.ToolSet;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.ToolInfo;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Every operation as a tool, whitelabelled (name, prefix, wording, path), with the smallest result budget allowed (the
 * operator's profile, whose contract file adds one operation to the built-in ones):
 * every name a client reads is one it can call (job logs and job results too), and the budget's notices say exactly
 * what was cut, and nothing when nothing was.
 */
@QuarkusTest
@TestProfile(OperatorProfile.class)
class ExposureTest {

    @Inject
    OperationCatalog catalog;

    private static McpStreamableTestClient client() {
        return OperatorProfile.client();
    }

    /** Every operation of the contract this gateway reads, and the native tools. */
    private int allTools() {
        return catalog.all().size() + ToolSet.NATIVE.size();
    }

    @Test
    void everyOperationIsAToolUnderThePrefixWithTheOperatorsWording() {
        McpStreamableTestClient client = client();
        try {
            assertThat(client.initResult().serverName()).isEqualTo(OperatorProfile.SERVER_NAME);
            client.when().toolsList(page -> {
                assertThat(page.tools()).hasSize(allTools()).allMatch(tool -> tool.name().startsWith("acme_"));
                assertThat(page.tools().stream().map(ToolInfo::name)).contains("acme_contacts_delete", "acme_jobs_get",
                        "acme_run_operation", "acme_auth_whoami");
                ToolInfo list = page.findByName("acme_contacts_list");
                assertThat(list.title()).isEqualTo("Find customers");
                assertThat(list.description()).isEqualTo("Searches the customer directory of the active workspace.");
                assertThat(page.findByName("acme_organizations_current").title()).isEqualTo("Which workspace am I in?");
                assertThat(page.findByName("acme_contacts_delete").annotations().orElseThrow().destructiveHint()).isTrue();
            }).thenAssertResults();
            JsonArray operations = result(call(client, "acme_list_operations", Map.of("group", "jobs"))).getJsonArray("items");
            assertThat(operations.getJsonObject(0).getString("tool")).isEqualTo("acme_jobs_cancel");
            assertThat(text(call(client, "acme_contacts_get", Map.of("contactId", "ct_acme_0001")))).startsWith("[organization] Acme Inc");
        } finally {
            client.disconnect();
        }
        given().get("/assistant/metadata").then().statusCode(200).body("name", equalTo("acme-workspace"))
                .body("toolPrefix", equalTo("acme_")).body("tools", hasSize(allTools()))
                .body("endpoints.streamableHttp", org.hamcrest.Matchers.endsWith("/assistant"));
    }

    @Test
    void aLargePageIsCutAtAnItemAndContinuesWhereItStopped() {
        Gateway.resetSandbox();
        List<String> expected = given().header("Authorization", "Bearer " + Gateway.ALICE).queryParam("limit", 60)
                .get("/sandbox/v1/organizations/org_acme/contacts").then().extract().jsonPath().getList("items.id");
        McpStreamableTestClient client = client();
        try {
            List<String> seen = new ArrayList<>();
            String cursor = null;
            int truncatedPages = 0;
            while (seen.size() < 60) {
                Map<String, Object> arguments = cursor == null ? Map.of("limit", 30) : Map.of("limit", 30, "cursor", cursor);
                ToolResponse response = call(client, "acme_contacts_list", arguments);
                assertThat(response.isError()).as(text(response)).isFalse();
                JsonObject envelope = envelope(response);
                assertThat(text(response).length()).isLessThan(OperatorProfile.RESULT_BUDGET_TOKENS * 4 + 200);
                // the text is whole JSON after the header, whatever was cut
                assertThat(new JsonObject(text(response).split("\n", 3)[2])).isEqualTo(envelope);
                if (envelope.getBoolean("truncated", false)) {
                    truncatedPages++;
                    assertThat(envelope.getString("notice")).contains("call again with cursor set to this result's nextCursor "
                            + "and the same other arguments");
                }
                envelope.getJsonObject("result").getJsonArray("items").forEach(c -> seen.add(((JsonObject) c).getString("id")));
                cursor = envelope.getJsonObject("result").getString("nextCursor");
            }
            assertThat(truncatedPages).isPositive();
            assertThat(seen.subList(0, 60)).isEqualTo(expected);
        } finally {
            client.disconnect();
        }
    }

    @Test
    void aSingleOversizedItemHasItsLongTextsShortened() {
        McpStreamableTestClient client = client();
        try {
            String prompt = "Be helpful. ".repeat(1500);
            String agent = result(call(client, "acme_agents_create", Map.of("name", "Verbose", "prompt", prompt))).getString("id");
            ToolResponse response = call(client, "acme_agents_get", Map.of("agentId", agent));
            JsonObject envelope = envelope(response);
            assertThat(envelope.getBoolean("truncated")).isTrue();
            assertThat(envelope.getJsonObject("result").getString("prompt")).contains("characters cut]").hasSizeLessThan(prompt.length());
            assertThat(envelope.getJsonObject("result").getString("id")).isEqualTo(agent);
            assertThat(envelope.getString("notice")).contains("shortened");
            // the notice names each cut field with the number its marker shows
            String shown = envelope.getJsonObject("result").getString("prompt");
            String cut = shown.replaceAll("(?s).*… \\[(\\d+) characters cut\\]$", "$1");
            assertThat(envelope.getString("notice")).contains("prompt (" + cut + " characters cut)")
                    .doesNotContain("shortened by");
            assertThat(shown.length() - ("… [" + cut + " characters cut]").length() + Integer.parseInt(cut)).isEqualTo(prompt.length());
        } finally {
            client.disconnect();
        }
    }

    @Test
    void anAnswerWithNothingToCutGoesOnWholeAndClaimsNoCut() {
        McpStreamableTestClient client = client();
        try {
            // one item of about 1,900 characters, none of its texts longer than 200: over the budget, and nothing to cut
            ToolResponse response = call(client, "acme_list_operations", Map.of("query", "contacts_list", "limit", 1));
            JsonObject envelope = envelope(response);
            assertThat(envelope.getJsonObject("result").getJsonArray("items")).hasSize(1);
            assertThat(envelope.getJsonObject("result").toString().length()).isGreaterThan(OperatorProfile.RESULT_BUDGET_TOKENS * 4 - 400);
            assertThat(envelope.containsKey("truncated")).as(envelope.getString("notice")).isFalse();
            assertThat(envelope.containsKey("notice")).isFalse();
            assertThat(text(response)).doesNotContain("shortened by 0").doesNotContain("characters in all");
        } finally {
            client.disconnect();
        }
    }

    @Test
    void jobLogsAndJobResultsNameTheToolAsItIsCalled() {
        McpStreamableTestClient client = client();
        try {
            JsonObject request = client.newRequest("tools/call").put("params", new JsonObject().put("name", "acme_workflows_run")
                    .put("arguments", new JsonObject().put("workflowId", "wf_acme_0002").put("contactIds", new JsonArray().add("ct_acme_0001")))
                    .put("_meta", new JsonObject().put("progressToken", "run-1")));
            client.sendAndForget(request);
            JsonObject answer = client.waitForResponse(request);
            List<String> logs = new ArrayList<>();
            for (JsonObject notification : client.snapshot().notifications()) {
                if (notification.getString("method").equals("notifications/message")) {
                    logs.add(notification.getJsonObject("params").getString("data"));
                }
            }
            assertThat(logs).anyMatch(log -> log.startsWith("acme_workflows_run started as job"))
                    .anyMatch(log -> log.startsWith("acme_workflows_run job "))
                    .noneMatch(log -> log.matches("(?s)(^|.*[^_])workflows_run.*"));
            JsonObject job = answer.getJsonObject("result").getJsonObject("structuredContent").getJsonObject("result");
            assertThat(job.getString("type")).isEqualTo("acme_workflows_run");
            JsonObject again = result(call(client, "acme_jobs_get", Map.of("jobId", job.getString("id"))));
            assertThat(again.getString("type")).isEqualTo("acme_workflows_run");
        } finally {
            client.disconnect();
        }
    }
}
