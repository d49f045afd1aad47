package dev.switchboard.tenancy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The rules that decide which organization a call acts on, as a pure function of the key's identity, what the caller
 * presented and what the state store holds. In order: the pin (X-Company-ID or MCP_COMPANY_ID), the key's switch
 * (override), the key's default organization, the oldest organization it reaches. An agency narrows what is reachable
 * for that one request and never changes shared state. When the store lost its data, a key that could have switched
 * fails closed until its choice is made again.
 */
public final class OrganizationRules {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * What the state store says about the key.
     *
     * @param override the organization the key switched to
     * @param storeDown the store did not answer: nothing is known about an override
     * @param storeLostDataAt when the store was found emptied, if that is recent enough that a lost switch could
     *        still be in force
     */
    public record StoreView(Optional<String> override, boolean storeDown, Optional<Instant> storeLostDataAt) {

        public static StoreView of(Optional<String> override) {
            return new StoreView(override, false, Optional.empty());
        }
    }

    /**
     * The outcome, and whether the key's override should be deleted because the key itself lost access to its
     * organization (never because of what one request narrowed).
     */
    public record Decision(Resolution resolution, boolean clearStaleOverride) {
    }

    private OrganizationRules() {
    }

    /** @throws TenancyException when what the caller presented cannot work at all (unreachable pin, unknown agency) */
    public static Decision decide(Identity identity, Credentials credentials, StoreView store) {
        Credentials.Source source = credentials.source();
        List<Identity.OrganizationRef> reachable = identity.organizations();
        if (credentials.agencyId().isPresent()) {
            String agency = credentials.agencyId().get();
            if (!identity.agencyIds().contains(agency)) {
                throw refused("This API key has no access to agency " + agency + " (" + source.agencySetting() + ")"
                        + (identity.agencyIds().isEmpty() ? "; it acts through no agency: remove " + source.agencySetting() + "."
                                : "; it may act through: " + String.join(", ", identity.agencyIds()) + "."));
            }
            reachable = reachable.stream().filter(o -> agency.equals(o.agencyId())).toList();
        }
        if (reachable.isEmpty()) {
            throw refused("No active organization: this API key reaches no organization"
                    + credentials.agencyId().map(a -> " of agency " + a).orElse("")
                    + ". Ask an administrator for access, or use another key.");
        }
        if (credentials.companyId().isPresent()) {
            String pinned = credentials.companyId().get();
            List<Identity.OrganizationRef> candidates = reachable;
            Optional<Identity.OrganizationRef> found = reachable.stream().filter(o -> o.id().equals(pinned)).findFirst();
            if (found.isPresent()) {
                return resolved(found.get(), ActiveOrganization.Source.HEADER, candidates, false);
            }
            if (credentials.agencyId().isPresent() && identity.organizations().stream().anyMatch(o -> o.id().equals(pinned))) {
                // the key reaches it: the agency narrowed it away, and the message says so
                throw refused(narrowedByAgency(credentials, pinned, source.companyPin(), reachable) + " Pin one of the agency's "
                        + "organizations with " + source.companyPin() + ", or remove " + source.agencySetting() + ".");
            }
            throw refused("Organization " + pinned + " (" + source.companyPin() + ") is not reachable with this API key. "
                    + "It reaches: " + describe(candidates) + ". Fix or remove " + source.companyPin() + ".");
        }
        if (identity.kind() == Identity.KeyKind.LEGACY) {
            // organization-scoped: there is no choice to make, to lose or to vouch for
            return byDefault(identity, reachable, false);
        }
        if (store.storeDown()) {
            return new Decision(new Resolution.Unresolved(reachable, TenancyException.Reason.STATE_STORE_UNAVAILABLE,
                    "The organization state store is unavailable, so the gateway cannot tell which organization is active "
                            + "for this key; nothing was done. Retry in a few seconds, or pin the organization with "
                            + source.companyPin() + "."), false);
        }
        if (store.override().isPresent()) {
            String chosen = store.override().get();
            Optional<Identity.OrganizationRef> overridden = reachable.stream().filter(o -> o.id().equals(chosen)).findFirst();
            if (overridden.isPresent()) {
                return resolved(overridden.get(), ActiveOrganization.Source.OVERRIDE, reachable, false);
            }
            boolean keyStillReachesIt = identity.organizations().stream().anyMatch(o -> o.id().equals(chosen));
            if (keyStillReachesIt) {
                // narrowed away by this request's agency: refuse this request, keep the key's choice for the others
                return new Decision(new Resolution.Unresolved(reachable, TenancyException.Reason.NO_ACTIVE_ORGANIZATION,
                        narrowedByAgency(credentials, chosen, "chosen with organizations_switch", reachable)
                                + " No organization is active for this request (it acted on none); the switch stays in force "
                                + "for this key's other clients. Remove "
                                + source.agencySetting() + " to act on " + chosen + ", or switch to one of the agency's "
                                + "organizations with organizations_switch."), false);
            }
            return new Decision(new Resolution.Unresolved(reachable, TenancyException.Reason.NO_ACTIVE_ORGANIZATION,
                    "This API key no longer reaches " + chosen + ", the organization it had switched to, so the switch was "
                            + "cleared and nothing was done. Call again to act on "
                            + fallback(identity, reachable).name() + " (" + fallback(identity, reachable).id()
                            + "), or switch with organizations_switch; it reaches: " + describe(reachable) + "."), true);
        }
        if (store.storeLostDataAt().isPresent() && reachable.size() > 1) {
            return new Decision(new Resolution.Unresolved(reachable, TenancyException.Reason.NO_ACTIVE_ORGANIZATION,
                    "The organization state store lost its data at " + TIME.format(store.storeLostDataAt().get())
                            + " (Redis restarted empty), so the gateway cannot tell which organization this key had chosen; "
                            + "nothing was done. Choose it again with organizations_switch (it reaches: " + describe(reachable)
                            + "), or pin it with " + source.companyPin() + "."), false);
        }
        return byDefault(identity, reachable, false);
    }

    /** Why an organization the key reaches is not this request's: the agency header (or setting) narrowed it away. */
    private static String narrowedByAgency(Credentials credentials, String organization, String how,
            List<Identity.OrganizationRef> reachable) {
        return "Agency " + credentials.agencyId().orElse("?") + " (" + credentials.source().agencySetting()
                + ") narrows this request to its organizations, " + describe(reachable) + ", and " + organization + " ("
                + how + ") is not one of them.";
    }

    private static Decision byDefault(Identity identity, List<Identity.OrganizationRef> reachable, boolean clear) {
        Identity.OrganizationRef chosen = fallback(identity, reachable);
        boolean isDefault = chosen.id().equals(identity.defaultOrganizationId());
        return resolved(chosen, isDefault ? ActiveOrganization.Source.DEFAULT : ActiveOrganization.Source.OLDEST, reachable, clear);
    }

    /** The key's default organization when it is reachable, else the oldest one. */
    static Identity.OrganizationRef fallback(Identity identity, List<Identity.OrganizationRef> reachable) {
        return reachable.stream().filter(o -> o.id().equals(identity.defaultOrganizationId())).findFirst()
                .orElse(reachable.get(0));
    }

    private static Decision resolved(Identity.OrganizationRef organization, ActiveOrganization.Source source,
            List<Identity.OrganizationRef> reachable, boolean clear) {
        return new Decision(new Resolution.Resolved(new ActiveOrganization(organization, source, reachable)), clear);
    }

    static String describe(List<Identity.OrganizationRef> organizations) {
        return organizations.stream().map(o -> o.id() + " (" + o.name() + ")").collect(Collectors.joining(", "));
    }

    private static TenancyException refused(String message) {
        return new TenancyException(TenancyException.Reason.NO_ACTIVE_ORGANIZATION, message);
    }
}
