package dev.switchboard.tenancy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.catalog.Operation;
import dev.switchboard.catalog.OperationCatalog;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.observability.GatewayMetrics;
import dev.switchboard.workspace.UpstreamFailure;
import dev.switchboard.workspace.UpstreamRequest;
import dev.switchboard.workspace.WorkspaceClient;
import io.smallrye.mutiny.Uni;

/**
 * Who is calling and which organization the call acts on. One state-store round trip per call in the steady state:
 * rate limit, cached identity and override are read together.
 */
@ApplicationScoped
public class Tenancy {

    private static final Logger LOG = Logger.getLogger(Tenancy.class);
    private static final int MAX_ORGANIZATION_PAGES = 20;

    /** A caller admitted for one tool call. */
    public record Caller(CallerHeaders headers, String keyHash, Identity identity, ActiveOrganization active) {

        public Identity.OrganizationRef organization() {
            return active.organization();
        }
    }

    private final StateStore store;
    private final InProcessStateStore fallbackLimiter = new InProcessStateStore(Optional.empty());
    private final WorkspaceClient workspace;
    private final ObjectMapper mapper;
    private final GatewayMetrics metrics;
    private final GatewayConfig config;
    private final Operation whoami;
    private final Operation organizationsIndex;

    Tenancy(StateStore store, WorkspaceClient workspace, ObjectMapper mapper, GatewayMetrics metrics, GatewayConfig config,
            OperationCatalog catalog) {
        this.store = store;
        this.workspace = workspace;
        this.mapper = mapper;
        this.metrics = metrics;
        this.config = config;
        this.whoami = catalog.require("auth_whoami");
        this.organizationsIndex = catalog.require("organizations_index");
    }

    public String storeKind() {
        return store.kind();
    }

    /**
     * Checks the key, takes a rate-limit token and resolves the active organization.
     *
     * @throws TenancyException (as a failed Uni) when the call cannot go ahead
     */
    public Uni<Caller> admit(CallerHeaders headers) {
        if (headers.apiKey().isEmpty()) {
            metrics.authentication("missing_key", false);
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.AUTHENTICATION_REQUIRED,
                    "Authentication required: send the header Authorization: Bearer <API key> with every tool call "
                            + "(add it to the headers of this server in your MCP client's configuration)."));
        }
        String keyHash = headers.keyHash();
        int perMinute = config.rateLimitPerMinute();
        return store.admit(keyHash, perMinute)
                .map(Optional::of)
                .onFailure(StateStoreUnavailable.class).recoverWithItem(failure -> {
                    metrics.stateStoreError("admit");
                    return Optional.<StateStore.Admission> empty();
                })
                .flatMap(admission -> {
                    StateStore.Admission state = admission.orElseGet(() -> degradedAdmission(keyHash, perMinute));
                    if (!state.allowed()) {
                        metrics.rateLimitRejection();
                        long seconds = Math.max(1, (state.retryAfter().toMillis() + 999) / 1000);
                        return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.RATE_LIMITED,
                                "Rate limit reached: this API key may make " + perMinute
                                        + " tool calls per minute. Retry in " + seconds + " s.",
                                Duration.ofSeconds(seconds)));
                    }
                    return identity(headers, keyHash, state.identity())
                            .flatMap(identity -> resolve(headers, keyHash, identity, state.activeOrganization(),
                                    admission.isEmpty()));
                });
    }

    /** With the store down: rate-limit in this process, and know nothing cached. */
    private StateStore.Admission degradedAdmission(String keyHash, int perMinute) {
        Duration wait = fallbackLimiter.take(keyHash, perMinute);
        return new StateStore.Admission(wait.isZero(), wait, Optional.empty(), Optional.empty());
    }

    private Uni<Identity> identity(CallerHeaders headers, String keyHash, Optional<String> cached) {
        if (cached.isPresent()) {
            try {
                Identity identity = mapper.readValue(cached.get(), Identity.class);
                metrics.authentication("ok", true);
                return Uni.createFrom().item(identity);
            } catch (JsonProcessingException e) {
                LOG.debug("ignoring an unreadable cached identity");
            }
        }
        return fetchIdentity(headers).call(identity -> cacheIdentity(keyHash, identity));
    }

    private Uni<Void> cacheIdentity(String keyHash, Identity identity) {
        if (config.identityCacheSeconds() <= 0) {
            return Uni.createFrom().voidItem();
        }
        try {
            return store.cacheIdentity(keyHash, mapper.writeValueAsString(identity),
                    Duration.ofSeconds(config.identityCacheSeconds()))
                    .onFailure().recoverWithItem(failure -> {
                        metrics.stateStoreError("write");
                        return null;
                    });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Uni<Identity> fetchIdentity(CallerHeaders headers) {
        String authorization = headers.authorization();
        return workspace.execute(UpstreamRequest.of(whoami, authorization, null, Map.of()))
                .flatMap(who -> organizations(authorization, null, new ArrayList<>(), 0).map(orgs -> {
                    metrics.authentication("ok", false);
                    List<String> agencies = new ArrayList<>();
                    who.path("agencyIds").forEach(a -> agencies.add(a.asText()));
                    return new Identity(who.path("keyId").asText(),
                            Identity.KeyKind.valueOf(who.path("kind").asText("user").toUpperCase(java.util.Locale.ROOT)),
                            who.path("user").path("name").asText(null), who.path("defaultOrganizationId").asText(null),
                            List.copyOf(agencies), List.copyOf(orgs));
                }))
                .onFailure(UpstreamFailure.Rejected.class).transform(failure -> {
                    if (((UpstreamFailure) failure).status() == 401) {
                        metrics.authentication("invalid_key", false);
                        return new TenancyException(TenancyException.Reason.INVALID_KEY,
                                "Invalid or expired API key: the workspace does not accept it (unknown, revoked or expired). "
                                        + "Create a new key and update the Authorization header of this server.");
                    }
                    metrics.authentication("error", false);
                    return failure;
                });
    }

    private Uni<List<Identity.OrganizationRef>> organizations(String authorization, String cursor,
            List<Identity.OrganizationRef> collected, int page) {
        java.util.Map<String, Object> arguments = new java.util.HashMap<>();
        arguments.put("limit", 100);
        if (cursor != null) {
            arguments.put("cursor", cursor);
        }
        return workspace.execute(UpstreamRequest.of(organizationsIndex, authorization, null, arguments)).flatMap(body -> {
            for (JsonNode org : body.path("items")) {
                collected.add(new Identity.OrganizationRef(org.path("id").asText(), org.path("name").asText(),
                        org.path("slug").asText(), org.path("agencyId").asText(null)));
            }
            String next = body.path("nextCursor").asText(null);
            if (next == null || page + 1 >= MAX_ORGANIZATION_PAGES) {
                return Uni.createFrom().item(collected);
            }
            return organizations(authorization, next, collected, page + 1);
        });
    }

    private Uni<Caller> resolve(CallerHeaders headers, String keyHash, Identity identity, Optional<String> override,
            boolean storeDown) {
        List<Identity.OrganizationRef> reachable = identity.organizations();
        if (headers.agencyId().isPresent()) {
            String agency = headers.agencyId().get();
            if (!identity.agencyIds().contains(agency)) {
                return noOrganization("This API key has no access to agency " + agency + " (X-Agency-ID)"
                        + (identity.agencyIds().isEmpty() ? "; it acts through no agency: remove the X-Agency-ID header."
                                : "; it may act through: " + String.join(", ", identity.agencyIds()) + "."));
            }
            reachable = reachable.stream().filter(o -> agency.equals(o.agencyId())).toList();
        }
        if (reachable.isEmpty()) {
            return noOrganization("No active organization: this API key reaches no organization"
                    + (headers.agencyId().isPresent() ? " of agency " + headers.agencyId().get() : "")
                    + ". Ask an administrator for access, or use another key.");
        }
        List<Identity.OrganizationRef> candidates = reachable;
        if (headers.companyId().isPresent()) {
            String companyId = headers.companyId().get();
            return candidates.stream().filter(o -> o.id().equals(companyId)).findFirst()
                    .map(org -> Uni.createFrom().item(caller(headers, keyHash, identity, org, ActiveOrganization.Source.HEADER, candidates)))
                    .orElseGet(() -> noOrganization("Organization " + companyId + " (X-Company-ID) is not reachable with "
                            + "this API key. It reaches: " + describe(candidates) + ". Fix or remove the X-Company-ID header."));
        }
        if (storeDown) {
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.STATE_STORE_UNAVAILABLE,
                    "The organization state store is unavailable, so the gateway cannot tell which organization is "
                            + "active for this key; nothing was done. Retry in a few seconds, or pin the organization "
                            + "with the X-Company-ID header."));
        }
        if (override.isPresent()) {
            Optional<Identity.OrganizationRef> overridden = candidates.stream().filter(o -> o.id().equals(override.get())).findFirst();
            if (overridden.isPresent()) {
                return Uni.createFrom().item(caller(headers, keyHash, identity, overridden.get(), ActiveOrganization.Source.OVERRIDE,
                        candidates));
            }
            LOG.infof("Clearing a stale organization override (organization %s is no longer reachable)", override.get());
            return store.clearActiveOrganization(keyHash)
                    .onFailure().recoverWithItem(failure -> {
                        metrics.stateStoreError("write");
                        return null;
                    })
                    .map(ignored -> byDefault(headers, keyHash, identity, candidates));
        }
        return Uni.createFrom().item(byDefault(headers, keyHash, identity, candidates));
    }

    private Caller byDefault(CallerHeaders headers, String keyHash, Identity identity, List<Identity.OrganizationRef> reachable) {
        if (identity.defaultOrganizationId() != null) {
            Optional<Identity.OrganizationRef> byDefault = reachable.stream()
                    .filter(o -> o.id().equals(identity.defaultOrganizationId())).findFirst();
            if (byDefault.isPresent()) {
                return caller(headers, keyHash, identity, byDefault.get(), ActiveOrganization.Source.DEFAULT, reachable);
            }
        }
        return caller(headers, keyHash, identity, reachable.get(0), ActiveOrganization.Source.OLDEST, reachable);
    }

    private static Caller caller(CallerHeaders headers, String keyHash, Identity identity, Identity.OrganizationRef org,
            ActiveOrganization.Source source, List<Identity.OrganizationRef> reachable) {
        return new Caller(headers, keyHash, identity, new ActiveOrganization(org, source, reachable));
    }

    private static <T> Uni<T> noOrganization(String message) {
        return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.NO_ACTIVE_ORGANIZATION, message));
    }

    private static String describe(List<Identity.OrganizationRef> organizations) {
        return organizations.stream().map(o -> o.id() + " (" + o.name() + ")").collect(Collectors.joining(", "));
    }

    /**
     * Sets the 24-hour override for the caller's key.
     *
     * @return the organization now active
     * @throws TenancyException when the key may not switch, or the target is not reachable
     */
    public Uni<Identity.OrganizationRef> switchOrganization(Caller caller, String organizationId) {
        if (caller.identity().kind() == Identity.KeyKind.LEGACY) {
            metrics.organizationSwitch("refused");
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.NO_ACTIVE_ORGANIZATION,
                    "This is a legacy organization-scoped key: it always acts on " + caller.organization().name() + " ("
                            + caller.organization().id() + ") and cannot switch. Use a per-user key to work across organizations."));
        }
        if (caller.headers().companyId().isPresent()) {
            metrics.organizationSwitch("refused");
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.NO_ACTIVE_ORGANIZATION,
                    "The X-Company-ID header pins this connection to " + caller.headers().companyId().get()
                            + "; a switch would have no effect. Remove the header from the client configuration to switch."));
        }
        Optional<Identity.OrganizationRef> target = caller.active().reachable().stream()
                .filter(o -> o.id().equals(organizationId)).findFirst();
        if (target.isEmpty()) {
            metrics.organizationSwitch("refused");
            return Uni.createFrom().failure(new TenancyException(TenancyException.Reason.NO_ACTIVE_ORGANIZATION,
                    "Organization " + organizationId + " is not reachable with this API key. It reaches: "
                            + describe(caller.active().reachable()) + "."));
        }
        return store.setActiveOrganization(caller.keyHash(), organizationId, overrideTtl())
                .onFailure(StateStoreUnavailable.class).transform(failure -> {
                    metrics.stateStoreError("write");
                    metrics.organizationSwitch("refused");
                    return new TenancyException(TenancyException.Reason.STATE_STORE_UNAVAILABLE,
                            "The organization state store is unavailable; the switch was not saved. Retry in a few seconds.");
                })
                .invoke(() -> metrics.organizationSwitch("ok"))
                .replaceWith(target.get());
    }

    /** The workspace refused the organization (403): forget what was cached, and a stale override. */
    public Uni<Void> organizationRefused(Caller caller) {
        Uni<Void> forget = store.forgetIdentity(caller.keyHash());
        if (caller.active().source() == ActiveOrganization.Source.OVERRIDE) {
            forget = forget.flatMap(ignored -> store.clearActiveOrganization(caller.keyHash()));
        }
        return forget.onFailure().recoverWithItem(failure -> {
            metrics.stateStoreError("write");
            return null;
        });
    }

    /** The workspace no longer accepts the key (401): forget its cached identity. */
    public Uni<Void> keyRefused(Caller caller) {
        return store.forgetIdentity(caller.keyHash()).onFailure().recoverWithItem(failure -> {
            metrics.stateStoreError("write");
            return null;
        });
    }

    public Duration overrideTtl() {
        return Duration.ofSeconds(config.overrideTtlSeconds());
    }
}
