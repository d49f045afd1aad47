package dev.switchboard.mcp;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.switchboard.config.Endpoints;
import dev.switchboard.config.GatewayConfig;
import io.quarkiverse.mcp.server.FilterContext;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.McpMethod;
import io.quarkiverse.mcp.server.ToolFilter;
import io.quarkiverse.mcp.server.ToolManager;
import io.quarkiverse.mcp.server.ToolManager.ToolInfo;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A tools/call of a name that is no tool is answered -32602 with the closest callable names ("did you mean …"), over
 * every transport: the call is handed, on its way to the MCP library, to a tool that tools/list never shows and that
 * answers only that error ({@link ToolNames#unknownTool}). The library's own answer names nothing to call instead.
 */
@Singleton
class UnknownTools {

    /** Not a name any tool of the contract can have (operation ids start with a letter). */
    static final String HIDDEN = "_unknown_tool";
    private static final String REQUESTED = "name";

    private final ToolManager toolManager;
    private final ToolRegistry registry;
    private final ToolNames names;
    private final GatewayConfig config;

    UnknownTools(ToolManager toolManager, ToolRegistry registry, ToolNames names, GatewayConfig config) {
        this.toolManager = toolManager;
        this.registry = registry;
        this.names = names;
        this.config = config;
    }

    void register(@Observes StartupEvent started) {
        if (config.sandboxOnly()) {
            return;
        }
        toolManager.newTool(HIDDEN).setDescription("Answers a call of an unknown tool name.")
                .setInputSchema(new JsonObject().put("type", "object"))
                .setAsyncHandler(arguments -> Uni.createFrom().failure(new McpException(
                        names.unknownTool(String.valueOf(arguments.args().get(REQUESTED))), -32602)))
                .register();
    }

    /** After the edge checked the message (JsonRpcGate, order -100), before the library reads it. */
    void routes(@Observes Router router) {
        if (config.sandboxOnly()) {
            return;
        }
        router.route(HttpMethod.POST, Endpoints.MCP).order(-99).handler(this::redirectUnknown);
        router.route(HttpMethod.POST, Endpoints.LEGACY_MESSAGES + "/:id").order(-99).handler(this::redirectUnknown);
    }

    private void redirectUnknown(RoutingContext ctx) {
        if (ctx.body() != null && ctx.body().length() > 0) {
            try {
                // the message as the edge checked it, or (a request the edge passed on unread) as the body says
                Object read = ctx.get(Endpoints.CHECKED_MESSAGE) instanceof JsonObject checked ? checked : ctx.body().buffer().toJson();
                if (read instanceof JsonObject message && "tools/call".equals(message.getValue("method"))
                        && message.getValue("params") instanceof JsonObject params
                        && params.getValue("name") instanceof String name && !registry.isTool(name)) {
                    JsonObject redirected = message.copy();
                    redirected.getJsonObject("params").put("name", HIDDEN).put("arguments", new JsonObject().put(REQUESTED, name));
                    ctx.setBody(redirected.toBuffer());
                    ctx.put(Endpoints.CHECKED_MESSAGE, redirected);
                }
            } catch (RuntimeException e) {
                // not a JSON object: the edge answered it already, or the library will
            }
        }
        ctx.next();
    }

    /**
     * The hidden tool is never listed; it can only be reached through the redirect above. (A bean of its own: the
     * library's tool manager takes every filter, and the tool manager is what registers the hidden tool.)
     */
    @Singleton
    static class Unlisted implements ToolFilter {
        @Override
        public boolean test(ToolInfo tool, FilterContext context) {
            return !HIDDEN.equals(tool.name()) || context.method() != McpMethod.TOOLS_LIST;
        }
    }
}
