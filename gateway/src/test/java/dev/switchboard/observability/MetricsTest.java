package dev.switchboard.observability;

import static dev.switchboard.support.Calls.call;
import static dev.switchboard.support.Calls.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.LogTail;
import dev.switchboard.support.Metrics;
import dev.switchboard.support.RepoRoot;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;
import io.quarkus.test.junit.QuarkusTest;

/** What the gateway exports to Prometheus, and that the dashboard and the alert rules only query what exists. */
@QuarkusTest
class MetricsTest {

    private static final Pattern METRIC = Pattern.compile("\\b((?:switchboard|ft|mcp_server|http_server|jvm|process)_[A-Za-z0-9_]+)");

    private static void traffic() {
        Gateway.resetSandbox();
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        McpStreamableTestClient stranger = Gateway.streamable("sbx_unknown_key");
        try {
            call(alice, "contacts_list", Map.of("limit", 2));
            call(alice, "contacts_list", Map.of("limit", 2000));
            call(alice, "workflows_run", Map.of("workflowId", "wf_acme_0001"));
            call(alice, "organizations_switch", Map.of("organizationId", "org_globex"));
            call(alice, "organizations_switch", Map.of("organizationId", "org_initech"));
            call(alice, "organizations_switch", Map.of("organizationId", "org_acme"));
            error(stranger, "contacts_list", Map.of());
            error(alice, "zz_made_up_tool_4711", Map.of());
        } finally {
            alice.disconnect();
            stranger.disconnect();
        }
    }

    @Test
    void theGatewaysOwnMetricsMoveWithTraffic() {
        traffic();
        assertThat(Metrics.scrape()).as("tracing is off by default: no metric names a trace").doesNotContain("trace_id=");
        assertThat(Metrics.value("switchboard_tool_calls_seconds_count", Map.of("tool", "contacts_list", "outcome", "ok"))).isPositive();
        assertThat(Metrics.value("switchboard_tool_calls_seconds_count", Map.of("tool", "contacts_list", "outcome", "tool_error")))
                .isPositive();
        assertThat(Metrics.value("switchboard_tool_calls_seconds_bucket", Map.of("tool", "contacts_list", "le", "+Inf"))).isPositive();
        assertThat(Metrics.value("switchboard_upstream_requests_seconds_count", Map.of("operation", "contacts_list", "status", "200")))
                .isPositive();
        assertThat(Metrics.value("switchboard_jobs_seconds_count", Map.of("operation", "workflows_run", "outcome", "completed")))
                .isPositive();
        assertThat(Metrics.value("switchboard_jobs_running")).isZero();
        assertThat(Metrics.value("switchboard_authentications_total", Map.of("result", "invalid_key"))).isPositive();
        assertThat(Metrics.value("switchboard_authentications_total", Map.of("result", "ok"))).isPositive();
        assertThat(Metrics.value("switchboard_organization_switches_total", Map.of("result", "ok"))).isPositive();
        assertThat(Metrics.value("switchboard_organization_switches_total", Map.of("result", "refused"))).isPositive();
        assertThat(Metrics.value("ft_invocations_total", Map.of("method", "workspace-api")))
                .isPositive();
        assertThat(Metrics.value("mcp_server_requests_tools_call_seconds_count", Map.of("tool_name", "contacts_list"))).isPositive();
    }

    @Test
    void noLabelCarriesAKeyAnOrganizationOrAnUnboundedValue() {
        traffic();
        String scrape = Metrics.scrape();
        assertThat(scrape).doesNotContain("sbx_").doesNotContain("org_acme").doesNotContain("org_globex")
                .doesNotContain(dev.switchboard.tenancy.CallerHeadersAccess.hash(Gateway.ALICE))
                .doesNotContain("zz_made_up_tool_4711").doesNotContain("ct_acme_");
        assertThat(Metrics.value("mcp_server_requests_tools_call_seconds_count", Map.of("tool_name", "unknown"))).isPositive();
    }

    @Test
    void everyMetricOfTheDashboardAndTheAlertRulesIsExported() throws IOException {
        traffic();
        Set<String> queried = new TreeSet<>();
        List<String> expressions = new ArrayList<>();
        collect(new ObjectMapper().readTree(RepoRoot.resolve("deploy/grafana/dashboards/switchboard.json").toFile()), "expr", expressions);
        JsonNode plain = new YAMLMapper().readTree(RepoRoot.resolve("deploy/prometheus/alerts.yml").toFile());
        JsonNode kubernetes = new YAMLMapper().readTree(RepoRoot.resolve("k8s/prometheusrule.yaml").toFile());
        List<String> plainRules = new ArrayList<>();
        List<String> kubernetesRules = new ArrayList<>();
        collect(plain, "expr", plainRules);
        collect(kubernetes, "expr", kubernetesRules);
        assertThat(kubernetesRules).as("k8s/prometheusrule.yaml repeats deploy/prometheus/alerts.yml").isEqualTo(plainRules);
        assertThat(plainRules).hasSizeGreaterThanOrEqualTo(5);
        expressions.addAll(plainRules);
        assertThat(expressions).isNotEmpty();
        for (String expression : expressions) {
            Matcher matcher = METRIC.matcher(expression.replaceAll("\"[^\"]*\"", "\"\""));
            while (matcher.find()) {
                queried.add(matcher.group(1));
            }
        }
        String scrape = Metrics.scrape();
        Set<String> exported = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        assertThat(queried).isNotEmpty();
        assertThat(exported).as("metrics the dashboard and alert rules query").containsAll(queried);
    }

    private static void collect(JsonNode node, String field, List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals(field) && e.getValue().isTextual()) {
                    into.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), field, into);
                }
            });
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, field, into));
        }
    }

    @Test
    void eachToolCallIsLoggedOnceWithItsOutcome() {
        LogTail tail = LogTail.mark();
        McpStreamableTestClient alice = Gateway.streamable(Gateway.ALICE);
        try {
            call(alice, "contacts_list", Map.of("limit", 1));
            call(alice, "contacts_get", Map.of("contactId", "ct_missing_for_the_log"));
        } finally {
            alice.disconnect();
        }
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(toolCallLines(tail)).hasSize(2));
        List<String> lines = toolCallLines(tail);
        assertThat(lines.get(0)).contains("tool=contacts_list").contains("outcome=ok").contains("organization=org_acme")
                .contains("duration_ms=");
        assertThat(lines.get(1)).contains("tool=contacts_get").contains("outcome=tool_error");
    }

    private static List<String> toolCallLines(LogTail tail) {
        return tail.lines().stream().filter(line -> line.contains("tool_call request_id=")).toList();
    }
}
