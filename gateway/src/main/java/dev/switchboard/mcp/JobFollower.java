package dev.switchboard.mcp;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.cluster.Cancellations;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.contract.model.Job;
import dev.switchboard.lifecycle.Drain;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.workspace.UpstreamJson;
import dev.switchboard.workspace.UpstreamCredential;
import dev.switchboard.workspace.WorkspaceClient;
import io.quarkiverse.mcp.server.Cancellation;
import io.quarkiverse.mcp.server.McpLog;
import io.quarkiverse.mcp.server.Progress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Follows a backend job to its end: polls it, sends MCP progress notifications as it advances and client log messages
 * when its state changes (only to clients that take a streamed answer), cancels it when the client cancels the call
 * (on whichever replica the cancellation arrived), gives up (cancelling it) after MCP_JOB_TIMEOUT_SECONDS, and, when
 * this replica drains, answers with how to resume following it elsewhere.
 */
@Singleton
class JobFollower {

    private final WorkspaceClient workspace;
    private final GatewayMetrics metrics;
    private final Cancellations cancellations;
    private final Drain drain;
    private final ObjectMapper mapper;
    private final Duration pollInterval;
    private final Duration jobTimeout;
    private final ToolNames names;

    JobFollower(WorkspaceClient workspace, GatewayMetrics metrics, Cancellations cancellations, Drain drain,
            ObjectMapper mapper, GatewayConfig config, ToolNames names) {
        this.names = names;
        this.workspace = workspace;
        this.metrics = metrics;
        this.cancellations = cancellations;
        this.drain = drain;
        this.mapper = mapper;
        this.pollInterval = Duration.ofMillis(config.jobPollMillis());
        this.jobTimeout = Duration.ofSeconds(config.jobTimeoutSeconds());
    }

    /** @param started the operation's 202 answer: the job, as the workspace created it */
    Uni<byte[]> follow(ToolCall call, Operation operation, Optional<String> idempotencyKey, byte[] started) {
        Job first;
        try {
            first = mapper.readValue(started, Job.class);
        } catch (IOException e) {
            return Uni.createFrom().failure(new IllegalStateException("a job answer that does not match the contract", e));
        }
        String jobId = first.getId();
        Caller caller = call.caller();
        UpstreamCredential authorization = caller.credentials().authorization();
        String organization = caller.organization().id();
        CallContext context = call.context();
        Progress progress = call.protocol().progress();
        McpLog log = context.streams() ? call.protocol().log() : null;
        Cancellation cancellation = call.protocol().cancellation();
        // a job run as a task is cancelled by tasks/cancel, on whichever replica it arrived
        Optional<String> task = InputRound.of(call.protocol().meta()).inTask();
        long startedAt = System.nanoTime();
        long deadline = startedAt + jobTimeout.toNanos();
        AtomicReference<BigDecimal> lastProgress = new AtomicReference<>(BigDecimal.valueOf(-1));
        AtomicReference<Job.StatusEnum> lastStatus = new AtomicReference<>();
        metrics.jobStarted();
        // every name a client reads is one it can call: the tool's (prefixed) name, or the one run_operation takes
        String shown = names.callable(operation.name());
        if (log != null) {
            log.info("%s started as job %s", shown, jobId);
        }

        Uni<Job> poll = Uni.createFrom().deferred(() -> {
            if (cancellation.check().isRequested() || cancellations.isCancelled(context.sessionId().orElse(null),
                    context.requestId()) || task.filter(id -> cancellations.isCancelled(Cancellations.TASKS, id)).isPresent()) {
                return cancel(authorization, organization, jobId).invoke(() -> {
                    if (log != null) {
                        log.info("Job %s cancelled at the client's request", jobId);
                    }
                }).flatMap(ignored -> Uni.createFrom().failure(new Cancellation.OperationCancellationException()));
            }
            if (System.nanoTime() > deadline) {
                return cancel(authorization, organization, jobId).flatMap(ignored -> Uni.createFrom().failure(
                        new ToolFailure(ToolOutcome.TIMEOUT, "Job " + jobId + " of " + operation.name()
                                + " did not finish within " + jobTimeout.toSeconds()
                                + " s (MCP_JOB_TIMEOUT_SECONDS), so it was cancelled; what it had done so far stays done.")));
            }
            if (drain.deadlinePassed()) {
                return Uni.createFrom().failure(new ToolFailure(ToolOutcome.OVERLOADED, "This gateway replica is shutting "
                        + "down, so it stopped following job " + jobId + " of " + operation.name() + "; the job keeps "
                        + "running in the workspace. " + idempotencyKey.map(key -> "Call " + operation.name() + " again with "
                                + "the same arguments and idempotencyKey \"" + key + "\": another replica follows the same "
                                + "job to its end without starting it twice.")
                                .orElse("Check it with jobs_get (jobId " + jobId + ").")));
            }
            return workspace.job(authorization, organization, jobId);
        });

        return Multi.createFrom().item(first)
                .onCompletion().switchTo(() -> Multi.createBy().repeating().uni(() -> poll).withDelay(pollInterval)
                        .whilst(job -> !isFinal(job)))
                .onItem().call(job -> report(job, shown, context.streams() ? progress : null, log, lastProgress, lastStatus))
                .collect().last()
                .onItemOrFailure().invoke((job, failure) -> metrics.jobFinished(operation.name(),
                        failure != null ? (failure instanceof Cancellation.OperationCancellationException ? "cancelled"
                                : failure instanceof ToolFailure ? "timeout" : "failed")
                                : job.getStatus() == Job.StatusEnum.SUCCEEDED ? "completed" : String.valueOf(job.getStatus()),
                        Duration.ofNanos(System.nanoTime() - startedAt)))
                .map(this::bytes)
                .onFailure(failure -> !(failure instanceof ToolFailure)
                        && !(failure instanceof Cancellation.OperationCancellationException))
                .transform(failure -> new Failures.OfOperation(failure, operation, idempotencyKey, Optional.of(jobId)));
    }

    /** A job the workspace answered (jobs_get, jobs_cancel), as the client reads it. */
    byte[] shown(byte[] job) {
        try {
            return bytes(mapper.readValue(job, Job.class));
        } catch (IOException e) {
            return job; // not the contract's job: passed on as it came
        }
    }

    /** The job as the client reads it: the operation that started it, and its messages, name what can be called. */
    private byte[] bytes(Job job) {
        if (job.getType() != null) {
            job.setType(names.callable(names.base(job.getType())));
        }
        if (job.getMessage() != null) {
            job.setMessage(names.rewrite(job.getMessage()));
        }
        if (job.getError() != null && job.getError().getMessage() != null) {
            job.getError().setMessage(names.rewrite(job.getError().getMessage()));
        }
        try {
            return UpstreamJson.normalize(mapper.writeValueAsBytes(job));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isFinal(Job job) {
        return job.getStatus() == Job.StatusEnum.SUCCEEDED || job.getStatus() == Job.StatusEnum.FAILED
                || job.getStatus() == Job.StatusEnum.CANCELLED;
    }

    private Uni<Void> report(Job job, String shown, Progress progress, McpLog log,
            AtomicReference<BigDecimal> lastProgress, AtomicReference<Job.StatusEnum> lastStatus) {
        String status = job.getStatus() == null ? "unknown" : job.getStatus().toString();
        String message = job.getMessage() == null ? status : names.rewrite(job.getMessage());
        if (log != null && job.getStatus() != lastStatus.getAndSet(job.getStatus())) {
            log.info("%s job %s %s: %s", shown, job.getId(), isFinal(job) ? status : "is " + status, message);
        }
        BigDecimal value = job.getProgress() == null ? BigDecimal.ZERO : job.getProgress();
        if (progress == null || progress.token().isEmpty() || value.compareTo(lastProgress.get()) <= 0) {
            return Uni.createFrom().voidItem();
        }
        lastProgress.set(value);
        var notification = progress.notificationBuilder().setProgress(value.doubleValue()).setMessage(message);
        if (job.getTotal() != null) {
            notification.setTotal(job.getTotal().doubleValue());
        }
        return notification.build().send();
    }

    private Uni<Job> cancel(UpstreamCredential authorization, String organization, String jobId) {
        return workspace.cancelJob(authorization, organization, jobId).onFailure().recoverWithNull();
    }
}
