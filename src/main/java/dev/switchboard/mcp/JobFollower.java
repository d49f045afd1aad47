package dev.switchboard.mcp;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.Tenancy;
import dev.switchboard.workspace.UpstreamRequest;
import dev.switchboard.workspace.WorkspaceClient;
import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.McpLog;
import io.quarkiverse.mcp.server.Progress;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Follows a backend job to its end: polls it, sends MCP progress notifications as it advances and client log messages
 * when its state changes, cancels it when the client cancels the call, and gives up (cancelling it) after
 * MCP_JOB_TIMEOUT_SECONDS. Each poll is an ordinary upstream request with its own timeout.
 */
@ApplicationScoped
class JobFollower {

    private final WorkspaceClient workspace;
    private final GatewayMetrics metrics;
    private final Operation jobsGet;
    private final Operation jobsCancel;
    private final Duration pollInterval;
    private final Duration jobTimeout;

    JobFollower(WorkspaceClient workspace, GatewayMetrics metrics, OperationCatalog catalog, GatewayConfig config) {
        this.workspace = workspace;
        this.metrics = metrics;
        this.jobsGet = catalog.require("jobs_get");
        this.jobsCancel = catalog.require("jobs_cancel");
        this.pollInterval = Duration.ofMillis(config.jobPollMillis());
        this.jobTimeout = Duration.ofSeconds(config.jobTimeoutSeconds());
    }

    Uni<JsonNode> follow(Tenancy.Caller caller, Operation operation, JsonNode started, ToolArguments call) {
        String jobId = started.path("id").asText();
        Progress progress = call.progress();
        McpLog log = call.log();
        Cancellation cancellation = call.cancellation();
        long startedAt = System.nanoTime();
        long deadline = startedAt + jobTimeout.toNanos();
        AtomicReference<Double> lastProgress = new AtomicReference<>(-1.0);
        AtomicReference<String> lastStatus = new AtomicReference<>("");
        metrics.jobStarted();
        log.info("%s started as job %s", operation.name(), jobId);

        Uni<JsonNode> poll = Uni.createFrom().deferred(() -> {
            if (cancellation.check().isRequested()) {
                return cancel(caller, jobId).invoke(() -> log.info("Job %s cancelled at the client's request", jobId))
                        .flatMap(ignored -> Uni.createFrom().failure(new Cancellation.OperationCancellationException()));
            }
            if (System.nanoTime() > deadline) {
                return cancel(caller, jobId).flatMap(ignored -> Uni.createFrom().failure(new ToolFailure(ToolOutcome.TIMEOUT,
                        "Job " + jobId + " of " + operation.name() + " did not finish within " + jobTimeout.toSeconds()
                                + " s (MCP_JOB_TIMEOUT_SECONDS), so it was cancelled; what it had done so far stays done.")));
            }
            return workspace.execute(UpstreamRequest.of(jobsGet, caller.headers().authorization(), caller.organization().id(),
                    Map.of("jobId", jobId)));
        });

        return Multi.createFrom().item(started)
                .onCompletion().switchTo(() -> Multi.createBy().repeating().uni(() -> poll).withDelay(pollInterval)
                        .whilst(job -> !isFinal(job)))
                .onItem().call(job -> report(job, operation, progress, log, lastProgress, lastStatus))
                .collect().last()
                .onItemOrFailure().invoke((job, failure) -> metrics.jobFinished(operation.name(),
                        failure != null ? (failure instanceof Cancellation.OperationCancellationException ? "cancelled"
                                : failure instanceof ToolFailure ? "timeout" : "failed")
                                : "succeeded".equals(job.path("status").asText()) ? "completed" : job.path("status").asText(),
                        Duration.ofNanos(System.nanoTime() - startedAt)));
    }

    static boolean isFinal(JsonNode job) {
        return switch (job.path("status").asText()) {
            case "succeeded", "failed", "cancelled" -> true;
            default -> false;
        };
    }

    private Uni<Void> report(JsonNode job, Operation operation, Progress progress, McpLog log,
            AtomicReference<Double> lastProgress, AtomicReference<String> lastStatus) {
        String status = job.path("status").asText();
        String message = job.path("message").asText(status);
        if (!status.equals(lastStatus.getAndSet(status))) {
            log.info("%s job %s %s: %s", operation.name(), job.path("id").asText(), isFinal(job) ? status : "is " + status,
                    message);
        }
        double value = job.path("progress").asDouble(0);
        if (progress.token().isEmpty() || value <= lastProgress.get()) {
            return Uni.createFrom().voidItem();
        }
        lastProgress.set(value);
        var notification = progress.notificationBuilder().setProgress(value).setMessage(message);
        if (job.hasNonNull("total")) {
            notification.setTotal(job.path("total").asDouble());
        }
        return notification.build().send();
    }

    private Uni<JsonNode> cancel(Tenancy.Caller caller, String jobId) {
        return workspace.execute(UpstreamRequest.of(jobsCancel, caller.headers().authorization(), caller.organization().id(),
                Map.of("jobId", jobId)))
                .onFailure().recoverWithNull();
    }
}
