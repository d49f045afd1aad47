package dev.switchboard.sandbox;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The sandbox's operation handlers, one group per contract tag, and the helpers they share.
 */
abstract class Handlers {

    protected final SandboxApi api;

    Handlers(SandboxApi api) {
        this.api = api;
    }

    /** Registers this group's handlers by operationId. */
    abstract void register(Map<String, OperationHandler> handlers);

    static Map<String, OperationHandler> all(SandboxApi api) {
        Map<String, OperationHandler> handlers = new HashMap<>();
        for (Handlers group : List.of(new IdentityHandlers(api), new AgentHandlers(api), new ContactHandlers(api),
                new ConversationHandlers(api), new WorkflowHandlers(api), new CampaignHandlers(api),
                new CrmHandlers(api), new ToolHandlers(api), new InboxHandlers(api), new AnalyticsHandlers(api),
                new InsightHandlers(api), new JobHandlers(api))) {
            group.register(handlers);
        }
        return handlers;
    }

    /** {@code {items, nextCursor}} of one page. */
    static Map<String, Object> page(List<?> all, SandboxRequest request) {
        Pages.Page<?> page = Pages.of(all, request);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(request.operation().listField().orElse("items"), page.items());
        if (page.nextCursor() != null) {
            body.put("nextCursor", page.nextCursor());
        }
        return body;
    }

    static Map<String, Object> items(List<?> all) {
        return Map.of("items", all);
    }

    /** A whole list under the field the operation's answer names (for example {@code accounts}). */
    static Map<String, Object> list(SandboxRequest request, List<?> all) {
        return Map.of(request.operation().listField().orElse("items"), all);
    }

    static <T> T require(Map<String, T> map, String id, String what) {
        T value = map.get(id);
        if (value == null) {
            throw SandboxException.notFound(what, id);
        }
        return value;
    }

    static Map<String, Object> deleted(String id) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("deleted", true);
        return body;
    }

    /** Newest first, ties broken by id so that pages are stable. */
    static <T> List<T> newestFirst(java.util.Collection<T> values, Function<T, OffsetDateTime> createdAt,
            Function<T, String> id) {
        List<T> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.comparing(createdAt, Comparator.reverseOrder()).thenComparing(id, Comparator.reverseOrder()));
        return sorted;
    }

    static OffsetDateTime now() {
        return Jobs.now();
    }

    static boolean containsIgnoreCase(String haystack, String needle) {
        return haystack != null && needle != null
                && haystack.toLowerCase(java.util.Locale.ROOT).contains(needle.toLowerCase(java.util.Locale.ROOT));
    }
}
