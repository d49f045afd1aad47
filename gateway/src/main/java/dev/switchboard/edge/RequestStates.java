package dev.switchboard.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.switchboard.tenancy.Principals;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The {@code requestState} of a multi round-trip request: what the server needs to resume, handed to the client and
 * back, so that any replica can resume it. It is signed with the secret every replica shares and bound to the caller
 * (its credentials and the organization it named) and to a deadline, so a changed, replayed-by-another or stale state is
 * refused instead of resumed.
 */
@Singleton
class RequestStates {

    private static final String PURPOSE = "request-state";
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Principals principals;
    private final CallerBinding callers;

    RequestStates(Principals principals, CallerBinding callers) {
        this.principals = principals;
        this.callers = callers;
    }

    String seal(JsonObject state, RoutingContext ctx) {
        JsonObject payload = new JsonObject().put("s", state).put("b", binding(ctx))
                .put("x", Instant.now().plus(LIFETIME).getEpochSecond());
        String body = ENCODER.encodeToString(payload.encode().getBytes(StandardCharsets.UTF_8));
        return body + "." + ENCODER.encodeToString(principals.tag(PURPOSE, body.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The state a client sent back, if this deployment issued it to this caller and it has not expired. */
    Optional<JsonObject> open(Object presented, RoutingContext ctx) {
        if (!(presented instanceof String token)) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String body = token.substring(0, dot);
        byte[] expected = ENCODER.encodeToString(principals.tag(PURPOSE, body.getBytes(StandardCharsets.US_ASCII)))
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        try {
            JsonObject payload = new JsonObject(new String(Base64.getUrlDecoder().decode(body), StandardCharsets.UTF_8));
            if (!binding(ctx).equals(payload.getString("b")) || payload.getLong("x", 0L) < Instant.now().getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.ofNullable(payload.getJsonObject("s"));
        } catch (RuntimeException malformed) {
            return Optional.empty();
        }
    }

    private String binding(RoutingContext ctx) {
        return callers.of(ctx, PURPOSE);
    }
}
