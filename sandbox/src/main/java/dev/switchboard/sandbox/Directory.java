package dev.switchboard.sandbox;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.switchboard.contract.model.Organization;
import dev.switchboard.contract.model.User;

/**
 * Organizations, users, agencies and API keys of the sandbox, as fixed by the sandbox specification, plus the user
 * memberships that tests may revoke and grant at run time.
 */
final class Directory {

    /** The demo keys, in the order the README lists them. */
    static final List<DemoKey> DEMO_KEYS = List.of(
            new DemoKey("sbx_alice", "user (Alice)", "org_acme, org_globex", "org_acme"),
            new DemoKey("sbx_bob", "user (Bob)", "org_globex", "org_globex"),
            new DemoKey("sbx_agency", "user (Northwind agency operator)", "agency_northwind: org_acme, org_globex", "org_acme"),
            new DemoKey("sbx_legacy_initech", "legacy, organization-scoped", "org_initech only; cannot switch", "org_initech"),
            new DemoKey("sbx_master", "master", "every organization", "the oldest: org_acme"),
            new DemoKey("sbx_revoked", "user, revoked", "none: every call is refused", "-"));

    record DemoKey(String key, String kind, String access, String defaultOrganization) {
    }

    static final String NORTHWIND = "agency_northwind";
    private static final OffsetDateTime EPOCH = OffsetDateTime.parse("2024-01-08T09:00:00Z");

    private final Map<String, Organization> organizations = new LinkedHashMap<>();
    private final Map<String, User> users = new LinkedHashMap<>();
    private final Map<String, SandboxKey> keysBySecret = new LinkedHashMap<>();
    private final Map<String, Set<String>> agencyOrganizations = new LinkedHashMap<>();
    private final Map<String, Set<String>> memberships = new ConcurrentHashMap<>();

    Directory() {
        organization("org_acme", "Acme Inc", "acme", NORTHWIND, EPOCH);
        organization("org_globex", "Globex Corporation", "globex", NORTHWIND, EPOCH.plusDays(41));
        organization("org_initech", "Initech", "initech", null, EPOCH.plusDays(97));
        agencyOrganizations.put(NORTHWIND, Set.of("org_acme", "org_globex"));

        user("usr_alice", "Alice Archer", "alice@acme.test", "org_acme", "org_globex");
        user("usr_bob", "Bob Baker", "bob@globex.test", "org_globex");
        user("usr_nora", "Nora Northwind", "nora@northwind.test");
        user("usr_carol", "Carol Chen", "carol@initech.test", "org_initech", "org_globex");

        key("sbx_alice", "key_alice", SandboxKey.Kind.USER, "usr_alice", "org_acme", List.of(), false);
        key("sbx_bob", "key_bob", SandboxKey.Kind.USER, "usr_bob", "org_globex", List.of(), false);
        key("sbx_agency", "key_agency", SandboxKey.Kind.USER, "usr_nora", "org_acme", List.of(NORTHWIND), false);
        key("sbx_legacy_initech", "key_legacy_initech", SandboxKey.Kind.LEGACY, null, "org_initech", List.of(), false);
        key("sbx_master", "key_master", SandboxKey.Kind.MASTER, null, null, List.of(NORTHWIND), false);
        key("sbx_revoked", "key_revoked", SandboxKey.Kind.USER, "usr_alice", "org_acme", List.of(), true);
        serviceSecrets.add(SERVICE_SECRET);
    }

    /** The service credential: a gateway that authenticates its users itself acts for one of them with it. */
    static final String SERVICE_SECRET = dev.switchboard.catalog.EmbeddedSandbox.SERVICE_CREDENTIAL;
    private final Set<String> serviceSecrets = ConcurrentHashMap.newKeySet();

    private void organization(String id, String name, String slug, String agency, OffsetDateTime createdAt) {
        organizations.put(id, new Organization().id(id).name(name).slug(slug).agencyId(agency).createdAt(createdAt));
    }

    private void user(String id, String name, String email, String... organizationIds) {
        users.put(id, new User().id(id).name(name).email(email));
        memberships.put(id, ConcurrentHashMap.newKeySet());
        memberships.get(id).addAll(List.of(organizationIds));
    }

    private void key(String secret, String id, SandboxKey.Kind kind, String userId, String defaultOrganization,
            List<String> agencies, boolean revoked) {
        keysBySecret.put(secret, new SandboxKey(secret, id, kind, Optional.ofNullable(userId),
                Optional.ofNullable(defaultOrganization), agencies, revoked));
    }

    /** The key behind a secret, unless unknown or revoked. */
    Optional<SandboxKey> authenticate(String secret) {
        SandboxKey key = keysBySecret.get(secret);
        return key == null || key.revoked() ? Optional.empty() : Optional.of(key);
    }

    boolean isService(String secret) {
        return serviceSecrets.contains(secret);
    }

    /**
     * The service credential acting for a user: what that user's own key reaches (the user's organizations, the
     * oldest first as the default), unless the user is unknown.
     */
    Optional<SandboxKey> actingFor(String secret, String userId) {
        Set<String> member = memberships.get(userId);
        if (!isService(secret) || member == null) {
            return Optional.empty();
        }
        Optional<String> oldest = organizations.values().stream().filter(o -> member.contains(o.getId()))
                .min(java.util.Comparator.comparing(Organization::getCreatedAt)).map(Organization::getId);
        return Optional.of(new SandboxKey(secret, "key_service_for_" + userId, SandboxKey.Kind.USER, Optional.of(userId),
                oldest, List.of(), false));
    }

    Optional<Organization> organization(String id) {
        return Optional.ofNullable(organizations.get(id));
    }

    Optional<User> user(String id) {
        return Optional.ofNullable(users.get(id));
    }

    List<String> organizationIds() {
        return List.copyOf(organizations.keySet());
    }

    /** Organizations the key reaches, oldest first. */
    List<Organization> reachable(SandboxKey key) {
        Set<String> ids = new LinkedHashSet<>();
        switch (key.kind()) {
            case MASTER -> ids.addAll(organizations.keySet());
            case LEGACY -> key.defaultOrganizationId().ifPresent(ids::add);
            case USER -> {
                key.userId().map(memberships::get).ifPresent(ids::addAll);
                key.agencyIds().forEach(agency -> ids.addAll(agencyOrganizations.getOrDefault(agency, Set.of())));
            }
        }
        List<Organization> reachable = new ArrayList<>();
        for (Organization organization : organizations.values()) {
            if (ids.contains(organization.getId())) {
                reachable.add(organization);
            }
        }
        return reachable;
    }

    boolean canReach(SandboxKey key, String organizationId) {
        return reachable(key).stream().anyMatch(o -> o.getId().equals(organizationId));
    }

    /** Grants or revokes a user's membership; false when the user or organization does not exist. */
    boolean setMembership(String userId, String organizationId, boolean member) {
        Set<String> set = memberships.get(userId);
        if (set == null || !organizations.containsKey(organizationId)) {
            return false;
        }
        if (member) {
            set.add(organizationId);
        } else {
            set.remove(organizationId);
        }
        return true;
    }
}
