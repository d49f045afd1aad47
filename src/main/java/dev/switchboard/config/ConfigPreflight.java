package dev.switchboard.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Checks the user-facing settings before Quarkus starts, so that a wrong value stops the process with one line
 * that names the environment variable and says what is allowed, instead of a conversion stack trace.
 */
public final class ConfigPreflight {

    private static final Pattern TOOL_PREFIX = Pattern.compile("^[A-Za-z][A-Za-z0-9_-]{0,31}$");
    private static final Pattern MCP_PATH = Pattern.compile("^/[A-Za-z0-9._~/-]*$");

    private record Rule(String property, Function<String, Optional<String>> check) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("mcp.port", v -> intIn(v, 0, 65535, "a TCP port number between 1 and 65535 (0 picks a free port)")),
            new Rule("mcp.host", v -> v.isBlank() ? Optional.of("an interface address such as 127.0.0.1 or 0.0.0.0") : Optional.empty()),
            new Rule("mcp.path", v -> MCP_PATH.matcher(v).matches() && !v.equals("/") && !v.endsWith("/")
                    ? Optional.empty()
                    : Optional.of("an absolute URL path such as /mcp (starts with /, no trailing /)")),
            new Rule("mcp.transport", v -> oneOf(v, "streamable-http", "stdio")),
            new Rule("mcp.backend-base-url", ConfigPreflight::httpUrl),
            new Rule("mcp.request-timeout-seconds", v -> intIn(v, 1, 3600, "a whole number of seconds between 1 and 3600")),
            new Rule("mcp.job-timeout-seconds", v -> intIn(v, 1, 86400, "a whole number of seconds between 1 and 86400")),
            new Rule("mcp.result-budget-tokens", v -> intIn(v, 500, 1_000_000, "a number of tokens between 500 and 1000000")),
            new Rule("mcp.identity-cache-seconds", v -> intIn(v, 0, 3600, "a whole number of seconds between 0 and 3600")),
            new Rule("mcp.rate-limit-per-minute", v -> intIn(v, 0, 1_000_000, "a number of calls per minute, 0 to disable")),
            new Rule("mcp.override-ttl-seconds", v -> intIn(v, 1, 30 * 86400, "a whole number of seconds between 1 and 2592000")),
            new Rule("mcp.job-poll-millis", v -> intIn(v, 10, 60_000, "a number of milliseconds between 10 and 60000")),
            new Rule("mcp.state-timeout-millis", v -> intIn(v, 10, 60_000, "a number of milliseconds between 10 and 60000")),
            new Rule("mcp.retry.max-retries", v -> intIn(v, 0, 10, "a number of retries between 0 and 10")),
            new Rule("mcp.retry.delay-ms", v -> intIn(v, 1, 60_000, "a number of milliseconds between 1 and 60000")),
            new Rule("mcp.retry.max-delay-ms", v -> intIn(v, 1, 300_000, "a number of milliseconds between 1 and 300000")),
            new Rule("mcp.retry.max-duration-seconds", v -> intIn(v, 1, 3600, "a whole number of seconds between 1 and 3600")),
            new Rule("mcp.retry.max-retry-after-seconds", v -> intIn(v, 0, 3600, "a whole number of seconds between 0 and 3600")),
            new Rule("mcp.circuit.request-volume", v -> intIn(v, 1, 10_000, "a number of calls between 1 and 10000")),
            new Rule("mcp.circuit.failure-ratio", ConfigPreflight::ratio),
            new Rule("mcp.circuit.delay-seconds", v -> intIn(v, 1, 3600, "a whole number of seconds between 1 and 3600")),
            new Rule("mcp.circuit.success-threshold", v -> intIn(v, 1, 1000, "a number of calls between 1 and 1000")),
            new Rule("mcp.bulkhead.concurrency", v -> intIn(v, 1, 10_000, "a number of concurrent calls between 1 and 10000")),
            new Rule("mcp.bulkhead.queue", v -> intIn(v, 0, 100_000, "a number of waiting calls between 0 and 100000")),
            new Rule("mcp.expose-all-operations", ConfigPreflight::bool),
            new Rule("mcp.allow-remote-client", ConfigPreflight::bool),
            new Rule("mcp.sandbox-only", ConfigPreflight::bool),
            new Rule("mcp.tool-prefix", v -> TOOL_PREFIX.matcher(v).matches() ? Optional.empty()
                    : Optional.of("letters, digits, _ or -, starting with a letter, at most 32 characters")),
            new Rule("mcp.tool-overrides-file", v -> Files.isReadable(Path.of(v)) ? Optional.empty()
                    : Optional.of("the path of a readable JSON or YAML file")),
            new Rule("quarkus.redis.hosts", ConfigPreflight::redisUrls));

    private ConfigPreflight() {
    }

    /** The problems found, one line each; empty when the configuration is usable. */
    public static List<String> problems() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .withSources(applicationProperties())
                .withProfile("prod")
                .build();
        List<String> problems = new ArrayList<>();
        for (Rule rule : RULES) {
            String value;
            try {
                value = config.getOptionalValue(rule.property(), String.class).orElse(null);
            } catch (RuntimeException e) {
                problems.add(envName(rule.property()) + " cannot be read: " + e.getMessage());
                continue;
            }
            if (value != null && !value.isEmpty()) {
                // Connection URLs may carry credentials, so their values are never repeated back.
                String shown = rule.property().equals("quarkus.redis.hosts") ? "(value not shown)" : '"' + value + '"';
                rule.check().apply(value.trim()).ifPresent(expected -> problems.add(
                        "%s=%s is invalid: expected %s".formatted(envName(rule.property()), shown, expected)));
            }
        }
        return problems;
    }

    /** The environment variable a user sets for a property. */
    static String envName(String property) {
        return switch (property) {
            case "mcp.allow-remote-client" -> "ALLOW_REMOTE_CLIENT";
            case "quarkus.redis.hosts" -> "REDIS_URL";
            default -> property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        };
    }

    private static Optional<String> intIn(String value, int min, int max, String expected) {
        try {
            int parsed = Integer.parseInt(value);
            return parsed >= min && parsed <= max ? Optional.empty() : Optional.of(expected);
        } catch (NumberFormatException e) {
            return Optional.of(expected);
        }
    }

    private static Optional<String> ratio(String value) {
        try {
            double parsed = Double.parseDouble(value);
            return parsed > 0 && parsed <= 1 ? Optional.empty() : Optional.of("a ratio greater than 0 and at most 1, such as 0.5");
        } catch (NumberFormatException e) {
            return Optional.of("a ratio greater than 0 and at most 1, such as 0.5");
        }
    }

    private static Optional<String> oneOf(String value, String... allowed) {
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value) || candidate.replace('-', '_').equalsIgnoreCase(value)) {
                return Optional.empty();
            }
        }
        return Optional.of("one of " + String.join(", ", allowed));
    }

    private static Optional<String> bool(String value) {
        return oneOf(value, "true", "false", "1", "0", "yes", "no", "on", "off");
    }

    private static Optional<String> httpUrl(String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return Optional.empty();
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        return Optional.of("an http:// or https:// URL with a host, such as https://api.example.com");
    }

    private static Optional<String> redisUrls(String value) {
        for (String part : value.split(",")) {
            try {
                URI uri = new URI(part.trim());
                if (uri.getScheme() == null || !uri.getScheme().startsWith("redis") || uri.getHost() == null) {
                    return Optional.of("redis://host:port URLs, comma-separated");
                }
            } catch (URISyntaxException e) {
                return Optional.of("redis://host:port URLs, comma-separated");
            }
        }
        return Optional.empty();
    }

    private static PropertiesConfigSource applicationProperties() {
        URL url = Thread.currentThread().getContextClassLoader().getResource("application.properties");
        try {
            return url == null
                    ? new PropertiesConfigSource(java.util.Map.of(), "empty", 250)
                    : new PropertiesConfigSource(url, 250);
        } catch (IOException e) {
            throw new IllegalStateException("application.properties cannot be read", e);
        }
    }
}
