package dev.switchboard.mcp;

import java.util.List;
import java.util.Map;

import dev.switchboard.config.McpProtocol;
import dev.switchboard.workarounds.LibraryWorkaround;
import io.quarkiverse.mcp.server.Meta;
import io.quarkiverse.mcp.server.MetaKey;
import io.quarkiverse.mcp.server.PromptMessage;
import io.quarkiverse.mcp.server.PromptResponse;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;
import io.vertx.core.json.JsonObject;

/**
 * One round of a request that asks its client for input (multi round-trip, stateless era): the client's answers so
 * far, the state the previous round asked to resume with (verified by the edge), and what the client declared it can
 * answer. A handler that needs more answers {@link #ask}s; the edge turns that into the protocol's
 * {@code input_required} result with a signed {@code requestState}.
 */
@LibraryWorkaround(entry = 6)
public record InputRound(JsonObject responses, JsonObject state, JsonObject clientCapabilities, String logLevel, String task) {

    /** {@link #task} when the client can follow a task and the tool may become one; otherwise the task it runs in. */
    private static final String TASK_OFFERED = "offered";

    private static final MetaKey ASKED = MetaKey.from(McpProtocol.META_INPUT_REQUIRED);
    private static final MetaKey REQUIRED = MetaKey.from(McpProtocol.META_REQUIRED_CAPABILITIES);
    private static final MetaKey RUN_AS_TASK = MetaKey.from(McpProtocol.META_RUN_AS_TASK);

    static InputRound of(Meta meta) {
        JsonObject all = meta == null || meta.asJsonObject() == null ? new JsonObject() : meta.asJsonObject();
        JsonObject input = all.getValue(McpProtocol.META_INPUT) instanceof JsonObject given ? given : new JsonObject();
        return new InputRound(object(input.getValue("responses")), object(input.getValue("state")),
                object(input.getValue("clientCapabilities")), input.getValue("logLevel") instanceof String level ? level : null,
                input.getValue("task") instanceof String task ? task : null);
    }

    /** Whether this call may answer {@link #runAsTask()}: the client follows tasks and the call is not one yet. */
    boolean taskOffered() {
        return TASK_OFFERED.equals(task);
    }

    /** The task this call runs in, if it runs in one. */
    java.util.Optional<String> inTask() {
        return task == null || taskOffered() ? java.util.Optional.empty() : java.util.Optional.of(task);
    }

    /** A tool's answer that it would rather run as a task: the edge makes the task and runs the call again in it. */
    static ToolResponse runAsTask() {
        return new ToolResponse(false, List.of(new TextContent("Runs as a task.")), null, Map.of(RUN_AS_TASK, true));
    }

    /** Whether the client answered the input request of this key. */
    boolean answered(String key) {
        return responses.getValue(key) instanceof JsonObject;
    }

    JsonObject answer(String key) {
        return object(responses.getValue(key));
    }

    /** Whether the client declared it can answer requests of this capability (elicitation, sampling, roots). */
    boolean clientCan(String capability) {
        return clientCapabilities.containsKey(capability);
    }

    /** A tool's answer asking the client for input, to resume with this state. */
    static ToolResponse ask(JsonObject inputRequests, JsonObject state) {
        return new ToolResponse(false, List.of(new TextContent("Input needed from the client: "
                + String.join(", ", inputRequests.fieldNames()) + ".")), null, asked(inputRequests, state));
    }

    /** A tool's answer when the client did not declare a capability it needs (answered as error -32021). */
    static ToolResponse requires(String capability) {
        return new ToolResponse(true, List.of(new TextContent("This tool needs the client capability " + capability + ".")),
                null, Map.of(REQUIRED, Map.of(capability, Map.of())));
    }

    /** A prompt's answer asking the client for input. */
    static PromptResponse askForPrompt(JsonObject inputRequests, JsonObject state) {
        // quarkus-mcp-server 1.13.0 drops a prompt result's _meta: the request rides in the description instead, which
        // the edge reads and replaces (McpProtocol.PROMPT_INPUT_REQUIRED)
        return new PromptResponse(McpProtocol.PROMPT_INPUT_REQUIRED + new JsonObject().put("inputRequests", inputRequests)
                .put("state", state).encode(), List.of(PromptMessage.withUserRole("Input needed from the client.")),
                asked(inputRequests, state));
    }

    static JsonObject elicitation(String message, String property, String type) {
        return new JsonObject().put("method", "elicitation/create").put("params", new JsonObject().put("message", message)
                .put("requestedSchema", new JsonObject().put("type", "object")
                        .put("properties", new JsonObject().put(property, new JsonObject().put("type", type)))
                        .put("required", new io.vertx.core.json.JsonArray().add(property))));
    }

    static JsonObject sampling(String text, int maxTokens) {
        return new JsonObject().put("method", "sampling/createMessage").put("params", new JsonObject()
                .put("messages", new io.vertx.core.json.JsonArray().add(new JsonObject().put("role", "user")
                        .put("content", new JsonObject().put("type", "text").put("text", text))))
                .put("maxTokens", maxTokens));
    }

    static JsonObject roots() {
        return new JsonObject().put("method", "roots/list").put("params", new JsonObject());
    }

    private static Map<MetaKey, Object> asked(JsonObject inputRequests, JsonObject state) {
        return Map.of(ASKED, new JsonObject().put("inputRequests", inputRequests).put("state", state).getMap());
    }

    private static JsonObject object(Object value) {
        return value instanceof JsonObject json ? json : value instanceof Map<?, ?> map ? new JsonObject(castMap(map)) : new JsonObject();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
