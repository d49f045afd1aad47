package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.tenancy.StateStore.Field;
import io.smallrye.mutiny.Uni;

/**
 * Admits a caller for one tool call: checks the key, takes a rate-limit token and decides the organization
 * ({@link OrganizationRules}). One state-store round trip in the steady state: rate limit, cached identity, switch,
 * whether the key was accepted lately, what the call asked to read besides, and the store's generation are read
 * together. When the store does not answer, the call costs at most that one timeout: nothing is written to the store
 * afterwards, and the identity this replica fetched lately stands in for the cached one.
 */
@ApplicationScoped
public class Admission {

    private static final Logger LOG = Logger.getLogger(Admission.class);
    /** How long a key the workspace accepted is remembered as valid: the failed-authentication throttle never holds it. */
    static final Duration KNOWN_VALID_FOR = Duration.ofDays(30);

    private final StateStore store;
    private final InProcessStateStore fallbackLimiter = new InProcessStateStore(Optional.empty());
    private final KeyCheck keys;
    private final AuthFailureThrottle throttle;
    private final Principals principals;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;

    Admission(StateStore store, KeyCheck keys, AuthFailureThrottle throttle, Principals principals, GatewayMetrics metrics,
            GatewayConfig config) {
        this.store = store;
        this.keys = keys;
        this.throttle = throttle;
        this.principals = principals;
        this.metrics = metrics;
        this.config = config;
    }

    public String storeKind() {
        return store.kind();
    }

    public Uni<Caller> admit(Credentials credentials) {
        return admit(credentials, Optional.empty());
    }

    public Uni<Caller> admit(Credentials credentials, Optional<Field> alsoRead) {
        return admit(credentials, alsoRead, false);
    }

    /**
     * @param alsoRead a value the call wants from the store in the same round trip ({@link Caller#stored})
     * @param freshIdentity ask the workspace what the key reaches now rather than trust the cached identity (the
     *        calls that show or choose the organization: a membership lost or regained is seen at once), and cache
     *        what it says for the calls that follow
     * @return the admitted caller; its resolution may still say that no organization can be vouched for
     * @throws TenancyException (as a failed Uni) when the call cannot go ahead at all
     */
    public Uni<Caller> admit(Credentials credentials, Optional<Field> alsoRead, boolean freshIdentity) {
        if (credentials.apiKey().isEmpty()) {
            metrics.authentication("missing_key", false);
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.AUTHENTICATION_REQUIRED,
                    credentials.source() == Credentials.Source.STDIO_SETTINGS
                            ? "Authentication required: set MCP_BACKEND_AUTHORIZATION to the API key (Bearer <key>) in the "
                                    + "environment of this server in your MCP client's configuration."
                            : "Authentication required: send the header Authorization: Bearer <API key> with every tool call "
                                    + "(add it to the headers of this server in your MCP client's configuration)."));
        }
        // a user the edge authenticated by OAuth comes with the service credential: the user, not the key, is the caller
        String principal = credentials.actingUser()
                .map(user -> principals.ofUser(config.oauthIssuer().map(Object::toString).orElse(""), user))
                .orElseGet(() -> principals.ofKey(credentials.apiKey().get()));
        if (keys.recentlyRefused(principal)) {
            metrics.authentication("invalid_key", true);
            throttle.failed(credentials.clientAddress());
            return Uni.createFrom().failure(invalidKey(credentials));
        }
        int perMinute = config.rateLimitPerMinute();
        List<Field> fields = new ArrayList<>(List.of(Field.IDENTITY, Field.ACTIVE_ORGANIZATION, Field.KNOWN_VALID));
        alsoRead.ifPresent(fields::add);
        return store.admit(principal, perMinute, overrideTtl(), fields)
                .invoke(() -> metrics.stateStoreUp(true))
                .map(Optional::of)
                .onFailure(StateStoreUnavailable.class).recoverWithItem(failure -> {
                    LOG.debugf("The state store did not admit a call: %s", failure.getCause());
                    metrics.stateStoreError("admit");
                    metrics.stateStoreUp(false);
                    return Optional.<StateStore.Snapshot> empty();
                })
                .flatMap(admitted -> {
                    boolean storeDown = admitted.isEmpty();
                    StateStore.Snapshot state = admitted.orElseGet(() -> degraded(principal, perMinute));
                    if (!state.allowed()) {
                        metrics.rateLimitRejection();
                        long seconds = Math.max(1, (state.retryAfter().toMillis() + 999) / 1000);
                        return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.RATE_LIMITED,
                                "Rate limit reached: this API key may make " + perMinute
                                        + " tool calls per minute. Retry in " + seconds + " s.",
                                Duration.ofSeconds(seconds)));
                    }
                    return identity(credentials, principal, state, storeDown, freshIdentity)
                            .flatMap(known -> override(credentials, principal, state, storeDown).flatMap(override -> decide(
                                    credentials, principal, known, new OrganizationRules.StoreView(override, storeDown,
                                            state.storeLostDataAt()), alsoRead.flatMap(state::get), storeDown)));
                });
    }

    /** An identity, and whether it came from a cache (and may be older than what the workspace says now). */
    private record Known(Identity identity, boolean cached) {
    }

    /** With the store down: rate-limit in this process, and know nothing the store holds. */
    private StateStore.Snapshot degraded(String principal, int perMinute) {
        Duration wait = fallbackLimiter.take(principal, perMinute);
        return new StateStore.Snapshot(wait.isZero(), wait, Map.of(), Optional.empty());
    }

    private Uni<Known> identity(Credentials credentials, String principal, StateStore.Snapshot state, boolean storeDown,
            boolean fresh) {
        Optional<Identity> cached = storeDown
                ? keys.local(principal, Duration.ofSeconds(config.identityCacheSeconds()))
                : keys.cached(principal, state.get(Field.IDENTITY));
        if (cached.isPresent() && !fresh) {
            metrics.authentication("ok", true);
            return Uni.createFrom().item(new Known(cached.get(), true));
        }
        if (cached.isPresent()) {
            // a key known to be valid: asked again without the failed-authentication throttle; when the workspace
            // cannot answer, what was cached still stands
            return fetched(credentials, principal, storeDown).map(identity -> new Known(identity, false))
                    .onFailure(failure -> !(failure instanceof TenancyException))
                    .recoverWithItem(failure -> new Known(cached.get(), true));
        }
        boolean knownValid = keys.recentlyValid(principal) || state.get(Field.KNOWN_VALID).isPresent();
        Duration wait = knownValid ? Duration.ZERO : throttle.waitFor(credentials.clientAddress());
        if (!wait.isZero()) {
            metrics.authFailureThrottled();
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.TOO_MANY_FAILED_AUTHENTICATIONS,
                    "Too many failed authentications from this client address; wait " + seconds + " s, then check "
                            + credentials.source().key() + ". (A key this gateway accepted before is not held back.)",
                    Duration.ofSeconds(seconds)));
        }
        return fetched(credentials, principal, storeDown).map(identity -> new Known(identity, false));
    }

    /** The key's identity as the workspace says it now, cached for the calls that follow. */
    private Uni<Identity> fetched(Credentials credentials, String principal, boolean storeDown) {
        return keys.fetch(principal, credentials.authorization())
                .onFailure(TenancyException.class).invoke(failure -> {
                    if (((TenancyException) failure).reason() == TenancyException.Reason.INVALID_KEY) {
                        keys.refused(principal);
                        throttle.failed(credentials.clientAddress());
                        if (!storeDown) {
                            quietly(store.delete(principal, Field.KNOWN_VALID));
                        }
                    }
                })
                .onFailure(TenancyException.class).transform(failure -> ((TenancyException) failure).reason()
                        == TenancyException.Reason.INVALID_KEY ? invalidKey(credentials) : failure)
                .call(identity -> cache(principal, identity, storeDown));
    }

    private Uni<Void> cache(String principal, Identity identity, boolean storeDown) {
        String json = keys.json(identity);
        keys.remember(principal, identity, json);
        if (storeDown) {
            return Uni.createFrom().voidItem(); // one timeout per call at most: the store is not asked again now
        }
        Uni<Void> known = store.write(principal, Field.KNOWN_VALID, "1", KNOWN_VALID_FOR);
        Uni<Void> cached = config.identityCacheSeconds() <= 0 ? Uni.createFrom().voidItem()
                : store.write(principal, Field.IDENTITY, json, Duration.ofSeconds(config.identityCacheSeconds()));
        return Uni.combine().all().unis(known, cached).discardItems().onFailure().recoverWithItem(failure -> {
            metrics.stateStoreError("write");
            return null;
        });
    }

    /**
     * The key's switch: the one read in the round trip, or, when there is none and the key's identity is not cached
     * either (a call that asks the workspace anyway), one kept under the name earlier versions used, moved to the keyed
     * name so that upgrading keeps every switch.
     */
    private Uni<Optional<String>> override(Credentials credentials, String principal, StateStore.Snapshot state,
            boolean storeDown) {
        Optional<String> override = state.get(Field.ACTIVE_ORGANIZATION);
        if (override.isPresent() || storeDown || state.get(Field.IDENTITY).isPresent() || credentials.actingUser().isPresent()) {
            return Uni.createFrom().item(override);
        }
        String legacy = Principals.legacy(credentials.apiKey().get());
        return store.read(legacy, Field.ACTIVE_ORGANIZATION).flatMap(old -> {
            if (old.isEmpty()) {
                return Uni.createFrom().item(Optional.<String> empty());
            }
            return store.remaining(legacy, Field.ACTIVE_ORGANIZATION)
                    .flatMap(left -> store.writeIfAbsent(principal, Field.ACTIVE_ORGANIZATION, old.get(),
                            left.orElse(overrideTtl())))
                    .flatMap(moved -> store.delete(legacy, Field.ACTIVE_ORGANIZATION)
                            .replaceWith(moved ? old : Optional.<String> empty()))
                    .invoke(() -> LOG.infof("Moved an organization switch to the keyed name of its key (%s)",
                            principal.substring(0, 8)));
        }).onFailure().recoverWithItem(failure -> Optional.empty());
    }

    private Uni<Caller> decide(Credentials credentials, String principal, Known known, OrganizationRules.StoreView view,
            Optional<String> stored, boolean storeDown) {
        Identity identity = known.identity();
        OrganizationRules.Decision decision;
        try {
            decision = OrganizationRules.decide(identity, credentials, view);
        } catch (TenancyException refused) {
            return Uni.createFrom().failure(refused);
        }
        if (decision.clearStaleOverride() && known.cached()) {
            // a switch is never dropped on an old word: the key may have regained the organization since it was cached
            return fetched(credentials, principal, storeDown).flatMap(now -> decide(credentials, principal,
                    new Known(now, false), view, stored, storeDown));
        }
        Caller caller = new Caller(credentials, principal, identity, decision.resolution(), stored);
        if (!decision.clearStaleOverride()) {
            return Uni.createFrom().item(caller);
        }
        LOG.infof("Clearing an organization override: the key (%s) no longer reaches %s", identity.keyId(),
                view.override().orElse("?"));
        return store.delete(principal, Field.ACTIVE_ORGANIZATION)
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

    /** Keeps a value for the caller (best effort: a store that does not answer loses it, and that is counted). */
    public void keep(Caller caller, Field field, String value, Duration ttl) {
        quietly(store.write(caller.principal(), field, value, ttl));
    }

    /** Forgets a value kept for the caller (best effort). */
    public void forget(Caller caller, Field field) {
        quietly(store.delete(caller.principal(), field));
    }

    private void quietly(Uni<Void> write) {
        write.onFailure().invoke(failure -> metrics.stateStoreError("write")).onFailure().recoverWithNull()
                .subscribe().with(ignored -> {
                });
    }

    /**
     * The workspace refused the key or the organization: forget what was cached, and a switch the key lost. This
     * replica forgets at once; the shared store a moment later (its writes are not waited for).
     */
    void accessLost(@Observes AccessLost lost) {
        keys.forget(lost.principal());
        Uni<Void> forget = store.delete(lost.principal(), Field.IDENTITY);
        if (lost instanceof AccessLost.KeyRefused) {
            keys.refused(lost.principal());
            forget = forget.flatMap(ignored -> store.delete(lost.principal(), Field.KNOWN_VALID));
        } else if (lost instanceof AccessLost.OrganizationRefused refused && refused.viaOverride()) {
            forget = forget.flatMap(ignored -> store.delete(lost.principal(), Field.ACTIVE_ORGANIZATION));
        }
        quietly(forget);
    }
}
