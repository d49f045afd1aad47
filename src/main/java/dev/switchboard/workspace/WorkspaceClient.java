package dev.switchboard.workspace;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.mutiny.Uni;

/**
 * The one way into the Workspace API: runs any catalog operation through the generated REST client, guarded by a
 * per-request timeout, retries (only for requests that are safe to repeat), a circuit breaker and a bulkhead. The
 * annotation values are defaults; application.properties maps them to the MCP_* settings.
 */
@ApplicationScoped
public class WorkspaceClient {

    public static final String CIRCUIT_BREAKER = "workspace-api";

    private final BackendEndpoint endpoint;
    private final ObjectMapper mapper;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final Map<String, OperationBinding> bindings;
    private final Map<Class<?>, Object> clients = new ConcurrentHashMap<>();

    WorkspaceClient(OperationCatalog catalog, BackendEndpoint endpoint, ObjectMapper mapper, GatewayMetrics metrics,
            GatewayConfig config) {
        this.endpoint = endpoint;
        this.mapper = mapper;
        this.metrics = metrics;
        this.config = config;
        this.bindings = catalog.all().stream()
                .collect(Collectors.toUnmodifiableMap(Operation::name, op -> OperationBinding.bind(op, mapper)));
    }

    /**
     * Performs the request and answers the operation's success body as JSON. Fails with an {@link UpstreamFailure},
     * or with the fault-tolerance exceptions: {@code TimeoutException}, {@code CircuitBreakerOpenException},
     * {@code BulkheadException}.
     */
    @Timeout(value = 45, unit = java.time.temporal.ChronoUnit.SECONDS)
    @Retry(maxRetries = 3, delay = 200, maxDuration = 30_000, jitter = 0,
            retryOn = { UpstreamFailure.RetryableUnavailable.class, UpstreamFailure.RetryableThrottled.class })
    @CustomBackoff(RetryAfterBackoff.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            failOn = { UpstreamFailure.Unavailable.class, TimeoutException.class })
    @CircuitBreakerName(CIRCUIT_BREAKER)
    @Bulkhead(value = 64, waitingTaskQueue = 128)
    public Uni<JsonNode> execute(UpstreamRequest request) {
        Operation operation = request.operation();
        OperationBinding binding = bindings.get(operation.name());
        request.sent().incrementAndGet();
        long started = System.nanoTime();
        return binding.invoke(client(binding.api()), request, mapper)
                .map(body -> (JsonNode) mapper.valueToTree(body))
                .onItemOrFailure().invoke((body, failure) -> metrics.upstreamRequest(operation.name(),
                        failure == null ? String.valueOf(operation.successStatus()) : statusLabel(failure), since(started)))
                .onCancellation().invoke(() -> metrics.upstreamRequest(operation.name(), "cancelled", since(started)))
                .onFailure().transform(failure -> classify(failure, request));
    }

    private Object client(Class<?> api) {
        return clients.computeIfAbsent(api, (Function<Class<?>, Object>) type -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(endpoint.baseUri())
                .connectTimeout(5, TimeUnit.SECONDS)
                // the fault-tolerance timeout ends the call first; this only frees the connection afterwards
                .readTimeout(config.requestTimeoutSeconds() + 5L, TimeUnit.SECONDS)
                .register(UpstreamErrorMapper.class)
                .build(type));
    }

    private Throwable classify(Throwable failure, UpstreamRequest request) {
        UpstreamFailure upstream = failure instanceof UpstreamFailure known ? known : fromTransport(failure);
        if (upstream == null) {
            return failure;
        }
        if (request.safeToRepeat()) {
            if (upstream instanceof UpstreamFailure.Unavailable unavailable
                    && !(upstream instanceof UpstreamFailure.RetryableUnavailable)
                    && (unavailable.status() == 0 || unavailable.status() == 502 || unavailable.status() == 503
                            || unavailable.status() == 504)) {
                return new UpstreamFailure.RetryableUnavailable(unavailable);
            }
            if (upstream instanceof UpstreamFailure.Throttled throttled
                    && !(upstream instanceof UpstreamFailure.RetryableThrottled)
                    && throttled.retryAfter().map(wait -> wait.getSeconds() <= config.retry().maxRetryAfterSeconds())
                            .orElse(true)) {
                return new UpstreamFailure.RetryableThrottled(throttled);
            }
        }
        return upstream;
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
