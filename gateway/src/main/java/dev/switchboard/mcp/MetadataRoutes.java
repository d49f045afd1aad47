package dev.switchboard.mcp;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.config.Endpoints;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.RequestHeader;
import io.quarkiverse.mcp.server.ToolManager.ToolAnnotations;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * GET {MCP_PATH}/metadata: what a dynamic agent needs to configure itself (server, endpoints, transports, headers,
 * tools). GET /mcp-manifest.json: the full JSON Schema of every tool and every catalog operation.
 */
@ApplicationScoped
class MetadataRoutes {

    static final List<String> PROTOCOL_VERSIONS = dev.switchboard.config.McpProtocol.VERSIONS;

    private final GatewayConfig config;
    private final ToolRegistry tools;
    private final OperationCatalog catalog;
    private final ToolNames names;
    private final ObjectMapper mapper;
    private final String version;
    private volatile String manifest;

    MetadataRoutes(GatewayConfig config, ToolRegistry tools, OperationCatalog catalog, ToolNames names, ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.names = names;
        this.config = config;
        this.tools = tools;
        this.catalog = catalog;
        this.mapper = mapper;
        this.version = version;
    }

    void register(@Observes Router router) {
        if (config.sandboxOnly()) {
            return;
        }
        for (String root : new java.util.LinkedHashSet<>(List.of(Endpoints.MCP, config.path()))) {
            router.get(root + "/metadata").handler(this::metadata);
        }
        router.get(Endpoints.MANIFEST).handler(this::manifest);
    }

    private void metadata(RoutingContext ctx) {
        String base = ctx.request().scheme() + "://" + ctx.request().authority();
        String root = config.path();
        ObjectNode body = mapper.createObjectNode();
        body.put("name", config.serverName());
        body.put("version", version);
        ObjectNode endpoints = body.putObject("endpoints");
        endpoints.put("streamableHttp", base + root);
        endpoints.put("sse", base + Endpoints.MCP + "/sse");
        endpoints.put("metadata", base + root + "/metadata");
        endpoints.put("manifest", base + Endpoints.MANIFEST);
        endpoints.put("health", base + "/q/health");
        body.putArray("transports").add("streamable-http").add("sse").add("stdio");
        ArrayNode versions = body.putArray("protocolVersions");
        PROTOCOL_VERSIONS.forEach(versions::add);
        ObjectNode headers = body.putObject("headers");
        ArrayNode required = headers.putArray("required");
        ArrayNode optional = headers.putArray("optional");
        for (RequestHeader header : RequestHeader.credentials()) {
            ObjectNode entry = (header == RequestHeader.AUTHORIZATION ? required : optional).addObject()
                    .put("name", header.wireName()).put("description", header.description());
            header.stdioSetting().ifPresent(setting -> entry.put("stdioSetting", setting));
            if (header == RequestHeader.AUTHORIZATION) {
                entry.put("value", "Bearer <API key>");
            }
        }
        RequestHeader.keyHeader(config).ifPresent(header -> optional.addObject().put("name", header)
                .put("value", "<API key>").put("description", RequestHeader.KEY_HEADER_DESCRIPTION));
        body.put("toolPrefix", config.toolPrefix().orElse(""));
        body.put("toolNaming", config.referenceToolNames() ? "reference" : "catalog");
        body.put("resultShape", config.payloadResults() ? "payload" : "envelope");
        body.put("exposeAllOperations", config.exposeAllOperations());
        ArrayNode summaries = body.putArray("tools");
        for (ToolRegistry.Entry tool : tools.entries()) {
            ObjectNode summary = summaries.addObject();
            summary.put("name", tool.name());
            summary.put("title", tool.title());
            summary.put("summary", firstSentence(tool.description()));
            summary.put("readOnly", tool.annotations().readOnlyHint());
            tool.operation().ifPresent(op -> summary.put("group", op.group()).put("longRunning", op.job()));
        }
        body.put("operationCount", catalog.all().size());
        send(ctx, body.toString());
    }

    private void manifest(RoutingContext ctx) {
        if (manifest == null) {
            manifest = buildManifest();
        }
        send(ctx, manifest);
    }

    private String buildManifest() {
        ObjectNode body = mapper.createObjectNode();
        body.put("name", config.serverName());
        body.put("version", version);
        body.put("contractVersion", catalog.contractVersion());
        ArrayNode toolList = body.putArray("tools");
        for (ToolRegistry.Entry tool : tools.entries()) {
            ObjectNode node = toolList.addObject();
            node.put("name", tool.name());
            node.put("title", tool.title());
            node.put("description", tool.description());
            node.set("annotations", annotations(tool.annotations()));
            node.set("inputSchema", tool.inputSchema());
            node.set("outputSchema", tool.outputSchema());
        }
        ArrayNode operations = body.putArray("operations");
        for (Operation operation : catalog.all()) {
            ObjectNode node = operations.addObject();
            node.put("name", names.styled(operation.name()));
            node.put("group", operation.group());
            node.put("title", operation.title());
            node.put("description", operation.description());
            node.put("readOnly", operation.readOnly());
            node.put("destructive", operation.destructive());
            node.put("idempotent", operation.idempotent());
            node.put("longRunning", operation.job());
            tools.toolOf(operation).ifPresent(tool -> node.put("tool", tool));
            node.set("inputSchema", operation.inputSchema());
            node.set("outputSchema", operation.responseSchema());
        }
        return body.toString();
    }

    private ObjectNode annotations(ToolAnnotations annotations) {
        ObjectNode node = mapper.createObjectNode();
        node.put("title", annotations.title());
        node.put("readOnlyHint", annotations.readOnlyHint());
        node.put("destructiveHint", annotations.destructiveHint());
        node.put("idempotentHint", annotations.idempotentHint());
        node.put("openWorldHint", annotations.openWorldHint());
        return node;
    }

    private static String firstSentence(String text) {
        int end = text.indexOf(". ");
        return end < 0 ? text : text.substring(0, end + 1);
    }

    private static void send(RoutingContext ctx, String json) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(json);
    }
}
