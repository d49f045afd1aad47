package dev.switchboard.mcp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Singleton;

import io.quarkiverse.mcp.server.CompletionResponse;
import io.quarkiverse.mcp.server.McpException;
import io.quarkiverse.mcp.server.PromptCompletionManager;
import io.quarkiverse.mcp.server.ResourceTemplateCompletionManager;
import io.quarkiverse.mcp.server.RequestId;
import io.quarkiverse.mcp.server.ResourceManager;
import io.quarkiverse.mcp.server.ResourceResponse;
import io.quarkiverse.mcp.server.ResourceTemplateManager;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.TextResourceContents;
import io.quarkiverse.mcp.server.ToolResponse;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What a client's resource browser and argument completion show: the caller's organizations, its active organization,
 * its mailboxes and their labels, and a contact or a thread by URI template; completion of the prompts' organization and
 * mailbox arguments and of the templates' mailbox and contact variables (not of a thread id, which would need the
 * mailbox the client chose, which the library does not pass on). Each is a read of a workspace operation made through the same pipeline
 * as a tool call (key, organization headers, switch, rate limit, envelope), so a resource shows exactly what the tool
 * would, for the organization the call acts on, and never another one's.
 */
@Singleton
class WorkspaceResources {

    static final String SCHEME = "workspace://";
    private static final String JSON = "application/json";
    /** JSON-RPC "resource not found" (the MCP specification's code). */
    private static final int RESOURCE_NOT_FOUND = -32002;
    private static final int MAX_COMPLETIONS = 100;

    /** A resource: its URI (or template), name, title, description and the read that serves it. */
    private record Spec(String uri, String name, String title, String description, String operation) {
    }

    private static final List<Spec> RESOURCES = List.of(
            new Spec(SCHEME + "organizations", "organizations", "Organizations",
                    "The organizations this key reaches, and which one is active.", "organizations_list"),
            new Spec(SCHEME + "organization", "active_organization", "Active organization",
                    "The organization calls act on now, and why.", "organizations_current"),
            new Spec(SCHEME + "mailboxes", "mailboxes", "Mailboxes", "The active organization's mailboxes.",
                    "inbox_accounts_list"));

    private static final List<Spec> TEMPLATES = List.of(
            new Spec(SCHEME + "mailboxes/{accountId}/labels", "mailbox_labels", "Mailbox labels",
                    "A mailbox's labels (system and user labels).", "inbox_labels_list"),
            new Spec(SCHEME + "mailboxes/{accountId}/threads/{threadId}", "thread", "Thread",
                    "One inbox thread with its messages.", "inbox_thread_get"),
            new Spec(SCHEME + "contacts/{contactId}", "contact", "Contact", "One contact of the active organization.",
                    "contacts_get"));

    /** The prompts' arguments that take an id, and the list whose ids complete them. */
    private static final Map<String, Map<String, String>> PROMPT_ARGUMENTS = Map.of(
            "organization_check_in", Map.of("organization", "organizations_list"),
            "invoice_processor", Map.of("accountId", "inbox_accounts_list"),
            "daily_digest", Map.of("accountId", "inbox_accounts_list"));

    private final ResourceManager resources;
    private final ResourceTemplateManager templates;
    private final PromptCompletionManager promptCompletions;
    private final ResourceTemplateCompletionManager templateCompletions;
    private final ToolCallPipeline pipeline;

    WorkspaceResources(ResourceManager resources, ResourceTemplateManager templates,
            PromptCompletionManager promptCompletions, ResourceTemplateCompletionManager templateCompletions,
            ToolCallPipeline pipeline) {
        this.templateCompletions = templateCompletions;
        this.resources = resources;
        this.templates = templates;
        this.promptCompletions = promptCompletions;
        this.pipeline = pipeline;
    }

    /** @param reads the read behind an operation or native tool name (exposed as a tool or not) */
    void register(Function<String, ToolSpec> reads) {
        for (Spec spec : RESOURCES) {
            ToolSpec read = reads.apply(spec.operation());
            resources.newResource(spec.name()).setUri(spec.uri()).setTitle(spec.title()).setDescription(spec.description())
                    .setMimeType(JSON)
                    .setAsyncHandler(arguments -> read(read, spec.uri(), requestId(arguments.requestId()), Map.of(), false))
                    .register();
        }
        for (Spec spec : TEMPLATES) {
            ToolSpec read = reads.apply(spec.operation());
            templates.newResourceTemplate(spec.name()).setUriTemplate(spec.uri()).setTitle(spec.title())
                    .setDescription(spec.description()).setMimeType(JSON)
                    .setAsyncHandler(arguments -> read(read, arguments.requestUri().value(), requestId(arguments.requestId()),
                            new LinkedHashMap<>(arguments.args()), true))
                    .register();
        }
        PROMPT_ARGUMENTS.forEach((prompt, arguments) -> arguments.forEach((argument, list) -> {
            ToolSpec ids = reads.apply(list);
            promptCompletions.newCompletion(prompt).setArgumentName(argument)
                    .setAsyncHandler(given -> complete(ids, given.argumentValue(), requestId(given.requestId()))).register();
        }));
        // one completion per variable name: the library files them by name alone (see the edge's JsonRpcGate)
        ToolSpec mailboxes = reads.apply("inbox_accounts_list");
        templateCompletions.newCompletion("mailbox_labels").setArgumentName("accountId")
                .setAsyncHandler(given -> complete(mailboxes, given.argumentValue(), requestId(given.requestId()))).register();
        ToolSpec contacts = reads.apply("contacts_list");
        templateCompletions.newCompletion("contact").setArgumentName("contactId")
                .setAsyncHandler(given -> completeContact(contacts, given.argumentValue(), requestId(given.requestId()))).register();
    }

    private Uni<ResourceResponse> read(ToolSpec read, String uri, String requestId, Map<String, Object> arguments,
            boolean names) {
        return pipeline.read(read, requestId, arguments).map(answer -> {
            if (answer.isError()) {
                // a template names one thing, which may not exist; a fixed resource that fails says why
                throw new McpException(text(answer), names ? RESOURCE_NOT_FOUND : -32603);
            }
            return new ResourceResponse(List.of(new TextResourceContents(uri, structured(answer).encode(), JSON)));
        });
    }

    /** The ids of a list read as the caller, that start with what was typed (case ignored). */
    private Uni<CompletionResponse> complete(ToolSpec list, String typed, String requestId) {
        return ids(list, requestId, Map.of(), typed).map(ids -> new CompletionResponse(ids, ids.size(), false));
    }

    /**
     * Contact ids that start with what was typed, among the oldest contacts (the demo and imported ones keep their
     * order); when none does, the ids of the contacts whose name, email or company match it, as a person would type.
     */
    private Uni<CompletionResponse> completeContact(ToolSpec list, String typed, String requestId) {
        return ids(list, requestId, Map.of("sort", "createdAt", "limit", 100), typed).flatMap(byId -> byId.isEmpty()
                && typed != null && !typed.isBlank() ? ids(list, requestId, Map.of("query", typed, "limit", 100), "")
                        : Uni.createFrom().item(byId))
                .map(ids -> new CompletionResponse(ids, ids.size(), false));
    }

    private Uni<List<String>> ids(ToolSpec list, String requestId, Map<String, Object> arguments, String typed) {
        String prefix = typed == null ? "" : typed.toLowerCase(Locale.ROOT);
        return pipeline.read(list, requestId, arguments).map(answer -> {
            if (answer.isError()) {
                return List.of();
            }
            Object result = structured(answer).getValue("result");
            JsonArray items = result instanceof JsonObject object ? object.getJsonArray("items",
                    object.getJsonArray("accounts", new JsonArray())) : new JsonArray();
            return items.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                    .map(item -> item.getString("id")).filter(id -> id != null && id.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .limit(MAX_COMPLETIONS).toList();
        });
    }

    private static JsonObject structured(ToolResponse answer) {
        Object structured = answer.structuredContent();
        if (structured instanceof com.fasterxml.jackson.databind.util.RawValue raw) {
            // the envelope writes its JSON once, as it is sent (Envelope)
            return new JsonObject(String.valueOf(raw.rawValue()));
        }
        if (structured instanceof JsonObject json) {
            return json;
        }
        if (structured instanceof Map<?, ?> map) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = (Map<String, Object>) map;
            return new JsonObject(fields);
        }
        return structured == null ? new JsonObject() : JsonObject.mapFrom(structured);
    }

    private static String text(ToolResponse answer) {
        return answer.content().stream().filter(TextContent.class::isInstance).map(c -> ((TextContent) c).text())
                .findFirst().orElse("The resource could not be read.");
    }

    private static String requestId(RequestId id) {
        return id == null ? "-" : id.asString();
    }
}
