package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.Map;

/** jobs_get and jobs_cancel. */
final class JobHandlers extends Handlers {

    JobHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("jobs_get", request -> jobs.get(request.org(), request.path("jobId")));
        handlers.put("jobs_cancel", request -> jobs.cancel(request.org(), request.path("jobId")));
    }
}
