package dev.switchboard.tenancy;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.result;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.OwnRedis;
import dev.switchboard.support.Gateway;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.json.JsonObject;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Redis stopped mid-test: calls fail closed with clear errors, readiness stays UP (the details say DOWN), pinned calls go on, and a Redis that comes back empty makes switched keys choose again. */
@QuarkusTest
@TestProfile(RedisOutageTest.OutageProfile.class)
class RedisOutageTest {

    public static class OutageProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.identity-cache-seconds", "30");
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(OwnRedis.class));
        }
    }

    @TestHTTPResource("/mcp")
    URI endpoint;

    /**
     * Every call makes one state-store round trip at admission: 200 calls in flight at once (well under the bulkhead's
     * 64 running plus 128 queued) all get their answer, none "state store is unavailable" for want of a Redis
     * connection.
     */
    @Test
    void manyCallsInFlightAtOnceAllReachTheStore() throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String session = http.send(post(initialize(), Optional.empty()), HttpResponse.BodyHandlers.ofString())
                .headers().firstValue("Mcp-Session-Id").orElseThrow();
        // warm: this asks about connections, not a cold JVM
        for (int i = 0; i < 30; i++) {
            http.send(post(currentOrganization(2), Optional.of(session)), HttpResponse.BodyHandlers.ofString());
        }
        int calls = 200;
        ExecutorService threads = Executors.newFixedThreadPool(calls);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                int id = i + 10;
                answers.add(threads.submit(() -> {
                    start.await();
                    return http.send(post(currentOrganization(id), Optional.of(session)), HttpResponse.BodyHandlers.ofString())
                            .body();
                }));
            }
            start.countDown();
            List<String> refused = new ArrayList<>();
            for (Future<String> answer : answers) {
                String body = answer.get(2, TimeUnit.MINUTES);
                if (!body.contains("\"isError\":false")) {
                    refused.add(body);
                }
            }
            assertThat(refused.size()).as("calls refused out of %d in flight at once, the first: %s", calls,
                    refused.isEmpty() ? "-" : refused.get(0)).isZero();
        } finally {
            threads.shutdownNow();
        }
    }

    private HttpRequest post(JsonObject message, Optional<String> session) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofMinutes(1))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .header("Authorization", "Bearer " + Gateway.BOB)
                .POST(HttpRequest.BodyPublishers.ofString(message.encode()));
        session.ifPresent(id -> request.header("Mcp-Session-Id", id));
        return request.build();
    }

    private static JsonObject currentOrganization(int id) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
                .put("params", new JsonObject().put("name", "organizations_current").put("arguments", new JsonObject()));
    }

    private static JsonObject initialize() {
        return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "initialize").put("params",
                new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "concurrency").put("version", "1")));
    }

    /**
     * A Redis that holds its connections and answers nothing (SIGSTOP): each call waits for the store at most once (no
     * write is tried after the admission timed out, and once Redis is taken as down calls fail at once), and the
     * identity this replica fetched stands in for the store's cache, so the workspace is not asked again and again.
     */
    @Test
    void aPausedRedisCostsACallAtMostOneStoreTimeoutAndNoIdentityLookups() {
        McpStreamableTestClient carol = Gateway.streamable(Gateway.AGENCY);
        McpStreamableTestClient pinned = Gateway.streamable(Gateway.AGENCY, Map.of("X-Company-ID", "org_acme"));
        try {
            assertThat(call(carol, "organizations_current", Map.of()).isError()).isFalse();
            int lookups = Gateway.requests("auth_whoami");
            double writesFailed = dev.switchboard.support.Metrics.value("switchboard_state_store_errors_total",
                    Map.of("operation", "write"));
            OwnRedis.server().pause();
            try {
                for (int i = 0; i < 5; i++) {
                    long started = System.nanoTime();
                    ToolResponse closed = call(carol, "contacts_list", Map.of("limit", 1));
                    assertThat(closed.isError()).isTrue();
                    assertThat(text(closed)).contains("state store is unavailable").contains("nothing was done");
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a call with Redis paused (no hang)")
                            .isLessThan(Duration.ofSeconds(30));
                    assertThat(call(pinned, "contacts_list", Map.of("limit", 1)).isError()).as("a pinned call goes on")
                            .isFalse();
                }
                assertThat(Gateway.requests("auth_whoami") - lookups).as("identity lookups while Redis is paused").isZero();
                assertThat(dev.switchboard.support.Metrics.value("switchboard_state_store_errors_total",
                        Map.of("operation", "write")) - writesFailed).as("store writes tried after a timed-out admission")
                        .isZero();
            } finally {
                OwnRedis.server().resume();
            }
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(call(carol, "contacts_list", Map.of("limit", 1)).isError()).isFalse());
        } finally {
            carol.disconnect();
            pinned.disconnect();
        }
    }

    @Test
    void failsClosedAndRecovers() {
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        McpStreamableTestClient pinned = Gateway.streamable(Gateway.BOB, Map.of("X-Company-ID", "org_globex"));
        try {
            call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            assertThat(result(call(alice, "organizations_current", Map.of())).getString("source")).isEqualTo("override");
            given().get("/q/health/ready").then().statusCode(200);

            OwnRedis.server().stop();
            ToolResponse closed = call(alice, "contacts_list", Map.of("limit", 1));
            assertThat(closed.isError()).isTrue();
            assertThat(text(closed)).contains("state store is unavailable").contains("nothing was done").contains("X-Company-ID");
            ToolResponse noSwitch = call(alice, "organizations_switch", Map.of("organizationId", "org_acme"));
            assertThat(noSwitch.isError()).isTrue();
            // a call that pins its organization needs no override, so it still works
            assertThat(call(pinned, "contacts_list", Map.of("limit", 1)).isError()).isFalse();
            // Redis is every replica's: readiness stays UP (clients get the clear errors above), the details say it
            given().get("/q/health/ready").then().statusCode(200);
            given().get("/q/health/well").then().statusCode(503)
                    .body("checks.find { it.name == 'state-store' }.status", equalTo("DOWN"));
            given().get("/q/health/live").then().statusCode(200);
            given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("switchboard_state_store_errors_total"));

            OwnRedis.server().restart();
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
                given().get("/q/health/well").then().statusCode(200);
                assertThat(call(pinned, "contacts_list", Map.of("limit", 1)).isError()).isFalse();
            });
            // the fresh Redis lost the switch: the gateway cannot vouch for the key's choice and says so, until it is made again
            io.vertx.core.json.JsonObject unvouched = dev.switchboard.support.Calls.raw(alice, "contacts_list", Map.of("limit", 1));
            assertThat(unvouched.getJsonObject("error").getInteger("code")).isEqualTo(-32003);
            assertThat(unvouched.getJsonObject("error").getString("message")).contains("lost its data")
                    .contains("organizations_switch");
            assertThat(call(alice, "organizations_switch", Map.of("organizationId", "org_globex")).isError()).isFalse();
            assertThat(result(call(alice, "organizations_current", Map.of())).getString("source")).isEqualTo("override");
            given().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("switchboard_state_store_resets_total 1.0"));
        } finally {
            alice.disconnect();
            pinned.disconnect();
        }
    }
}
