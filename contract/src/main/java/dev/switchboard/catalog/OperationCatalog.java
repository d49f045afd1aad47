package dev.switchboard.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The operations of the Workspace API, read once from the contract ({@code contract/src/main/openapi/workspace-api.yaml}).
 * Everything the gateway says about an operation (tool name, schemas, hints, manifest) comes from here.
 *
 * <p>
 * The built-in contract is parsed once per process ({@link #builtIn()}): the embedded sandbox implements it, and the
 * gateway's catalog ({@link Catalogs}) is that same instance unless MCP_CONTRACT_FILE names another contract.
 */
public class OperationCatalog {

    public static final String CONTRACT_RESOURCE = "openapi/workspace-api.yaml";
    private static final String ORGANIZATION_ID = "organizationId";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private final JsonNode contract;
    private final JsonSchemas schemas;
    private final Map<String, Operation> operations;

    /** The contract built into the gateway, parsed on first use. */
    private static final class BuiltIn {
        static final OperationCatalog CATALOG = new OperationCatalog(loadContract());
    }

    /** The catalog of the contract built into the gateway, which the embedded sandbox implements whatever the setting. */
    public static OperationCatalog builtIn() {
        return BuiltIn.CATALOG;
    }

    /**
     * The catalog of a contract file (MCP_CONTRACT_FILE: a backend whose API extends the built-in one, or a synthetic
     * contract for benchmarks).
     */
    public static OperationCatalog of(Path contractFile) {
        return new OperationCatalog(read(contractFile));
    }

    private static JsonNode read(Path file) {
        try {
            return new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalStateException("the contract " + file + " (MCP_CONTRACT_FILE) cannot be read: " + e.getMessage(), e);
        }
    }

    OperationCatalog(JsonNode contract) {
        this.contract = contract;
        this.schemas = new JsonSchemas(contract.path("components"));
        Map<String, Operation> byName = new LinkedHashMap<>();
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(entry -> {
            if (METHODS.contains(entry.getKey())) {
                Operation operation = toOperation(path.getKey(), entry.getKey().toUpperCase(Locale.ROOT), entry.getValue());
                if (byName.put(operation.name(), operation) != null) {
                    throw new IllegalStateException("operationId " + operation.name() + " is used twice in the contract");
                }
            }
        }));
        this.operations = Map.copyOf(withDistinctReferenceNames(byName));
    }

    /**
     * Every reference name names one operation: an operation whose reference name is another's (a contract file that
     * copied an operation with its x-reference-name, or an operationId) keeps its own name in that style too.
     */
    private static Map<String, Operation> withDistinctReferenceNames(Map<String, Operation> byName) {
        Map<String, Operation> distinct = new LinkedHashMap<>();
        Set<String> taken = new java.util.HashSet<>(byName.keySet());
        byName.values().stream().filter(op -> op.referenceName().equals(op.name())).forEach(op -> distinct.put(op.name(), op));
        for (Operation op : byName.values()) {
            if (distinct.containsKey(op.name())) {
                continue;
            }
            Operation kept = taken.add(op.referenceName()) ? op : new Operation(op.name(), op.group(), op.title(),
                    op.description(), op.method(), op.pathTemplate(), op.parameters(), op.bodySchema(), op.bodyRequired(),
                    op.bodyProperties(), op.successStatus(), op.responseSchema(), op.job(), op.curated(), op.openWorld(),
                    op.organizationScoped(), op.inputSchema(), op.validationSchema(), op.aliases(), op.acceptsSingle(),
                    op.name(), op.answerAliases(), op.confirms());
            distinct.put(op.name(), kept);
        }
        return distinct;
    }

    /** Every operation, grouped by tag in contract order and sorted by name within a group. */
    public List<Operation> all() {
        List<String> groupOrder = groups();
        return operations.values().stream()
                .sorted(Comparator.<Operation> comparingInt(o -> groupOrder.indexOf(o.group())).thenComparing(Operation::name))
                .toList();
    }

    public Optional<Operation> find(String name) {
        return Optional.ofNullable(operations.get(name));
    }

    public Operation require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no operation " + name + " in the contract"));
    }

    /** The groups (contract tags) in the order the contract lists them. */
    public List<String> groups() {
        List<String> groups = new ArrayList<>();
        contract.path("tags").forEach(tag -> groups.add(tag.path("name").asText()));
        operations.values().stream().map(Operation::group).filter(g -> !groups.contains(g)).sorted().forEach(groups::add);
        return groups;
    }

    public Collection<String> names() {
        return new TreeSet<>(operations.keySet());
    }

    /** A component schema of the contract as self-contained JSON Schema, for example {@code Error} or {@code Job}. */
    public ObjectNode componentSchema(String name) {
        JsonNode schema = contract.path("components").path("schemas").path(name);
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no schema " + name + " in the contract");
        }
        return schemas.toJsonSchema(schema);
    }

    public String contractVersion() {
        return contract.path("info").path("version").asText();
    }

    private Operation toOperation(String path, String method, JsonNode node) {
        String name = text(node, "operationId", path);
        List<OperationParameter> parameters = new ArrayList<>();
        Map<String, String> aliases = new LinkedHashMap<>();
        Set<String> acceptsSingle = new LinkedHashSet<>();
        boolean scoped = false;
        for (JsonNode raw : node.path("parameters")) {
            JsonNode parameter = schemas.deref(raw);
            String parameterName = text(parameter, "name", name);
            if (parameterName.equals(ORGANIZATION_ID)) {
                scoped = true;
                continue;
            }
            parameter.path("x-aliases").forEach(alias -> aliases.put(alias.asText(), argumentName(parameterName)));
            OperationParameter.Location location = OperationParameter.Location
                    .valueOf(text(parameter, "in", name).toUpperCase(Locale.ROOT));
            ObjectNode schema = schemas.toJsonSchema(parameter.path("schema"));
            String description = parameter.path("description").asText("");
            if (!description.isEmpty()) {
                schema.put("description", description);
            }
            parameters.add(new OperationParameter(parameterName, argumentName(parameterName), location,
                    parameter.path("required").asBoolean(false), description, schema));
        }

        Optional<ObjectNode> body = Optional.empty();
        JsonNode requestBody = node.path("requestBody");
        boolean bodyRequired = false;
        if (!requestBody.isMissingNode()) {
            requestBody = schemas.deref(requestBody);
            JsonNode rawBody = schemas.deref(requestBody.path("content").path("application/json").path("schema"));
            body = Optional.of(schemas.toJsonSchema(rawBody));
            bodyRequired = requestBody.path("required").asBoolean(false);
            rawBody.path("properties").fields().forEachRemaining(property -> {
                JsonNode declared = schemas.deref(property.getValue());
                declared.path("x-aliases").forEach(alias -> aliases.put(alias.asText(), property.getKey()));
                if (declared.path("x-accepts-single").asBoolean(false)) {
                    acceptsSingle.add(property.getKey());
                }
            });
        }

        int successStatus = 0;
        JsonNode responseSchema = null;
        for (var it = node.path("responses").fields(); it.hasNext();) {
            var response = it.next();
            if (response.getKey().startsWith("2")) {
                successStatus = Integer.parseInt(response.getKey());
                responseSchema = schemas.deref(response.getValue()).path("content").path("application/json").path("schema");
                break;
            }
        }
        if (responseSchema == null || responseSchema.isMissingNode()) {
            throw new IllegalStateException(name + " declares no JSON success response");
        }

        Map<String, String> answerAliases = new LinkedHashMap<>();
        schemas.deref(responseSchema).path("properties").fields().forEachRemaining(property -> schemas.deref(property.getValue())
                .path("x-aliases").forEach(alias -> answerAliases.put(alias.asText(), property.getKey())));
        ObjectNode answerSchema = schemas.toJsonSchema(responseSchema);
        answerAliases.forEach((alias, field) -> {
            ObjectNode properties = (ObjectNode) answerSchema.path("properties");
            properties.set(alias, ((ObjectNode) properties.path(field).deepCopy())
                    .put("description", "The same as " + field + " (the name some clients read)."));
        });

        Set<String> bodyProperties = new LinkedHashSet<>();
        body.ifPresent(b -> b.path("properties").fieldNames().forEachRemaining(bodyProperties::add));
        ObjectNode validationSchema = inputSchema(name, parameters, body, bodyRequired);
        ObjectNode inputSchema = advertised(validationSchema, aliases, acceptsSingle);
        return new Operation(name, node.path("tags").path(0).asText("other"), node.path("summary").asText(name),
                node.path("description").asText(""), method, path, List.copyOf(parameters), body, bodyRequired,
                Set.copyOf(bodyProperties), successStatus, answerSchema, successStatus == 202,
                node.path("x-curated").asBoolean(false), node.path("x-open-world").asBoolean(false), scoped, inputSchema,
                validationSchema, Map.copyOf(aliases), Set.copyOf(acceptsSingle),
                node.path("x-reference-name").asText(verbFirst(name)), Map.copyOf(answerAliases),
                Optional.ofNullable(node.path("x-confirm").textValue()));
    }

    /**
     * What clients see: a list argument that also takes a single value says so ({@code anyOf} item or list), and an
     * argument with aliases names them in its description. The aliases themselves are not properties of their own.
     */
    private static ObjectNode advertised(ObjectNode validationSchema, Map<String, String> aliases, Set<String> acceptsSingle) {
        if (aliases.isEmpty() && acceptsSingle.isEmpty()) {
            return validationSchema;
        }
        ObjectNode schema = validationSchema.deepCopy();
        ObjectNode properties = (ObjectNode) schema.path("properties");
        for (String argument : acceptsSingle) {
            ObjectNode list = (ObjectNode) properties.path(argument);
            ObjectNode either = JsonNodeFactory.instance.objectNode();
            if (list.has("description")) {
                either.set("description", list.remove("description"));
            }
            either.putArray("anyOf").add(list.path("items").deepCopy()).add(list);
            properties.set(argument, either);
        }
        aliases.forEach((alias, argument) -> {
            ObjectNode property = (ObjectNode) properties.path(argument);
            if (!property.isMissingNode()) {
                String description = property.path("description").asText("");
                property.put("description", (description.isEmpty() ? "" : description.replaceFirst("\\.?$", ". "))
                        + "Also accepted as " + alias + ".");
            }
        });
        return schema;
    }

    /**
     * The tool arguments: path, query and header parameters, then the body's properties at the same level (models
     * fill flat argument lists more reliably than nested bodies). The organization is never an argument.
     */
    private static ObjectNode inputSchema(String name, List<OperationParameter> parameters, Optional<ObjectNode> body,
            boolean bodyRequired) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JsonNodeFactory.instance.arrayNode();
        for (OperationParameter parameter : parameters) {
            ObjectNode property = parameter.schema().deepCopy();
            if (parameter.argument().equals(Operation.ACCOUNT_ID)) {
                property.put("description", parameter.description()
                        + " Optional: defaults to the x-account-id header, else to the organization's only mailbox.");
            } else if (parameter.argument().equals(Operation.IDEMPOTENCY_KEY_ARGUMENT)) {
                property.put("description", parameter.description()
                        + " When omitted, the gateway makes one for this call and reuses it across its own retries.");
            } else if (parameter.location() == OperationParameter.Location.PATH || parameter.required()) {
                required.add(parameter.argument());
            }
            properties.set(parameter.argument(), property);
        }
        body.ifPresent(b -> {
            b.path("properties").fields().forEachRemaining(p -> {
                if (properties.has(p.getKey())) {
                    throw new IllegalStateException(name + ": body property " + p.getKey() + " collides with a parameter");
                }
                properties.set(p.getKey(), p.getValue().deepCopy());
            });
            if (bodyRequired) {
                b.path("required").forEach(required::add);
            }
            List<JsonNode> alternatives = new ArrayList<>();
            b.path("anyOf").forEach(alternatives::add);
            if (b.path("minProperties").asInt(0) > 0) {
                // "at least one body field" once the body is flattened among other arguments
                ArrayNode anyOf = JsonNodeFactory.instance.arrayNode();
                b.path("properties").fieldNames().forEachRemaining(field -> anyOf.addObject().putArray("required").add(field));
                if (!alternatives.isEmpty()) {
                    throw new IllegalStateException(name + ": a body with both anyOf and minProperties is not supported");
                }
                anyOf.forEach(alternatives::add);
            }
            if (!alternatives.isEmpty()) {
                schema.putArray("anyOf").addAll(alternatives);
            }
        });
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    private static final Set<String> VERBS = Set.of("list", "get", "create", "update", "delete", "send", "run", "search",
            "filter", "import", "trigger", "download", "attach", "detach", "upload", "add", "remove", "resolve", "cancel");

    /**
     * The verb-first form of a name whose last word is a verb ({@code agents_list} becomes {@code list_agents}); other
     * names are kept. Used for the operations of a contract that gives no {@code x-reference-name}.
     */
    static String verbFirst(String name) {
        int last = name.lastIndexOf('_');
        if (last <= 0 || !VERBS.contains(name.substring(last + 1))) {
            return name;
        }
        return name.substring(last + 1) + "_" + name.substring(0, last);
    }

    /** {@code Idempotency-Key} becomes {@code idempotencyKey}; other names are kept. */
    static String argumentName(String parameterName) {
        if (!parameterName.contains("-")) {
            return parameterName;
        }
        StringBuilder result = new StringBuilder();
        for (String part : parameterName.split("-")) {
            if (part.isEmpty()) {
                continue;
            }
            result.append(result.isEmpty() ? part.toLowerCase(Locale.ROOT)
                    : Character.toUpperCase(part.charAt(0)) + part.substring(1).toLowerCase(Locale.ROOT));
        }
        return result.toString();
    }

    private static String text(JsonNode node, String field, String context) {
        JsonNode value = node.path(field);
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalStateException("contract: " + field + " missing at " + context);
        }
        return value.asText();
    }

    private static JsonNode loadContract() {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(CONTRACT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CONTRACT_RESOURCE + " is not on the classpath");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(CONTRACT_RESOURCE + " cannot be read", e);
        }
    }
}
