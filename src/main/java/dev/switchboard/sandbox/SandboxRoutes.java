package dev.switchboard.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.workspace.BackendEndpoint;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * Serves the sandbox under /sandbox when no backend URL is configured (or in sandbox-only mode); otherwise registers
 * nothing, so that neither the sandbox nor its fault injection can be reached. The control endpoints under
 * /sandbox/_control answer loopback clients only.
 */
@ApplicationScoped
public class SandboxRoutes {

    private static final Logger LOG = Logger.getLogger(SandboxRoutes.class);
    static final String CONTROL = BackendEndpoint.SANDBOX_ROOT + "/_control";

    void register(@Observes Router router, GatewayConfig config, Instance<SandboxApi> sandboxApi, OperationCatalog catalog,
            Vertx vertx) {
        if (!config.servesSandbox()) {
            return;
        }
        SandboxApi sandbox = sandboxApi.get();
        router.route(CONTROL + "/*").order(-20).handler(BodyHandler.create().setBodyLimit(64 * 1024))
                .handler(ctx -> control(ctx, sandbox, catalog));
        router.route(BackendEndpoint.SANDBOX_ROOT + "/*").order(-10).handler(BodyHandler.create().setBodyLimit(8 * 1024 * 1024))
                .handler(ctx -> serve(ctx, sandbox, vertx));
    }

    private static void serve(RoutingContext ctx, SandboxApi sandbox, Vertx vertx) {
        String path = ctx.normalizedPath().substring(BackendEndpoint.SANDBOX_ROOT.length());
        String method = ctx.request().method().name();
        Optional<RouteTable.Match> match = sandbox.route(method, path.isEmpty() ? "/" : path);
        if (match.isEmpty()) {
            write(ctx, sandbox.notRouted(method, path));
            return;
        }
        Optional<Faults.Rule> fault = sandbox.faults().roll(match.get().operation().name());
        Runnable perform = () -> {
            SandboxApi.Answer answer = sandbox.dispatch(match.get(), ctx.request().getHeader("Authorization"),
                    ctx.request().getHeader("Idempotency-Key"), ctx.queryParams(), ctx.body().buffer());
            if (fault.isPresent() && fault.get().phase() == Faults.Phase.AFTER && disrupts(fault.get())) {
                inject(ctx, fault.get());
            } else {
                write(ctx, answer);
            }
        };
        if (fault.isEmpty()) {
            perform.run();
            return;
        }
        Faults.Rule rule = fault.get();
        Runnable afterDelay = rule.phase() == Faults.Phase.BEFORE && disrupts(rule) ? () -> inject(ctx, rule) : perform;
        if (rule.latencyMs() > 0) {
            vertx.setTimer(rule.latencyMs(), id -> afterDelay.run());
        } else {
            afterDelay.run();
        }
    }

    private static boolean disrupts(Faults.Rule rule) {
        return rule.drop() || rule.status() > 0;
    }

    private static void inject(RoutingContext ctx, Faults.Rule rule) {
        if (rule.drop()) {
            ctx.request().connection().close();
            return;
        }
        SandboxException error = new SandboxException(rule.status(), switch (rule.status()) {
            case 429 -> "rate_limited";
            case 502 -> "bad_gateway";
            case 503 -> "unavailable";
            case 504 -> "gateway_timeout";
            default -> "internal_error";
        }, "Injected fault " + rule.id() + ".");
        SandboxApi.Answer answer = SandboxApi.error(error);
        write(ctx, rule.retryAfterSeconds() > 0
                ? new SandboxApi.Answer(answer.status(), answer.body(), Map.of("Retry-After", String.valueOf(rule.retryAfterSeconds())))
                : answer);
    }

    private static void write(RoutingContext ctx, SandboxApi.Answer answer) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json");
        answer.headers().forEach(ctx.response()::putHeader);
        ctx.response().end(answer.body());
    }

    // ------------------------------------------------------------------ control endpoint (tests and benchmarks)

    private static void control(RoutingContext ctx, SandboxApi sandbox, OperationCatalog catalog) {
        if (!isLoopback(ctx.request().remoteAddress().host())) {
            write(ctx, SandboxApi.error(new SandboxException(403, "forbidden", "The sandbox control endpoint answers loopback clients only.")));
            return;
        }
        String path = ctx.normalizedPath().substring(CONTROL.length());
        HttpMethod method = ctx.request().method();
        try {
            if (path.equals("/faults") && method == HttpMethod.GET) {
                json(ctx, 200, sandbox.faults().list());
            } else if (path.equals("/faults") && method == HttpMethod.POST) {
                json(ctx, 201, sandbox.faults().add(faultRule(ctx.body().asString(), catalog)));
            } else if (path.equals("/faults") && method == HttpMethod.DELETE) {
                sandbox.faults().clear();
                ctx.response().setStatusCode(204).end();
            } else if (path.startsWith("/faults/") && method == HttpMethod.DELETE) {
                boolean removed = sandbox.faults().remove(path.substring("/faults/".length()));
                ctx.response().setStatusCode(removed ? 204 : 404).end();
            } else if (path.equals("/memberships") && method == HttpMethod.PUT) {
                JsonNode body = SandboxJson.MAPPER.readTree(ctx.body().asString());
                boolean changed = sandbox.directory().setMembership(body.path("userId").asText(),
                        body.path("organizationId").asText(), body.path("member").asBoolean(true));
                if (!changed) {
                    throw new SandboxException(404, "not_found", "Unknown userId or organizationId.");
                }
                json(ctx, 200, Map.of("userId", body.path("userId").asText(), "organizationId",
                        body.path("organizationId").asText(), "member", body.path("member").asBoolean(true)));
            } else if (path.equals("/reset") && method == HttpMethod.POST) {
                sandbox.reset();
                ctx.response().setStatusCode(204).end();
            } else if (path.equals("/requests") && method == HttpMethod.GET) {
                json(ctx, 200, sandbox.requestCounts());
            } else {
                throw new SandboxException(404, "not_found", "No control operation at " + method + " " + path + ".");
            }
        } catch (SandboxException e) {
            write(ctx, SandboxApi.error(e));
        } catch (Exception e) {
            LOG.debugf(e, "sandbox control request refused");
            write(ctx, SandboxApi.error(new SandboxException(400, "invalid_request", "The control request is malformed: " + e.getMessage())));
        }
    }

    private static Faults.Rule faultRule(String body, OperationCatalog catalog) throws java.io.IOException {
        Faults.Rule rule = SandboxJson.MAPPER.readValue(body, Faults.Rule.class);
        String operation = rule.operation() == null ? "*" : rule.operation();
        if (!operation.equals("*") && catalog.find(operation).isEmpty()) {
            throw SandboxException.invalid("operation", "'operation' must be * or an operationId of the contract.");
        }
        if (rule.probability() < 0 || rule.probability() > 1) {
            throw SandboxException.invalid("probability", "'probability' must be between 0 and 1.");
        }
        if (rule.status() != 0 && !java.util.Set.of(429, 500, 502, 503, 504).contains(rule.status())) {
            throw SandboxException.invalid("status", "'status' must be 0, 429, 500, 502, 503 or 504.");
        }
        if (rule.latencyMs() < 0 || rule.latencyMs() > 600_000) {
            throw SandboxException.invalid("latencyMs", "'latencyMs' must be between 0 and 600000.");
        }
        return new Faults.Rule(null, operation, rule.probability(), rule.latencyMs(), rule.status(), rule.retryAfterSeconds(),
                rule.drop(), rule.phase(), rule.times());
    }

    private static void json(RoutingContext ctx, int status, Object body) {
        write(ctx, new SandboxApi.Answer(status, SandboxJson.MAPPER.valueToTree(body).toString()));
    }

    static boolean isLoopback(String host) {
        if (host == null) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
