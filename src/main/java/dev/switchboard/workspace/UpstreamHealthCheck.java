package dev.switchboard.workspace;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;

/**
 * Not ready while the circuit breaker around the Workspace API is open: every call would fail fast anyway, so traffic
 * is better served by a replica whose circuit is closed.
 */
@Readiness
@ApplicationScoped
class UpstreamHealthCheck implements HealthCheck {

    private final CircuitBreakerMaintenance circuitBreakers;
    private final BackendEndpoint endpoint;

    UpstreamHealthCheck(CircuitBreakerMaintenance circuitBreakers, BackendEndpoint endpoint) {
        this.circuitBreakers = circuitBreakers;
        this.endpoint = endpoint;
    }

    @Override
    public HealthCheckResponse call() {
        CircuitBreakerState state = circuitBreakers.currentState(WorkspaceClient.CIRCUIT_BREAKER);
        return HealthCheckResponse.named("workspace-api")
                .status(state != CircuitBreakerState.OPEN)
                .withData("circuit", state.name().toLowerCase(Locale.ROOT))
                .withData("backend", endpoint.embeddedSandbox() ? "embedded sandbox" : "configured")
                .build();
    }
}
