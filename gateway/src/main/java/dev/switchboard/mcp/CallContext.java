package dev.switchboard.mcp;

import java.util.Optional;

import dev.switchboard.tenancy.Credentials;

/**
 * What one tool call came with, read once at its start (the HTTP request is current only then) and passed forward
 * unchanged: the tool, the request id, the caller's credentials, whether the client takes a streamed (SSE) answer, and
 * the client's session, which a cancellation names.
 *
 * @param streams the client accepts text/event-stream, so progress and log notifications may be sent
 * @param sessionId the client's MCP session (Mcp-Session-Id, or the legacy SSE stream), when it has one
 */
record CallContext(String tool, String requestId, Credentials credentials, boolean streams, Optional<String> sessionId,
        long startedNanos) {
}
