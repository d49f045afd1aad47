package dev.switchboard.observability;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

/**
 * With tracing on (OTEL_TRACES_SAMPLER_ARG=1), one tool call is one trace from the client's traceparent to the backend:
 * the call's own span (tool, organization, outcome) under the client's, and under it the state store's Redis commands,
 * the upstream request and the workspace's own server span. A 2026-07-28 request may name its parent in
 * _meta instead of a header. No span carries the key.
 */
@QuarkusTest
@TestProfile(TracingTest.Traced.class)
class TracingTest {

    public static class Traced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.otel.traces.sampler.arg", "1", "quarkus.otel.bsp.schedule.delay", "50ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(dev.switchboard.support.OwnRedis.class)); // the store's commands are spans
        }
    }

    @Inject
    InMemorySpanExporter exporter;

    @Test
    void oneToolCallIsOneTraceFromTheClientToTheBackend() {
        String trace = hex(16);
        String parent = hex(8);
        given().contentType("application/json").accept("application/json, text/event-stream")
                .header("Authorization", "Bearer " + Gateway.ALICE).header("traceparent", "00-" + trace + "-" + parent + "-01")
                .body(call().encode()).post("/mcp").then().statusCode(200);
        List<SpanData> spans = awaitTrace(trace, "tools/call contacts_list");

        SpanData tool = spans.stream().filter(span -> span.getName().equals("tools/call contacts_list")).findFirst().orElseThrow();
        assertThat(tool.getParentSpanId()).as("the call continues the client's span").isEqualTo(parent);
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("mcp.organization"))).isEqualTo("org_acme");
        assertThat(tool.getAttributes().get(AttributeKey.stringKey("mcp.outcome"))).isEqualTo("ok");
        assertThat(spans).as("the state store's commands; " + names(spans)).anyMatch(span -> span.getKind() == SpanKind.CLIENT
                && span.getAttributes().asMap().toString().toLowerCase().contains("redis"));
        assertThat(spans).as("the upstream request and the workspace's server span; " + names(spans))
                .anyMatch(span -> span.getKind() == SpanKind.CLIENT && span.getAttributes().asMap().toString().contains("/sandbox"))
                .anyMatch(span -> span.getKind() == SpanKind.SERVER && span.getAttributes().asMap().toString().contains("/sandbox"));
        assertThat(spans).allSatisfy(span -> assertThat(span.getAttributes().asMap().toString()).doesNotContain(Gateway.ALICE));
        // the tool-call metric's exemplar names the trace (OpenMetrics, as Prometheus asks for exemplars)
        String openMetrics = given().header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(openMetrics.lines().filter(line -> line.startsWith("switchboard_tool_calls_seconds_bucket")))
                .anyMatch(line -> line.contains("trace_id=\"" + trace + "\""));
    }

    @Test
    void aStatelessRequestContinuesTheTraceItsMetaNames() {
        String trace = hex(16);
        JsonObject meta = new JsonObject().put("io.modelcontextprotocol/protocolVersion", "2026-07-28")
                .put("io.modelcontextprotocol/clientCapabilities", new JsonObject())
                .put("io.modelcontextprotocol/clientInfo", new JsonObject().put("name", "tracing-test").put("version", "1"))
                .put("traceparent", "00-" + trace + "-" + hex(8) + "-01");
        JsonObject request = call();
        request.getJsonObject("params").put("_meta", meta);
        given().contentType("application/json").accept("application/json").header("MCP-Protocol-Version", "2026-07-28")
                .header("Mcp-Method", "tools/call").header("Authorization", "Bearer " + Gateway.ALICE)
                .body(request.encode()).post("/mcp").then().statusCode(200);
        assertThat(awaitTrace(trace, "tools/call contacts_list")).isNotEmpty();
    }

    private static JsonObject call() {
        return new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", "tools/call").put("params",
                new JsonObject().put("name", "contacts_list").put("arguments", new JsonObject().put("limit", 1)));
    }

    private List<SpanData> awaitTrace(String trace, String name) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> assertThat(inTrace(trace))
                .as("%s; all spans: %s", names(inTrace(trace)), names(exporter.getFinishedSpanItems()))
                .anyMatch(span -> span.getName().equals(name)));
        return inTrace(trace);
    }

    private List<SpanData> inTrace(String trace) {
        return exporter.getFinishedSpanItems().stream().filter(span -> span.getTraceId().equals(trace)).toList();
    }

    private static String names(List<SpanData> spans) {
        return spans.stream().map(span -> span.getTraceId().substring(0, 6) + "/" + span.getParentSpanId().substring(0, 6)
                + "/" + span.getSpanId().substring(0, 6) + " " + span.getKind() + " " + span.getName()).toList().toString();
    }

    private static String hex(int bytes) {
        byte[] random = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
