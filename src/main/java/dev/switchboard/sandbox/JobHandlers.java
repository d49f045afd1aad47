package dev.switchboard.sandbox;

import java.util.Map;

/** jobs_get and jobs_cancel. */
final class JobHandlers extends Handlers {

    JobHandlers(SandboxApi api) {
        super(api);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("jobs_get", request -> api.jobs().get(request.org(), request.path("jobId")));
        handlers.put("jobs_cancel", request -> api.jobs().cancel(request.org(), request.path("jobId")));
    }
}
