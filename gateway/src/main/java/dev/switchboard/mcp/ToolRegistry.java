package dev.switchboard.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.catalog.SchemaValidator;
import dev.switchboard.catalog.Violation;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.edge.TaskSupport;
import dev.switchboard.workarounds.SafeMcpMetrics;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolManager.ToolAnnotations;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.json.JsonObject;

/**
 * Registers the tools at start-up: the gateway's own (organizations, catalog) and the curated catalog operations (or
 * all of them with MCP_EXPOSE_ALL_OPERATIONS), each with the schemas and hints derived from the contract, named and
 * worded as the operator configured (prefix, overrides). Everything is computed here once; tools/list only
 * serializes it.
 */
@Singleton
public class ToolRegistry {

    private static final Logger LOG = Logger.getLogger(ToolRegistry.class);

    /** A registered tool, as the metadata and manifest endpoints describe it. */
    public record Entry(String name, String title, String description, ObjectNode inputSchema, ObjectNode outputSchema,
            ToolAnnotations annotations, Optional<Operation> operation) {
    }

    private final ToolManager toolManager;
    private final OperationCatalog catalog;
    private final GatewayConfig config;
    private final ToolCallPipeline pipeline;
    private final OperationRunner runner;
    private final OrganizationTools organizations;
    private final CatalogTools catalogTools;
    private final ToolNames names;
    private final SafeMcpMetrics mcpMetrics;
    private final Envelope envelope;
    private final List<Entry> entries = new ArrayList<>();
    private volatile Set<String> toolNames = Set.of();
    private final ConformanceFixtures fixtures;
    private final WorkspacePrompts prompts;
    private final TaskSupport tasks;
    private final dev.switchboard.edge.ToolAccess access;
    private final WorkspaceResources resources;

    ToolRegistry(ToolManager toolManager, OperationCatalog catalog, GatewayConfig config, ToolCallPipeline pipeline,
            OperationRunner runner, OrganizationTools organizations, CatalogTools catalogTools, ToolNames names,
            SafeMcpMetrics mcpMetrics, Envelope envelope, ConformanceFixtures fixtures, WorkspacePrompts prompts,
            TaskSupport tasks, WorkspaceResources resources, dev.switchboard.edge.ToolAccess access) {
        this.access = access;
        this.tasks = tasks;
        this.resources = resources;
        this.fixtures = fixtures;
        this.prompts = prompts;
        this.envelope = envelope;
        this.toolManager = toolManager;
        this.catalog = catalog;
        this.config = config;
        this.pipeline = pipeline;
        this.runner = runner;
        this.organizations = organizations;
        this.catalogTools = catalogTools;
        this.names = names;
        this.mcpMetrics = mcpMetrics;
    }

    void register(@Observes StartupEvent started) {
        if (config.sandboxOnly()) {
            return;
        }
        ToolOverrides overrides = ToolOverrides.load(config.toolOverridesFile());
        List<NativeTool> natives = new ArrayList<>(organizations.tools());
        natives.addAll(catalogTools.tools());
        List<Operation> operations = catalog.all().stream().filter(op -> op.curated() || config.exposeAllOperations()).toList();
        // every name a text may mention is known before any text is rewritten
        List<String> baseNames = new ArrayList<>(natives.stream().map(NativeTool::baseName).toList());
        operations.forEach(op -> baseNames.add(op.name()));
        names.exposed(baseNames);
        Map<String, ToolSpec> specs = new java.util.HashMap<>();
        natives.forEach(tool -> register(specs.compute(tool.baseName(), (name, none) -> nativeSpec(tool, overrides))));
        operations.forEach(operation -> register(specs.compute(operation.name(), (name, none) -> operationSpec(operation, overrides))));
        // a long operation may run as a task for a client that follows tasks; the others follow it to its end
        operations.stream().filter(Operation::job).forEach(op -> tasks.declare(names.tool(op.name()), TaskSupport.Mode.OPTIONAL));
        tasks.declare(names.tool(CatalogTools.RUN_OPERATION), TaskSupport.Mode.OPTIONAL);
        // an OAuth token that grants reading only may call the tools that read (the organization tools read the workspace)
        operations.stream().filter(op -> !op.readOnly()).forEach(op -> access.writes(names.tool(op.name())));
        access.runsOperations(names.tool(CatalogTools.RUN_OPERATION),
                operation -> catalog.all().stream().anyMatch(op -> op.name().equals(operation) && op.readOnly()));
        Set<String> callable = entries.stream().map(Entry::name).collect(Collectors.toCollection(java.util.HashSet::new));
        callable.addAll(fixtures.register());
        prompts.register();
        // a resource reads as the tool would, also where the operation is not a tool of its own
        resources.register(name -> specs.computeIfAbsent(name, operation -> operationSpec(catalog.require(operation), overrides)));
        toolNames = Set.copyOf(callable);
        mcpMetrics.known(toolNames);
        Set<String> unknown = overrides.byTool().keySet().stream().filter(tool -> !baseNames.contains(tool))
                .collect(Collectors.toSet());
        if (!unknown.isEmpty()) {
            LOG.warnf("MCP_TOOL_OVERRIDES_FILE names tools that are not registered: %s", unknown);
        }
    }

    /** Whether a client may call this name as a tool (as tools/list names it). */
    public boolean isTool(String name) {
        return toolNames.contains(name);
    }

    /** Every registered tool, in registration order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The tool name an operation is exposed under, if it is exposed as a tool of its own. */
    public Optional<String> toolOf(Operation operation) {
        return names.toolOf(operation.name());
    }

    private ToolSpec operationSpec(Operation operation, ToolOverrides overrides) {
        String description = operation.description()
                + (operation.job() ? " Long operation: the call follows it to its end and reports progress; cancelling the"
                        + " call cancels it." : "")
                + (operation.write() && operation.acceptsIdempotencyKey() ? " Safe to retry with the same idempotencyKey." : "");
        String title = overrides.title(operation.name(), operation.title());
        return new ToolSpec(names.tool(operation.name()), operation.name(), title,
                names.rewrite(overrides.description(operation.name(), description)),
                rewriteDescriptions(operation.inputSchema().deepCopy(), names),
                rewriteDescriptions(envelope.outputSchema(operation.responseSchema(), operation.inbox(), true), names),
                new ToolAnnotations(title, operation.readOnly(), operation.destructive(), operation.idempotent(),
                        operation.openWorld()),
                Optional.of(operation), true, call -> runner.run(call, operation, call.arguments(), ""), false);
    }

    private ToolSpec nativeSpec(NativeTool tool, ToolOverrides overrides) {
        String title = overrides.title(tool.baseName(), tool.title());
        SchemaValidator validator = SchemaValidator.of(tool.inputSchema());
        ToolBody checked = call -> {
            List<Violation> violations = validator.validate(new JsonObject(call.arguments()));
            if (!violations.isEmpty()) {
                throw ToolFailure.invalid("Invalid arguments for " + tool.baseName() + ": "
                        + violations.stream().map(Violation::message).collect(Collectors.joining(" ")));
            }
            return tool.body().run(call);
        };
        return new ToolSpec(names.tool(tool.baseName()), tool.baseName(), title,
                names.rewrite(overrides.description(tool.baseName(), tool.description())),
                // run_operation's arguments name operations as it takes them: no "(via run_operation)" after them
                rewriteDescriptions(tool.inputSchema(), names, !tool.baseName().equals(CatalogTools.RUN_OPERATION)),
                rewriteDescriptions(envelope.outputSchema(tool.resultSchema(), false, tool.needsOrganization()), names),
                new ToolAnnotations(title, tool.readOnly(), tool.destructive(), tool.idempotent(), tool.openWorld()),
                Optional.empty(), tool.needsOrganization(), checked, tool.freshIdentity());
    }

    private void register(ToolSpec tool) {
        toolManager.newTool(tool.name())
                .setTitle(tool.title())
                .setDescription(tool.description())
                .setInputSchema(new JsonObject(tool.inputSchema().toString()))
                .setOutputSchema(new JsonObject(ToolSchemas.withoutDescriptions(tool.outputSchema()).toString()))
                .setAnnotations(tool.annotations())
                .setAsyncHandler(arguments -> pipeline.call(tool, arguments))
                .register();
        entries.add(new Entry(tool.name(), tool.title(), tool.description(), tool.inputSchema(), tool.outputSchema(),
                tool.annotations(), tool.operation()));
    }

    /** Every "description" in a schema, with the tool names it mentions written as they can be called. */
    static ObjectNode rewriteDescriptions(ObjectNode schema, ToolNames names) {
        return rewriteDescriptions(schema, names, true);
    }

    /** @param howToCall whether an operation without a tool is followed by the tool that runs it */
    static ObjectNode rewriteDescriptions(ObjectNode schema, ToolNames names, boolean howToCall) {
        rewrite(schema, names, howToCall);
        return schema;
    }

    private static void rewrite(JsonNode node, ToolNames names, boolean howToCall) {
        if (node instanceof ObjectNode object) {
            JsonNode description = object.get("description");
            if (description != null && description.isTextual()) {
                object.put("description", names.rewrite(description.asText(), howToCall));
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                if (field.getValue().isContainerNode()) {
                    rewrite(field.getValue(), names, howToCall);
                }
            }
        } else if (node != null && node.isArray()) {
            node.forEach(element -> rewrite(element, names, howToCall));
        }
    }
}
