package dev.switchboard.mcp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.tenancy.ActiveOrganization;
import dev.switchboard.tenancy.Identity;
import dev.switchboard.tenancy.Tenancy;
import dev.switchboard.tenancy.TenancyException;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.smallrye.mutiny.Uni;

/**
 * The gateway's own tools: organization management, the operation catalog, and run_operation for every operation
 * that is not exposed as a tool of its own. Their argument and result types are records; their schemas are generated
 * from them with the generator the MCP library uses.
 */
@ApplicationScoped
class NativeTools {

    // ------------------------------------------------------------------ argument and result types

    record NoArguments() {
    }

    record SwitchArguments(
            @JsonProperty(required = true) @JsonPropertyDescription("Organization to act on from now on (org_…), as listed by organizations_list.") String organizationId) {
    }

    record ListOperationsArguments(
            @JsonPropertyDescription("Only operations of this group.") String group,
            @JsonPropertyDescription("Words to find in operation names, titles and descriptions; all must match.") String query,
            @JsonPropertyDescription("Maximum number of operations to return (1-100, default 100).") Integer limit,
            @JsonPropertyDescription("The nextCursor of a previous result.") String cursor) {
    }

    record RunOperationArguments(
            @JsonProperty(required = true) @JsonPropertyDescription("Name of the operation, as listed by list_operations, for example contacts_delete.") String operation,
            @JsonPropertyDescription("Arguments of the operation as a JSON object, following its inputSchema from list_operations.") Map<String, Object> arguments) {
    }

    record OrganizationView(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String slug) {
        static OrganizationView of(Identity.OrganizationRef ref) {
            return new OrganizationView(ref.id(), ref.name(), ref.slug());
        }
    }

    record CurrentOrganization(
            @JsonProperty(required = true) OrganizationView organization,
            @JsonProperty(required = true) @JsonPropertyDescription("user, legacy or master") String keyKind,
            @JsonProperty(required = true) @JsonPropertyDescription("Why this organization: header (X-Company-ID), override (organizations_switch), default (the key's), or oldest (master key).") String source,
            @JsonProperty(required = true) String keyId,
            String userName,
            @JsonPropertyDescription("The agency narrowing what the key reaches (X-Agency-ID).") String agencyId,
            @JsonProperty(required = true) @JsonPropertyDescription("Whether organizations_switch can change the organization.") boolean canSwitch) {
    }

    record ReachableOrganization(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String slug, String agencyId,
            @JsonProperty(required = true) @JsonPropertyDescription("The organization calls act on now.") boolean active) {
    }

    record OrganizationList(@JsonProperty(required = true) List<ReachableOrganization> items) {
    }

    record SwitchedOrganization(@JsonProperty(required = true) OrganizationView organization,
            @JsonProperty(required = true) OrganizationView previous,
            @JsonProperty(required = true) @JsonPropertyDescription("How long the switch lasts.") String expiresIn) {
    }

    record OperationSummary(@JsonProperty(required = true) String name, @JsonProperty(required = true) String group,
            @JsonProperty(required = true) String title, @JsonProperty(required = true) String description,
            @JsonProperty(required = true) @JsonPropertyDescription("Reads only; changes nothing.") boolean readOnly,
            @JsonProperty(required = true) @JsonPropertyDescription("Deletes something.") boolean destructive,
            @JsonProperty(required = true) @JsonPropertyDescription("Runs as a long operation with progress.") boolean job,
            @JsonPropertyDescription("The tool that runs it directly, when it is exposed as one; otherwise use run_operation.") String tool,
            @JsonProperty(required = true) @JsonPropertyDescription("JSON Schema of its arguments.") Map<String, Object> inputSchema) {
    }

    record OperationList(@JsonProperty(required = true) List<OperationSummary> items, String nextCursor) {
    }

    // ------------------------------------------------------------------

    private final Tenancy tenancy;
    private final OperationCatalog catalog;
    private final OperationRunner runner;
    private final ResultBudget budget;
    private final ObjectMapper mapper;
    private final SchemaGenerator generator;

    NativeTools(Tenancy tenancy, OperationCatalog catalog, OperationRunner runner, ResultBudget budget, ObjectMapper mapper) {
        this.tenancy = tenancy;
        this.catalog = catalog;
        this.runner = runner;
        this.budget = budget;
        this.mapper = mapper;
        this.generator = new SchemaGenerator(new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12, OptionPreset.PLAIN_JSON)
                .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
                .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT)
                .without(Option.SCHEMA_VERSION_INDICATOR)
                .build());
    }

    /** JSON Schema of a record, as tools/list shows it. */
    ObjectNode schema(Class<?> type) {
        ObjectNode schema = generator.generateSchema(type);
        if (!schema.has("properties")) {
            schema.putObject("properties"); // some clients expect the member even when there are no arguments
        }
        return schema;
    }

    ObjectNode listOperationsInputSchema() {
        ObjectNode schema = schema(ListOperationsArguments.class);
        ((ObjectNode) schema.path("properties").path("group")).putArray("enum").addAll(
                catalog.groups().stream().map(g -> (JsonNode) mapper.getNodeFactory().textNode(g)).toList());
        ObjectNode limit = (ObjectNode) schema.path("properties").path("limit");
        limit.put("minimum", 1).put("maximum", 100);
        return schema;
    }

    ObjectNode runOperationInputSchema() {
        ObjectNode schema = schema(RunOperationArguments.class);
        ObjectNode arguments = (ObjectNode) schema.path("properties").path("arguments");
        arguments.removeAll();
        arguments.put("type", "object").put("description",
                "Arguments of the operation as a JSON object, following its inputSchema from list_operations.");
        return schema;
    }

    Uni<Reply> current(Tenancy.Caller caller) {
        ActiveOrganization active = caller.active();
        Identity identity = caller.identity();
        return reply(new CurrentOrganization(OrganizationView.of(active.organization()), identity.kind().label(),
                active.source().label(), identity.keyId(), identity.userName(), caller.headers().agencyId().orElse(null),
                identity.kind() != Identity.KeyKind.LEGACY && caller.headers().companyId().isEmpty()));
    }

    Uni<Reply> list(Tenancy.Caller caller) {
        return reply(new OrganizationList(caller.active().reachable().stream()
                .map(o -> new ReachableOrganization(o.id(), o.name(), o.slug(), o.agencyId(), o.id().equals(caller.organization().id())))
                .toList()));
    }

    Uni<Reply> switchTo(Tenancy.Caller caller, Map<String, Object> arguments) {
        String target = (String) arguments.get("organizationId");
        Identity.OrganizationRef previous = caller.organization();
        return tenancy.switchOrganization(caller, target)
                .onFailure(TenancyException.class).transform(failure -> ToolFailure.invalid(failure.getMessage()))
                .flatMap(now -> reply(new SwitchedOrganization(OrganizationView.of(now), OrganizationView.of(previous),
                        describe(tenancy.overrideTtl()))).map(reply -> reply.actingOn(now)));
    }

    Uni<Reply> listOperations(Map<String, Object> arguments, java.util.function.Function<Operation, Optional<String>> toolName) {
        String group = (String) arguments.get("group");
        String query = (String) arguments.get("query");
        int limit = arguments.get("limit") instanceof Number n ? n.intValue() : 100;
        Optional<ResultBudget.Continuation> continuation = budget.decode("list_operations", arguments.get("cursor"));
        int offset = continuation.map(c -> parseOffset(c.upstreamCursor()) + c.skip())
                .orElseGet(() -> parseOffset((String) arguments.get("cursor")));
        List<String> words = query == null ? List.of() : List.of(query.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        List<Operation> matching = catalog.all().stream()
                .filter(op -> group == null || op.group().equals(group))
                .filter(op -> words.stream().allMatch(w -> (op.name() + " " + op.title() + " " + op.description())
                        .toLowerCase(Locale.ROOT).contains(w)))
                .toList();
        List<OperationSummary> page = new ArrayList<>();
        for (int i = offset; i < Math.min(matching.size(), offset + limit); i++) {
            Operation op = matching.get(i);
            page.add(new OperationSummary(op.name(), op.group(), op.title(), op.description(), op.readOnly(), op.destructive(),
                    op.job(), toolName.apply(op).orElse(null),
                    mapper.convertValue(op.inputSchema(), new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    })));
        }
        String next = offset + limit < matching.size() ? String.valueOf(offset + limit) : null;
        JsonNode result = mapper.valueToTree(new OperationList(page, next));
        return Uni.createFrom().item(budget.fit("list_operations", "items", Reply.of(result),
                new ResultBudget.Continuation(String.valueOf(offset), 0, limit)));
    }

    private static String describe(java.time.Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + " hours" : duration.toSeconds() + " seconds";
    }

    private static int parseOffset(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(cursor));
        } catch (NumberFormatException e) {
            throw ToolFailure.invalid("'cursor' is not a cursor this server issued; pass nextCursor unchanged.");
        }
    }

    Uni<Reply> runOperation(Tenancy.Caller caller, Map<String, Object> arguments, ToolArguments call, ToolCalls.Progress progress) {
        String name = (String) arguments.get("operation");
        Operation operation = catalog.find(name).orElseThrow(() -> ToolFailure.invalid("Unknown operation '" + name
                + "'. Call list_operations to find the right one" + similar(name) + "."));
        Object raw = arguments.getOrDefault("arguments", Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> operationArguments = raw == null ? Map.of() : (Map<String, Object>) raw;
        runner.validate(operation, operationArguments, "arguments.");
        OperationRunner.Attempt attempt = new OperationRunner.Attempt(operation, runner.idempotencyKey(operation, operationArguments));
        progress.attempting(attempt);
        return runner.run(caller, attempt, operationArguments, call);
    }

    private String similar(String name) {
        if (name == null) {
            return "";
        }
        String prefix = name.contains("_") ? name.substring(0, name.indexOf('_')) : name;
        List<String> close = catalog.names().stream().filter(n -> n.startsWith(prefix) || n.contains(name))
                .sorted(Comparator.comparingInt(String::length)).limit(8).toList();
        return close.isEmpty() ? "" : "; close matches: " + String.join(", ", close);
    }

    private Uni<Reply> reply(Object result) {
        return Uni.createFrom().item(Reply.of(mapper.valueToTree(result)));
    }
}
