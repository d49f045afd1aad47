package dev.switchboard.mcp;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.workspace.UpstreamRequest;
import dev.switchboard.workspace.WorkspaceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asks before an operation that deletes or sends in bulk (the contract's {@code x-confirm}): a client that can ask its
 * user (elicitation declared: multi round-trip in the stateless era, a request in the session in the handshake era) gets
 * the question with the count it will affect, and the call goes on only when the user accepts. The answer counts only for the arguments it was asked about: the question's state
 * carries their digest, and the edge binds that state to the caller and organization. A client that cannot ask is
 * served as before.
 */
@Singleton
class Confirmations {

    /** The key of the question in inputRequests and inputResponses. */
    static final String KEY = "confirm";
    /** How many pages of a list a count reads at most. */
    private static final int MAX_PAGES = 20;

    private final WorkspaceClient workspace;
    private final OperationCatalog catalog;
    private final ObjectMapper mapper;

    Confirmations(WorkspaceClient workspace, OperationCatalog catalog, ObjectMapper mapper) {
        this.workspace = workspace;
        this.catalog = catalog;
        this.mapper = mapper;
    }

    /** Completes when the call may go on; fails with the question, or with the refusal when the user declined. */
    Uni<Void> confirmed(ClientQuestion asking, Caller caller, Operation operation, Map<String, Object> request) {
        if (operation.confirms().isEmpty() || !asking.canAsk()) {
            return Uni.createFrom().voidItem();
        }
        String digest = digest(operation, request);
        InputRound round = asking.round();
        if (round.answered(KEY) && digest.equals(round.state().getString("arguments"))) {
            return decided(operation, round.answer(KEY));
        }
        String what = operation.confirms().get();
        return count(caller, operation, request).flatMap(count -> {
            String organization = caller.organization().name() + " (" + caller.organization().id() + ")";
            String message = switch (operation.name()) {
                case "campaigns_send" -> "Send campaign " + request.get("campaignId") + " now to " + count + " " + what
                        + " in " + organization + "? It cannot be unsent.";
                default -> operation.title() + " in " + organization + ": " + count + " " + what
                        + " will be affected. It cannot be undone. Go ahead?";
            };
            JsonObject question = new JsonObject().put("method", "elicitation/create").put("params", new JsonObject()
                    .put("message", message)
                    .put("requestedSchema", new JsonObject().put("type", "object")
                            .put("properties", new JsonObject().put(KEY, new JsonObject().put("type", "boolean")
                                    .put("title", "Confirm").put("description", count + " " + what)))
                            .put("required", new JsonArray().add(KEY))));
            return asking.ask(KEY, question, new JsonObject().put("arguments", digest).put("count", count))
                    .flatMap(answer -> decided(operation, answer));
        });
    }

    private static Uni<Void> decided(Operation operation, JsonObject answer) {
        boolean yes = "accept".equals(answer.getValue("action")) && answer.getValue("content") instanceof JsonObject content
                && Boolean.TRUE.equals(content.getValue(KEY));
        return yes ? Uni.createFrom().voidItem() : Uni.createFrom().failure(ToolFailure.invalid("Nothing was done: "
                + operation.name() + " was not confirmed. Call it again to be asked again."));
    }

    /** How many of the operation's objects the call would affect, read from the workspace as the caller. */
    private Uni<Long> count(Caller caller, Operation operation, Map<String, Object> request) {
        return switch (operation.name()) {
            case "contacts_bulk_delete" -> Uni.createFrom().item(request.get("ids") instanceof List<?> ids ? (long) ids.size() : 0L);
            case "contacts_deduplicate" -> page(caller, "contacts_duplicates_list", null, 0, group -> {
                long removed = group.path("contacts").size() - 1L;
                return Math.max(removed, 0);
            });
            case "campaigns_send" -> read(caller, "campaigns_get", Map.of("campaignId", request.get("campaignId")))
                    .flatMap(campaign -> {
                        String segment = campaign.path("segmentId").asText(null);
                        return segment == null ? Uni.createFrom().item(0L)
                                : page(caller, "segments_list", null, 0, item -> segment.equals(item.path("id").asText())
                                        ? item.path("contactCount").asLong() : 0L);
                    });
            default -> throw new IllegalStateException("x-confirm on " + operation.name() + ", which has no count");
        };
    }

    /** The sum of {@code each} over a list's items, page after page. */
    private Uni<Long> page(Caller caller, String list, String cursor, int pages, java.util.function.ToLongFunction<JsonNode> each) {
        Map<String, Object> arguments = new java.util.HashMap<>(Map.of("limit", 100));
        if (cursor != null) {
            arguments.put("cursor", cursor);
        }
        return read(caller, list, arguments).flatMap(answer -> {
            long sum = 0;
            for (JsonNode item : answer.path("items")) {
                sum += each.applyAsLong(item);
            }
            String next = answer.path("nextCursor").asText(null);
            if (next == null || pages + 1 >= MAX_PAGES) {
                return Uni.createFrom().item(sum);
            }
            long sofar = sum;
            return page(caller, list, next, pages + 1, each).map(rest -> sofar + rest);
        });
    }

    private Uni<JsonNode> read(Caller caller, String operation, Map<String, Object> arguments) {
        return workspace.relay(UpstreamRequest.of(catalog.require(operation), caller.credentials().authorization(),
                caller.organization().id(), arguments)).map(bytes -> {
                    try {
                        return mapper.readTree(bytes);
                    } catch (IOException e) {
                        throw new IllegalStateException("an answer of " + operation + " that is not JSON", e);
                    }
                });
    }

    /** The arguments the question is about, as a digest (the state a client carries holds no argument itself). */
    private String digest(Operation operation, Map<String, Object> request) {
        try {
            byte[] canonical = mapper.writeValueAsBytes(new Object[] { operation.name(), new TreeMap<>(request) });
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
