package dev.switchboard.mcp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import dev.switchboard.tenancy.Credentials;
import dev.switchboard.tenancy.StateStore;

/**
 * What one tool call came with, read once at its start (the HTTP request is current only then) and passed forward
 * unchanged: the tool, the request id, the caller's credentials, whether the client takes a streamed (SSE) answer, and
 * the client's session, which a cancellation names.
 *
 * @param streams the client accepts text/event-stream, so progress and log notifications may be sent
 * @param sessionId the client's MCP session (Mcp-Session-Id, or the legacy SSE stream), when it has one
 * @param listening whether the client still waits for the answer (asked when the answer is ready)
 * @param unreadKeyHeader a header that looks like it carries a key ({@code x-…-key}) but is not one this server reads,
 *        sent without any header it reads: the refusal names the header to send instead
 */
record CallContext(String tool, String requestId, Credentials credentials, boolean streams, Optional<String> sessionId,
        long startedNanos, BooleanSupplier listening, Optional<String> unreadKeyHeader) {

    /**
     * Where an answer that could not be delivered is kept for the client's retry of the same request (same id), when
     * the request has an id.
     */
    Optional<StateStore.Field> retrySlot() {
        if (requestId.equals("-")) {
            return Optional.empty();
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(requestId.getBytes(StandardCharsets.UTF_8));
            return Optional.of(StateStore.Field.undelivered(HexFormat.of().formatHex(digest, 0, 12)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
