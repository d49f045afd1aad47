package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.catalog.OperationParameter;
import dev.switchboard.catalog.SchemaValidator;
import dev.switchboard.catalog.Violation;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The sandbox Workspace API: routes each request to its contract operation, checks the key, the organization and the
 * request against the contract, applies Idempotency-Key semantics, and runs the operation's handler on in-memory
 * state seeded the same way on every start. It knows nothing of HTTP servers or threads: {@link SandboxServer} calls
 * {@link #dispatch} on a worker thread, and the organization's lock orders the requests that touch it.
 */
final class SandboxApi {

    private static final Logger LOG = Logger.getLogger(SandboxApi.class);

    /** An HTTP answer of the sandbox. */
    record Answer(int status, String body, Map<String, String> headers) {
        Answer(int status, String body) {
            this(status, body, Map.of());
        }
    }

    private record Checks(SchemaValidator query, Optional<SchemaValidator> body, SchemaValidator response,
            Map<String, SchemaValidator> path) {
    }

    private final SandboxConfig config;
    private final Clock clock;
    private final Faults faults = new Faults();
    private final Idempotency idempotency = new Idempotency();
    private final RouteTable routes;
    private final Map<String, OperationHandler> handlers;
    private final Map<String, Checks> checks = new HashMap<>();
    private final Map<String, LongAdder> requestCounts = new ConcurrentHashMap<>();
    private volatile World world;

    /** Directory and organizations, replaced as a whole by a reset. */
    record World(Directory directory, Map<String, OrgState> organizations) {
    }

    SandboxApi(OperationCatalog catalog, SandboxConfig config, Jobs jobs, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.routes = new RouteTable(catalog.all());
        this.handlers = Handlers.all(jobs, clock);
        List<String> missing = catalog.names().stream().filter(name -> !handlers.containsKey(name)).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the sandbox does not implement " + missing);
        }
        for (Operation operation : catalog.all()) {
            checks.put(operation.name(), checksFor(operation));
        }
        reset();
    }

    Directory directory() {
        return world.directory();
    }

    Faults faults() {
        return faults;
    }

    /** Back to the seed data: every organization as on a fresh start, no idempotency keys, no faults. */
    synchronized void reset() {
        Directory directory = new Directory();
        Map<String, OrgState> organizations = new LinkedHashMap<>();
        for (String id : directory.organizationIds()) {
            OrgState org = new OrgState(directory.organization(id).orElseThrow());
            SeedData.populate(org, clock);
            organizations.put(id, org);
        }
        world = new World(directory, organizations);
        idempotency.clear();
        faults.clear();
        requestCounts.clear();
    }

    /** How many requests reached each operation since start or the last reset. */
    Map<String, Long> requestCounts() {
        Map<String, Long> counts = new TreeMap<>();
        requestCounts.forEach((name, count) -> counts.put(name, count.sum()));
        return counts;
    }

    /** The operation of a request, counted as having reached the sandbox (faults included). */
    Optional<RouteTable.Match> route(String method, String path) {
        Optional<RouteTable.Match> match = routes.match(method, path);
        match.ifPresent(m -> requestCounts.computeIfAbsent(m.operation().name(), n -> new LongAdder()).increment());
        return match;
    }

    Answer notRouted(String method, String path) {
        List<String> methods = routes.methodsFor(path);
        if (!methods.isEmpty()) {
            return error(new SandboxException(405, "method_not_allowed", method + " is not allowed on " + path
                    + "; allowed: " + String.join(", ", methods) + "."));
        }
        return error(new SandboxException(404, "not_found", "No operation at " + method + " " + path + "."));
    }

    /** Handles a routed request; never throws. Blocks while another request or job step holds the organization. */
    Answer dispatch(RouteTable.Match match, String authorization, String actingUser, String idempotencyKey,
            MultiMap queryParameters,
            Buffer rawBody) {
        Operation operation = match.operation();
        try {
            World current = world;
            SandboxKey key = authenticate(current.directory(), authorization, actingUser);
            Checks checks = this.checks.get(operation.name());
            OrgState org = null;
            if (operation.organizationScoped()) {
                String organizationId = match.pathParameters().get("organizationId");
                if (current.directory().organization(organizationId).isEmpty()) {
                    throw new SandboxException(404, "not_found", "Organization " + organizationId + " does not exist.");
                }
                if (!current.directory().canReach(key, organizationId)) {
                    throw new SandboxException(403, "forbidden",
                            "This API key cannot act on organization " + organizationId + ".");
                }
                org = current.organizations().get(organizationId);
            }
            for (Map.Entry<String, String> parameter : match.pathParameters().entrySet()) {
                SchemaValidator validator = checks.path().get(parameter.getKey());
                if (validator != null && !validator.validate(parameter.getValue()).isEmpty()) {
                    throw new SandboxException(404, "not_found", "No " + parameter.getKey() + " " + parameter.getValue()
                            + " exists; ids look like the ones list operations return.");
                }
            }
            ObjectNode query = query(operation, queryParameters, checks.query());
            JsonNode body = body(operation, rawBody, checks.body());
            Optional<String> replayKey = Optional.ofNullable(idempotencyKey).filter(k -> !k.isBlank());
            if (replayKey.isPresent() && (replayKey.get().length() < 8 || replayKey.get().length() > 128
                    || !replayKey.get().matches("^[A-Za-z0-9._:-]+$"))) {
                throw SandboxException.invalid("Idempotency-Key",
                        "Idempotency-Key must be 8 to 128 characters of letters, digits, '.', '_', ':' or '-'.");
            }
            SandboxRequest request = new SandboxRequest(operation, current.directory(), key, org, match.pathParameters(), query,
                    body, replayKey);
            OperationHandler handler = handlers.get(operation.name());
            if (org == null) {
                return respond(operation, handler.handle(request), checks);
            }
            return org.exclusively(() -> {
                if (replayKey.isPresent() && operation.write()) {
                    String scope = key.id() + "|" + request.org().id() + "|" + replayKey.get();
                    String fingerprint = Idempotency.fingerprint(operation.method(), operation.name() + match.pathParameters(),
                            query, body);
                    Optional<Idempotency.Stored> stored = idempotency.replay(scope, fingerprint);
                    if (stored.isPresent()) {
                        return new Answer(stored.get().status(), stored.get().body(), Map.of("Idempotent-Replayed", "true"));
                    }
                    Answer answer = respond(operation, handler.handle(request), checks);
                    idempotency.remember(scope, fingerprint, answer.status(), answer.body());
                    return answer;
                }
                return respond(operation, handler.handle(request), checks);
            });
        } catch (SandboxException e) {
            return error(e);
        } catch (RuntimeException e) {
            LOG.errorf(e, "sandbox operation %s failed", operation.name());
            return error(new SandboxException(500, "internal_error", "The sandbox failed to perform " + operation.name() + "."));
        }
    }

    private SandboxKey authenticate(Directory directory, String authorization, String actingUser) {
        String header = authorization == null ? "" : authorization.trim();
        String token = header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        if (JWT.matcher(token).matches()) {
            // a gateway must call with its own credential, never with the token its client signed in with
            LOG.error("The sandbox received a client's OAuth access token (a JWT) as its Authorization; refused");
            throw new SandboxException(401, "unauthorized", "This API does not take OAuth access tokens: call with an API "
                    + "key, or with a service credential and X-Acting-User.");
        }
        boolean acting = actingUser != null && !actingUser.isBlank();
        if (directory.isService(token)) {
            if (!acting) {
                throw new SandboxException(401, "unauthorized", "A service credential acts for a user: send X-Acting-User: "
                        + "<user id>.");
            }
            return directory.actingFor(token, actingUser.trim()).orElseThrow(() -> new SandboxException(401,
                    "unauthorized", "X-Acting-User names no user of this workspace."));
        }
        if (acting) {
            throw new SandboxException(401, "unauthorized", "X-Acting-User is taken only with a service credential.");
        }
        return directory.authenticate(token).orElseThrow(() -> new SandboxException(401, "unauthorized",
                token.isEmpty() ? "An API key is required: send Authorization: Bearer <key>."
                        : "invalid or expired API key"));
    }

    /** Three base64url parts: the shape of a signed JWT, which no API key of this workspace has. */
    private static final java.util.regex.Pattern JWT = java.util.regex.Pattern.compile(
            "[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

    private Answer respond(Operation operation, Object result, Checks checks) {
        JsonNode json = SandboxJson.MAPPER.valueToTree(result);
        if (config.validateResponses()) {
            List<Violation> violations = checks.response().validate(toVertx(json));
            if (!violations.isEmpty()) {
                LOG.errorf("sandbox answer of %s breaks the contract: %s", operation.name(), violations);
                throw new SandboxException(500, "internal_error",
                        "The sandbox answer of " + operation.name() + " breaks the contract: " + violations.get(0).message());
            }
        }
        return new Answer(operation.successStatus(), SandboxJson.write(json));
    }

    static Answer error(SandboxException e) {
        ObjectNode error = JsonNodeFactory.instance.objectNode();
        error.put("code", e.code);
        error.put("message", e.getMessage());
        error.set("details", SandboxJson.MAPPER.valueToTree(e.details));
        return new Answer(e.status, SandboxJson.write(error));
    }

    private static ObjectNode query(Operation operation, MultiMap raw, SchemaValidator validator) {
        JsonObject query = new JsonObject();
        for (OperationParameter parameter : operation.parameters()) {
            if (parameter.location() != OperationParameter.Location.QUERY) {
                continue;
            }
            List<String> values = raw.getAll(parameter.name());
            if (values.isEmpty()) {
                continue;
            }
            if (parameter.isArray()) {
                JsonArray array = new JsonArray();
                String itemType = parameter.schema().path("items").path("type").asText("string");
                values.forEach(v -> array.add(coerce(v, itemType)));
                query.put(parameter.name(), array);
            } else {
                query.put(parameter.name(), coerce(values.get(values.size() - 1), parameter.schema().path("type").asText("string")));
            }
        }
        List<Violation> violations = validator.validate(query);
        if (!violations.isEmpty()) {
            throw SandboxException.invalid(violations);
        }
        try {
            return (ObjectNode) SandboxJson.MAPPER.readTree(query.encode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object coerce(String value, String type) {
        try {
            return switch (type) {
                case "integer" -> Long.parseLong(value);
                case "number" -> Double.parseDouble(value);
                case "boolean" -> value.equalsIgnoreCase("true") ? Boolean.TRUE
                        : value.equalsIgnoreCase("false") ? Boolean.FALSE : value;
                default -> value;
            };
        } catch (NumberFormatException e) {
            return value; // the schema check reports the wrong type with the field name
        }
    }

    private static JsonNode body(Operation operation, Buffer raw, Optional<SchemaValidator> validator) {
        if (validator.isEmpty()) {
            return null;
        }
        if (raw == null || raw.length() == 0 || raw.toString().isBlank()) {
            if (operation.bodyRequired()) {
                throw new SandboxException(400, "invalid_request", "A JSON request body is required.");
            }
            return null;
        }
        JsonNode body;
        try {
            body = SandboxJson.MAPPER.readTree(raw.getBytes());
        } catch (JsonProcessingException e) {
            throw new SandboxException(400, "invalid_request", "The request body is not valid JSON.");
        } catch (java.io.IOException e) {
            throw new SandboxException(400, "invalid_request", "The request body cannot be read.");
        }
        if (!body.isObject()) {
            throw new SandboxException(400, "invalid_request", "The request body must be a JSON object.");
        }
        List<Violation> violations = validator.get().validate(toVertx(body));
        if (!violations.isEmpty()) {
            throw SandboxException.invalid(violations);
        }
        return body;
    }

    private static Object toVertx(JsonNode node) {
        return node.isObject() ? new JsonObject(node.toString()) : node.isArray() ? new JsonArray(node.toString()) : node;
    }

    private static Checks checksFor(Operation operation) {
        ObjectNode querySchema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = querySchema.putObject("properties");
        var required = querySchema.putArray("required");
        Map<String, SchemaValidator> path = new HashMap<>();
        for (OperationParameter parameter : operation.parameters()) {
            switch (parameter.location()) {
                case QUERY -> {
                    properties.set(parameter.name(), parameter.schema());
                    if (parameter.required()) {
                        required.add(parameter.name());
                    }
                }
                case PATH -> path.put(parameter.name(), SchemaValidator.of(parameter.schema()));
                default -> {
                }
            }
        }
        return new Checks(SchemaValidator.of(querySchema, "The query"),
                operation.bodySchema().map(schema -> SchemaValidator.of(schema, "The request body")),
                SchemaValidator.of(operation.responseSchema()), path);
    }

}
