package dev.switchboard.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.switchboard.catalog.EmbeddedSandbox;
import dev.switchboard.catalog.FormBodies;
import dev.switchboard.catalog.OperationCatalog;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The embedded sandbox Workspace API as an HTTP server: its one entry point is {@link #mount(Router)}, which the
 * gateway's start-up calls through {@link EmbeddedSandbox} when this process serves the sandbox. It serves the
 * contract under {@value #ROOT}, and the control endpoint (faults, reset, memberships, request counts) under
 * {@value #CONTROL}, for loopback clients that send this process's {@linkplain #controlToken() control token}.
 *
 * <p>
 * The event loops only route and answer: every operation, control action and job step runs on the sandbox's own
 * worker pool, so the MCP clients that share the event loops never wait for the sandbox.
 */
@ApplicationScoped
public class SandboxServer implements EmbeddedSandbox {

    /** Where the sandbox serves the Workspace API. */
    public static final String ROOT = "/sandbox";
    /** The header that carries the control token. */
    public static final String CONTROL_TOKEN_HEADER = "X-Sandbox-Control-Token";
    static final String CONTROL = ROOT + "/_control";

    private static final Logger LOG = Logger.getLogger(SandboxServer.class);
    private static final Set<Integer> FAULT_STATUSES = Set.of(429, 500, 502, 503, 504);

    private final OperationCatalog catalog;
    private final Vertx vertx;
    private final WorkerExecutor workers;
    private final SandboxApi api;
    private final String controlToken;
    private final boolean controlTokenGenerated;

    SandboxServer(SandboxConfig config, Vertx vertx) {
        // the built-in contract, whatever MCP_CONTRACT_FILE gives the gateway: the sandbox implements exactly that one
        this.catalog = OperationCatalog.builtIn();
        this.vertx = vertx;
        this.workers = vertx.createSharedWorkerExecutor("sandbox-worker", Math.max(1, config.workerThreads()));
        Clock clock = Clock.systemUTC();
        this.api = new SandboxApi(catalog, config, new Jobs(vertx, workers, config.jobStepMillis(), clock), clock);
        Optional<String> configured = config.controlToken().map(String::trim).filter(token -> !token.isEmpty());
        this.controlToken = configured.orElseGet(SandboxServer::randomToken);
        this.controlTokenGenerated = configured.isEmpty();
    }

    /** Serves the sandbox and its control endpoint on the router. */
    @Override
    public void mount(Router router) {
        // a form or multipart body is never a request of this API: refused before a body handler parses it as fields
        router.route(ROOT + "/*").order(-22).handler(this::jsonBodiesOnly).failureHandler(this::failed);
        // the token is checked before the body is read (a body handler must come first on its own route)
        router.route(CONTROL + "/*").order(-21).handler(this::admitControl);
        router.route(CONTROL + "/*").order(-20).handler(BodyHandler.create().setBodyLimit(64 * 1024)).handler(this::control);
        router.route(ROOT + "/*").order(-10).handler(BodyHandler.create().setBodyLimit(8 * 1024 * 1024))
                .handler(this::serve);
    }

    /**
     * The token that the control endpoint requires in the {@value #CONTROL_TOKEN_HEADER} header: SANDBOX_CONTROL_TOKEN
     * when set, otherwise a random one chosen at start. For the start-up banner; never logged by the sandbox.
     */
    @Override
    public String controlToken() {
        return controlToken;
    }

    /** True when the control token was generated at start (SANDBOX_CONTROL_TOKEN unset). */
    @Override
    public boolean controlTokenGenerated() {
        return controlTokenGenerated;
    }

    @Override
    public String controlTokenHeader() {
        return CONTROL_TOKEN_HEADER;
    }

    @Override
    public List<DemoKey> demoKeys() {
        return SandboxKeys.demoKeys().stream().map(key -> new DemoKey(key.key(), key.kind(), key.access())).toList();
    }

    @PreDestroy
    void close() {
        workers.close();
    }

    // ------------------------------------------------------------------ the Workspace API

    private void serve(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring(ROOT.length());
        String method = ctx.request().method().name();
        Optional<RouteTable.Match> match = api.route(method, path.isEmpty() ? "/" : path);
        if (match.isEmpty()) {
            write(ctx, api.notRouted(method, path));
            return;
        }
        String authorization = ctx.request().getHeader("Authorization");
        String actingUser = ctx.request().getHeader("X-Acting-User");
        String idempotencyKey = ctx.request().getHeader("Idempotency-Key");
        MultiMap query = ctx.queryParams();
        Buffer body = ctx.body().buffer();
        Optional<Faults.Rule> fault = api.faults().roll(match.get().operation().name());
        Runnable perform = () -> onWorker(ctx, () -> api.dispatch(match.get(), authorization, actingUser, idempotencyKey, query, body),
                answer -> {
                    if (fault.isPresent() && fault.get().phase() == Faults.Phase.AFTER && disrupts(fault.get())) {
                        inject(ctx, fault.get());
                    } else {
                        write(ctx, answer);
                    }
                });
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

    /** Runs the work on a sandbox worker and hands its answer back on the request's event loop. */
    private void onWorker(RoutingContext ctx, Callable<SandboxApi.Answer> work, Consumer<SandboxApi.Answer> then) {
        workers.executeBlocking(work, false).onComplete(result -> {
            if (result.succeeded()) {
                then.accept(result.result());
            } else {
                LOG.errorf(result.cause(), "sandbox request %s %s failed", ctx.request().method(), ctx.normalizedPath());
                write(ctx, SandboxApi.error(new SandboxException(500, "internal_error", "The sandbox failed to answer.")));
            }
        });
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
        ctx.response().setStatusCode(answer.status());
        answer.headers().forEach(ctx.response()::putHeader);
        if (answer.body().isEmpty()) {
            ctx.response().end();
        } else {
            ctx.response().putHeader("Content-Type", "application/json").end(answer.body());
        }
    }

    // ------------------------------------------------------------------ control endpoint (tests and benchmarks)

    /** Whatever failed under the sandbox's routes: one JSON answer and at most one log line, never a stack trace. */
    private void failed(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status >= 400 && status < 500) {
            write(ctx, SandboxApi.error(new SandboxException(status, "invalid_request",
                    "The request could not be read: send JSON with Content-Type: application/json.")));
            return;
        }
        LOG.warnf("A sandbox request failed: %s", ctx.failure() == null ? "HTTP " + status : ctx.failure().toString());
        write(ctx, SandboxApi.error(new SandboxException(500, "internal_error", "The sandbox failed to answer.")));
    }

    private void jsonBodiesOnly(RoutingContext ctx) {
        if (FormBodies.announced(ctx.request())) {
            ctx.response().putHeader("Connection", "close");
            write(ctx, SandboxApi.error(new SandboxException(415, "unsupported_media_type",
                    "This API takes JSON bodies: send Content-Type: application/json.")));
            return;
        }
        ctx.next();
    }

    /** Loopback clients with the control token only; checked before the body is read. */
    private void admitControl(RoutingContext ctx) {
        if (!isLoopback(ctx.request().remoteAddress().host())) {
            write(ctx, SandboxApi.error(new SandboxException(403, "forbidden",
                    "The sandbox control endpoint answers loopback clients only.")));
            return;
        }
        String presented = ctx.request().getHeader(CONTROL_TOKEN_HEADER);
        if (presented == null || presented.isBlank()) {
            write(ctx, SandboxApi.error(new SandboxException(403, "forbidden", "The sandbox control endpoint needs this "
                    + "process's control token in the " + CONTROL_TOKEN_HEADER + " header: the start-up banner shows it, "
                    + "and SANDBOX_CONTROL_TOKEN sets it.", Map.of("header", CONTROL_TOKEN_HEADER))));
            return;
        }
        if (!MessageDigest.isEqual(presented.trim().getBytes(StandardCharsets.UTF_8), controlToken.getBytes(StandardCharsets.UTF_8))) {
            write(ctx, SandboxApi.error(new SandboxException(403, "forbidden", "The " + CONTROL_TOKEN_HEADER + " header does "
                    + "not hold this process's control token: the start-up banner shows it, and SANDBOX_CONTROL_TOKEN sets it.",
                    Map.of("header", CONTROL_TOKEN_HEADER))));
            return;
        }
        ctx.next();
    }

    private void control(RoutingContext ctx) {
        String path = ctx.normalizedPath().substring(CONTROL.length());
        HttpMethod method = ctx.request().method();
        String body = ctx.body().asString();
        onWorker(ctx, () -> control(path, method, body), answer -> write(ctx, answer));
    }

    private SandboxApi.Answer control(String path, HttpMethod method, String body) {
        try {
            if (path.equals("/faults") && method == HttpMethod.GET) {
                return json(200, api.faults().list());
            } else if (path.equals("/faults") && method == HttpMethod.POST) {
                return json(201, api.faults().add(faultRule(body)));
            } else if (path.equals("/faults") && method == HttpMethod.DELETE) {
                api.faults().clear();
                return new SandboxApi.Answer(204, "");
            } else if (path.startsWith("/faults/") && method == HttpMethod.DELETE) {
                String id = path.substring("/faults/".length());
                if (!api.faults().remove(id)) {
                    throw new SandboxException(404, "not_found", "No fault " + id + " is installed.");
                }
                return new SandboxApi.Answer(204, "");
            } else if (path.equals("/memberships") && method == HttpMethod.PUT) {
                JsonNode membership = SandboxJson.MAPPER.readTree(body == null ? "" : body);
                if (membership == null || !membership.isObject()) {
                    throw new SandboxException(400, "invalid_request", "The body must be a JSON object {userId, organizationId, member}.");
                }
                String userId = membership.path("userId").asText();
                String organizationId = membership.path("organizationId").asText();
                boolean member = membership.path("member").asBoolean(true);
                if (!api.directory().setMembership(userId, organizationId, member)) {
                    throw new SandboxException(404, "not_found", "Unknown userId or organizationId.");
                }
                return json(200, Map.of("userId", userId, "organizationId", organizationId, "member", member));
            } else if (path.equals("/reset") && method == HttpMethod.POST) {
                api.reset();
                return new SandboxApi.Answer(204, "");
            } else if (path.equals("/requests") && method == HttpMethod.GET) {
                return json(200, api.requestCounts());
            }
            throw new SandboxException(404, "not_found", "No control operation at " + method + " " + path + ".");
        } catch (SandboxException e) {
            return SandboxApi.error(e);
        } catch (IOException | RuntimeException e) {
            LOG.debugf(e, "sandbox control request refused");
            return SandboxApi.error(new SandboxException(400, "invalid_request",
                    "The control request is malformed: send a JSON object as the endpoint describes."));
        }
    }

    private Faults.Rule faultRule(String body) throws IOException {
        Faults.Rule rule = SandboxJson.MAPPER.readValue(body == null ? "" : body, Faults.Rule.class);
        String operation = rule.operation() == null ? "*" : rule.operation();
        if (!operation.equals("*") && catalog.find(operation).isEmpty()) {
            throw SandboxException.invalid("operation", "'operation' must be * or an operationId of the contract.");
        }
        if (rule.probability() < 0 || rule.probability() > 1) {
            throw SandboxException.invalid("probability", "'probability' must be between 0 and 1.");
        }
        if (rule.status() != 0 && !FAULT_STATUSES.contains(rule.status())) {
            throw SandboxException.invalid("status", "'status' must be 0, 429, 500, 502, 503 or 504.");
        }
        if (rule.latencyMs() < 0 || rule.latencyMs() > 600_000) {
            throw SandboxException.invalid("latencyMs", "'latencyMs' must be between 0 and 600000.");
        }
        return new Faults.Rule(null, operation, rule.probability(), rule.latencyMs(), rule.status(), rule.retryAfterSeconds(),
                rule.drop(), rule.phase(), rule.times());
    }

    private static SandboxApi.Answer json(int status, Object body) {
        return new SandboxApi.Answer(status, SandboxJson.write(body));
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

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
