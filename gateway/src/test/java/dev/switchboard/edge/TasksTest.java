package dev.switchboard.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.Stateless;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/**
 * Tasks (the stateless era's tasks extension): a client that follows tasks gets one for a long workspace operation,
 * follows it to its result with tasks/get, can cancel it, and only its own caller can see it. A client that does not
 * follow tasks is served as before, and cannot call the task methods.
 */
@QuarkusTest
class TasksTest {

    private static final JsonObject TASKS = Stateless.canAskAndFollowTasks();

    private static JsonObject longOperation() {
        return Stateless.runOperation("insights_run_all", new JsonObject());
    }

    @Test
    void discoverDeclaresTheExtension() {
        JsonObject discovered = Stateless.call(Gateway.ALICE, "server/discover", new JsonObject(), new JsonObject());
        assertThat(discovered.getJsonObject("result").getJsonObject("capabilities").getJsonObject("extensions")
                .containsKey("io.modelcontextprotocol/tasks")).isTrue();
    }

    @Test
    void aLongOperationBecomesATaskThatEndsWithItsResult() throws Exception {
        JsonObject created = Stateless.call(Gateway.ALICE, "tools/call", longOperation(), TASKS).getJsonObject("result");
        assertThat(created.getString("resultType")).isEqualTo("task");
        assertThat(created.getString("status")).isEqualTo("working");
        String taskId = created.getString("taskId");
        JsonObject task = awaitEnd(Gateway.ALICE, taskId);
        assertThat(task.getString("status")).isEqualTo("completed");
        assertThat(task.getString("resultType")).isEqualTo("complete");
        JsonObject result = task.getJsonObject("result");
        assertThat(result.getBoolean("isError")).isFalse();
        assertThat(result.getJsonObject("structuredContent").getJsonObject("organization").getString("id")).isEqualTo("org_acme");
        assertThat(result.getJsonObject("structuredContent").getJsonObject("result").getString("status")).isEqualTo("succeeded");
        // bound to its caller: another key, or the same key naming another organization, does not find it
        assertThat(Stateless.call(Gateway.BOB, "tasks/get", new JsonObject().put("taskId", taskId), TASKS)
                .getJsonObject("error").getInteger("code")).isEqualTo(-32602);
        assertThat(Stateless.call(Gateway.ALICE, "tasks/get", new JsonObject().put("taskId", taskId), TASKS,
                java.util.Map.of("X-Company-ID", "org_globex")).getJsonObject("error").getInteger("code")).isEqualTo(-32602);
    }

    @Test
    void aCancelledTaskStaysCancelled() throws Exception {
        String taskId = Stateless.call(Gateway.ALICE, "tools/call", longOperation(), TASKS).getJsonObject("result")
                .getString("taskId");
        // the same operation, started at the same time and left to run: once it has ended, the cancelled one would have
        String sibling = Stateless.call(Gateway.ALICE, "tools/call", longOperation(), TASKS).getJsonObject("result")
                .getString("taskId");
        JsonObject ack = Stateless.call(Gateway.ALICE, "tasks/cancel", new JsonObject().put("taskId", taskId), TASKS)
                .getJsonObject("result");
        assertThat(ack.fieldNames()).containsExactly("resultType");
        assertThat(awaitEnd(Gateway.ALICE, sibling).getString("status")).isEqualTo("completed");
        // the job's own end, which has come, did not replace the cancellation
        assertThat(get(Gateway.ALICE, taskId).getString("status")).isEqualTo("cancelled");
    }

    @Test
    void aClientThatDoesNotFollowTasksIsServedAsBefore() {
        JsonObject followed = Stateless.call(Gateway.ALICE, "tools/call", longOperation(), Stateless.canAsk()).getJsonObject("result");
        assertThat(followed.getString("resultType")).isEqualTo("complete");
        assertThat(followed.containsKey("taskId")).isFalse();
        JsonObject refused = Stateless.call(Gateway.ALICE, "tasks/get", new JsonObject().put("taskId", "task_x"), new JsonObject());
        assertThat(refused.getJsonObject("error").getInteger("code")).isEqualTo(-32021);
        assertThat(refused.getJsonObject("error").getJsonObject("data").encode()).contains("io.modelcontextprotocol/tasks");
        // a short operation stays a plain call for a client that follows tasks
        JsonObject quick = Stateless.call(Gateway.ALICE, "tools/call", Stateless.runOperation("contacts_list",
                new JsonObject().put("limit", 1)), TASKS).getJsonObject("result");
        assertThat(quick.getString("resultType")).isEqualTo("complete");
    }

    private static JsonObject get(String key, String taskId) {
        return Stateless.call(key, "tasks/get", new JsonObject().put("taskId", taskId), TASKS).getJsonObject("result");
    }

    static JsonObject awaitEnd(String key, String taskId) {
        // each look is a tasks/get the gateway serves and logs: not every 5 ms
        return await().pollInterval(Duration.ofMillis(50)).until(() -> get(key, taskId),
                task -> !"working".equals(task.getString("status")));
    }
}
