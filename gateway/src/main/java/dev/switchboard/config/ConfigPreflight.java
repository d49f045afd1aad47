package dev.switchboard.config;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedParameterizedType;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.validation.Constraint;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/**
 * Checks the settings before Quarkus starts, so that a wrong value stops the process with one line per problem that
 * names the environment variable and says what is allowed, instead of a conversion stack trace. What is allowed is
 * not written here: it is {@link GatewayConfig}'s constraints (their messages), checked by the same Bean Validation
 * that Quarkus runs; this class only reads the settings the way Quarkus will and words each problem for a person.
 */
public final class ConfigPreflight {

    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false|1|0|yes|no|on|off|y|n");
    /** Settings whose values are never repeated back. */
    private static final Set<String> SECRETS = Set.of("mcp.key-hash-secret", "mcp.backend-authorization",
            "mcp.service-authorization");
    private static final Pattern PROPERTY = Pattern.compile("\\b(mcp(?:\\.[a-z0-9-]+)+)");

    private ConfigPreflight() {
    }

    /** The problems found in this process's settings, one line each; empty when the configuration is usable. */
    public static List<String> problems() {
        return problems(Map.of());
    }

    /** The same, with {@code settings} (property names) taking precedence over every other source. */
    static List<String> problems(Map<String, String> settings) {
        SmallRyeConfig raw = sources(settings).build();
        Map<String, String> expectedByProperty = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        try (ValidatorFactory validation = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory()) {
            Validator validator = validation.getValidator();
            // A value that cannot be converted stops the mapping before any constraint is checked: those are set
            // aside (replaced by their defaults) and the mapping read again, so that every problem is told at once.
            Map<String, String> attempt = new LinkedHashMap<>(settings);
            for (int pass = 0; pass < 2; pass++) {
                try {
                    sources(attempt).withMapping(GatewayConfig.class)
                            .withValidator((BeanValidationConfigValidator) () -> validator).build();
                    break;
                } catch (ConfigValidationException e) {
                    for (int i = 0; i < e.getProblemCount(); i++) {
                        String message = e.getProblem(i).getMessage();
                        Matcher property = PROPERTY.matcher(message);
                        if (!property.find()) {
                            problems.add(message);
                        } else if (expectedByProperty.putIfAbsent(property.group(1),
                                expected(property.group(1), message.substring(property.end()).trim())) == null) {
                            attempt.put(property.group(1), defaults().getOrDefault(property.group(1), ""));
                        }
                    }
                }
            }
        }
        for (Method flag : booleanSettings()) {
            String name = "mcp." + kebab(flag.getName());
            String value = raw.getConfigValue(name).getValue();
            // the converter reads any word it does not know as false: a typo would silently switch a setting off
            if (value != null && !value.isBlank() && !BOOLEAN.matcher(value.trim()).matches()) {
                expectedByProperty.putIfAbsent(name, "true or false");
            }
        }
        expectedByProperty.forEach((name, expected) -> problems.add("%s=%s is invalid: expected %s"
                .formatted(envName(name), SECRETS.contains(name) ? "(value not shown)" : quoted(raw.getConfigValue(name).getValue()),
                        expected)));
        int drain = raw.getOptionalValue("mcp.shutdown.drain-seconds", Integer.class).orElse(0);
        int timeout = raw.getOptionalValue("mcp.request-timeout-seconds", Integer.class).orElse(0);
        if (!expectedByProperty.containsKey("mcp.shutdown.drain-seconds") && !expectedByProperty.containsKey("mcp.request-timeout-seconds")
                && drain < timeout + GatewayConfig.Shutdown.ANSWER_MARGIN_SECONDS) {
            // a call still waiting for the workspace when the process stops would be cut; its write might then be doubled
            problems.add("%s=%d is invalid: expected at least %s (%d) + %d s, so that calls in flight at SIGTERM can finish"
                    .formatted(envName("mcp.shutdown.drain-seconds"), drain, envName("mcp.request-timeout-seconds"), timeout,
                            GatewayConfig.Shutdown.ANSWER_MARGIN_SECONDS));
        }
        int connections = raw.getOptionalValue("mcp.limits.connections", Integer.class).orElse(0);
        int serverLimit = raw.getOptionalValue("quarkus.http.limits.max-connections", Integer.class).orElse(Integer.MAX_VALUE);
        if (!expectedByProperty.containsKey("mcp.limits.connections") && connections >= serverLimit) {
            problems.add("%s=%d is invalid: expected less than QUARKUS_HTTP_LIMITS_MAX_CONNECTIONS (%d), which keeps room "
                    .formatted(envName("mcp.limits.connections"), connections, serverLimit) + "for health probes");
        }
        String redis = raw.getOptionalValue("quarkus.redis.hosts", String.class).orElse("");
        if (!redis.isBlank() && !redisUrls(redis)) {
            // Connection URLs may carry credentials, so their values are never repeated back.
            problems.add("REDIS_URL=(value not shown) is invalid: expected redis://host:port URLs, comma-separated");
        }
        if (!redis.isBlank() && raw.getOptionalValue("mcp.key-hash-secret", String.class).filter(s -> !s.isBlank()).isEmpty()) {
            // replicas sharing Redis must name keys alike, and a name must not reveal the key to whoever copies Redis
            problems.add(envName("mcp.key-hash-secret") + "=(unset) is invalid: expected, with REDIS_URL, "
                    + GatewayConfig.KEY_HASH_SECRET);
        }
        String mode = raw.getOptionalValue("mcp.auth-mode", String.class).orElse("api-key").trim();
        if (!expectedByProperty.containsKey("mcp.auth-mode") && !mode.equalsIgnoreCase("api-key")
                && !mode.equalsIgnoreCase("api_key")) {
            // a client is told where to sign in and which audience its token needs: both come from these
            for (String needed : List.of("mcp.oauth-issuer", "mcp.public-url")) {
                if (raw.getOptionalValue(needed, String.class).filter(v -> !v.isBlank()).isEmpty()) {
                    problems.add("%s=(unset) is invalid: expected, with %s=%s, %s".formatted(envName(needed),
                            envName("mcp.auth-mode"), mode, needed.equals("mcp.oauth-issuer")
                                    ? "the authorization server's issuer URL (https://auth.example.com)"
                                    : "the gateway's external base URL (https://mcp.example.com)"));
                }
            }
            boolean backend = raw.getOptionalValue("mcp.backend-base-url", String.class).filter(v -> !v.isBlank()).isPresent();
            if (backend && raw.getOptionalValue("mcp.service-authorization", String.class).filter(v -> !v.isBlank()).isEmpty()) {
                problems.add("%s=(unset) is invalid: expected, with %s=%s and a backend, the gateway's own credential "
                        .formatted(envName("mcp.service-authorization"), envName("mcp.auth-mode"), mode)
                        + "(Bearer <service credential>): OAuth users' calls go upstream with it, never with their token");
            }
        }
        return problems;
    }

    private static List<Method> booleanSettings() {
        return Arrays.stream(GatewayConfig.class.getMethods())
                .filter(method -> method.getParameterCount() == 0 && !method.isDefault() && method.getReturnType() == boolean.class)
                .toList();
    }

    private static Map<String, String> defaults() {
        return applicationProperties().getProperties();
    }

    /** The settings as Quarkus reads them in production: environment, system properties, application.properties. */
    private static SmallRyeConfigBuilder sources(Map<String, String> settings) {
        return new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDefaultInterceptors()
                .withSources(applicationProperties(), new PropertiesConfigSource(settings, "preflight", 1000))
                .withProfile("prod")
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "false");
    }

    /**
     * What a property allows: the violated constraint's message when the value was read but broke a constraint;
     * when it could not even be converted, the messages of its constraints, or what its type accepts.
     */
    private static String expected(String property, String violation) {
        if (!violation.startsWith("with the config value") && !violation.contains("SRCFG")) {
            return violation;
        }
        return mappingMethod(property).map(ConfigPreflight::allowed).orElse("a valid value");
    }

    private static String allowed(Method method) {
        List<String> messages = new ArrayList<>(constraintMessages(method.getAnnotations()));
        AnnotatedType returned = method.getAnnotatedReturnType();
        if (returned instanceof AnnotatedParameterizedType parameterized) {
            for (AnnotatedType argument : parameterized.getAnnotatedActualTypeArguments()) {
                messages.addAll(constraintMessages(argument.getAnnotations()));
            }
        }
        if (!messages.isEmpty()) {
            return messages.get(0);
        }
        Class<?> type = method.getReturnType();
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants())
                    .map(constant -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .collect(Collectors.joining(", "));
        }
        if (type == int.class || type == long.class) {
            return "a whole number";
        }
        return "a valid value";
    }

    private static List<String> constraintMessages(Annotation[] annotations) {
        List<String> messages = new ArrayList<>();
        for (Annotation annotation : annotations) {
            if (annotation.annotationType().isAnnotationPresent(Constraint.class)) {
                try {
                    messages.add(String.valueOf(annotation.annotationType().getMethod("message").invoke(annotation)));
                } catch (ReflectiveOperationException e) {
                    // every constraint has a message(); one that cannot be read says nothing
                }
            }
        }
        return messages;
    }

    /** The GatewayConfig method (in a nested group too) that a property maps to, such as mcp.retry.max-retries. */
    private static Optional<Method> mappingMethod(String property) {
        Class<?> group = GatewayConfig.class;
        String[] segments = property.substring("mcp.".length()).split("\\.");
        Method method = null;
        for (String segment : segments) {
            if (group == null) {
                return Optional.empty();
            }
            method = Arrays.stream(group.getMethods())
                    .filter(candidate -> candidate.getParameterCount() == 0 && kebab(candidate.getName()).equals(segment))
                    .findFirst().orElse(null);
            if (method == null) {
                return Optional.empty();
            }
            group = method.getReturnType().isInterface() && method.getReturnType().getEnclosingClass() == GatewayConfig.class
                    ? method.getReturnType() : null;
        }
        return Optional.ofNullable(method);
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    private static String quoted(String value) {
        return value == null ? "(unset)" : '"' + value + '"';
    }

    /** The environment variable a user sets for a property. */
    static String envName(String property) {
        return switch (property) {
            case "mcp.allow-remote-client" -> "ALLOW_REMOTE_CLIENT";
            case "quarkus.redis.hosts" -> "REDIS_URL";
            default -> property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        };
    }

    /** quarkus.redis.hosts is Quarkus's own setting (REDIS_URL), so its rule is the one not stated on GatewayConfig. */
    private static boolean redisUrls(String value) {
        for (String part : value.split(",")) {
            try {
                URI uri = new URI(part.trim());
                if (uri.getScheme() == null || !uri.getScheme().startsWith("redis") || uri.getHost() == null) {
                    return false;
                }
            } catch (URISyntaxException e) {
                return false;
            }
        }
        return true;
    }

    private static PropertiesConfigSource applicationProperties() {
        URL url = Thread.currentThread().getContextClassLoader().getResource("application.properties");
        try {
            return url == null
                    ? new PropertiesConfigSource(Map.of(), "empty", 250)
                    : new PropertiesConfigSource(url, 250);
        } catch (IOException e) {
            throw new IllegalStateException("application.properties cannot be read", e);
        }
    }
}
