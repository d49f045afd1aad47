package dev.switchboard.mcp;

import java.util.Map;

import dev.switchboard.tenancy.Caller;
import io.quarkiverse.mcp.server.ToolManager.ToolArguments;

/** An admitted tool call, as a tool's body receives it. */
record ToolCall(CallContext context, Caller caller, Map<String, Object> arguments, ToolArguments protocol) {
}
