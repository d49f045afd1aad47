package dev.switchboard.mcp;

import static dev.switchboard.support.Gateway.ALICE;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.SessionTest;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Long operations that run as backend jobs: progress notifications arrive in order with the caller's token and end with
 * the job's result, and a client's notifications/cancelled cancels the backend job and gets no answer.
 */
@QuarkusTest
class JobProgressTest extends SessionTest {

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
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() ->
                given().header("Authorization", "Bearer " + ALICE).get("/sandbox/v1/organizations/org_acme/jobs/" + jobId)
                        .then().body("status", equalTo("cancelled")));
        Thread.sleep(300); // a cancelled request gets no answer at all
        assertThat(client.snapshot().responses()).noneMatch(r -> r.getValue("id").equals(request.getValue("id")));
    }
}
