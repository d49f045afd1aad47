package dev.switchboard.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness is about this replica: it is ready unless it drains. Shared dependencies (Redis, the Workspace API) are
 * reported in /q/health/well and in metrics instead, because their outage is every replica's outage: clients are
 * better served by the gateway's clear tool errors than by a load balancer with no endpoint.
 */
@Readiness
@ApplicationScoped
class DrainReadiness implements HealthCheck {

    private final Drain drain;

    DrainReadiness(Drain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("replica").status(!drain.draining())
                .withData("draining", drain.draining()).build();
    }
}
