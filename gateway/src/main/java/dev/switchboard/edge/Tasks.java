package dev.switchboard.edge;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.cluster.Cancellations;
import dev.switchboard.config.McpProtocol;
import dev.switchboard.tenancy.StateStore;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Tasks (the stateless era's tasks extension): a call that would rather not hold its client's request open (a long
 * workspace operation, or one that asks its client for input while it runs) answers with a task, which the client
 * follows with tasks/get, answers with tasks/update and stops with tasks/cancel, on any replica.
 *
 * <p>A task lives in the state store, bound to its caller (the keyed digest of the credentials and organization headers
 * that created it): its record while it runs or waits for input, its end (first writer wins, so a cancellation and a
 * completion cannot both stand), and the lease its runner renews while the call runs. The call itself runs on the
 * replica that created or resumed the task, as the same session-less request any stateless call becomes, so tenancy,
 * idempotency and the envelope are those of every call; a call that asks for input parks the task until tasks/update
 * brings every answer, then runs again with them. A task whose runner stopped (its lease lapsed) is reported failed,
 * with what to do, instead of working forever.
 */
@Singleton
class Tasks {

    private static final Logger LOG = Logger.getLogger(Tasks.class);

    /** How long a task is kept after it was created, and what its answers say. */
    static final Duration TIME_TO_LIVE = Duration.ofHours(1);
    /** How often a client should poll a running task. */
    static final long POLL_INTERVAL_MILLIS = 500;
    /** The runner renews its lease this often; a lease three times as long survives two missed renewals. */
    private static final Duration LEASE_RENEWAL = Duration.ofSeconds(10);
    private static final Duration LEASE = LEASE_RENEWAL.multipliedBy(3);
    private static final String PURPOSE = "task";

    /**
     * Runs a task's call (the session-less tools/call it stands for) with the caller's headers. A run is not stopped
     * when its task is cancelled (resetting a pooled loopback request can break the connection it shares): its answer
     * then arrives after the task's end and is dropped, and a workspace job it follows is cancelled by the cancellation
     * every replica hears.
     */
    @FunctionalInterface
    interface Runner {
        Future<JsonObject> run(JsonObject call);
    }

    private final StateStore store;
    private final CallerBinding callers;
    private final Cancellations cancellations;
    private final Vertx vertx;

    Tasks(StateStore store, CallerBinding callers, Cancellations cancellations, Vertx vertx) {
        this.store = store;
        this.callers = callers;
        this.cancellations = cancellations;
        this.vertx = vertx;
    }

    /** Whether a request's client follows tasks. */
    static boolean followed(JsonObject meta) {
        return meta != null && meta.getValue(McpProtocol.META_CLIENT_CAPABILITIES) instanceof JsonObject capabilities
                && capabilities.getValue("extensions") instanceof JsonObject extensions
                && extensions.containsKey(McpProtocol.TASKS_EXTENSION);
    }

    /** The error for a task method, or a tool that needs tasks, called by a client that does not follow them. */
    static JsonObject notFollowed(Object id, String what) {
        JsonObject error = Refusals.error(id, StatelessRequests.MISSING_CLIENT_CAPABILITY, "Missing required client "
                + "capability: " + what + " needs the tasks extension; declare extensions[\"" + McpProtocol.TASKS_EXTENSION
                + "\"] in params._meta." + McpProtocol.META_CLIENT_CAPABILITIES + ".");
        error.getJsonObject("error").put("data", new JsonObject().put("requiredCapabilities", new JsonObject()
                .put("extensions", new JsonObject().put(McpProtocol.TASKS_EXTENSION, new JsonObject()))));
        return error;
    }

    /**
     * Makes a task of a call that asked to run as one, and answers with it once it is stored (a tasks/get right after
     * finds it), then runs the call in it.
     *
     * @param call the session-less tools/call, as relayed, with the input it was offered the task with
     */
    void create(RoutingContext ctx, Object id, JsonObject call, Runner runner) {
        String taskId = "task_" + UUID.randomUUID().toString().replace("-", "");
        String owner = callers.of(ctx, PURPOSE);
        Instant now = Instant.now();
        JsonObject input = call.getJsonObject("params").getJsonObject("_meta").getJsonObject(McpProtocol.META_INPUT);
        JsonObject record = new JsonObject().put("status", "working").put("createdAt", now.toString())
                .put("lastUpdatedAt", now.toString()).put("call", call.copy())
                .put("capabilities", input.getValue("clientCapabilities"));
        store.write(owner, StateStore.Field.task("record", taskId), record.encode(), TIME_TO_LIVE)
                .chain(() -> lease(owner, taskId))
                .subscribe().with(stored -> {
                    send(ctx, 200, result(id, envelope(taskId, record).put("resultType", "task")));
                    // the call runs again in the task with what the round that made it was given (answers, state)
                    start(owner, taskId, record, input.getJsonObject("responses", new JsonObject()),
                            input.getJsonObject("state", new JsonObject()), runner);
                }, failure -> unavailable(ctx, id, failure));
    }

    /** tasks/get: the task as it stands, with its result or error once it ended. */
    void get(RoutingContext ctx, Object id, JsonObject params) {
        withTask(ctx, id, params, (owner, taskId, task) -> send(ctx, 200, result(id, detailed(taskId, task)
                .put("resultType", "complete"))));
    }

    /** tasks/update: the client's answers to what the task asked; once every question is answered, it runs again. */
    void update(RoutingContext ctx, Object id, JsonObject params, Runner runner) {
        if (!(params.getValue("inputResponses") instanceof JsonObject answers)) {
            send(ctx, 400, Refusals.error(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.inputResponses' must be an "
                    + "object of answers keyed as the task's inputRequests name them."));
            return;
        }
        withTask(ctx, id, params, (owner, taskId, task) -> {
            if (!"input_required".equals(task.getString("status"))) {
                send(ctx, 200, result(id, new JsonObject().put("resultType", "complete"))); // nothing asked: nothing to take
                return;
            }
            JsonObject pending = task.getJsonObject("inputRequests", new JsonObject());
            JsonObject responses = task.getJsonObject("responses", new JsonObject());
            answers.forEach(answer -> {
                if (pending.remove(answer.getKey()) != null) {
                    responses.put(answer.getKey(), answer.getValue());
                }
            });
            task.put("lastUpdatedAt", Instant.now().toString()).put("responses", responses);
            boolean complete = pending.isEmpty();
            if (complete) {
                task.put("status", "working").remove("inputRequests");
            } else {
                task.put("inputRequests", pending);
            }
            // the lease first: a working task without a lease reads as one whose replica stopped
            (complete ? lease(owner, taskId) : Uni.createFrom().voidItem())
                    .chain(() -> store.write(owner, StateStore.Field.task("record", taskId), task.encode(), TIME_TO_LIVE))
                    .subscribe().with(written -> {
                        send(ctx, 200, result(id, new JsonObject().put("resultType", "complete")));
                        if (complete) {
                            start(owner, taskId, task, responses, task.getJsonObject("state", new JsonObject()), runner);
                        }
                    }, failure -> unavailable(ctx, id, failure));
        });
    }

    /** tasks/cancel: ends a task that has not ended (and its work: a workspace job is cancelled where it runs). */
    void cancel(RoutingContext ctx, Object id, JsonObject params) {
        withTask(ctx, id, params, (owner, taskId, task) -> {
            JsonObject ended = new JsonObject().put("status", "cancelled").put("lastUpdatedAt", Instant.now().toString())
                    .put("statusMessage", "Cancelled at the client's request.");
            end(owner, taskId, ended).subscribe().with(done -> {
                cancellations.cancel(Cancellations.TASKS, taskId);
                send(ctx, 200, result(id, new JsonObject().put("resultType", "complete")));
            }, failure -> unavailable(ctx, id, failure));
        });
    }

    /** What a task method does with the caller's task. */
    @FunctionalInterface
    private interface TaskAction {
        void on(String owner, String taskId, JsonObject task);
    }

    /** Finds the task a task method names, as its caller may see it, and acts on it; refuses the request otherwise. */
    private void withTask(RoutingContext ctx, Object id, JsonObject params, TaskAction action) {
        String taskId = taskId(ctx, id, params);
        if (taskId == null) {
            return;
        }
        String owner = callers.of(ctx, PURPOSE);
        read(owner, taskId).subscribe().with(found -> {
            if (found.isEmpty()) {
                unknown(ctx, id, taskId);
            } else {
                action.on(owner, taskId, found.get());
            }
        }, failure -> unavailable(ctx, id, failure));
    }

    /** Runs the task's call with the answers gathered so far, renewing its lease until the call answers. */
    private void start(String owner, String taskId, JsonObject task, JsonObject responses, JsonObject state, Runner runner) {
        JsonObject call = task.getJsonObject("call").copy().put("id", taskId);
        JsonObject input = new JsonObject().put("task", taskId).put("responses", responses).put("state", state)
                .put("clientCapabilities", task.getValue("capabilities"));
        call.getJsonObject("params").getJsonObject("_meta").put(McpProtocol.META_INPUT, input);
        Future<JsonObject> answer = runner.run(call);
        long renewal = vertx.setPeriodic(LEASE_RENEWAL.toMillis(), ignored -> lease(owner, taskId).subscribe().with(
                renewed -> {
                }, failure -> LOG.debugf("Task %s: its lease could not be renewed: %s", taskId, failure.getMessage())));
        answer.onComplete(answered -> {
            vertx.cancelTimer(renewal);
            settle(owner, taskId, task, answered.succeeded() ? answered.result() : null)
                    .subscribe().with(settled -> {
                    }, failure -> LOG.warnf("Task %s: its outcome could not be stored: %s", taskId, failure.getMessage()));
        });
    }

    /** Stores what the task's call answered: its end, or the questions it parks on. */
    private Uni<Void> settle(String owner, String taskId, JsonObject task, JsonObject reply) {
        String now = Instant.now().toString();
        if (reply != null && reply.getValue("result") instanceof JsonObject result
                && result.getValue("_meta") instanceof JsonObject meta
                && meta.getValue(McpProtocol.META_INPUT_REQUIRED) instanceof JsonObject asked) {
            JsonObject parked = task.copy().put("status", "input_required").put("lastUpdatedAt", now)
                    .put("inputRequests", asked.getJsonObject("inputRequests", new JsonObject()))
                    .put("state", asked.getJsonObject("state", new JsonObject())).put("responses", new JsonObject());
            return read(owner, taskId).chain(current -> current.isPresent() && isEnded(current.get())
                    ? Uni.createFrom().voidItem()
                    // the lease is left to lapse: deleting it could make a reader that saw the record still working
                    // take the task for one whose replica stopped
                    : store.write(owner, StateStore.Field.task("record", taskId), parked.encode(), TIME_TO_LIVE));
        }
        JsonObject ended = new JsonObject().put("lastUpdatedAt", now);
        if (reply != null && reply.getValue("result") instanceof JsonObject result) {
            result.remove("resultType");
            if (result.getValue("_meta") instanceof JsonObject meta) {
                meta.remove(McpProtocol.META_INPUT_REQUIRED);
                if (meta.isEmpty()) {
                    result.remove("_meta");
                }
            }
            ended.put("status", "completed").put("result", result.put("resultType", "complete"));
        } else if (reply != null && reply.getValue("error") instanceof JsonObject error) {
            ended.put("status", "failed").put("error", error);
        } else {
            ended.put("status", "failed").put("error", new JsonObject().put("code", -32603)
                    .put("message", "The task's call could not be served; call the tool again."));
        }
        return end(owner, taskId, ended).replaceWithVoid()
                .chain(() -> store.delete(owner, StateStore.Field.task("lease", taskId)));
    }

    /** Writes a task's end unless it already has one: the first end stands. */
    private Uni<Boolean> end(String owner, String taskId, JsonObject ended) {
        return store.writeIfAbsent(owner, StateStore.Field.task("end", taskId), ended.encode(), TIME_TO_LIVE);
    }

    private Uni<Void> lease(String owner, String taskId) {
        return store.write(owner, StateStore.Field.task("lease", taskId), "1", LEASE);
    }

    /**
     * The task as its caller may see it: its record with its end laid over it, or a failure when it was running and its
     * runner's lease lapsed (the replica stopped). Empty when the caller has no such task.
     */
    private Uni<Optional<JsonObject>> read(String owner, String taskId) {
        return store.read(owner, StateStore.Field.task("end", taskId)).chain(end -> store.read(owner,
                StateStore.Field.task("record", taskId)).chain(record -> {
                    if (record.isEmpty()) {
                        return Uni.createFrom().item(Optional.<JsonObject> empty());
                    }
                    JsonObject task = new JsonObject(record.get());
                    if (end.isPresent()) {
                        JsonObject ended = new JsonObject(end.get());
                        task.remove("inputRequests");
                        return Uni.createFrom().item(Optional.of(task.mergeIn(ended).put("ended", true)));
                    }
                    if (!"working".equals(task.getString("status"))) {
                        return Uni.createFrom().item(Optional.of(task));
                    }
                    return store.read(owner, StateStore.Field.task("lease", taskId)).chain(lease -> {
                        if (lease.isPresent()) {
                            return Uni.createFrom().item(Optional.of(task));
                        }
                        return store.read(owner, StateStore.Field.task("record", taskId)).chain(again -> {
                            if (again.isPresent() && !"working".equals(new JsonObject(again.get()).getString("status"))) {
                                return read(owner, taskId); // it parked or ended while this read was under way
                            }
                        JsonObject lost = new JsonObject().put("status", "failed").put("lastUpdatedAt", Instant.now().toString())
                                .put("error", new JsonObject().put("code", -32603).put("message", "The gateway replica "
                                        + "running this task stopped before it ended. A write may or may not have been made:"
                                        + " check before calling the tool again (with the same idempotencyKey, a write is "
                                        + "not made twice)."));
                        return end(owner, taskId, lost).chain(() -> read(owner, taskId));
                        });
                    });
                }));
    }

    private static boolean isEnded(JsonObject task) {
        return task.getBoolean("ended", false);
    }

    /** The task's fields every answer about it carries. */
    private static JsonObject envelope(String taskId, JsonObject task) {
        JsonObject shown = new JsonObject().put("taskId", taskId).put("status", task.getString("status"))
                .put("createdAt", task.getString("createdAt")).put("lastUpdatedAt", task.getString("lastUpdatedAt"))
                .put("ttlMs", TIME_TO_LIVE.toMillis());
        if (!isEnded(task)) {
            shown.put("pollIntervalMs", POLL_INTERVAL_MILLIS);
        }
        if (task.getValue("statusMessage") instanceof String message) {
            shown.put("statusMessage", message);
        }
        return shown;
    }

    private static JsonObject detailed(String taskId, JsonObject task) {
        JsonObject shown = envelope(taskId, task);
        switch (task.getString("status")) {
            case "input_required" -> shown.put("inputRequests", task.getJsonObject("inputRequests", new JsonObject()));
            case "completed" -> shown.put("result", task.getJsonObject("result"));
            case "failed" -> shown.put("error", task.getJsonObject("error"));
            default -> {
            }
        }
        return shown;
    }

    /** The task id a task method names, or null after refusing the request (absent, or not the Mcp-Name header's). */
    private static String taskId(RoutingContext ctx, Object id, JsonObject params) {
        if (!(params.getValue("taskId") instanceof String taskId) || taskId.isBlank()) {
            send(ctx, 400, Refusals.error(id, Refusals.INVALID_PARAMS, "Invalid params: 'params.taskId' must be the "
                    + "taskId a tools/call answered with."));
            return null;
        }
        return taskId;
    }

    private static void unknown(RoutingContext ctx, Object id, String taskId) {
        send(ctx, 200, Refusals.error(id, Refusals.INVALID_PARAMS, "Invalid params: no task "
                + dev.switchboard.observability.ClientText.echo(taskId) + " for this caller: it never existed, belongs to "
                + "another key or organization, or ended more than " + TIME_TO_LIVE.toMinutes() + " minutes ago."));
    }

    private static void unavailable(RoutingContext ctx, Object id, Throwable failure) {
        LOG.debugf("A task request could not reach the state store: %s", failure.getMessage());
        send(ctx, 503, Refusals.error(id, -32603, "Tasks are kept in the state store, which cannot be reached; retry in "
                + "a moment."));
    }

    private static JsonObject result(Object id, JsonObject result) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("result", result);
    }

    private static void send(RoutingContext ctx, int status, JsonObject reply) {
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(reply.encode());
        }
    }
}
