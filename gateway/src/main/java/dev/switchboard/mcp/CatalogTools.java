package dev.switchboard.mcp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import io.smallrye.mutiny.Uni;

/**
 * list_operations and run_operation: the whole catalog, for the operations that are not tools of their own. An
 * operation run through run_operation is validated and behaves exactly as its own tool would.
 */
@Singleton
class CatalogTools {

    /** The tool that runs any operation: it may run as a task when the operation is a long one. */
    static final String RUN_OPERATION = "run_operation";

    /**
     * What a page of list_operations holds when the call names no limit, in bytes of its items' JSON: the whole catalog
     * with its schemas is some 90 KB, more than a model should read to find one operation; the cursor pages on.
     */
    static final int PAGE_BYTES = 7 * 1024;

    record ListOperationsArguments(
            @JsonPropertyDescription("Only operations of this group.") String group,
            @JsonPropertyDescription("Words to find in operation names, titles and descriptions; all must match.") String query,
            @JsonPropertyDescription("Maximum number of operations to return (1-100). Without it, a page holds as many as fit in about " + PAGE_BYTES / 1024 + " KB; follow nextCursor for the rest.") Integer limit,
            @JsonPropertyDescription("The nextCursor of a previous result, sent with the same group and query (only limit may change).") String cursor) {
    }

    record RunOperationArguments(
            @JsonProperty(required = true) @JsonPropertyDescription("Name of the operation, as listed by list_operations (name, or its tool name), for example contacts_delete.") String operation,
            @JsonPropertyDescription("Arguments of the operation as a JSON object, following its inputSchema from list_operations.") Map<String, Object> arguments) {
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

    private final OperationCatalog catalog;
    private final OperationRunner runner;
    private final ResultBudget budget;
    private final PageCursors cursors;
    private final ToolNames names;
    private final ObjectMapper mapper;
    private volatile List<Listed> summaries;

    /** An operation as list_operations shows it, with the size of its JSON. */
    private record Listed(ObjectNode node, int bytes) {
    }

    CatalogTools(OperationCatalog catalog, OperationRunner runner, ResultBudget budget, PageCursors cursors, ToolNames names,
            ObjectMapper mapper) {
        this.cursors = cursors;
        this.catalog = catalog;
        this.runner = runner;
        this.budget = budget;
        this.names = names;
        this.mapper = mapper;
    }

    List<NativeTool> tools() {
        ObjectNode listInput = ToolSchemas.of(ListOperationsArguments.class);
        ArrayNode groups = ((ObjectNode) listInput.path("properties").path("group")).putArray("enum");
        catalog.groups().forEach(groups::add);
        ((ObjectNode) listInput.path("properties").path("limit")).put("minimum", 1).put("maximum", 100);
        ObjectNode runInput = ToolSchemas.of(RunOperationArguments.class);
        ObjectNode arguments = (ObjectNode) runInput.path("properties").path("arguments");
        arguments.removeAll();
        arguments.put("type", "object").put("description",
                "Arguments of the operation as a JSON object, following its inputSchema from list_operations.");
        ObjectNode anyResult = mapper.createObjectNode().put("type", "object")
                .put("description", "The operation's result, as described by its entry in list_operations.");
        return List.of(
                new NativeTool("list_operations", "List workspace operations",
                        "The catalog of workspace operations with their input schemas, a page at a time, filtered by group and by "
                                + "words. Run one that is not a tool of its own with run_operation.",
                        listInput, ToolSchemas.of(OperationList.class), true, false, true, false, false, false, this::listOperations),
                new NativeTool(RUN_OPERATION, "Run a workspace operation",
                        "Runs any operation of the catalog by name with a JSON object of arguments, validated against "
                                + "the operation's input schema exactly as if it were a tool of its own. Find operations "
                                + "with list_operations.",
                        runInput, anyResult, false, true, false, true, true, false, this::runOperation));
    }

    /** Every operation as list_operations shows it, computed once after the tools are registered. */
    private List<Listed> summaries() {
        List<Listed> known = summaries;
        if (known == null) {
            List<Listed> built = new ArrayList<>();
            for (Operation op : catalog.all()) {
                OperationSummary summary = new OperationSummary(names.styled(op.name()), op.group(), op.title(),
                        names.rewrite(op.description()), op.readOnly(), op.destructive(), op.job(),
                        names.toolOf(op.name()).orElse(null), Map.of());
                ObjectNode node = mapper.valueToTree(summary);
                node.set("inputSchema", ToolRegistry.rewriteDescriptions(op.inputSchema().deepCopy(), names));
                built.add(new Listed(node, node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 1));
            }
            known = List.copyOf(built);
            summaries = known;
        }
        return known;
    }

    private Uni<Reply> listOperations(ToolCall call) {
        Map<String, Object> arguments = call.arguments();
        String group = (String) arguments.get("group");
        String query = (String) arguments.get("query");
        Integer requestedLimit = arguments.get("limit") instanceof Number n ? n.intValue() : null;
        Map<String, Object> filters = new java.util.HashMap<>();
        filters.put("group", group);
        filters.put("query", query);
        PageCursors.Binding binding = cursors.binding("list_operations", call.caller(), Optional.empty(), Optional.empty(),
                filters);
        Optional<PageCursors.Position> resumed = cursors.decode(binding, arguments.get("cursor"));
        int offset = resumed.map(p -> parseOffset(p.upstreamCursor()) + p.skip()).orElse(0);
        Integer limit = resumed.map(PageCursors.Position::limit).filter(java.util.Objects::nonNull).orElse(requestedLimit);
        List<String> words = query == null || query.isBlank() ? List.of()
                : List.of(query.toLowerCase(Locale.ROOT).trim().split("\\s+"));
        List<Listed> matching = summaries().stream()
                .filter(op -> group == null || op.node().path("group").asText().equals(group))
                .filter(op -> words.stream().allMatch(w -> (op.node().path("name").asText() + " " + op.node().path("title").asText()
                        + " " + op.node().path("description").asText()).toLowerCase(Locale.ROOT).contains(w)))
                .toList();
        ObjectNode result = mapper.createObjectNode();
        ArrayNode items = result.putArray("items");
        int end = offset;
        int bytes = 0;
        while (end < matching.size() && (limit != null ? end - offset < limit
                : end == offset || bytes + matching.get(end).bytes() <= PAGE_BYTES)) {
            bytes += matching.get(end).bytes();
            items.add(matching.get(end).node());
            end++;
        }
        if (end < matching.size()) {
            result.put("nextCursor", cursors.encode(binding, new PageCursors.Position(String.valueOf(end), 0, null)));
        }
        try {
            return Uni.createFrom().item(budget.fit("items", Reply.of(mapper.writeValueAsBytes(result)),
                    Optional.of((answer, kept) -> cursors.setNext(answer, binding,
                            new PageCursors.Position(String.valueOf(offset), kept, limit), List.of()))));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static int parseOffset(String offset) {
        return offset == null ? 0 : Math.max(0, Integer.parseInt(offset));
    }

    private Uni<Reply> runOperation(ToolCall call) {
        String requested = (String) call.arguments().get("operation");
        Operation operation = names.resolve(requested).flatMap(catalog::find)
                .orElseThrow(() -> ToolFailure.invalidNamed(names.unknownOperation(requested)));
        Object raw = call.arguments().get("arguments");
        @SuppressWarnings("unchecked")
        Map<String, Object> operationArguments = raw == null ? Map.of() : (Map<String, Object>) raw;
        return runner.run(call, operation, operationArguments, "arguments.");
    }
}
