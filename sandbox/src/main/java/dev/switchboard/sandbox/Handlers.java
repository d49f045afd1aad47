package dev.switchboard.sandbox;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The sandbox's operation handlers, one group per contract tag, and the helpers they share. A handler acts on the
 * world its request carries (the directory and the organization's state), starts long work on the job runner and
 * reads the time from the clock; it knows nothing of HTTP or of the API that dispatches to it.
 */
abstract class Handlers {

    protected final Jobs jobs;
    protected final Clock clock;

    Handlers(Jobs jobs, Clock clock) {
        this.jobs = jobs;
        this.clock = clock;
    }

    /** Registers this group's handlers by operationId. */
    abstract void register(Map<String, OperationHandler> handlers);

    static Map<String, OperationHandler> all(Jobs jobs, Clock clock) {
        Map<String, OperationHandler> handlers = new HashMap<>();
        for (Handlers group : List.of(new IdentityHandlers(jobs, clock), new AgentHandlers(jobs, clock),
                new ContactHandlers(jobs, clock), new ConversationHandlers(jobs, clock), new WorkflowHandlers(jobs, clock),
                new CampaignHandlers(jobs, clock), new CrmHandlers(jobs, clock), new ToolHandlers(jobs, clock),
                new InboxHandlers(jobs, clock), new AnalyticsHandlers(jobs, clock), new InsightHandlers(jobs, clock),
                new JobHandlers(jobs, clock))) {
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

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withNano(0);
    }

    LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    static boolean containsIgnoreCase(String haystack, String needle) {
        return haystack != null && needle != null
                && haystack.toLowerCase(java.util.Locale.ROOT).contains(needle.toLowerCase(java.util.Locale.ROOT));
    }
}
