package dev.switchboard.edge;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.switchboard.config.RequestHeader;
import dev.switchboard.workarounds.LibraryWorkaround;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * A JSON-RPC batch with requests (protocol 2025-03-26), answered as JSON-RPC says: one array with a response per
 * request, whatever the batch's length. The library answers a batch message by message (a one-element batch with a
 * bare object, a longer one with one event each), so each message goes round alone on loopback, in the caller's
 * session and with its headers, and the answers are gathered here. They run at once, as a batch's requests may.
 */
@LibraryWorkaround(entry = 8)
@Singleton
class Batches {

    private static final Logger LOG = Logger.getLogger(Batches.class);
    private static final int INTERNAL_ERROR = -32603;
    /** Set for each message: the session as the client presented it, and the version the batch is under. */
    private static final Set<String> REPLACED = RequestHeader.lowerCase(RequestHeader.SESSION_ID,
            RequestHeader.PROTOCOL_VERSION);

    private final Loopback loopback;
    private final SessionIds sessionIds;

    Batches(Loopback loopback, SessionIds sessionIds) {
        this.loopback = loopback;
        this.sessionIds = sessionIds;
    }

    /**
     * @param batch valid messages, at least one of them a request
     * @param version the protocol version the batch is under (one that has batches)
     */
    void answer(RoutingContext ctx, JsonArray batch, String version) {
        RequestOptions template = loopback.onBehalf(ctx, false, REPLACED);
        template.putHeader(RequestHeader.PROTOCOL_VERSION.wireName(), version);
        String librarySession = ctx.request().getHeader(RequestHeader.SESSION_ID.wireName());
        if (librarySession != null) {
            template.putHeader(RequestHeader.SESSION_ID.wireName(), sessionIds.issued(librarySession, version));
        }
        List<Future<JsonObject>> answers = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonObject message = batch.getJsonObject(i);
            answers.add(loopback.client().request(new RequestOptions(template))
                    .compose(relayed -> relayed.send(message.toBuffer()))
                    .compose(response -> response.body().map(body -> answerTo(message, response, body)))
                    .recover(failure -> {
                        LOG.debugf("A batch message could not be relayed: %s", failure.getMessage());
                        return Future.succeededFuture(message.containsKey("method") && message.containsKey("id")
                                ? Refusals.error(message.getValue("id"), INTERNAL_ERROR,
                                        "Internal error: this request of the batch could not be run; send it again.")
                                : null);
                    }));
        }
        Future.join(answers).onComplete(ignored -> {
            StringBuilder json = new StringBuilder("[");
            for (Future<JsonObject> answer : answers) {
                JsonObject response = answer.result();
                if (response != null) {
                    json.append(json.length() == 1 ? "" : ",")
                            .append(response.containsKey("error") ? Refusals.encode(response) : response.encode());
                }
            }
            if (!ctx.response().ended()) {
                ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .end(json.append(']').toString());
            }
        });
    }

    /** The response to one message, or null for a notification or a response (accepted, nothing to answer). */
    private static JsonObject answerTo(JsonObject message, HttpClientResponse response, Buffer body) {
        if (!message.containsKey("method") || !message.containsKey("id")) {
            return null;
        }
        Object id = message.getValue("id");
        String text = body.toString().trim();
        try {
            if (text.startsWith("{")) {
                JsonObject answer = new JsonObject(text);
                return answer.getValue("id") == null ? answer.put("id", id) : answer;
            }
            // an event stream after all: its response is the event that answers this id
            for (String line : text.split("\n")) {
                if (line.startsWith("data:") && Json.decodeValue(line.substring(5).trim()) instanceof JsonObject event
                        && id.equals(event.getValue("id")) && !event.containsKey("method")) {
                    return event;
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("A batch message's answer (HTTP %d) was not JSON-RPC: %s", response.statusCode(), e.getMessage());
        }
        return Refusals.error(id, INTERNAL_ERROR, "Internal error: this request of the batch got no answer (HTTP "
                + response.statusCode() + "); send it again.");
    }
}
