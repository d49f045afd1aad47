package dev.switchboard.edge;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import jakarta.inject.Singleton;

import dev.switchboard.config.RequestHeader;
import dev.switchboard.tenancy.Principals;
import io.vertx.ext.web.RoutingContext;

/**
 * Who a request is from, as one short keyed digest of its credentials and the organization headers it names (never
 * the key): what a request state or a task is bound to, so that another key, or the same key naming another
 * organization, cannot resume or read it.
 */
@Singleton
class CallerBinding {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final Principals principals;

    CallerBinding(Principals principals) {
        this.principals = principals;
    }

    /** @param purpose what the binding is for: bindings for different purposes never equal each other */
    String of(RoutingContext ctx, String purpose) {
        StringBuilder caller = new StringBuilder();
        // with the acting user: an OAuth user's calls all carry the gateway's service credential
        for (RequestHeader header : RequestHeader.caller()) {
            caller.append(header.wireName()).append('=').append(ctx.request().getHeader(header.wireName())).append('\n');
        }
        return ENCODER.encodeToString(Arrays.copyOf(
                principals.tag(purpose + "-binding", caller.toString().getBytes(StandardCharsets.UTF_8)), 16));
    }
}
