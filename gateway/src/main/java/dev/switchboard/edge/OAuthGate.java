package dev.switchboard.edge;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import dev.switchboard.config.BridgeToken;
import dev.switchboard.config.Endpoints;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProtectedResource;
import dev.switchboard.config.RequestHeader;
import dev.switchboard.tenancy.Credentials;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.TenantIdentityProvider;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The gateway as an OAuth 2.1 protected resource (MCP_AUTH_MODE=oauth or both): its metadata (RFC 9728), the 401 with
 * {@code WWW-Authenticate} that starts a client's sign-in, and the access token checked by Quarkus OIDC (signature by
 * the issuer's keys, issuer, expiry, audience = this gateway's canonical URL). A valid token becomes the user it names
 * and the gateway's own service credential: the token itself never goes further. With both, API keys keep working.
 */
@Singleton
class OAuthGate {

    private static final Logger LOG = Logger.getLogger(OAuthGate.class);
    /** Three base64url parts: a signed JWT, which no API key has the shape of. */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    /** The scopes a token granted (routing context data), for the check of each tool call. */
    static final String GRANTED_SCOPES = "switchboard.oauth-scopes";

    private final GatewayConfig config;
    private final BridgeToken bridge;
    private final Instance<TenantIdentityProvider> tokens;
    private final ToolAccess access;
    private final Optional<ProtectedResource> resource;
    private final String serviceAuthorization;

    OAuthGate(GatewayConfig config, BridgeToken bridge, Instance<TenantIdentityProvider> tokens, ToolAccess access) {
        this.config = config;
        this.bridge = bridge;
        this.tokens = tokens;
        this.access = access;
        this.resource = ProtectedResource.of(config);
        this.serviceAuthorization = config.serviceAuthorization()
                .map(value -> value.regionMatches(true, 0, "Bearer ", 0, 7) ? value : "Bearer " + value.trim())
                .orElse("Bearer " + dev.switchboard.catalog.EmbeddedSandbox.SERVICE_CREDENTIAL);
    }

    void register(@Observes Router router) {
        if (resource.isEmpty()) {
            return;
        }
        ProtectedResource protectedResource = resource.get();
        JsonObject metadata = new JsonObject().put("resource", protectedResource.resource())
                .put("authorization_servers", new io.vertx.core.json.JsonArray().add(protectedResource.issuer()))
                .put("scopes_supported", new io.vertx.core.json.JsonArray(ProtectedResource.SCOPES))
                .put("bearer_methods_supported", new io.vertx.core.json.JsonArray().add("header"))
                .put("resource_name", config.serverName());
        for (String path : new LinkedHashSet<>(java.util.List.of(ProtectedResource.WELL_KNOWN, protectedResource.metadataPath(),
                ProtectedResource.WELL_KNOWN + Endpoints.MCP))) {
            router.route(HttpMethod.GET, path).order(-1050).handler(ctx -> ctx.response()
                    .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "max-age=3600")
                    .end(metadata.encode()));
        }
        for (String path : new String[] { Endpoints.MCP, Endpoints.LEGACY_SSE, Endpoints.LEGACY_MESSAGES + "/*" }) {
            router.route(path).order(-105).handler(this::authenticate);
        }
    }

    private void authenticate(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.OPTIONS || bridge.matches(ctx.request().getHeader(BridgeToken.HEADER))) {
            ctx.next(); // a preflight; or this process's own relay, whose caller was checked when it came in
            return;
        }
        ctx.request().headers().remove(RequestHeader.ACTING_USER.wireName()); // only this gate names the user
        Optional<String> bearer = Credentials.bearer(ctx.request().getHeader(RequestHeader.AUTHORIZATION.wireName()));
        boolean keyHeader = RequestHeader.keyHeader(config).map(ctx.request()::getHeader).isPresent();
        // with both, a bearer shaped like a JWT is a token and anything else an API key; with OAuth only, any bearer is
        // a token (an opaque one is introspected where the issuer offers it)
        if (bearer.isEmpty() || (config.authMode().takesKeys() && !JWT.matcher(bearer.get()).matches())) {
            if (config.authMode().takesKeys() && (bearer.isPresent() || keyHeader)) {
                ctx.next(); // an API key: the tenancy checks it with the workspace
                return;
            }
            refuse(ctx, 401, Optional.empty(), "Authentication required: sign in (OAuth) to use this server.");
            return;
        }
        Context context = Vertx.currentContext();
        ctx.request().pause(); // the body is read after this check
        tokens.get().authenticate(new AccessTokenCredential(bearer.get())).subscribe().with(identity -> context.runOnContext(
                ignored -> admitted(ctx, identity)), failure -> context.runOnContext(ignored -> {
                    LOG.debugf("Refused an access token: %s", failure.getMessage());
                    ctx.request().resume();
                    refuse(ctx, 401, Optional.of("invalid_token"), "The access token is not valid here: expired, "
                            + "not yet valid, not signed by " + resource.get().issuer() + ", or minted for another resource "
                            + "than " + resource.get().resource() + ". Sign in again.");
                }));
    }

    private void admitted(RoutingContext ctx, io.quarkus.security.identity.SecurityIdentity identity) {
        // a JWT's claims; an introspected opaque token's principal is named by its subject only
        JsonWebToken token = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt : null;
        Object user = token != null ? token.getClaim(config.oauthUserClaim()) : identity.getPrincipal().getName();
        Set<String> scopes = token != null ? scopes(token.getClaim("scope")) : scopes(identity.getAttribute("scope"));
        if (user == null || String.valueOf(user).isBlank()) {
            ctx.request().resume();
            refuse(ctx, 401, Optional.of("invalid_token"), "The access token names no user (claim "
                    + config.oauthUserClaim() + ").");
            return;
        }
        if (!scopes.contains(ProtectedResource.READ_SCOPE) && !scopes.contains(ProtectedResource.WRITE_SCOPE)) {
            ctx.request().resume();
            refuse(ctx, 403, Optional.of("insufficient_scope"), "The access token grants none of this server's scopes: "
                    + String.join(", ", ProtectedResource.SCOPES) + ". Sign in again and grant at least "
                    + ProtectedResource.READ_SCOPE + ".");
            return;
        }
        ctx.put(GRANTED_SCOPES, scopes);
        ctx.request().headers().set(RequestHeader.AUTHORIZATION.wireName(), serviceAuthorization)
                .set(RequestHeader.ACTING_USER.wireName(), String.valueOf(user));
        ctx.request().resume();
        ctx.next();
    }

    /**
     * Whether the token behind this request may make this call: a read-only tool (or a read-only operation through
     * run_operation) needs {@code workspace:read}, anything else {@code workspace:write}. API keys may make any.
     *
     * @return false when the refusal is written
     */
    boolean allows(RoutingContext ctx, JsonObject message) {
        if (!(ctx.get(GRANTED_SCOPES) instanceof Set<?> scopes) || scopes.contains(ProtectedResource.WRITE_SCOPE)
                || !"tools/call".equals(message.getValue("method"))
                || !(message.getValue("params") instanceof JsonObject params) || readOnly(params)) {
            return true;
        }
        refuse(ctx, 403, Optional.of("insufficient_scope"), "This tool writes, and the access token grants only "
                + ProtectedResource.READ_SCOPE + ": sign in again and grant " + ProtectedResource.WRITE_SCOPE + ".");
        return false;
    }

    private boolean readOnly(JsonObject params) {
        Object arguments = params.getValue("arguments");
        return access.readOnly(String.valueOf(params.getValue("name")),
                arguments instanceof JsonObject given ? given.getValue("operation") : null);
    }

    private void refuse(RoutingContext ctx, int status, Optional<String> error, String message) {
        ctx.response().putHeader("WWW-Authenticate", resource.get().challenge(error, Optional.of(message)));
        Refusals.http(ctx, status, message);
    }

    private static Set<String> scopes(Object scope) {
        Set<String> scopes = new LinkedHashSet<>();
        if (scope != null) {
            scopes.addAll(Arrays.asList(String.valueOf(scope).replaceAll("[\\[\\]\"]", " ").trim().split("[\\s,]+")));
        }
        return scopes;
    }
}
