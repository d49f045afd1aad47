package dev.switchboard.sandbox;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jboss.logging.Logger;

import dev.switchboard.contract.model.Error;
import dev.switchboard.contract.model.Job;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * Long operations of the sandbox: a job runs its steps one timer tick apart, each step on a sandbox worker thread
 * holding the organization's lock (never on an event loop), and can be cancelled between steps (what earlier steps
 * did stays done).
 */
final class Jobs {

    private static final Logger LOG = Logger.getLogger(Jobs.class);
    private static final int KEPT_PER_ORGANIZATION = 1000;

    /** One step: what the job says while doing it, the progress once done, and what it changes. */
    record Step(String message, double progressAfter, Consumer<OrgState> action) {
        Step(String message, double progressAfter) {
            this(message, progressAfter, null);
        }
    }

    static final class JobState {
        final Job job;
        final List<Step> steps;
        final Function<OrgState, Map<String, Object>> result;
        final Consumer<OrgState> onCancel;
        int next;
        long timerId = -1;

        JobState(Job job, List<Step> steps, Function<OrgState, Map<String, Object>> result, Consumer<OrgState> onCancel) {
            this.job = job;
            this.steps = steps;
            this.result = result;
            this.onCancel = onCancel;
        }

        boolean finished() {
            return switch (job.getStatus()) {
                case SUCCEEDED, FAILED, CANCELLED -> true;
                default -> false;
            };
        }
    }

    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final long stepMillis;
    private final Clock clock;

    Jobs(Vertx vertx, WorkerExecutor workers, long stepMillis, Clock clock) {
        this.vertx = vertx;
        this.workers = workers;
        this.stepMillis = stepMillis;
        this.clock = clock;
    }

    /** Queues a job; the caller holds the organization's lock. */
    Job start(OrgState org, String type, double total, List<Step> steps, Function<OrgState, Map<String, Object>> result,
            Consumer<OrgState> onCancel) {
        OffsetDateTime now = now();
        Job job = new Job().id(org.nextId("job_")).type(type).status(Job.StatusEnum.QUEUED)
                .progress(BigDecimal.ZERO).total(BigDecimal.valueOf(total)).message("Queued")
                .createdAt(now).updatedAt(now);
        JobState state = new JobState(job, List.copyOf(steps), result, onCancel);
        org.jobs.put(job.getId(), state);
        forgetOldest(org);
        schedule(org, state);
        return job;
    }

    Job get(OrgState org, String jobId) {
        JobState state = org.jobs.get(jobId);
        if (state == null) {
            throw SandboxException.notFound("Job", jobId);
        }
        return state.job;
    }

    /** Stops a queued or running job; the caller holds the organization's lock. */
    Job cancel(OrgState org, String jobId) {
        JobState state = org.jobs.get(jobId);
        if (state == null) {
            throw SandboxException.notFound("Job", jobId);
        }
        if (state.finished()) {
            throw SandboxException.conflict("Job " + jobId + " already ended with status "
                    + state.job.getStatus().value() + "; there is nothing to cancel.");
        }
        vertx.cancelTimer(state.timerId);
        if (state.onCancel != null) {
            state.onCancel.accept(org);
        }
        state.job.status(Job.StatusEnum.CANCELLED).message("Cancelled").updatedAt(now());
        return state.job;
    }

    /** The next step after a tick, on a worker: the timer only wakes the job, it does no work on the event loop. */
    private void schedule(OrgState org, JobState state) {
        state.timerId = vertx.setTimer(stepMillis, id -> workers.executeBlocking(() -> org.exclusively(() -> {
            advance(org, state);
            return null;
        }), false).onFailure(e -> LOG.errorf(e, "sandbox job %s failed", state.job.getId())));
    }

    private void advance(OrgState org, JobState state) {
        if (state.finished()) {
            return;
        }
        Step step = state.steps.get(state.next++);
        Job job = state.job;
        try {
            if (step.action() != null) {
                step.action().accept(org);
            }
            job.progress(BigDecimal.valueOf(step.progressAfter())).message(step.message()).updatedAt(now());
            if (state.next < state.steps.size()) {
                job.status(Job.StatusEnum.RUNNING);
                schedule(org, state);
            } else {
                job.status(Job.StatusEnum.SUCCEEDED).result(state.result.apply(org));
            }
        } catch (SandboxException e) {
            job.status(Job.StatusEnum.FAILED).message(e.getMessage()).updatedAt(now())
                    .error(new Error().code(e.code).message(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "sandbox job %s failed in step %d", job.getId(), state.next);
            job.status(Job.StatusEnum.FAILED).message("The sandbox failed to run this job.").updatedAt(now())
                    .error(new Error().code("internal_error").message("The sandbox failed to run this job."));
        }
    }

    private static void forgetOldest(OrgState org) {
        Iterator<JobState> it = org.jobs.values().iterator();
        while (org.jobs.size() > KEPT_PER_ORGANIZATION && it.hasNext()) {
            if (it.next().finished()) {
                it.remove();
            }
        }
    }

    OffsetDateTime now() {
        return OffsetDateTime.now(clock).withNano(0);
    }
}
