package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import io.smallrye.mutiny.Uni;

/**
 * Admits a caller for one tool call: checks the key, takes a rate-limit token and decides the organization
 * ({@link OrganizationRules}). One state-store round trip in the steady state: rate limit, cached identity, override
 * and the store's generation are read together.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);

    private final StateStore store;
    private final InProcessStateStore fallbackLimiter = new InProcessStateStore(Optional.empty());
    private final KeyCheck keys;
    private final AuthFailureThrottle throttle;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;

    Admission(StateStore store, KeyCheck keys, AuthFailureThrottle throttle, GatewayMetrics metrics, GatewayConfig config) {
        this.store = store;
        this.keys = keys;
        this.throttle = throttle;
        this.metrics = metrics;
        this.config = config;
    }

    public String storeKind() {
        return store.kind();
    }

    /**
     * @return the admitted caller; its resolution may still say that no organization can be vouched for
     * @throws TenancyException (as a failed Uni) when the call cannot go ahead at all
     */
    public Uni<Caller> admit(Credentials credentials) {
        if (credentials.apiKey().isEmpty()) {
            metrics.authentication("missing_key", false);
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.AUTHENTICATION_REQUIRED,
                    credentials.source() == Credentials.Source.STDIO_SETTINGS
                            ? "Authentication required: set MCP_BACKEND_AUTHORIZATION to the API key (Bearer <key>) in the "
                                    + "environment of this server in your MCP client's configuration."
                            : "Authentication required: send the header Authorization: Bearer <API key> with every tool call "
                                    + "(add it to the headers of this server in your MCP client's configuration)."));
        }
        String keyHash = credentials.keyHash();
        if (keys.recentlyRefused(keyHash)) {
            metrics.authentication("invalid_key", true);
            throttle.failed(credentials.clientAddress());
            return Uni.createFrom().failure(invalidKey(credentials));
        }
        int perMinute = config.rateLimitPerMinute();
        Duration overrideTtl = overrideTtl();
        return store.admit(keyHash, perMinute, overrideTtl)
                .invoke(() -> metrics.stateStoreUp(true))
                .map(Optional::of)
                .onFailure(StateStoreUnavailable.class).recoverWithItem(failure -> {
                    LOG.debugf("The state store did not admit a call: %s", failure.getCause());
                    metrics.stateStoreError("admit");
                    metrics.stateStoreUp(false);
                    return Optional.<StateStore.Admission> empty();
                })
                .flatMap(admission -> {
                    StateStore.Admission state = admission.orElseGet(() -> degraded(keyHash, perMinute));
                    if (!state.allowed()) {
                        metrics.rateLimitRejection();
                        long seconds = Math.max(1, (state.retryAfter().toMillis() + 999) / 1000);
                        return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.RATE_LIMITED,
                                "Rate limit reached: this API key may make " + perMinute
                                        + " tool calls per minute. Retry in " + seconds + " s.",
                                Duration.ofSeconds(seconds)));
                    }
                    OrganizationRules.StoreView view = new OrganizationRules.StoreView(state.activeOrganization(),
                            admission.isEmpty(), state.storeLostDataAt());
                    return identity(credentials, keyHash, state.identity())
                            .flatMap(identity -> decide(credentials, keyHash, identity, view));
                });
    }

    /** With the store down: rate-limit in this process, and know nothing cached. */
    private StateStore.Admission degraded(String keyHash, int perMinute) {
        Duration wait = fallbackLimiter.take(keyHash, perMinute);
        return new StateStore.Admission(wait.isZero(), wait, Optional.empty(), Optional.empty(), Optional.empty());
    }

    private Uni<Identity> identity(Credentials credentials, String keyHash, Optional<String> cachedJson) {
        Optional<Identity> cached = keys.cached(keyHash, cachedJson);
        if (cached.isPresent()) {
            metrics.authentication("ok", true);
            return Uni.createFrom().item(cached.get());
        }
        Duration wait = keys.recentlyValid(keyHash) ? Duration.ZERO : throttle.waitFor(credentials.clientAddress());
        if (!wait.isZero()) {
            metrics.authFailureThrottled();
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.TOO_MANY_FAILED_AUTHENTICATIONS,
                    "Too many failed authentications from this client address; wait " + seconds + " s, then check "
                            + credentials.source().key() + ".", Duration.ofSeconds(seconds)));
        }
        return keys.fetch(keyHash, credentials.authorization())
                .onFailure(TenancyException.class).invoke(failure -> {
                    if (((TenancyException) failure).reason() == TenancyException.Reason.INVALID_KEY) {
                        keys.refused(keyHash);
                        throttle.failed(credentials.clientAddress());
                    }
                })
                .onFailure(TenancyException.class).transform(failure -> ((TenancyException) failure).reason()
                        == TenancyException.Reason.INVALID_KEY ? invalidKey(credentials) : failure)
                .call(identity -> cache(keyHash, identity));
    }

    private Uni<Void> cache(String keyHash, Identity identity) {
        String json = keys.json(identity);
        keys.remember(keyHash, identity, json);
        if (config.identityCacheSeconds() <= 0) {
            return Uni.createFrom().voidItem();
        }
        return store.cacheIdentity(keyHash, json, Duration.ofSeconds(config.identityCacheSeconds()))
                .onFailure().recoverWithItem(failure -> {
                    metrics.stateStoreError("write");
                    return null;
                });
    }

    private Uni<Caller> decide(Credentials credentials, String keyHash, Identity identity, OrganizationRules.StoreView view) {
        OrganizationRules.Decision decision;
        try {
            decision = OrganizationRules.decide(identity, credentials, view);
        } catch (TenancyException refused) {
            return Uni.createFrom().failure(refused);
        }
        Caller caller = new Caller(credentials, keyHash, identity, decision.resolution());
        if (!decision.clearStaleOverride()) {
            return Uni.createFrom().item(caller);
        }
        LOG.infof("Clearing an organization override: the key (%s) no longer reaches %s", identity.keyId(),
                view.override().orElse("?"));
        return store.clearActiveOrganization(keyHash)
                .onFailure().recoverWithItem(failure -> {
                    metrics.stateStoreError("write");
                    return null;
                })
                .replaceWith(caller);
    }

    private static TenancyException invalidKey(Credentials credentials) {
        return new TenancyException(TenancyException.Reason.INVALID_KEY, "Invalid or expired API key: the workspace does "
                + "not accept it (unknown, revoked or expired). Create a new key and update " + credentials.source().key()
                + " of this server.");
    }

    /** What a switch lasts, and how long after a store loss a lost switch could still have been in force. */
    public Duration overrideTtl() {
        return Duration.ofSeconds(config.overrideTtlSeconds());
    }

    /**
     * The workspace refused the key or the organization: forget what was cached, and a switch the key lost. This
     * replica forgets at once; the shared store a moment later (its writes are not waited for).
     */
    void accessLost(@Observes AccessLost lost) {
        keys.forget(lost.keyHash());
        Uni<Void> forget = store.forgetIdentity(lost.keyHash());
        if (lost instanceof AccessLost.KeyRefused) {
            keys.refused(lost.keyHash());
        } else if (lost instanceof AccessLost.OrganizationRefused refused && refused.viaOverride()) {
            forget = forget.flatMap(ignored -> store.clearActiveOrganization(lost.keyHash()));
        }
        forget.onFailure().invoke(failure -> metrics.stateStoreError("write")).onFailure().recoverWithNull()
                .subscribe().with(ignored -> {
                });
    }
}
