package dev.switchboard.workspace;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.contract.api.IdentityApi;
import dev.switchboard.contract.api.InboxApi;
import dev.switchboard.contract.api.JobsApi;
import dev.switchboard.contract.model.Job;
import dev.switchboard.contract.model.MailboxList;
import dev.switchboard.contract.model.OrganizationList;
import dev.switchboard.contract.model.Whoami;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;

/**
 * The one way into the Workspace API, every request under {@link WorkspaceGuard}'s policy.
 * <ul>
 * <li>{@link #relay} runs any operation of the contract and hands its answer on as normalized JSON bytes, without
 * binding it to model classes: the gateway does not read those fields, it passes them on.</li>
 * <li>The typed calls (identity, organizations, jobs, mailboxes) go through the REST clients generated from the
 * contract, because the gateway itself reads their fields.</li>
 * </ul>
 * Failures are {@link UpstreamFailure}s, or the fault-tolerance exceptions (timeout, open circuit, full bulkhead);
 * {@link #relay} wraps them in {@link UpstreamCallFailed}, which says whether anything went out.
 */
@ApplicationScoped
public class WorkspaceClient {

    private final BackendEndpoint endpoint;
    private final ObjectMapper mapper;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final WorkspaceGuard guard;
    private final RetryPolicy retries;
    private final HttpClient http;
    private final Map<String, RouteTemplate> routes;
    private volatile String base;
    private volatile Typed typed;

    /** The generated clients the gateway reads fields from. */
    private record Typed(IdentityApi identity, JobsApi jobs, InboxApi inbox) {
    }

    WorkspaceClient(OperationCatalog catalog, BackendEndpoint endpoint, ObjectMapper mapper, GatewayMetrics metrics,
            GatewayConfig config, Vertx vertx) {
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.metrics = metrics;
        this.config = config;
        this.guard = new WorkspaceGuard(config, metrics);
        this.retries = new RetryPolicy(config);
        this.http = vertx.createHttpClient(new HttpClientOptions()
                .setKeepAlive(true)
                .setMaxPoolSize(Math.max(8, config.bulkhead().concurrency()))
                .setConnectTimeout(5_000)
                .setIdleTimeout(60)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        this.routes = RouteTemplate.all(catalog.all());
    }

    @PreDestroy
    void close() {
        http.closeAndForget();
    }

    // ------------------------------------------------------------------ relay

    /** Performs the request and answers the operation's success body as compact JSON with plain-decimal numbers. */
    public Uni<byte[]> relay(UpstreamRequest request) {
        Operation operation = request.operation();
        RouteTemplate route = routes.get(operation.name());
        AtomicInteger sent = new AtomicInteger();
        return guard.call(() -> attempt(route, request, sent))
                .onFailure().transform(failure -> new UpstreamCallFailed(failure, sent.get()));
    }

    private Uni<byte[]> attempt(RouteTemplate route, UpstreamRequest request, AtomicInteger sent) {
        RequestOptions options;
        Buffer body;
        try {
            options = new RequestOptions().setMethod(HttpMethod.valueOf(request.operation().method()))
                    .setAbsoluteURI(base() + route.path(request.organizationId(), request.arguments())
                            + route.query(request.arguments()))
                    .setIdleTimeout(TimeUnit.SECONDS.toMillis(config.requestTimeoutSeconds() + 5L))
                    .putHeader("Authorization", request.authorization().authorization())
                    .putHeader("Accept", "application/json");
            request.idempotencyKey().ifPresent(key -> options.putHeader("Idempotency-Key", key));
            request.authorization().actingUser().ifPresent(user -> options.putHeader(UpstreamCredential.ACTING_USER_HEADER, user));
            body = body(request);
            if (body != null) {
                options.putHeader("Content-Type", "application/json");
            }
        } catch (RuntimeException | JsonProcessingException e) {
            return Uni.createFrom().failure(e instanceof IllegalArgumentException iae ? iae : new IllegalStateException(e));
        }
        String operation = request.operation().name();
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> {
            sent.incrementAndGet();
            return http.request(options)
                    .flatMap(call -> (body == null ? call.send() : call.send(body))
                            .onCancellation().invoke(() -> call.reset()))
                    .flatMap(response -> response.body().map(bytes -> answer(request, response, bytes.getBytes())));
        }).onItemOrFailure().invoke((answer, failure) -> metrics.upstreamRequest(operation,
                failure == null ? String.valueOf(request.operation().successStatus()) : statusLabel(failure), since(started)))
                .onFailure().transform(failure -> classify(failure, request));
    }

    private static byte[] answer(UpstreamRequest request, HttpClientResponse response, byte[] body) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return UpstreamJson.normalize(body);
            } catch (IOException e) {
                throw new UpstreamFailure.Unavailable(502, "bad_response",
                        "The workspace API sent an answer that does not match its contract.", null, true, null);
            }
        }
        throw UpstreamErrorMapper.failure(status, response.getHeader("Retry-After"), body);
    }

    private Buffer body(UpstreamRequest request) throws JsonProcessingException {
        Operation operation = request.operation();
        if (operation.bodySchema().isEmpty()) {
            return null;
        }
        Map<String, Object> fields = new java.util.LinkedHashMap<>();
        for (String property : operation.bodyProperties()) {
            Object value = request.arguments().get(property);
            if (value != null) {
                fields.put(property, value);
            }
        }
        if (fields.isEmpty() && !operation.bodyRequired()) {
            return null;
        }
        return Buffer.buffer(mapper.writeValueAsBytes(fields));
    }

    private String base() {
        String known = base;
        if (known == null) {
            URI uri = endpoint.baseUri();
            String text = uri.toString();
            known = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
            base = known;
        }
        return known;
    }

    // ------------------------------------------------------------------ typed calls

    public Uni<Whoami> whoami(UpstreamCredential authorization) {
        return typed("auth_whoami", () -> typed().identity().authWhoami(authorization.authorization(), authorization.actingUser().orElse(null)));
    }

    public Uni<OrganizationList> organizations(UpstreamCredential authorization, String cursor) {
        return typed("organizations_index", () -> typed().identity().organizationsIndex(authorization.authorization(), authorization.actingUser().orElse(null), 100, cursor));
    }

    public Uni<Job> job(UpstreamCredential authorization, String organizationId, String jobId) {
        return typed("jobs_get", () -> typed().jobs().jobsGet(authorization.authorization(), authorization.actingUser().orElse(null), organizationId, jobId));
    }

    public Uni<Job> cancelJob(UpstreamCredential authorization, String organizationId, String jobId) {
        return typed("jobs_cancel", () -> typed().jobs().jobsCancel(authorization.authorization(), authorization.actingUser().orElse(null), organizationId, jobId));
    }

    public Uni<MailboxList> mailboxes(UpstreamCredential authorization, String organizationId) {
        return typed("inbox_accounts_list", () -> typed().inbox().inboxAccountsList(authorization.authorization(), authorization.actingUser().orElse(null), organizationId));
    }

    /** A read (or, for jobs_cancel, an idempotent DELETE): safe to repeat, so transient failures are retried. */
    private <T> Uni<T> typed(String operation, Supplier<Uni<T>> call) {
        return guard.call(() -> {
            long started = System.nanoTime();
            return Uni.createFrom().deferred(() -> call.get())
                    .onItemOrFailure().invoke((item, failure) -> metrics.upstreamRequest(operation,
                            failure == null ? "200" : statusLabel(failure), since(started)))
                    .onFailure().transform(failure -> classify(failure, true));
        });
    }

    private Typed typed() {
        Typed known = typed;
        if (known == null) {
            known = new Typed(build(IdentityApi.class), build(JobsApi.class), build(InboxApi.class));
            typed = known;
        }
        return known;
    }

    private <T> T build(Class<T> api) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(endpoint.baseUri())
                .connectTimeout(5, TimeUnit.SECONDS)
                // the guard's timeout ends the call first; this only frees the connection afterwards
                .readTimeout(config.requestTimeoutSeconds() + 5L, TimeUnit.SECONDS)
                .register(UpstreamErrorMapper.class)
                .build(api);
    }

    // ------------------------------------------------------------------ failures

    private Throwable classify(Throwable failure, UpstreamRequest request) {
        return classify(failure, request.safeToRepeat());
    }

    /** The failure as an {@link UpstreamFailure} where it is one, marked by the retry policy. */
    private Throwable classify(Throwable failure, boolean safeToRepeat) {
        UpstreamFailure upstream = failure instanceof UpstreamFailure known ? known : fromTransport(failure);
        return upstream == null ? failure : retries.classify(upstream, safeToRepeat);
    }

    /** Failures below HTTP: nothing answered, or the answer could not be read. Their text may name hosts, so it is dropped. */
    private static UpstreamFailure fromTransport(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return new UpstreamFailure.Unavailable(0, "unreachable", "The workspace API cannot be reached.", null,
                        false, null);
            }
            if (cause instanceof JsonProcessingException) {
                return new UpstreamFailure.Unavailable(502, "bad_response",
                        "The workspace API sent an answer that does not match its contract.", null, true, null);
            }
            if (cause instanceof IOException || cause instanceof io.vertx.core.VertxException) {
                return new UpstreamFailure.Unavailable(0, "connection_lost",
                        "The connection to the workspace API broke before an answer arrived.", null, true, null);
            }
        }
        return null;
    }

    private static String statusLabel(Throwable failure) {
        if (failure instanceof UpstreamFailure upstream && upstream.status() > 0) {
            return String.valueOf(upstream.status());
        }
        return fromTransport(failure) != null ? "connection_error" : "client_error";
    }

    private static Duration since(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos);
    }
}
