package dev.switchboard.edge;

import java.util.function.BooleanSupplier;

import jakarta.inject.Singleton;

import dev.switchboard.config.Endpoints;
import io.vertx.ext.web.RoutingContext;

/**
 * Whether the client of a request still waits for its answer: the answer of a Streamable HTTP POST goes back on the
 * POST's own connection; the answer of a legacy SSE message goes on the stream the message names, which may have
 * ended meanwhile. Read at the start of a call, asked at its end.
 */
@Singleton
public class Listeners {

    private final LegacyStreams legacy;

    Listeners(LegacyStreams legacy) {
        this.legacy = legacy;
    }

    /** Answers, when asked, whether the answer to this request can still reach its client. */
    public BooleanSupplier of(RoutingContext request) {
        if (request.normalizedPath().startsWith(Endpoints.LEGACY_MESSAGES + "/")) {
            String tag = request.queryParam("stream").stream().findFirst().orElse(null);
            return () -> legacy.open(tag);
        }
        return () -> !request.response().closed();
    }
}
