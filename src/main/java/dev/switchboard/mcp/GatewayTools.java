package dev.switchboard.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.catalog.SchemaValidator;
import dev.switchboard.catalog.Violation;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.tenancy.Tenancy;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolManager.ToolAnnotations;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.quarkiverse.mcp.server.ToolResponse;
import io.quarkiverse.mcp.server.TransportHint;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Registers the tools at start-up: the curated catalog operations (or all of them with MCP_EXPOSE_ALL_OPERATIONS),
 * each with the schemas and hints derived from the contract, plus the gateway's own tools. Schemas are computed here
 * once; tools/list only serializes them.
 */
@ApplicationScoped
public class GatewayTools {

    private static final Logger LOG = Logger.getLogger(GatewayTools.class);

    /** A registered tool, as the metadata and manifest endpoints describe it. */
    public record Entry(String name, String title, String description, ObjectNode inputSchema, ObjectNode outputSchema,
            ToolAnnotations annotations, Optional<Operation> operation) {
    }

    private final ToolManager toolManager;
    private final OperationCatalog catalog;
    private final GatewayConfig config;
    private final ToolCalls calls;
    private final OperationRunner runner;
    private final NativeTools natives;
    private final ToolNameMetricFilter metricFilter;
    private final List<Entry> entries = new ArrayList<>();
    private volatile Set<String> names = Set.of();

    GatewayTools(ToolManager toolManager, OperationCatalog catalog, GatewayConfig config, ToolCalls calls,
            OperationRunner runner, NativeTools natives, ToolNameMetricFilter metricFilter) {
        this.toolManager = toolManager;
        this.catalog = catalog;
        this.config = config;
        this.calls = calls;
        this.runner = runner;
        this.natives = natives;
        this.metricFilter = metricFilter;
    }

    void register(@Observes StartupEvent started) {
        if (config.sandboxOnly()) {
            return;
        }
        ToolOverrides overrides = ToolOverrides.load(config.toolOverridesFile());
        registerNative(overrides);
        for (Operation operation : catalog.all()) {
            if (operation.curated() || config.exposeAllOperations()) {
                registerOperation(operation, overrides);
            }
        }
        names = entries.stream().map(Entry::name).collect(Collectors.toUnmodifiableSet());
        metricFilter.known(names);
        Set<String> unknown = overrides.byTool().keySet().stream()
                .filter(tool -> entries.stream().noneMatch(e -> e.name().equals(prefixed(tool)))).collect(Collectors.toSet());
        if (!unknown.isEmpty()) {
            LOG.warnf("MCP_TOOL_OVERRIDES_FILE names tools that are not registered: %s", unknown);
        }
    }

    /** Every registered tool, in registration order. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** Names of the registered tools (with prefix). */
    public Set<String> names() {
        return names;
    }

    String prefixed(String name) {
        return config.toolPrefix().orElse("") + name;
    }

    /** The tool name an operation is exposed under, if it is exposed as a tool of its own. */
    Optional<String> toolOf(Operation operation) {
        String name = prefixed(operation.name());
        return names.contains(name) ? Optional.of(name) : Optional.empty();
    }

    private void registerOperation(Operation operation, ToolOverrides overrides) {
        String name = prefixed(operation.name());
        String description = operation.description()
                + (operation.job() ? " Long operation: the call follows it to its end and reports progress; cancelling the"
                        + " call cancels it." : "")
                + (operation.write() && operation.acceptsIdempotencyKey()
                        ? " Safe to retry with the same idempotencyKey." : "");
        String title = overrides.title(operation.name(), operation.title());
        ToolAnnotations annotations = new ToolAnnotations(title, operation.readOnly(), operation.destructive(),
                operation.idempotent(), operation.openWorld());
        ObjectNode output = Envelope.outputSchema(operation.responseSchema(), operation.inbox());
        Entry entry = new Entry(name, title, overrides.description(operation.name(), description), operation.inputSchema(),
                output, annotations, Optional.of(operation));
        register(entry, !operation.job(), arguments -> calls.call(name, arguments, (caller, progress) -> {
            runner.validate(operation, arguments.args(), "");
            OperationRunner.Attempt attempt = new OperationRunner.Attempt(operation, runner.idempotencyKey(operation, arguments.args()));
            progress.attempting(attempt);
            return runner.run(caller, attempt, arguments.args(), arguments);
        }));
    }

    private void registerNative(ToolOverrides overrides) {
        nativeTool(overrides, "organizations_current", "Show the active organization",
                "The organization tool calls act on now, the kind of the API key (user, legacy or master) and why this "
                        + "organization was chosen. Call it first when unsure which tenant is active.",
                natives.schema(NativeTools.NoArguments.class), natives.schema(NativeTools.CurrentOrganization.class),
                true, true, false, (caller, arguments, call, progress) -> natives.current(caller));
        nativeTool(overrides, "organizations_list", "List reachable organizations",
                "Every organization the API key can act on (narrowed by X-Agency-ID when sent), marking the active one.",
                natives.schema(NativeTools.NoArguments.class), natives.schema(NativeTools.OrganizationList.class),
                true, true, false, (caller, arguments, call, progress) -> natives.list(caller));
        nativeTool(overrides, "organizations_switch", "Switch the active organization",
                "Makes another reachable organization the active one for this API key, for 24 hours, on every replica. "
                        + "Legacy organization-scoped keys cannot switch, and an X-Company-ID header pins the organization.",
                natives.schema(NativeTools.SwitchArguments.class), natives.schema(NativeTools.SwitchedOrganization.class),
                false, true, false, (caller, arguments, call, progress) -> natives.switchTo(caller, arguments));
        nativeTool(overrides, "list_operations", "List workspace operations",
                "The whole catalog of workspace operations with their input schemas, filtered by group and by words. "
                        + "Run one that is not a tool of its own with run_operation.",
                natives.listOperationsInputSchema(), natives.schema(NativeTools.OperationList.class),
                true, true, false, (caller, arguments, call, progress) -> natives.listOperations(arguments, this::toolOf));
        ObjectNode anyResult = Json.MAPPER.createObjectNode().put("type", "object")
                .put("description", "The operation's result, as described by its entry in list_operations.");
        nativeTool(overrides, "run_operation", "Run a workspace operation",
                "Runs any operation of the catalog by name with a JSON object of arguments, validated against the "
                        + "operation's input schema exactly as if it were a tool of its own. Find operations with list_operations.",
                natives.runOperationInputSchema(), anyResult,
                false, false, true, (caller, arguments, call, progress) -> natives.runOperation(caller, arguments, call, progress));
    }

    @FunctionalInterface
    private interface NativeBody {
        Uni<Reply> run(Tenancy.Caller caller, Map<String, Object> arguments, ToolArguments call, ToolCalls.Progress progress);
    }

    private void nativeTool(ToolOverrides overrides, String baseName, String title, String description, ObjectNode input,
            ObjectNode result, boolean readOnly, boolean idempotent, boolean mayRunJobs, NativeBody body) {
        String name = prefixed(baseName);
        String shownTitle = overrides.title(baseName, title);
        SchemaValidator validator = SchemaValidator.of(input);
        boolean destructive = baseName.equals("run_operation");
        Entry entry = new Entry(name, shownTitle, overrides.description(baseName, description), input,
                Envelope.outputSchema(result, false),
                new ToolAnnotations(shownTitle, readOnly, destructive, idempotent, baseName.equals("run_operation")),
                Optional.empty());
        register(entry, !mayRunJobs, arguments -> calls.call(name, arguments, (caller, progress) -> {
            List<Violation> violations = validator.validate(new JsonObject(arguments.args()));
            if (!violations.isEmpty()) {
                throw ToolFailure.invalid("Invalid arguments for " + baseName + ": "
                        + violations.stream().map(Violation::message).collect(Collectors.joining(" ")));
            }
            return body.run(caller, arguments.args(), arguments, progress);
        }));
    }

    private void register(Entry entry, boolean plainAnswer, Function<ToolArguments, Uni<ToolResponse>> handler) {
        ToolManager.ToolDefinition definition = toolManager.newTool(entry.name())
                .setTitle(entry.title())
                .setDescription(entry.description())
                .setInputSchema(new JsonObject(entry.inputSchema().toString()))
                .setOutputSchema(new JsonObject(entry.outputSchema().toString()))
                .setAnnotations(entry.annotations())
                .setAsyncHandler(handler);
        if (plainAnswer) {
            // neither progress nor client logging: answer with plain JSON rather than an SSE stream
            definition.addHint(TransportHint.STREAMABLE_HTTP_SKIP_SSE_INIT);
        }
        definition.register();
        entries.add(entry);
    }
}
