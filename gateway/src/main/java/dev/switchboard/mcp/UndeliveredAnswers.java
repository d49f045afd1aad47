package dev.switchboard.mcp;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import dev.switchboard.observability.ClientText;
import dev.switchboard.observability.ToolOutcome;
import dev.switchboard.tenancy.Admission;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.tenancy.StateStore;
import io.quarkiverse.mcp.server.MetaKey;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * Answers of calls that may write, whose client had gone by the time they were ready (its connection or legacy SSE
 * stream ended): kept in the state store for {@link #KEPT_FOR}, so that the client's retry of the same request (the
 * same id, tool and arguments, with the same key, on any replica) is answered with what happened instead of acting a
 * second time. The entry is read in the call's one state-store round trip, and given once.
 */
@Singleton
class UndeliveredAnswers {

    static final Duration KEPT_FOR = Duration.ofMinutes(15);
    private static final Logger LOG = Logger.getLogger(UndeliveredAnswers.class);

    private final Admission admission;
    private final ObjectMapper mapper;
    private final ObjectMapper canonical;

    UndeliveredAnswers(Admission admission, ObjectMapper mapper) {
        this.admission = admission;
        this.mapper = mapper;
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /** Keeps the answer when its client is gone. */
    void keepIfUndelivered(Caller caller, CallContext context, Optional<StateStore.Field> slot, Map<String, Object> arguments,
            Answer answer) {
        if (slot.isEmpty() || !(answer instanceof Answer.Result result) || context.listening().getAsBoolean()) {
            return;
        }
        ToolResponse response = result.response();
        ObjectNode entry = mapper.createObjectNode();
        entry.put("tool", context.tool());
        entry.put("arguments", digest(arguments));
        entry.put("isError", response.isError());
        entry.put("text", response.content().isEmpty() ? "" : response.content().get(0).asText().text());
        if (response.structuredContent() instanceof RawValue raw) {
            entry.put("structured", String.valueOf(raw.rawValue()));
        }
        if (response._meta() != null && !response._meta().isEmpty()) {
            ObjectNode meta = entry.putObject("meta");
            response._meta().forEach((key, value) -> meta.set(key.toString(), mapper.valueToTree(value)));
        }
        entry.put("outcome", result.outcome().name());
        entry.put("organization", result.organizationId());
        LOG.infof("The answer to request %s (%s) could not be delivered: kept for %d minutes for a retry of the same request",
                ClientText.log(context.requestId()), context.tool(), KEPT_FOR.toMinutes());
        admission.keep(caller, slot.get(), entry.toString(), KEPT_FOR);
    }

    /** The kept answer, when this call repeats the request it answers; it is given once. */
    Optional<Answer> replay(Caller caller, CallContext context, Optional<StateStore.Field> slot, Map<String, Object> arguments) {
        if (slot.isEmpty() || caller.stored().isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode entry = mapper.readTree(caller.stored().get());
            if (!context.tool().equals(entry.path("tool").asText()) || !digest(arguments).equals(entry.path("arguments").asText())) {
                return Optional.empty(); // the same id for another request: not a retry
            }
            admission.forget(caller, slot.get());
            Map<MetaKey, Object> meta = null;
            if (entry.path("meta").isObject()) {
                Map<MetaKey, Object> kept = new java.util.LinkedHashMap<>();
                entry.path("meta").fields().forEachRemaining(field -> kept.put(MetaKey.from(field.getKey()),
                        mapper.convertValue(field.getValue(), Object.class)));
                meta = kept;
            }
            ToolResponse response = entry.hasNonNull("structured")
                    ? new ToolResponse(entry.path("isError").asBoolean(), List.of(new TextContent(entry.path("text").asText())),
                            new RawValue(entry.path("structured").asText()), meta)
                    : new ToolResponse(entry.path("isError").asBoolean(), List.of(new TextContent(entry.path("text").asText())));
            return Optional.of(new Answer.Result(response, ToolOutcome.valueOf(entry.path("outcome").asText("OK")),
                    entry.path("organization").asText("-")));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private String digest(Map<String, Object> arguments) {
        try {
            byte[] json = canonical.writeValueAsBytes(arguments == null ? Map.of() : arguments);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json), 0, 16);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
