package dev.switchboard.edge;

import java.nio.charset.StandardCharsets;

import dev.switchboard.config.McpProtocol;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/**
 * The answer to a stateless tools/call in its usual form, a complete result, written without decoding the library's
 * answer and encoding it again: {@code "resultType":"complete"} goes in front of the result's members. Decoding and
 * encoding a page of contacts cost a fifth of a stateless call. Anything unusual (an error, a question for the client,
 * an offer to run as a task, a result that already says its type, an answer not in the library's member order) is
 * left to the general path, which reads the answer.
 */
final class CompletedResult {

    /**
     * Names whose presence sends an answer the general way: a result type of its own, or any of this gateway's
     * {@code _meta} members (a question for the client, a capability it must declare, an offer to run as a task).
     */
    private static final byte[][] UNUSUAL = { "\"resultType\"".getBytes(StandardCharsets.UTF_8),
            ("\"" + McpProtocol.META_PREFIX).getBytes(StandardCharsets.UTF_8) };
    private static final byte[] MEMBER = "\"resultType\":\"complete\"".getBytes(StandardCharsets.UTF_8);

    private CompletedResult() {
    }

    /** The answer with its result's type, or null when it is not a plain result to the request with this id. */
    static Buffer of(Buffer answer, Object id) {
        byte[] prefix = ("{\"jsonrpc\":\"2.0\",\"id\":" + Json.encode(id) + ",\"result\":{").getBytes(StandardCharsets.UTF_8);
        byte[] body = answer.getBytes();
        if (body.length <= prefix.length || !startsWith(body, prefix)) {
            return null;
        }
        if (mentionsAny(body, prefix.length)) {
            return null;
        }
        boolean empty = body[prefix.length] == '}';
        Buffer completed = Buffer.buffer(body.length + MEMBER.length + 1);
        completed.appendBytes(body, 0, prefix.length).appendBytes(MEMBER);
        if (!empty) {
            completed.appendByte((byte) ',');
        }
        return completed.appendBytes(body, prefix.length, body.length - prefix.length);
    }

    private static boolean startsWith(byte[] body, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (body[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether any of the unusual names occurs from {@code from} on: one pass, stopping only at quotes. */
    private static boolean mentionsAny(byte[] body, int from) {
        for (int i = from; i < body.length; i++) {
            if (body[i] != '"') {
                continue;
            }
            for (byte[] name : UNUSUAL) {
                if (at(body, i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean at(byte[] body, int index, byte[] name) {
        if (index + name.length > body.length) {
            return false;
        }
        for (int j = 1; j < name.length; j++) {
            if (body[index + j] != name[j]) {
                return false;
            }
        }
        return true;
    }
}
