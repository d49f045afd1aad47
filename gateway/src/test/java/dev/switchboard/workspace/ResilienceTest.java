package dev.switchboard.workspace;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Gateway.text;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.support.Gateway;
import dev.switchboard.support.Metrics;
import dev.switchboard.support.ResilienceProfile;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;

/** Each fault mode of the upstream, injected by the sandbox, and what the gateway, its metrics and its health do. */
@QuarkusTest
@TestProfile(ResilienceProfile.class)
class ResilienceTest {

    private static final String METHOD = "workspace-api";

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    WorkspaceClient workspace;

    @Inject
    OperationCatalog catalog;

    private McpStreamableTestClient client;

    @BeforeEach
    void setUp() {
        Gateway.resetSandbox();
        circuitBreakers.resetAll();
        client = Gateway.streamable(Gateway.ALICE);
        call(client, "organizations_current", Map.of()); // identity cached, so only the tool's own requests count below
    }

    @AfterEach
    void tearDown() {
        Gateway.clearFaults();
        client.disconnect();
    }

    private static double outcomes(String tool, String outcome) {
        return Metrics.value("switchboard_tool_calls_seconds_count", Map.of("tool", tool, "outcome", outcome));
    }

    @Test
    void aSlowUpstreamTimesOutPerRequest() {
        double before = outcomes("agents_list", "timeout");
        double timedOut = Metrics.value("ft_timeout_calls_total", Map.of("method", METHOD, "timedOut", "true"));
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "latencyMs", 2500));
        ToolResponse response = call(client, "agents_list", Map.of());
        // an error, not the answer the workspace gives after 2.5 s: the request was cut at its 1 s timeout
        assertThat(response.isError()).isTrue();
        assertThat(text(response)).contains("did not answer agents_list within 1 s");
        assertThat(outcomes("agents_list", "timeout")).isEqualTo(before + 1);
        assertThat(Metrics.value("ft_timeout_calls_total", Map.of("method", METHOD, "timedOut", "true"))).isGreaterThan(timedOut);
    }

    /** The time a call took in all is not passed off as the per-request timeout. */
    @Test
    void aTimeoutAfterARetrySaysHowLongTheCallTookInAll() {
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 503, "latencyMs", 700, "times", 1));
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "latencyMs", 2500));
        long started = System.nanoTime();
        ToolResponse response = call(client, "agents_list", Map.of());
        double took = (System.nanoTime() - started) / 1e9;
        assertThat(response.isError()).isTrue();
        String said = text(response).replaceAll("(?s).*this call took ([0-9.]+) s in all.*", "$1");
        assertThat(text(response)).contains("did not answer agents_list within 1 s (MCP_REQUEST_TIMEOUT_SECONDS, the limit of "
                + "each request to it); this call took").contains(", over 2 attempts");
        assertThat(Double.parseDouble(said)).isGreaterThan(1.6).isLessThanOrEqualTo(took + 0.1);
    }

    @Test
    void transientFailuresAreRetriedUntilSuccess() {
        double retries = Metrics.value("ft_retry_retries_total", Map.of("method", METHOD));
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 503, "times", 2));
        int seen = Gateway.requests("agents_list");
        ToolResponse response = call(client, "agents_list", Map.of());
        assertThat(response.isError()).isFalse();
        assertThat(Gateway.requests("agents_list") - seen).isEqualTo(3);
        assertThat(Metrics.value("ft_retry_retries_total", Map.of("method", METHOD))).isEqualTo(retries + 2);
        assertThat(Metrics.value("switchboard_upstream_requests_seconds_count", Map.of("operation", "agents_list", "status", "503")))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void retriesStopAfterTheirLimit() {
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 502));
        int seen = Gateway.requests("agents_list");
        double before = outcomes("agents_list", "upstream_error");
        ToolResponse response = call(client, "agents_list", Map.of());
        assertThat(response.isError()).isTrue();
        assertThat(text(response)).contains("failed (HTTP 502)").contains("Retry in a few seconds");
        assertThat(Gateway.requests("agents_list") - seen).isEqualTo(4);
        assertThat(outcomes("agents_list", "upstream_error")).isEqualTo(before + 1);
    }

    @Test
    void validationErrorsAreNeverRetried() {
        int seen = Gateway.requests("crm_opportunities_create");
        ToolResponse response = call(client, "run_operation", Map.of("operation", "crm_opportunities_create", "arguments",
                Map.of("name", "Deal", "pipelineId", "pl_acme_0001", "stageId", "stg_acme_0009", "value", 10)));
        assertThat(text(response)).contains("stageId");
        assertThat(Gateway.requests("crm_opportunities_create") - seen).isEqualTo(1);
    }

    @Test
    void aWriteWithoutIdempotencyKeyIsNotRetriedAndOneWithAKeyIs() {
        Gateway.fault(Map.of("operation", "contacts_create", "probability", 1.0, "status", 503, "times", 1));
        UpstreamRequest bare = UpstreamRequest.of(catalog.require("contacts_create"), new UpstreamCredential("Bearer " + Gateway.ALICE, java.util.Optional.empty()), "org_acme",
                Map.of("email", "no.key@example.com"));
        int seen = Gateway.requests("contacts_create");
        UpstreamCallFailed failed = org.junit.jupiter.api.Assertions.assertThrows(UpstreamCallFailed.class,
                () -> workspace.relay(bare).await().atMost(Duration.ofMinutes(1)));
        assertThat(failed.getCause()).isInstanceOf(UpstreamFailure.Unavailable.class);
        assertThat(Gateway.requests("contacts_create") - seen).isEqualTo(1);

        Gateway.fault(Map.of("operation", "contacts_create", "probability", 1.0, "status", 503, "times", 1));
        seen = Gateway.requests("contacts_create");
        assertThat(new String(workspace.relay(bare.withIdempotencyKey("test-retry-key-1")).await().atMost(Duration.ofMinutes(1))))
                .contains("\"email\":\"no.key@example.com\"");
        assertThat(Gateway.requests("contacts_create") - seen).isEqualTo(2);
        // through MCP every write carries a key (the caller's or one the gateway made), so it is retried safely
        Gateway.fault(Map.of("operation", "contacts_create", "probability", 1.0, "status", 502, "phase", "AFTER", "times", 1));
        ToolResponse created = call(client, "contacts_create", Map.of("email", "made.once@example.com"));
        assertThat(created.isError()).isFalse();
        given().header("Authorization", "Bearer " + Gateway.ALICE).queryParam("email", "made.once@example.com")
                .get("/sandbox/v1/organizations/org_acme/contacts").then().body("items.size()", equalTo(1));
    }

    @Test
    void rateLimitingUpstreamIsWaitedOutOrReported() {
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 429, "retryAfterSeconds", 1, "times", 1));
        long started = System.nanoTime();
        assertThat(call(client, "agents_list", Map.of()).isError()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(950));

        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "status", 429, "retryAfterSeconds", 30));
        int seen = Gateway.requests("agents_list");
        ToolResponse limited = call(client, "agents_list", Map.of());
        assertThat(limited.isError()).isTrue();
        assertThat(text(limited)).contains("rate limiting").contains("Retry in 30 s");
        assertThat(Gateway.requests("agents_list") - seen).as("a long Retry-After is reported, not waited out").isEqualTo(1);
    }

    @Test
    void theCircuitOpensFailsFastAndCloses() {
        double opened = Metrics.value("ft_circuitbreaker_opened_total", Map.of("method", METHOD));
        double openedOwn = Metrics.value("switchboard_circuit_breaker_opened_total");
        Gateway.fault(Map.of("operation", "*", "probability", 1.0, "status", 500));
        for (int i = 0; i < 8; i++) {
            call(client, "agents_list", Map.of());
        }
        // a backend outage is every replica's: readiness stays UP (clients get the clear error below), the details say it
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'workspace-api' }.data.circuit", equalTo("open"));
        assertThat(Metrics.value("switchboard_circuit_breaker_open")).isEqualTo(1);
        assertThat(Metrics.value("switchboard_dependency_up", Map.of("dependency", "workspace_api"))).isZero();
        int seen = Gateway.requests("agents_list");
        ToolResponse fast = call(client, "agents_list", Map.of());
        assertThat(text(fast)).contains("circuit").contains("about 2 s");
        assertThat(Gateway.requests("agents_list")).as("nothing reaches the upstream while open").isEqualTo(seen);
        assertThat(outcomes("agents_list", "circuit_open")).isPositive();
        assertThat(Metrics.value("ft_circuitbreaker_opened_total", Map.of("method", METHOD))).isEqualTo(opened + 1);
        assertThat(Metrics.value("switchboard_circuit_breaker_opened_total")).isEqualTo(openedOwn + 1);
        assertThat(Metrics.value("ft_circuitbreaker_state_current", Map.of("method", METHOD, "state", "open"))).isEqualTo(1);

        Gateway.clearFaults();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> !call(client, "agents_list", Map.of()).isError());
        given().get("/q/health/well").then().statusCode(200);
        assertThat(Metrics.value("ft_circuitbreaker_state_current", Map.of("method", METHOD, "state", "closed"))).isEqualTo(1);
        assertThat(Metrics.value("switchboard_circuit_breaker_open")).isZero();
    }

    @Test
    void theBulkheadRefusesWhatItCannotHold() throws Exception {
        Gateway.fault(Map.of("operation", "agents_list", "probability", 1.0, "latencyMs", 700));
        double rejected = Metrics.value("ft_bulkhead_calls_total", Map.of("method", METHOD, "bulkheadResult", "rejected"));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<McpStreamableTestClient> clients = new ArrayList<>();
        try {
            List<Future<ToolResponse>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                McpStreamableTestClient each = Gateway.streamable(Gateway.ALICE);
                clients.add(each);
            }
            // the identity is known before the calls start (organizations_current itself asks the workspace)
            call(clients.get(0), "organizations_current", Map.of());
            for (McpStreamableTestClient each : clients) {
                calls.add(pool.submit(() -> call(each, "agents_list", Map.of())));
            }
            List<String> answers = new ArrayList<>();
            for (Future<ToolResponse> future : calls) {
                ToolResponse response = future.get();
                answers.add(response.isError() ? text(response) : "ok");
            }
            assertThat(answers).filteredOn(a -> a.contains("limit of concurrent workspace requests")).hasSizeGreaterThanOrEqualTo(2);
            assertThat(answers).filteredOn("ok"::equals).hasSizeGreaterThanOrEqualTo(2);
        } finally {
            pool.shutdownNow();
            clients.forEach(McpStreamableTestClient::disconnect);
        }
        assertThat(Metrics.value("ft_bulkhead_calls_total", Map.of("method", METHOD, "bulkheadResult", "rejected")))
                .isGreaterThanOrEqualTo(rejected + 2);
        assertThat(outcomes("agents_list", "overloaded")).isGreaterThanOrEqualTo(2);
    }
}
