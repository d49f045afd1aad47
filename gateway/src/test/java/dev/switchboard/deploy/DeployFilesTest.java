package dev.switchboard.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import dev.switchboard.support.RepoRoot;

/**
 * The deployment files (deploy/, k8s/, gateway/src/main/docker/) against the tools that read them and against the application
 * they deploy. The tool checks run deploy/check.sh: a tool missing on this machine skips its check, unless the
 * environment variable CI is set (then the script fails). The consistency checks need nothing but the files.
 */
class DeployFilesTest {

    private static final Path ROOT = RepoRoot.DIRECTORY;
    private static final String JOB = "switchboard-gateway";
    /** Names the application reads besides the MCP_* settings of GatewayConfig. */
    private static final Set<String> OTHER_NAMES = Set.of("REDIS_URL", "ALLOW_REMOTE_CLIENT", "MCP_LOG_JSON");
    private static final List<String> OTHER_PREFIXES = List.of("QUARKUS_", "JAVA_");

    // ---------------------------------------------------------------------------------------------------------------
    // Tools (deploy/check.sh)
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void alertRulesPassPromtoolAndTheirUnitTests() throws Exception {
        runCheck("rules");
    }

    @Test
    void kubernetesManifestsRenderWithKustomizeAndMatchTheirSchemas() throws Exception {
        runCheck("k8s");
    }

    @Test
    void nginxAcceptsTheConfigAndPassesServerSentEventsUnbuffered() throws Exception {
        runCheck("nginx");
    }

    private static void runCheck(String what) throws Exception {
        Path log = Files.createTempFile("deploy-check-" + what, ".log");
        try {
            Process process = new ProcessBuilder("bash", "deploy/check.sh", what).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                fail("deploy/check.sh " + what + " did not finish within 5 minutes:\n" + Files.readString(log));
            }
            String output = Files.readString(log);
            if (process.exitValue() == 77) {
                Assumptions.abort("deploy/check.sh " + what + " skipped (a tool is missing):\n" + output);
            }
            assertThat(process.exitValue()).as("deploy/check.sh %s\n%s", what, output).isZero();
        } finally {
            Files.deleteIfExists(log);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Consistency with the application
    // ---------------------------------------------------------------------------------------------------------------

    @Test
    void everyEnvironmentVariableIsOneTheApplicationReads() throws IOException {
        Map<String, String> settings = gatewaySettings();
        Map<String, String> unknown = new LinkedHashMap<>();
        Map<String, String> unparsable = new LinkedHashMap<>();

        // Kubernetes: the ConfigMap, the Secret example, and each container's env of the Deployment and Knative.
        Map<String, Object> configMap = single("k8s/configmap.yaml");
        Map<String, Object> secret = single("k8s/secret.example.yaml");
        List<Map<String, Object>> containers = new ArrayList<>();
        containers.addAll(containers(single("k8s/deployment.yaml"), "spec", "template", "spec"));
        containers.addAll(containers(single("k8s/knative-service.yaml"), "spec", "template", "spec"));
        String referenced = String.valueOf(containers);
        Map<String, Object> configData = map(configMap, "data");
        configData.forEach((name, value) -> judge(name, String.valueOf(value), "k8s/configmap.yaml", settings, referenced,
                unknown, unparsable));
        map(secret, "stringData").forEach((name, value) -> judge(name, String.valueOf(value), "k8s/secret.example.yaml",
                settings, referenced, unknown, unparsable));
        for (Map<String, Object> container : containers) {
            String own = String.valueOf(container.get("env"));
            for (Map<String, Object> env : list(container, "env")) {
                Object value = env.get("value");
                judge(String.valueOf(env.get("name")), value == null ? null : String.valueOf(value),
                        "env of container " + container.get("name"), settings, own, unknown, unparsable);
            }
        }

        // Compose: the environment of every service that runs the gateway image, and the example env file.
        Map<String, Object> services = map(single("deploy/docker-compose.yml"), "services");
        for (String service : List.of("gateway", "sandbox")) {
            Map<String, Object> environment = map(map(services, service), "environment");
            assertThat(environment).as("environment of compose service %s", service).isNotEmpty();
            environment.forEach((name, value) -> judge(name, composeDefault(String.valueOf(value)),
                    "deploy/docker-compose.yml " + service, settings, "", unknown, unparsable));
        }
        Matcher example = Pattern.compile("(?m)^#\\s*([A-Z][A-Z0-9_]+)=").matcher(read("deploy/gateway.env.example"));
        int examples = 0;
        while (example.find()) {
            examples++;
            judge(example.group(1), null, "deploy/gateway.env.example", settings, "", unknown, unparsable);
        }
        assertThat(examples).as("settings shown in deploy/gateway.env.example").isPositive();

        assertThat(unknown).as("environment variables no part of the gateway reads (MCP_* names come from GatewayConfig: %s)",
                settings.keySet()).isEmpty();
        assertThat(unparsable).as("values of the wrong type for their setting").isEmpty();
    }

    /** A name is fine if the application reads it, or if another variable of the same place expands it: $(NAME). */
    private static void judge(String name, String value, String where, Map<String, String> settings, String expanders,
            Map<String, String> unknown, Map<String, String> unparsable) {
        boolean read = settings.containsKey(name) || OTHER_NAMES.contains(name)
                || OTHER_PREFIXES.stream().anyMatch(name::startsWith);
        if (!read && !expanders.contains("$(" + name + ")")) {
            unknown.put(name, where);
            return;
        }
        String type = settings.get(name);
        if (type == null || value == null || value.isEmpty() || value.contains("$(")) {
            return;
        }
        boolean ok = switch (type) {
            case "int", "long" -> value.matches("-?[0-9]+");
            case "double" -> value.matches("-?[0-9]+(\\.[0-9]+)?");
            case "boolean" -> value.matches("true|false");
            default -> true;
        };
        if (!ok) {
            unparsable.put(name + "=" + value, where + " (expects " + type + ")");
        }
    }

    @Test
    void theContainerPortIsTheApplicationsPort() throws IOException {
        String port = applicationProperties().getProperty("mcp.port");
        assertThat(port).as("mcp.port in application.properties").isNotBlank();

        Map<String, Object> deployment = single("k8s/deployment.yaml");
        Map<String, Object> container = containers(deployment, "spec", "template", "spec").get(0);
        Map<String, Object> http = list(container, "ports").stream().filter(p -> "http".equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("k8s/deployment.yaml: no container port named http"));
        assertThat(String.valueOf(http.get("containerPort"))).as("k8s/deployment.yaml containerPort").isEqualTo(port);
        assertThat(String.valueOf(map(single("k8s/configmap.yaml"), "data").getOrDefault("MCP_PORT", port)))
                .as("MCP_PORT in k8s/configmap.yaml").isEqualTo(port);
        List<Map<String, Object>> servicePorts = list(map(single("k8s/service.yaml"), "spec"), "ports");
        assertThat(servicePorts).extracting(p -> String.valueOf(p.get("targetPort"))).as("k8s/service.yaml targetPort")
                .containsExactly("http");

        Map<String, Object> knative = containers(single("k8s/knative-service.yaml"), "spec", "template", "spec").get(0);
        assertThat(list(knative, "ports")).extracting(p -> String.valueOf(p.get("containerPort")))
                .as("k8s/knative-service.yaml containerPort").containsExactly(port);

        Map<String, Object> services = map(single("deploy/docker-compose.yml"), "services");
        for (String service : List.of("gateway", "sandbox")) {
            assertThat(composeDefault(String.valueOf(map(map(services, service), "environment").get("MCP_PORT"))))
                    .as("MCP_PORT of compose service %s", service).isEqualTo(port);
        }
        String nginx = read("deploy/nginx/nginx.conf");
        assertThat(nginx).as("deploy/nginx/nginx.conf upstream").contains("http://gateway:" + port + ";");
        assertThat(read("gateway/src/main/docker/Dockerfile.jvm")).contains("EXPOSE " + port).contains("MCP_PORT=" + port);
        assertThat(applicationProperties().getProperty("quarkus.jib.ports")).as("quarkus.jib.ports").isEqualTo(port);
    }

    @Test
    void probesUseTheHealthEndpointOfTheirRole() throws IOException {
        Properties properties = applicationProperties();
        assertThat(properties.getProperty("quarkus.http.non-application-root-path", "q"))
                .as("health and metrics stay under /q").isIn("q", "/q");
        assertThat(properties.getProperty("quarkus.smallrye-health.root-path", "health")).isIn("health", "/q/health");
        Map<String, String> expected = Map.of("startupProbe", "/q/health/started", "readinessProbe", "/q/health/ready",
                "livenessProbe", "/q/health/live");
        for (String file : List.of("k8s/deployment.yaml", "k8s/knative-service.yaml")) {
            Map<String, Object> container = containers(single(file), "spec", "template", "spec").get(0);
            expected.forEach((probe, path) -> {
                Map<String, Object> get = map(map(container, probe), "httpGet");
                assertThat(get.get("path")).as("%s %s path", file, probe).isEqualTo(path);
                assertThat(String.valueOf(get.getOrDefault("port", "http"))).as("%s %s port", file, probe)
                        .isIn("http", properties.getProperty("mcp.port"));
            });
        }
        String compose = String.valueOf(single("deploy/docker-compose.yml").get("x-switchboard-healthcheck"));
        assertThat(compose).as("compose health check").contains("/q/health/ready");
    }

    @Test
    void metricsAreScrapedWhereTheApplicationServesThemUnderTheJobTheAlertsSelect() throws IOException {
        Properties properties = applicationProperties();
        assertThat(properties.getProperty("quarkus.micrometer.export.prometheus.path", "metrics")).isIn("metrics", "/q/metrics");
        String port = properties.getProperty("mcp.port");

        Map<String, Object> service = single("k8s/service.yaml");
        Map<String, Object> monitor = single("k8s/servicemonitor.yaml");
        assertThat(map(service, "metadata").get("name")).as("the Service name is the ServiceMonitor's job label").isEqualTo(JOB);
        assertThat(map(monitor, "spec")).as("no jobLabel override in k8s/servicemonitor.yaml").doesNotContainKey("jobLabel");
        Map<String, Object> endpoint = list(map(monitor, "spec"), "endpoints").get(0);
        assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
        assertThat(endpoint.get("port")).as("ServiceMonitor port = the Service's port name")
                .isEqualTo(list(map(service, "spec"), "ports").get(0).get("name"));

        for (String file : List.of("k8s/deployment.yaml", "k8s/knative-service.yaml")) {
            Map<String, Object> annotations = map(map(map(map(single(file), "spec"), "template"), "metadata"), "annotations");
            assertThat(annotations.get("prometheus.io/path")).as("%s prometheus.io/path", file).isEqualTo("/q/metrics");
            assertThat(String.valueOf(annotations.get("prometheus.io/port"))).as("%s prometheus.io/port", file).isEqualTo(port);
        }

        Map<String, Object> gatewayJob = list(single("deploy/prometheus/prometheus.yml"), "scrape_configs").stream()
                .filter(job -> JOB.equals(job.get("job_name"))).findFirst()
                .orElseThrow(() -> new AssertionError("deploy/prometheus/prometheus.yml has no job " + JOB));
        assertThat(gatewayJob.get("metrics_path")).isEqualTo("/q/metrics");
        assertThat(String.valueOf(list(gatewayJob, "dns_sd_configs").get(0).get("port"))).isEqualTo(port);
    }

    @Test
    void alertRulesAreTheSameInBothFilesAndReadOnlyTheGatewaysOwnSeries() throws IOException {
        Map<String, Object> plain = single("deploy/prometheus/alerts.yml");
        Map<String, Object> operator = single("k8s/prometheusrule.yaml");
        assertThat(map(operator, "spec")).as("k8s/prometheusrule.yaml spec = deploy/prometheus/alerts.yml").isEqualTo(plain);

        Pattern metric = Pattern.compile("\\b(switchboard_[a-z_]+|up|ft_[a-z_]+)\\b(\\{[^}]*\\})?");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> group : list(plain, "groups")) {
            for (Map<String, Object> rule : list(group, "rules")) {
                String expr = String.valueOf(rule.get("expr"));
                Matcher m = metric.matcher(expr.replaceAll("by \\([^)]*\\)|on \\([^)]*\\)", ""));
                int selectors = 0;
                while (m.find()) {
                    selectors++;
                    if (m.group(1).startsWith("ft_")) {
                        problems.add(rule.get("alert") + " reads the fault-tolerance library's " + m.group(1)
                                + " (any service exports it)");
                    } else if (m.group(2) == null || !m.group(2).contains("job=\"" + JOB + "\"")) {
                        problems.add(rule.get("alert") + " reads " + m.group(1) + " without job=\"" + JOB + "\"");
                    }
                }
                if (selectors == 0) {
                    problems.add(rule.get("alert") + " reads no series of the gateway");
                }
                assertThat(rule).as("rule %s", rule.get("alert")).containsKeys("alert", "labels", "annotations");
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void shutdownBudgetCoversTheDrainAndDisruptionsCannotStallOnASharedOutage() throws IOException {
        int drain = Integer.parseInt(String.valueOf(map(single("k8s/configmap.yaml"), "data").getOrDefault(
                "MCP_SHUTDOWN_DRAIN_SECONDS", applicationProperties().getProperty("mcp.shutdown.drain-seconds", "30"))));
        Map<String, Object> pod = map(map(map(single("k8s/deployment.yaml"), "spec"), "template"), "spec");
        Map<String, Object> container = containers(single("k8s/deployment.yaml"), "spec", "template", "spec").get(0);
        List<Object> preStop = castList(map(map(map(container, "lifecycle"), "preStop"), "exec").get("command"));
        assertThat(preStop).as("preStop").hasSize(2).first().isEqualTo("sleep");
        int sleep = Integer.parseInt(String.valueOf(preStop.get(1)));
        int grace = ((Number) pod.get("terminationGracePeriodSeconds")).intValue();
        assertThat(grace).as("terminationGracePeriodSeconds >= preStop %ss + drain %ss + 5 s margin", sleep, drain)
                .isGreaterThanOrEqualTo(sleep + drain + 5);
        int requestTimeout = Integer.parseInt(String.valueOf(map(single("k8s/configmap.yaml"), "data").getOrDefault(
                "MCP_REQUEST_TIMEOUT_SECONDS", applicationProperties().getProperty("mcp.request-timeout-seconds"))));
        assertThat(drain).as("the drain covers the request timeout (%ss) and the answer margin", requestTimeout)
                .isGreaterThanOrEqualTo(requestTimeout + dev.switchboard.config.GatewayConfig.Shutdown.ANSWER_MARGIN_SECONDS);

        String stopGrace = String.valueOf(map(single("deploy/docker-compose.yml"), "x-switchboard-image").get("stop_grace_period"));
        assertThat(Integer.parseInt(stopGrace.replace("s", ""))).as("compose stop_grace_period > drain %ss", drain)
                .isGreaterThan(drain);

        Map<String, Object> pdb = map(single("k8s/pdb.yaml"), "spec");
        int minReplicas = ((Number) map(single("k8s/hpa.yaml"), "spec").get("minReplicas")).intValue();
        if (pdb.containsKey("minAvailable")) {
            assertThat(((Number) pdb.get("minAvailable")).intValue()).as("PDB minAvailable below HPA minReplicas")
                    .isLessThan(minReplicas);
        } else {
            assertThat(((Number) pdb.get("maxUnavailable")).intValue()).isPositive();
        }
        assertThat(pdb.get("unhealthyPodEvictionPolicy")).as("pods that are not ready can always be evicted")
                .isEqualTo("AlwaysAllow");
    }

    @Test
    void theImageComesFromAConfigurableRegistryAndRunsAsNonRoot() throws IOException {
        Map<String, Object> container = containers(single("k8s/deployment.yaml"), "spec", "template", "spec").get(0);
        assertThat(container.get("image")).as("the Deployment names the image kustomize rewrites").isEqualTo("switchboard-gateway");
        Map<String, Object> image = list(single("k8s/kustomization.yaml"), "images").get(0);
        assertThat(image.get("name")).isEqualTo("switchboard-gateway");
        assertThat(String.valueOf(image.get("newName"))).as("registry/group/name").matches("[^/]+/.+/switchboard-gateway");
        assertThat(image).containsKey("newTag");

        Properties properties = applicationProperties();
        assertThat(properties.getProperty("quarkus.container-image.name")).isEqualTo("switchboard-gateway");
        assertThat(properties.getProperty("quarkus.container-image.push")).as("never pushed unless asked").isEqualTo("false");
        assertThat(properties.getProperty("quarkus.jib.user")).as("image user").isNotBlank().isNotEqualTo("0").isNotEqualTo("root");
        assertThat(properties.getProperty("quarkus.jib.jvm-additional-arguments")).contains("-XX:MaxRAMPercentage=");
        // the Dockerfile's image starts the JVM as the Jib image does
        String dockerfile = read("gateway/src/main/docker/Dockerfile.jvm");
        assertThat(dockerfile).contains(String.join(" ", properties.getProperty("quarkus.jib.jvm-additional-arguments").split(",")))
                .contains("MALLOC_ARENA_MAX=" + properties.getProperty("quarkus.jib.environment-variables.\"MALLOC_ARENA_MAX\""));
        Map<String, Object> security = map(container, "securityContext");
        assertThat(security).containsEntry("runAsNonRoot", true).containsEntry("readOnlyRootFilesystem", true);

        String ignore = read("gateway/.dockerignore");
        assertThat(ignore.lines().map(String::strip).toList()).as(".dockerignore").contains(".git", "target/*",
                "!target/quarkus-app/", "**/node_modules", "**/*.log");
    }

    @Test
    void redisKeepsItsDataAcrossRestarts() throws IOException {
        Map<String, Object> redis = map(map(single("deploy/docker-compose.yml"), "services"), "redis");
        String command = String.join(" ", castList(redis.get("command")).stream().map(String::valueOf).toList());
        assertThat(command).as("compose redis command").contains("--appendonly yes").contains("--appendfsync everysec");
        assertThat(castList(redis.get("volumes"))).as("compose redis volume").anyMatch(v -> String.valueOf(v).endsWith(":/data"));

        Map<String, Object> statefulSet = documents("k8s/redis.yaml").stream()
                .filter(d -> "StatefulSet".equals(d.get("kind"))).findFirst()
                .orElseThrow(() -> new AssertionError("k8s/redis.yaml has no StatefulSet"));
        Map<String, Object> container = containers(statefulSet, "spec", "template", "spec").get(0);
        String args = String.join(" ", castList(container.get("args")).stream().map(String::valueOf).toList());
        assertThat(args).as("k8s redis args").contains("--appendonly yes").contains("--appendfsync everysec");
        List<Map<String, Object>> claims = list(map(statefulSet, "spec"), "volumeClaimTemplates");
        assertThat(claims).as("volumeClaimTemplates").hasSize(1);
        Object claimName = map(claims.get(0), "metadata").get("name");
        assertThat(list(container, "volumeMounts")).as("the claim is mounted on /data")
                .anyMatch(m -> claimName.equals(m.get("name")) && "/data".equals(m.get("mountPath")));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // What the application reads: GatewayConfig (@ConfigMapping(prefix = "mcp")), as MCP_<UPPER_SNAKE> names
    // ---------------------------------------------------------------------------------------------------------------

    /** Environment variable name to the Java type of the setting (int, boolean, URI...), read off GatewayConfig. */
    static Map<String, String> gatewaySettings() {
        Map<String, String> names = new LinkedHashMap<>();
        collect(dev.switchboard.config.GatewayConfig.class, "MCP", names);
        assertThat(names).as("settings found in GatewayConfig").containsKeys("MCP_PORT", "MCP_HOST", "MCP_BACKEND_BASE_URL");
        return names;
    }

    private static void collect(Class<?> group, String prefix, Map<String, String> into) {
        for (java.lang.reflect.Method method : group.getDeclaredMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "_" + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == dev.switchboard.config.GatewayConfig.class) {
                collect(type, name, into);
            } else if (type == java.util.Optional.class
                    && method.getGenericReturnType() instanceof java.lang.reflect.ParameterizedType optional) {
                java.lang.reflect.Type inner = optional.getActualTypeArguments()[0];
                into.put(name, inner instanceof Class<?> simple ? simple.getSimpleName() : inner.getTypeName());
            } else {
                into.put(name, type.getSimpleName());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Reading the files
    // ---------------------------------------------------------------------------------------------------------------

    private static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file), StandardCharsets.UTF_8);
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ROOT.resolve("gateway/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    private static List<Map<String, Object>> documents(String file) throws IOException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(file))) {
            for (Object document : new Yaml(options).loadAll(reader)) {
                if (document != null) {
                    documents.add(castMap(document));
                }
            }
        }
        return documents;
    }

    private static Map<String, Object> single(String file) throws IOException {
        List<Map<String, Object>> documents = documents(file);
        assertThat(documents).as("YAML documents in %s", file).hasSize(1);
        return documents.get(0);
    }

    private static List<Map<String, Object>> containers(Map<String, Object> object, String... path) {
        Map<String, Object> at = object;
        for (String key : path) {
            at = map(at, key);
        }
        return list(at, "containers");
    }

    /** "${NAME:-default}" as compose resolves it with NAME unset. */
    private static String composeDefault(String value) {
        Matcher m = Pattern.compile("\\$\\{[A-Z0-9_]+:-([^}]*)\\}").matcher(value);
        return m.matches() ? m.group(1) : value;
    }

    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return new LinkedHashMap<>();
        }
        return castMap(value);
    }

    private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
        Object value = parent.get(key);
        if (value == null) {
            return List.of();
        }
        return castList(value).stream().map(DeployFilesTest::castMap).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object value) {
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object value) {
        if (!(value instanceof List)) {
            throw new AssertionError("expected a list, found " + value);
        }
        return (List<Object>) value;
    }
}
