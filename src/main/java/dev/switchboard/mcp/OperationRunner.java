package dev.switchboard.mcp;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.catalog.SchemaValidator;
import dev.switchboard.catalog.Violation;
import dev.switchboard.tenancy.Tenancy;
import dev.switchboard.workspace.UpstreamRequest;
import dev.switchboard.workspace.WorkspaceClient;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Runs one catalog operation for an admitted caller, the same way whether it is called as its own tool or through
 * run_operation: validates the arguments against the contract, chooses the mailbox, makes the write repeatable,
 * calls the Workspace API (following jobs to their end) and fits the result to the budget.
 */
@ApplicationScoped
class OperationRunner {

    /**
     * What a call is doing, for its error message.
     *
     * @param sent upstream attempts that went out; shared with the call's requests
     */
    record Attempt(Operation operation, Optional<String> idempotencyKey, java.util.concurrent.atomic.AtomicInteger sent) {

        Attempt(Operation operation, Optional<String> idempotencyKey) {
            this(operation, idempotencyKey, new java.util.concurrent.atomic.AtomicInteger());
        }

        /** Something went out, so a failed write may have happened anyway. */
        boolean reachedUpstream() {
            return sent.get() > 0;
        }
    }

    private final WorkspaceClient workspace;
    private final JobFollower jobs;
    private final ResultBudget budget;
    private final Operation mailboxes;
    private final Map<String, SchemaValidator> validators;

    OperationRunner(WorkspaceClient workspace, JobFollower jobs, ResultBudget budget, OperationCatalog catalog) {
        this.workspace = workspace;
        this.jobs = jobs;
        this.budget = budget;
        this.mailboxes = catalog.require("inbox_accounts_list");
        this.validators = catalog.all().stream()
                .collect(Collectors.toUnmodifiableMap(Operation::name, op -> SchemaValidator.of(op.inputSchema())));
    }

    /** Checks arguments against the operation's input schema; field names are prefixed with {@code fieldPrefix}. */
    void validate(Operation operation, Map<String, Object> arguments, String fieldPrefix) {
        List<Violation> violations = validators.get(operation.name()).validate(new JsonObject(arguments));
        if (!violations.isEmpty()) {
            String details = violations.stream()
                    .map(v -> fieldPrefix.isEmpty() ? v.message() : v.message().replaceFirst("^'", "'" + fieldPrefix))
                    .collect(Collectors.joining(" "));
            throw ToolFailure.invalid("Invalid arguments for " + operation.name() + ": " + details
                    + " No call was made; correct the arguments and call again.");
        }
    }

    /** The idempotency key a write will carry: the caller's, or one made for this call. */
    Optional<String> idempotencyKey(Operation operation, Map<String, Object> arguments) {
        if (!operation.acceptsIdempotencyKey()) {
            return Optional.empty();
        }
        Object given = arguments.get(Operation.IDEMPOTENCY_KEY_ARGUMENT);
        return Optional.of(given instanceof String key && !key.isBlank() ? key : "sbk-" + UUID.randomUUID());
    }

    Uni<Reply> run(Tenancy.Caller caller, Attempt attempt, Map<String, Object> validated, ToolArguments call) {
        Operation operation = attempt.operation();
        Map<String, Object> arguments = new HashMap<>(validated);
        arguments.remove(Operation.IDEMPOTENCY_KEY_ARGUMENT);
        Optional<ResultBudget.Continuation> continuation = operation.paginated()
                ? budget.decode(operation.name(), arguments.get("cursor"))
                : Optional.empty();
        continuation.ifPresent(c -> {
            arguments.put("cursor", c.upstreamCursor());
            if (c.limit() != null) {
                arguments.put("limit", c.limit());
            }
        });
        Integer limit = arguments.get("limit") instanceof Number number ? number.intValue() : null;
        ResultBudget.Continuation page = continuation.orElseGet(
                () -> new ResultBudget.Continuation((String) arguments.get("cursor"), 0, limit));

        return mailbox(caller, operation, arguments).flatMap(mailbox -> {
            mailbox.ifPresent(id -> arguments.put(Operation.ACCOUNT_ID, id));
            UpstreamRequest request = new UpstreamRequest(operation, caller.headers().authorization(),
                    Optional.ofNullable(operation.organizationScoped() ? caller.organization().id() : null),
                    arguments, attempt.idempotencyKey(), attempt.sent());
            Uni<JsonNode> result = workspace.execute(request);
            if (operation.job()) {
                result = result.flatMap(job -> jobs.follow(caller, operation, job, call));
            }
            return result.map(body -> {
                JsonNode shown = page.skip() > 0 ? skip(body, operation.listField().orElse("items"), page.skip()) : body;
                Reply reply = Reply.of(shown);
                return budget.fit(operation, mailbox.map(reply::withMailbox).orElse(reply), page);
            });
        });
    }

    private static JsonNode skip(JsonNode page, String field, int skip) {
        ObjectNode copy = page.deepCopy();
        ArrayNode rest = JsonNodeFactory.instance.arrayNode();
        JsonNode items = page.path(field);
        for (int i = skip; i < items.size(); i++) {
            rest.add(items.get(i));
        }
        copy.set(field, rest);
        return copy;
    }

    /** The mailbox of an inbox operation: the accountId argument, the x-account-id header, or the only mailbox. */
    private Uni<Optional<String>> mailbox(Tenancy.Caller caller, Operation operation, Map<String, Object> arguments) {
        if (!operation.inbox()) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (arguments.get(Operation.ACCOUNT_ID) instanceof String given && !given.isBlank()) {
            return Uni.createFrom().item(Optional.of(given));
        }
        if (caller.headers().accountId().isPresent()) {
            return Uni.createFrom().item(caller.headers().accountId());
        }
        return workspace.execute(UpstreamRequest.of(mailboxes, caller.headers().authorization(), caller.organization().id(), Map.of()))
                .map(list -> {
                    JsonNode items = list.path("accounts");
                    if (items.size() == 1) {
                        return Optional.of(items.get(0).path("id").asText());
                    }
                    if (items.isEmpty()) {
                        throw ToolFailure.invalid(caller.organization().name() + " (" + caller.organization().id()
                                + ") has no mailbox, so " + operation.name() + " cannot be used here. Switch to an "
                                + "organization with a mailbox (organizations_list, organizations_switch).");
                    }
                    StringBuilder choices = new StringBuilder();
                    items.forEach(m -> choices.append(choices.isEmpty() ? "" : ", ").append(m.path("id").asText())
                            .append(" (").append(m.path("kind").asText()).append(')'));
                    throw ToolFailure.invalid(caller.organization().name() + " has " + items.size()
                            + " mailboxes; pass accountId to choose one: " + choices
                            + ". (Clients can also send the x-account-id header.)");
                });
    }
}
