package dev.switchboard.mcp;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.ArgumentShapes;
import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.catalog.SchemaValidator;
import dev.switchboard.catalog.Violation;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.contract.model.Mailbox;
import dev.switchboard.lifecycle.Drain;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.workspace.UpstreamRequest;
import dev.switchboard.workspace.WorkspaceClient;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * Runs one catalog operation for an admitted caller, the same way whether it is called as its own tool or through
 * run_operation: brings the arguments to the contract's shape and checks them, chooses the mailbox, makes the write
 * repeatable, relays the call (following jobs to their end) and fits the result to the budget. Everything that does not
 * change per call (validators, which operations accept no arguments) is prepared at start-up.
 */
@Singleton
class OperationRunner {

    private final WorkspaceClient workspace;
    private final JobFollower jobs;
    private final ResultBudget budget;
    private final PageCursors cursors;
    private final Drain drain;
    private final ObjectReader reader;
    private final Map<String, Checks> checks;
    /** Operations that answer a job (jobs_get, jobs_cancel): its type names the operation that started it. */
    private final java.util.Set<String> answersAJob;

    /** What checking one operation's arguments needs, compiled once. */
    private record Checks(SchemaValidator arguments, boolean acceptsNoArguments, Optional<SchemaValidator> accountId) {
    }

    private final Confirmations confirmations;

    OperationRunner(WorkspaceClient workspace, JobFollower jobs, ResultBudget budget, PageCursors cursors, Drain drain,
            OperationCatalog catalog, ObjectMapper mapper, Confirmations confirmations) {
        this.confirmations = confirmations;
        this.workspace = workspace;
        this.cursors = cursors;
        this.jobs = jobs;
        this.budget = budget;
        this.drain = drain;
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        ObjectNode job = catalog.componentSchema("Job");
        this.answersAJob = catalog.all().stream().filter(op -> !op.job() && op.responseSchema().equals(job))
                .map(Operation::name).collect(Collectors.toUnmodifiableSet());
        this.checks = catalog.all().stream().collect(Collectors.toUnmodifiableMap(Operation::name, op -> new Checks(
                SchemaValidator.of(op.validationSchema()),
                !op.validationSchema().has("required") && !op.validationSchema().has("anyOf"),
                op.parameter(Operation.ACCOUNT_ID).map(p -> SchemaValidator.of(p.schema(), "The x-account-id header")))));
    }

    /** @param fieldPrefix put in front of argument names in messages ({@code arguments.} for run_operation) */
    Uni<Reply> run(ToolCall call, Operation operation, Map<String, Object> given, String fieldPrefix) {
        Map<String, Object> arguments = validated(operation, given, fieldPrefix);
        ClientQuestion asking = ClientQuestion.of(call.protocol());
        if (operation.job() && asking.round().taskOffered()) {
            // a client that follows tasks gets one for a long operation, instead of a request held open to its end
            throw InputNeeded.runsAsTask();
        }
        Optional<String> idempotencyKey = idempotencyKey(operation, arguments);
        if (operation.job() && drain.draining()) {
            throw new ToolFailure(ToolOutcome.OVERLOADED, "This gateway replica is shutting down and takes no new long "
                    + "operations; " + operation.name() + " was not started. Call again: another replica will take it.");
        }
        Map<String, Object> request = new HashMap<>(arguments);
        request.remove(Operation.IDEMPOTENCY_KEY_ARGUMENT);
        Caller caller = call.caller();
        return confirmations.confirmed(asking, caller, operation, request).chain(() -> mailbox(call, asking, operation, request)).flatMap(mailbox -> {
            mailbox.ifPresent(id -> request.put(Operation.ACCOUNT_ID, id));
            Optional<PageCursors.Binding> binding = operation.paginated()
                    ? Optional.of(cursors.binding(operation.name(), caller,
                            operation.organizationScoped() ? caller.organizationIfKnown() : Optional.empty(), mailbox, request))
                    : Optional.empty();
            // a cursor of this gateway says where the list resumes; it is refused when it continues another list
            Optional<PageCursors.Position> resumed = binding.flatMap(b -> cursors.decode(b, request.remove("cursor")));
            resumed.ifPresent(position -> {
                if (position.upstreamCursor() != null) {
                    request.put("cursor", position.upstreamCursor());
                }
                if (position.limit() != null) {
                    request.put("limit", position.limit());
                }
            });
            Integer limit = request.get("limit") instanceof Number number ? number.intValue() : null;
            PageCursors.Position page = resumed.orElseGet(() -> new PageCursors.Position(null, 0, limit));
            UpstreamRequest upstream = new UpstreamRequest(operation, caller.credentials().authorization(),
                    Optional.ofNullable(operation.organizationScoped() ? caller.organization().id() : null), request,
                    idempotencyKey);
            // a call still waiting when the drain time is up is answered then, with the key that makes its retry safe
            Uni<byte[]> result = drain.bounded(workspace.relay(upstream));
            if (operation.job()) {
                result = result.flatMap(started -> jobs.follow(call, operation, idempotencyKey, started));
            } else if (answersAJob.contains(operation.name())) {
                result = result.map(jobs::shown);
            }
            String listField = operation.listField().orElse("items");
            List<String> aliases = PageCursors.aliases(operation);
            return result.map(body -> {
                byte[] shown = page.skip() > 0 ? skip(body, listField, page.skip()) : body;
                if (binding.isPresent()) {
                    shown = cursors.relay(shown, binding.get(), aliases);
                }
                Reply reply = mailbox.map(Reply.of(shown)::withMailbox).orElse(Reply.of(shown));
                return budget.fit(listField, reply, binding.<ResultBudget.Continuation> map(b -> (answer, kept) -> cursors.setNext(answer, b,
                        new PageCursors.Position(page.upstreamCursor(), page.skip() + kept, page.limit()), aliases)));
            });
        }).onFailure(failure -> !(failure instanceof ToolFailure) && !(failure instanceof Failures.OfOperation))
                .transform(failure -> new Failures.OfOperation(failure, operation, idempotencyKey, Optional.empty()));
    }

    /** The arguments in the contract's shape, checked against its schema; a tool error naming the field otherwise. */
    private Map<String, Object> validated(Operation operation, Map<String, Object> given, String fieldPrefix) {
        ArgumentShapes.Normalized shaped = ArgumentShapes.normalize(operation, given, fieldPrefix);
        if (!shaped.valid()) {
            throw invalid(operation, shaped.violations());
        }
        Checks check = checks.get(operation.name());
        if (shaped.arguments().isEmpty() && check.acceptsNoArguments()) {
            return shaped.arguments();
        }
        List<Violation> violations = check.arguments().validate(new JsonObject(shaped.arguments()));
        if (!violations.isEmpty()) {
            throw invalid(operation, violations.stream()
                    .map(v -> fieldPrefix.isEmpty() ? v : new Violation(v.field(),
                            v.message().replaceFirst("^'", "'" + fieldPrefix), v.allowed()))
                    .toList());
        }
        return shaped.arguments();
    }

    private static ToolFailure invalid(Operation operation, List<Violation> violations) {
        return ToolFailure.invalid("Invalid arguments for " + operation.name() + ": "
                + violations.stream().map(Violation::message).collect(Collectors.joining(" "))
                + " No call was made; correct the arguments and call again.");
    }

    /** The idempotency key a write will carry: the caller's, or one made for this call. */
    private static Optional<String> idempotencyKey(Operation operation, Map<String, Object> arguments) {
        if (!operation.acceptsIdempotencyKey()) {
            return Optional.empty();
        }
        Object given = arguments.get(Operation.IDEMPOTENCY_KEY_ARGUMENT);
        return Optional.of(given instanceof String key && !key.isBlank() ? key : "sbk-" + UUID.randomUUID());
    }

    private byte[] skip(byte[] page, String field, int skip) {
        try {
            ObjectNode copy = (ObjectNode) reader.readTree(page);
            ArrayNode rest = JsonNodeFactory.instance.arrayNode();
            JsonNode items = copy.path(field);
            for (int i = skip; i < items.size(); i++) {
                rest.add(items.get(i));
            }
            copy.set(field, rest);
            return copy.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException | ClassCastException e) {
            throw new IllegalStateException("a list answer that is not a JSON object", e);
        }
    }

    /** The key of the question that asks the client which mailbox to use. */
    static final String MAILBOX_CHOICE = "mailbox";

    /**
     * The mailbox of an inbox operation: the accountId argument, the x-account-id header, the only mailbox, or, when
     * there are several and the client can ask its user (stateless era), the one the user chooses.
     */
    private Uni<Optional<String>> mailbox(ToolCall call, ClientQuestion asking, Operation operation, Map<String, Object> arguments) {
        if (!operation.inbox()) {
            return Uni.createFrom().item(Optional.empty());
        }
        if (arguments.get(Operation.ACCOUNT_ID) instanceof String given && !given.isBlank()) {
            return Uni.createFrom().item(Optional.of(given));
        }
        Caller caller = call.caller();
        Optional<String> header = caller.credentials().accountId();
        if (header.isPresent()) {
            // the header reaches the same URL as the argument: it gets the same check
            List<Violation> violations = new java.util.ArrayList<>(ArgumentShapes.checkText(RequestHeader.ACCOUNT_ID.wireName(), header.get()));
            checks.get(operation.name()).accountId().ifPresent(v -> violations.addAll(v.validate(header.get())));
            if (!violations.isEmpty()) {
                throw ToolFailure.invalid("The x-account-id header is not a mailbox id: " + violations.get(0).message()
                        .replace("The x-account-id header", "it") + " Send the mailbox's address (for example as listed "
                        + "by inbox_accounts_list), or pass accountId.");
            }
            return Uni.createFrom().item(header);
        }
        return workspace.mailboxes(caller.credentials().authorization(), caller.organization().id()).flatMap(list -> {
            List<Mailbox> mailboxes = list.getAccounts() == null ? List.of() : list.getAccounts();
            if (mailboxes.size() == 1) {
                return Uni.createFrom().item(Optional.of(mailboxes.get(0).getId()));
            }
            if (mailboxes.isEmpty()) {
                throw ToolFailure.invalid(caller.organization().name() + " (" + caller.organization().id()
                        + ") has no mailbox, so " + operation.name() + " cannot be used here. Switch to an "
                        + "organization with a mailbox (organizations_list, organizations_switch).");
            }
            String choices = mailboxes.stream().map(m -> m.getId() + " (" + m.getKind() + ")").collect(Collectors.joining(", "));
            java.util.function.Function<JsonObject, Optional<String>> chosen = answer -> {
                Object choice = answer.getValue("content") instanceof JsonObject content ? content.getValue(Operation.ACCOUNT_ID) : null;
                if ("accept".equals(answer.getValue("action")) && mailboxes.stream().anyMatch(m -> m.getId().equals(choice))) {
                    return Optional.of((String) choice);
                }
                throw ToolFailure.invalid("No mailbox was chosen, so nothing was done. " + caller.organization().name()
                        + "'s mailboxes: " + choices + "; pass accountId to choose one.");
            };
            if (asking.round().answered(MAILBOX_CHOICE)) {
                return Uni.createFrom().item(chosen.apply(asking.round().answer(MAILBOX_CHOICE)));
            }
            if (asking.canAsk()) {
                // a client that can ask its user gets the question instead of an error to read and retry
                io.vertx.core.json.JsonArray ids = new io.vertx.core.json.JsonArray();
                mailboxes.forEach(m -> ids.add(m.getId()));
                JsonObject question = new JsonObject().put("method", "elicitation/create").put("params", new JsonObject()
                        .put("message", caller.organization().name() + " has " + mailboxes.size() + " mailboxes: " + choices
                                + ". Which one should " + operation.name() + " use?")
                        .put("requestedSchema", new JsonObject().put("type", "object")
                                .put("properties", new JsonObject().put(Operation.ACCOUNT_ID, new JsonObject()
                                        .put("type", "string").put("title", "Mailbox").put("enum", ids)))
                                .put("required", new io.vertx.core.json.JsonArray().add(Operation.ACCOUNT_ID))));
                return asking.ask(MAILBOX_CHOICE, question, new JsonObject()).map(chosen);
            }
            throw ToolFailure.invalid(caller.organization().name() + " has " + mailboxes.size()
                    + " mailboxes; pass accountId to choose one: " + choices + ". (Clients can also send the x-account-id header.)");
        });
    }
}
