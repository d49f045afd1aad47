package dev.switchboard.mcp;

import io.smallrye.mutiny.Uni;

/** What a tool does once its caller is admitted; failures are mapped by {@link ToolErrors}. */
@FunctionalInterface
interface ToolBody {

    Uni<Reply> run(ToolCall call);
}
