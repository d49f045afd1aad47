package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.contract.model.Organization;
import dev.switchboard.contract.model.OrganizationList;
import dev.switchboard.contract.model.Whoami;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.workspace.UpstreamCredential;
import dev.switchboard.workspace.UpstreamFailure;
import dev.switchboard.workspace.WorkspaceClient;
import io.smallrye.mutiny.Uni;

/**
 * Who an API key is and what it reaches, asked of the workspace (auth_whoami, then organizations_index page by page)
 * and cached: by hash in the state store for every replica, parsed in this process so that a call does not re-read
 * the same JSON, and, for keys the workspace refused, briefly in this process so that repeating a bad key costs
 * nothing upstream. Concurrent calls of one key share one lookup.
 */
@ApplicationScoped
class KeyCheck {

    private static final int MAX_ORGANIZATION_PAGES = 20;
    private static final int MAX_LOCAL_ENTRIES = 10_000;

    /** The parsed form of a cached identity, kept while the store holds the same JSON, and when it was fetched. */
    private record Parsed(String json, Identity identity, long fetchedNanos) {
    }

    private final WorkspaceClient workspace;
    private final ObjectMapper mapper;
    private final GatewayMetrics metrics;
    private final Duration refusedKeyMemory;
    private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();
    private final Map<String, Long> refusedUntil = new ConcurrentHashMap<>();
    private final Map<String, Uni<Identity>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Long> validUntil = new ConcurrentHashMap<>();
    private static final long REMEMBER_VALID_NANOS = Duration.ofMinutes(15).toNanos();

    KeyCheck(WorkspaceClient workspace, ObjectMapper mapper, GatewayMetrics metrics, GatewayConfig config) {
        this.workspace = workspace;
        this.mapper = mapper;
        this.metrics = metrics;
        this.refusedKeyMemory = Duration.ofSeconds(config.limits().refusedKeyCacheSeconds());
    }

    /** The identity the store cached for the key, parsed once per distinct JSON. */
    Optional<Identity> cached(String principal, Optional<String> json) {
        if (json.isEmpty()) {
            return Optional.empty();
        }
        Parsed known = parsed.get(principal);
        if (known != null && known.json().equals(json.get())) {
            return Optional.of(known.identity());
        }
        try {
            Identity identity = mapper.readValue(json.get(), Identity.class);
            remember(principal, new Parsed(json.get(), identity, System.nanoTime()));
            return Optional.of(identity);
        } catch (JsonProcessingException e) {
            return Optional.empty(); // written by another version: ask the workspace again
        }
    }

    /**
     * The identity this replica fetched or read for the key, if it is younger than {@code maxAge}: what stands in for
     * the store's cache while the store does not answer, so that the workspace is not asked on every call.
     */
    Optional<Identity> local(String principal, Duration maxAge) {
        Parsed known = parsed.get(principal);
        return known != null && System.nanoTime() - known.fetchedNanos() < maxAge.toNanos() ? Optional.of(known.identity())
                : Optional.empty();
    }

    /** Whether the workspace refused this key moments ago. */
    boolean recentlyRefused(String principal) {
        Long until = refusedUntil.get(principal);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            refusedUntil.remove(principal, until);
            return false;
        }
        return true;
    }

    /** Whether this key was found valid lately: it is never held back by the failed-authentication throttle. */
    boolean recentlyValid(String principal) {
        Long until = validUntil.get(principal);
        return until != null && System.nanoTime() - until < 0;
    }

    void refused(String principal) {
        validUntil.remove(principal);
        if (refusedUntil.size() > MAX_LOCAL_ENTRIES) {
            refusedUntil.clear();
        }
        refusedUntil.put(principal, System.nanoTime() + refusedKeyMemory.toNanos());
        parsed.remove(principal);
    }

    void forget(String principal) {
        parsed.remove(principal);
    }

    /** Asks the workspace; one lookup per key at a time, however many calls wait for it. */
    Uni<Identity> fetch(String principal, UpstreamCredential authorization) {
        return inFlight.computeIfAbsent(principal, hash -> lookup(authorization)
                .onTermination().invoke(() -> inFlight.remove(hash))
                .memoize().indefinitely());
    }

    String json(Identity identity) {
        try {
            return mapper.writeValueAsString(identity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void remember(String principal, Identity identity, String json) {
        remember(principal, new Parsed(json, identity, System.nanoTime()));
    }

    private void remember(String principal, Parsed entry) {
        if (parsed.size() > MAX_LOCAL_ENTRIES) {
            parsed.clear();
            validUntil.clear();
        }
        parsed.put(principal, entry);
        validUntil.put(principal, System.nanoTime() + REMEMBER_VALID_NANOS);
    }

    private Uni<Identity> lookup(UpstreamCredential authorization) {
        return workspace.whoami(authorization)
                .flatMap(who -> organizations(authorization, null, new ArrayList<>(), 0).map(orgs -> identity(who, orgs)))
                .invoke(() -> metrics.authentication("ok", false))
                .onFailure(UpstreamFailure.Rejected.class).transform(failure -> {
                    if (((UpstreamFailure) failure).status() == 401) {
                        metrics.authentication("invalid_key", false);
                        return new TenancyException(TenancyException.Reason.INVALID_KEY, "Invalid or expired API key: the "
                                + "workspace does not accept it (unknown, revoked or expired). Create a new key and update "
                                + "the Authorization header of this server.");
                    }
                    metrics.authentication("error", false);
                    return failure;
                });
    }

    private static Identity identity(Whoami who, List<Identity.OrganizationRef> organizations) {
        // a kind this gateway does not know gets the narrowest treatment: a person's key
        Identity.KeyKind kind = who.getKind() == Whoami.KindEnum.LEGACY ? Identity.KeyKind.LEGACY
                : who.getKind() == Whoami.KindEnum.MASTER ? Identity.KeyKind.MASTER : Identity.KeyKind.USER;
        return new Identity(who.getKeyId(), kind,
                who.getUser() == null ? null : who.getUser().getName(), who.getDefaultOrganizationId(),
                who.getAgencyIds() == null ? List.of() : List.copyOf(who.getAgencyIds()), List.copyOf(organizations));
    }

    private Uni<List<Identity.OrganizationRef>> organizations(UpstreamCredential authorization, String cursor,
            List<Identity.OrganizationRef> collected, int page) {
        return workspace.organizations(authorization, cursor).flatMap((OrganizationList body) -> {
            if (body.getItems() != null) {
                for (Organization org : body.getItems()) {
                    collected.add(new Identity.OrganizationRef(org.getId(), org.getName(), org.getSlug(), org.getAgencyId()));
                }
            }
            String next = body.getNextCursor();
            if (next == null || page + 1 >= MAX_ORGANIZATION_PAGES) {
                return Uni.createFrom().item(collected);
            }
            return organizations(authorization, next, collected, page + 1);
        });
    }
}
