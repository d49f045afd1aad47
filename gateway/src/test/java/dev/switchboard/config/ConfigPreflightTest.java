package dev.switchboard.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broken setting stops start-up with one line that names the variable, repeats the value, and says what is allowed,
 * in the words of GatewayConfig's constraint (plain JUnit: the preflight runs before Quarkus does).
 */
class ConfigPreflightTest {

    @Test
    void theShippedDefaultsAreUsable() {
        assertThat(ConfigPreflight.problems(Map.of())).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mcp.port|abc|MCP_PORT=\"abc\" is invalid: expected a TCP port number between 1 and 65535 (0 picks a free port)",
            "mcp.port|70000|MCP_PORT=\"70000\" is invalid: expected a TCP port number between 1 and 65535 (0 picks a free port)",
            "mcp.transport|carrier-pigeon|MCP_TRANSPORT=\"carrier-pigeon\" is invalid: expected one of streamable-http, sse, stdio",
            "mcp.result-shape|raw|MCP_RESULT_SHAPE=\"raw\" is invalid: expected envelope ({organization, mailbox, result} around each result; the default) or payload (the result's own fields at the top of structuredContent",
            "mcp.tool-naming|camel|MCP_TOOL_NAMING=\"camel\" is invalid: expected catalog (the contract's names, such as contacts_list; the default) or reference (verb-first names",
            "mcp.backend-base-url|ftp://files|MCP_BACKEND_BASE_URL=\"ftp://files\" is invalid: expected an http:// or https:// URL with a host",
            "mcp.path|/mcp/|MCP_PATH=\"/mcp/\" is invalid: expected an absolute URL path such as /mcp",
            "mcp.retry.max-retries|99|MCP_RETRY_MAX_RETRIES=\"99\" is invalid: expected a number of retries between 0 and 10",
            "mcp.circuit.failure-ratio|2|MCP_CIRCUIT_FAILURE_RATIO=\"2\" is invalid: expected a ratio greater than 0 and at most 1",
            "mcp.limits.sessions|0|MCP_LIMITS_SESSIONS=\"0\" is invalid: expected a number of sessions between 1 and 1000000",
            "mcp.shutdown.drain-seconds|-1|MCP_SHUTDOWN_DRAIN_SECONDS=\"-1\" is invalid: expected a whole number of seconds between 0 and 3600",
            "mcp.tool-prefix|9x|MCP_TOOL_PREFIX=\"9x\" is invalid: expected letters, digits, _ or -, starting with a letter",
            "mcp.tool-overrides-file|/no/such/file.yaml|MCP_TOOL_OVERRIDES_FILE=\"/no/such/file.yaml\" is invalid: expected the path of a readable JSON or YAML file",
            "mcp.contract-file|/no/such/contract.yaml|MCP_CONTRACT_FILE=\"/no/such/contract.yaml\" is invalid: expected the path of a readable OpenAPI",
            "mcp.expose-all-operations|maybe|MCP_EXPOSE_ALL_OPERATIONS=\"maybe\" is invalid: expected true or false",
            "mcp.allow-remote-client|yess|ALLOW_REMOTE_CLIENT=\"yess\" is invalid: expected true or false",
    })
    void aBrokenSettingIsOneLineThatSaysWhatIsAllowed(String property, String value, String line) {
        assertThat(ConfigPreflight.problems(Map.of(property, value))).singleElement().asString().startsWith(line);
    }

    /** The transports a FastMCP-style configuration names: sse is the same HTTP server (legacy SSE is always served). */
    @Test
    void theReferenceTransportNamesAndSettingsAreUnderstood() {
        assertThat(ConfigPreflight.problems(Map.of("mcp.transport", "sse"))).isEmpty();
        assertThat(ConfigPreflight.problems(Map.of("mcp.result-shape", "payload", "mcp.tool-naming", "reference"))).isEmpty();
        assertThat(ConfigPreflight.problems(Map.of("mcp.result-shape", "PAYLOAD", "mcp.tool-naming", "Reference"))).isEmpty();
    }

    /** OAuth needs to know where clients sign in and which audience their tokens need; the mode is checked too. */
    @Test
    void oauthNeedsItsIssuerAndPublicUrl() {
        assertThat(ConfigPreflight.problems(Map.of("mcp.auth-mode", "oauth"))).hasSize(2)
                .anyMatch(line -> line.startsWith("MCP_OAUTH_ISSUER=(unset) is invalid: expected, with MCP_AUTH_MODE=oauth"))
                .anyMatch(line -> line.startsWith("MCP_PUBLIC_URL=(unset) is invalid"));
        assertThat(ConfigPreflight.problems(Map.of("mcp.auth-mode", "both", "mcp.oauth-issuer", "https://auth.example.com",
                "mcp.public-url", "https://mcp.example.com"))).isEmpty();
        assertThat(ConfigPreflight.problems(Map.of("mcp.auth-mode", "both", "mcp.oauth-issuer", "https://auth.example.com",
                "mcp.public-url", "https://mcp.example.com", "mcp.backend-base-url", "https://api.example.com")))
                .singleElement().asString().startsWith("MCP_SERVICE_AUTHORIZATION=(unset) is invalid");
        assertThat(ConfigPreflight.problems(Map.of("mcp.auth-mode", "tokens"))).singleElement().asString()
                .startsWith("MCP_AUTH_MODE=\"tokens\" is invalid: expected one of api-key, oauth, both");
    }

    @Test
    void everyProblemIsToldAtOnceWhetherItFailsConversionOrAConstraint() {
        assertThat(ConfigPreflight.problems(Map.of("mcp.port", "abc", "mcp.job-poll-millis", "1", "mcp.transport", "fax")))
                .hasSize(3)
                .anyMatch(line -> line.startsWith("MCP_PORT="))
                .anyMatch(line -> line.startsWith("MCP_JOB_POLL_MILLIS=\"1\" is invalid: expected a number of milliseconds between 10 and 60000"))
                .anyMatch(line -> line.startsWith("MCP_TRANSPORT="));
    }

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void aRedisUrlIsNeverRepeatedBackForItMayCarryAPassword() {
        assertThat(ConfigPreflight.problems(Map.of("quarkus.redis.hosts", "http://user:s3cret@cache:6379",
                "mcp.key-hash-secret", SECRET)))
                .containsExactly("REDIS_URL=(value not shown) is invalid: expected redis://host:port URLs, comma-separated");
        assertThat(ConfigPreflight.problems(Map.of("quarkus.redis.hosts", "redis://user:s3cret@cache:6379",
                "mcp.key-hash-secret", SECRET))).isEmpty();
    }

    @Test
    void theDrainMustCoverTheRequestTimeoutAndTheConnectionBudgetLeaveRoomForProbes() {
        assertThat(ConfigPreflight.problems(Map.of("mcp.shutdown.drain-seconds", "30"))).singleElement().asString()
                .isEqualTo("MCP_SHUTDOWN_DRAIN_SECONDS=30 is invalid: expected at least MCP_REQUEST_TIMEOUT_SECONDS (45) + 2 s, "
                        + "so that calls in flight at SIGTERM can finish");
        assertThat(ConfigPreflight.problems(Map.of("mcp.shutdown.drain-seconds", "30", "mcp.request-timeout-seconds", "28")))
                .isEmpty();
        assertThat(ConfigPreflight.problems(Map.of("mcp.limits.connections", "10000"))).singleElement().asString()
                .startsWith("MCP_LIMITS_CONNECTIONS=10000 is invalid: expected less than QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS");
    }

    @Test
    void redisNeedsAKeyHashSecretWhichIsNeverRepeatedBack() {
        assertThat(ConfigPreflight.problems(Map.of("quarkus.redis.hosts", "redis://cache:6379"))).singleElement().asString()
                .startsWith("MCP_KEY_HASH_SECRET=(unset) is invalid: expected, with REDIS_URL, a random secret of at least 32");
        assertThat(ConfigPreflight.problems(Map.of("mcp.key-hash-secret", "short-s3cret"))).singleElement().asString()
                .isEqualTo("MCP_KEY_HASH_SECRET=(value not shown) is invalid: expected a random secret of at least 32 "
                        + "characters, the same on every replica (for example the output of: openssl rand -hex 32)");
    }

    @Test
    void valuesTheTestsAndTheDocumentedExamplesUseAreAccepted() {
        assertThat(ConfigPreflight.problems(Map.of("mcp.port", "0", "mcp.tool-prefix", "acme_", "mcp.path", "/assistant",
                "mcp.backend-base-url", "https://api.example.com/v1", "mcp.circuit.failure-ratio", "1",
                "mcp.transport", "stdio", "mcp.allow-remote-client", "true"))).isEmpty();
    }
}
