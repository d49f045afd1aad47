package dev.switchboard.mcp;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.result;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SessionTest;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The curated tools family by family (contacts; messaging and calls; workflows, campaigns, CRM, analytics and insights;
 * inbox), each checked by its effect on the sandbox, read back through other tools.
 */
@QuarkusTest
class ToolFamiliesTest extends SessionTest {

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
}
