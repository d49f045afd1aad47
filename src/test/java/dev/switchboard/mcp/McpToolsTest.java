package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static dev.switchboard.support.Gateway.ALICE;
import static dev.switchboard.support.Gateway.envelope;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpSseTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.ToolInfo;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The MCP surface over Streamable HTTP and legacy SSE, against the embedded sandbox. */
@QuarkusTest
class McpToolsTest {

    static final Set<String> NATIVE = Set.of("organizations_current", "organizations_list", "organizations_switch",
            "list_operations", "run_operation");

    private McpStreamableTestClient client;

    @BeforeEach
    void connect() {
        Gateway.resetSandbox();
        client = Gateway.streamable(ALICE);
    }

    @AfterEach
    void disconnect() {
        client.disconnect();
    }

    // ------------------------------------------------------------------ tools/list

    @Test
    void theCuratedToolsAreListedWithSchemasAndHints() {
        client.when().toolsList(page -> {
            List<String> names = page.tools().stream().map(ToolInfo::name).toList();
            assertThat(names).hasSize(34).containsAll(NATIVE)
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
    void toolsListNeedsNoKey() {
        McpStreamableTestClient anonymous = Gateway.streamable(null);
        try {
            anonymous.when().toolsList(page -> assertThat(page.size()).isEqualTo(34)).pingPong().thenAssertResults();
        } finally {
            anonymous.disconnect();
        }
    }

    // ------------------------------------------------------------------ the envelope

    @Test
    void everyAnswerNamesItsOrganizationInTextAndStructure() {
        ToolResponse response = call(client, "contacts_list", Map.of("limit", 2));
        assertThat(response.isError()).isFalse();
        assertThat(response.content()).hasSize(1);
        String[] lines = text(response).split("\n", 3);
        assertThat(lines[0]).isEqualTo("[organization] Acme Inc (id: org_acme)");
        assertThat(lines[1]).matches("-{20,}");
        JsonObject body = new JsonObject(lines[2]);
        assertThat(body).isEqualTo(envelope(response));
        assertThat(body.getJsonObject("organization"))
                .isEqualTo(new JsonObject().put("id", "org_acme").put("name", "Acme Inc").put("slug", "acme"));
        assertThat(body.getJsonObject("result").getJsonArray("items")).hasSize(2);
        assertThat(body.getJsonObject("result").getString("nextCursor")).isNotBlank();
    }

    @Test
    void inboxAnswersNameTheirMailbox() {
        ToolResponse response = call(client, "inbox_threads_search", Map.of("accountId", "sales@acme.test", "query", "invoice"));
        assertThat(envelope(response).getJsonObject("mailbox").getString("id")).isEqualTo("sales@acme.test");
    }

    // ------------------------------------------------------------------ every curated tool, with its effect

    @Test
    void contactTools() {
        ToolResponse created = call(client, "contacts_create", Map.of("email", "mcp.person@example.com", "firstName", "Mia",
                "tags", List.of("lead")));
        assertThat(created.isError()).isFalse();
        String id = result(created).getString("id");
        assertThat(result(call(client, "contacts_get", Map.of("contactId", id))).getString("firstName")).isEqualTo("Mia");
        assertThat(result(call(client, "contacts_update", Map.of("contactId", id, "company", "Initrode")))
                .getString("company")).isEqualTo("Initrode");
        JsonArray found = result(call(client, "contacts_list", Map.of("email", "mcp.person@example.com"))).getJsonArray("items");
        assertThat(found).hasSize(1);
        assertThat(found.getJsonObject(0).getString("company")).isEqualTo("Initrode");
    }

    @Test
    void messagingTools() {
        ToolResponse sms = call(client, "messages_send_sms", Map.of("to", "ct_acme_0001", "body", "Hello from a test"));
        String conversation = result(sms).getString("conversationId");
        ToolResponse email = call(client, "messages_send_email", Map.of("to", "ct_acme_0001", "subject", "Hi", "body", "Hello"));
        assertThat(result(email).getString("status")).isEqualTo("sent");
        JsonArray conversations = result(call(client, "conversations_list", Map.of("limit", 5))).getJsonArray("items");
        assertThat(conversations.stream().map(c -> ((JsonObject) c).getString("id"))).contains(conversation);
        ToolResponse call = call(client, "calls_trigger", Map.of("agentId", "ag_acme_0001", "contactId", "ct_acme_0002"));
        JsonObject job = result(call);
        assertThat(job.getString("status")).isEqualTo("succeeded");
        String transcriptId = job.getJsonObject("result").getString("transcriptId");
        JsonArray transcripts = result(call(client, "transcripts_list", Map.of("limit", 3))).getJsonArray("items");
        assertThat(transcripts.getJsonObject(0).getString("id")).isEqualTo(transcriptId);
    }

    @Test
    void workflowCampaignCrmAnalyticsAndInsightTools() {
        assertThat(result(call(client, "agents_list", Map.of())).getJsonArray("items")).hasSize(3);
        assertThat(result(call(client, "workflows_list", Map.of("status", "active"))).getJsonArray("items")).hasSize(2);
        JsonObject run = result(call(client, "workflows_run", Map.of("workflowId", "wf_acme_0002", "contactIds", List.of("ct_acme_0003"))));
        assertThat(run.getJsonObject("result").getInteger("contactsProcessed")).isEqualTo(1);
        assertThat(result(call(client, "contacts_get", Map.of("contactId", "ct_acme_0003"))).getJsonArray("tags"))
                .contains("trial-followed-up");

        assertThat(result(call(client, "campaigns_list", Map.of("status", "draft"))).getJsonArray("items")).hasSize(1);
        assertThat(result(call(client, "campaigns_stats", Map.of("campaignId", "cmp_acme_0001"))).getInteger("delivered")).isZero();
        assertThat(result(call(client, "campaigns_send", Map.of("campaignId", "cmp_acme_0001"))).getString("status"))
                .isEqualTo("succeeded");
        assertThat(result(call(client, "campaigns_stats", Map.of("campaignId", "cmp_acme_0001"))).getInteger("delivered")).isPositive();

        JsonArray deals = result(call(client, "crm_opportunities_list", Map.of("minValue", 50000, "status", "open"))).getJsonArray("items");
        assertThat(deals.stream().map(d -> ((JsonObject) d).getDouble("value"))).allMatch(v -> v >= 50000);
        assertThat(result(call(client, "analytics_overview", Map.of())).getInteger("visitors")).isPositive();
        assertThat(result(call(client, "insights_list", Map.of("limit", 2))).getJsonArray("items")).hasSize(2);
    }

    @Test
    void inboxTools() {
        String mailbox = "sales@acme.test";
        JsonArray invoices = result(call(client, "inbox_threads_search",
                Map.of("accountId", mailbox, "query", "invoice OR receipt", "limit", 50))).getJsonArray("threads");
        assertThat(invoices.size()).isGreaterThanOrEqualTo(6);
        String threadId = invoices.getJsonObject(0).getString("id");
        JsonObject thread = result(call(client, "inbox_thread_get", Map.of("accountId", mailbox, "threadId", threadId)));
        int messages = thread.getJsonArray("messages").size();
        assertThat(messages).isPositive();

        call(client, "inbox_send_message", Map.of("accountId", mailbox, "threadId", threadId, "to",
                List.of("billing@northwind-supplies.example"), "body", "Paid today, thanks."));
        JsonObject replied = result(call(client, "inbox_thread_get", Map.of("accountId", mailbox, "threadId", threadId)));
        assertThat(replied.getJsonArray("messages")).hasSize(messages + 1);
        assertThat(replied.getJsonArray("messages").getJsonObject(messages).getString("body")).isEqualTo("Paid today, thanks.");

        call(client, "inbox_thread_labels_update", Map.of("accountId", mailbox, "threadId", threadId, "addLabelIds",
                List.of("Label_invoice")));
        call(client, "inbox_thread_action", Map.of("accountId", mailbox, "threadId", threadId, "action", "star"));
        JsonObject labelled = result(call(client, "inbox_thread_get", Map.of("accountId", mailbox, "threadId", threadId)));
        assertThat(labelled.getJsonArray("labelIds")).contains("Label_invoice", "STARRED");
        assertThat(labelled.getBoolean("starred")).isTrue();
    }

    @Test
    void theMailboxComesFromTheArgumentTheHeaderOrTheOnlyOne() {
        ToolResponse ambiguous = call(client, "inbox_threads_search", Map.of("query", "invoice"));
        assertThat(ambiguous.isError()).isTrue();
        assertThat(text(ambiguous)).contains("sales@acme.test (gmail)").contains("support@acme.test (imap)").contains("accountId");

        McpStreamableTestClient withHeader = Gateway.streamable(ALICE, Map.of("x-account-id", "support@acme.test"));
        try {
            ToolResponse viaHeader = call(withHeader, "inbox_threads_search", Map.of());
            assertThat(envelope(viaHeader).getJsonObject("mailbox").getString("id")).isEqualTo("support@acme.test");
        } finally {
            withHeader.disconnect();
        }
        McpStreamableTestClient bob = Gateway.streamable(Gateway.BOB);
        try {
            ToolResponse only = call(bob, "inbox_threads_search", Map.of("query", "invoice"));
            assertThat(envelope(only).getJsonObject("mailbox").getString("id")).isEqualTo("hello@globex.test");
        } finally {
            bob.disconnect();
        }
        ToolResponse imap = call(client, "inbox_thread_labels_update", Map.of("accountId", "support@acme.test",
                "threadId", "th_acme_support_001", "addLabelIds", List.of("Label_invoice")));
        assertThat(imap.isError()).isTrue();
        assertThat(text(imap)).contains("IMAP").contains("sales@acme.test");
    }

    // ------------------------------------------------------------------ errors a model can act on

    @Test
    void badArgumentsAreToolErrorsNamingTheField() {
        ToolResponse response = call(client, "contacts_list", Map.of("limit", 500, "sort", "sideways"));
        assertThat(response.isError()).isTrue();
        assertThat(text(response)).startsWith("[organization] Acme Inc (id: org_acme)")
                .contains("'limit' must be at most 100").contains("'sort' must be one of").contains("-createdAt");
        ToolResponse unknown = call(client, "contacts_get", Map.of("contactId", "ct_acme_9999"));
        assertThat(unknown.isError()).isTrue();
        assertThat(text(unknown)).contains("not_found").contains("ct_acme_9999");
        ToolResponse refused = call(client, "inbox_thread_labels_update", Map.of("accountId", "sales@acme.test",
                "threadId", "th_acme_sales_001", "addLabelIds", List.of("Label_missing")));
        assertThat(text(refused)).contains("Label_missing").contains("Label_invoice");
    }

    @Test
    void protocolErrorsAreJsonRpcErrors() {
        McpStreamableTestClient anonymous = Gateway.streamable(null);
        try {
            assertThat(error(anonymous, "contacts_list", Map.of()).code()).isEqualTo(-32001);
        } finally {
            anonymous.disconnect();
        }
        McpStreamableTestClient stranger = Gateway.streamable("sbx_nobody");
        try {
            assertThat(error(stranger, "contacts_list", Map.of()).code()).isEqualTo(-32002);
        } finally {
            stranger.disconnect();
        }
        assertThat(error(client, "no_such_tool", Map.of()).code()).isEqualTo(-32602);
        client.when().message(client.newRequest("no/such/method")).withErrorAssert(e -> assertThat(e.code()).isEqualTo(-32601))
                .send().thenAssertResults();
        client.when().message(client.newRequest("tools/call").put("params", "not an object"))
                .withErrorAssert(e -> assertThat(e.code()).isEqualTo(-32602)).send().thenAssertResults();
        client.when().message(client.newRequest("tools/call").put("params", new JsonObject().put("name", "contacts_list")
                .put("arguments", "limit=2"))).withErrorAssert(e -> assertThat(e.code()).isEqualTo(-32602)).send()
                .thenAssertResults();
    }

    // ------------------------------------------------------------------ generic operations

    @Test
    void listOperationsFiltersAndCarriesSchemas() {
        JsonArray contacts = result(call(client, "list_operations", Map.of("group", "contacts"))).getJsonArray("items");
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

    // ------------------------------------------------------------------ long operations

    @Test
    void progressArrivesInOrderAndEndsWithTheResult() {
        JsonObject request = client.newRequest("tools/call").put("params", new JsonObject().put("name", "campaigns_send")
                .put("arguments", new JsonObject().put("campaignId", "cmp_acme_0002"))
                .put("_meta", new JsonObject().put("progressToken", "send-1")));
        client.sendAndForget(request);
        JsonObject answer = client.waitForResponse(request);
        List<Double> progress = new ArrayList<>();
        List<String> logs = new ArrayList<>();
        for (JsonObject notification : client.snapshot().notifications()) {
            JsonObject params = notification.getJsonObject("params");
            if (notification.getString("method").equals("notifications/progress")) {
                assertThat(params.getString("progressToken")).isEqualTo("send-1");
                assertThat(params.getDouble("total")).isEqualTo(4.0);
                progress.add(params.getDouble("progress"));
            } else if (notification.getString("method").equals("notifications/message")) {
                logs.add(params.getString("data"));
            }
        }
        assertThat(progress).hasSizeGreaterThanOrEqualTo(3).isSorted().doesNotHaveDuplicates().last().isEqualTo(4.0);
        assertThat(logs).anyMatch(l -> l.contains("started as job")).anyMatch(l -> l.contains("succeeded"));
        JsonObject structured = answer.getJsonObject("result").getJsonObject("structuredContent");
        assertThat(structured.getJsonObject("result").getString("status")).isEqualTo("succeeded");
        assertThat(structured.getJsonObject("result").getJsonObject("result").getString("campaignId")).isEqualTo("cmp_acme_0002");
    }

    @Test
    void aClientCancellationCancelsTheBackendJob() throws Exception {
        JsonObject request = client.newRequest("tools/call").put("params", new JsonObject().put("name", "calls_trigger")
                .put("arguments", new JsonObject().put("agentId", "ag_acme_0002").put("contactId", "ct_acme_0004"))
                .put("_meta", new JsonObject().put("progressToken", "call-1")));
        client.sendAndForget(request);
        client.waitForNotifications(1);
        String jobId = client.snapshot().notifications().stream().map(n -> n.getJsonObject("params").getString("data"))
                .filter(d -> d != null && d.contains("started as job")).findFirst().orElseThrow().replaceAll(".* job ", "");
        client.sendAndForget(client.newMessage("notifications/cancelled").put("params",
                new JsonObject().put("requestId", request.getValue("id")).put("reason", "user changed their mind")));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1)).untilAsserted(() ->
                given().header("Authorization", "Bearer " + ALICE).get("/sandbox/v1/organizations/org_acme/jobs/" + jobId)
                        .then().body("status", equalTo("cancelled")));
        Thread.sleep(300); // a cancelled request gets no answer at all
        assertThat(client.snapshot().responses()).noneMatch(r -> r.getValue("id").equals(request.getValue("id")));
    }

    // ------------------------------------------------------------------ legacy SSE transport

    @Test
    void theLegacySseTransportServesTheSameTools() {
        McpSseTestClient sse = Gateway.sse(ALICE, Map.of());
        try {
            sse.when().toolsList(page -> assertThat(page.size()).isEqualTo(34)).thenAssertResults();
            ToolResponse response = call(sse, "organizations_current", Map.of());
            assertThat(result(response).getJsonObject("organization").getString("id")).isEqualTo("org_acme");
            JsonObject request = sse.newRequest("tools/call").put("params", new JsonObject().put("name", "calls_trigger")
                    .put("arguments", new JsonObject().put("agentId", "ag_acme_0001").put("phone", "+14155550123"))
                    .put("_meta", new JsonObject().put("progressToken", 7)));
            sse.sendAndForget(request);
            JsonObject answer = sse.waitForResponse(request);
            assertThat(answer.getJsonObject("result").getBoolean("isError")).isFalse();
            assertThat(sse.snapshot().notifications()).anyMatch(n -> n.getString("method").equals("notifications/progress"));
        } finally {
            sse.disconnect();
        }
    }

    // ------------------------------------------------------------------ endpoints

    @Test
    void foreignOriginsAndHostsAreRefused() {
        String ping = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream").header("Origin", "http://evil.example.com")
                .body(ping).post("/mcp").then().statusCode(403);
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream")
                .header("Origin", "http://localhost.evil.example.com").body(ping).post("/mcp").then().statusCode(403);
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream").header("Host", "evil.example.com")
                .body(ping).post("/mcp").then().statusCode(403);
        given().header("Origin", "http://evil.example.com").get("/mcp/sse").then().statusCode(403);
        given().contentType(ContentType.JSON).accept("application/json, text/event-stream").header("Origin", "http://localhost:6274")
                .body(ping).post("/mcp").then().statusCode(200);
    }

    @Test
    void metadataAndManifestDescribeTheServer() {
        given().get("/mcp/metadata").then().statusCode(200)
                .body("name", equalTo("platform-backend"))
                .body("endpoints.streamableHttp", org.hamcrest.Matchers.endsWith("/mcp"))
                .body("transports", hasItem("sse"))
                .body("protocolVersions", hasItem("2025-06-18"))
                .body("headers.required[0].name", equalTo("Authorization"))
                .body("headers.optional.name", hasItem("X-Company-ID"))
                .body("tools", hasSize(34))
                .body("tools.find { it.name == 'campaigns_send' }.longRunning", equalTo(true));
        given().get("/mcp-manifest.json").then().statusCode(200)
                .body("tools", hasSize(34))
                .body("operations", hasSize(91))
                .body("tools.find { it.name == 'contacts_list' }.inputSchema.properties.limit.maximum", equalTo(100))
                .body("tools.find { it.name == 'contacts_list' }.outputSchema.properties.result.properties.items.type", equalTo("array"))
                .body("operations.find { it.name == 'contacts_delete' }.inputSchema.required", hasItem("contactId"));
    }
}
