package dev.switchboard.workspace;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.switchboard.observability.GatewayMetrics;
import io.smallrye.health.api.Wellness;

/**
 * Whether the Workspace API takes calls, in the health details (/q/health/well) rather than in readiness: a backend
 * outage is every replica's outage, and taking them all out of the load balancer would only replace the gateway's
 * clear tool errors with connection failures.
 */
@Wellness
@ApplicationScoped
class UpstreamHealthCheck implements HealthCheck {

    private final GatewayMetrics metrics;
    private final BackendEndpoint endpoint;

    UpstreamHealthCheck(GatewayMetrics metrics, BackendEndpoint endpoint) {
        this.metrics = metrics;
        this.endpoint = endpoint;
    }

    @Override
    public HealthCheckResponse call() {
        boolean open = metrics.circuitOpen();
        return HealthCheckResponse.named("workspace-api")
                .status(!open)
                .withData("circuit", open ? "open" : "closed")
                .withData("backend", endpoint.embeddedSandbox() ? "embedded sandbox" : "configured")
                .build();
    }
}
