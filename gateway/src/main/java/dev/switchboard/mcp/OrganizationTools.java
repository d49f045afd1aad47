package dev.switchboard.mcp;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.switchboard.tenancy.ActiveOrganization;
import dev.switchboard.tenancy.Admission;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.tenancy.Identity;
import dev.switchboard.tenancy.OrganizationSwitch;
import dev.switchboard.tenancy.TenancyException;
import io.smallrye.mutiny.Uni;

/** organizations_current, organizations_list and organizations_switch: which tenant the calls act on. */
@Singleton
class OrganizationTools {

    record NoArguments() {
    }

    record SwitchArguments(
            @JsonProperty(required = true) @JsonPropertyDescription("Organization to act on from now on (org_…), as listed by organizations_list.") String organizationId) {
    }

    record OrganizationView(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String slug) {
        static OrganizationView of(Identity.OrganizationRef ref) {
            return new OrganizationView(ref.id(), ref.name(), ref.slug());
        }
    }

    record CurrentOrganization(
            @JsonProperty(required = true) OrganizationView organization,
            @JsonProperty(required = true) @JsonPropertyDescription("user, legacy or master") String keyKind,
            @JsonProperty(required = true) @JsonPropertyDescription("Why this organization: header (X-Company-ID or MCP_COMPANY_ID), override (organizations_switch), default (the key's), or oldest (master key).") String source,
            @JsonProperty(required = true) String keyId,
            String userName,
            @JsonPropertyDescription("The agency narrowing what the key reaches (X-Agency-ID).") String agencyId,
            @JsonProperty(required = true) @JsonPropertyDescription("Whether organizations_switch can change the organization.") boolean canSwitch) {
    }

    record ReachableOrganization(@JsonProperty(required = true) String id, @JsonProperty(required = true) String name,
            @JsonProperty(required = true) String slug, String agencyId,
            @JsonProperty(required = true) @JsonPropertyDescription("The organization calls act on now.") boolean active) {
    }

    record OrganizationList(@JsonProperty(required = true) List<ReachableOrganization> items,
            @JsonPropertyDescription("Why no organization is active, when none is; switch to one of the items to choose.") String notice) {
    }

    record SwitchedOrganization(@JsonProperty(required = true) OrganizationView organization,
            @JsonPropertyDescription("The organization that was active before, when one was.") OrganizationView previous,
            @JsonProperty(required = true) @JsonPropertyDescription("How long the switch lasts.") String expiresIn) {
    }

    private final OrganizationSwitch switcher;
    private final Admission admission;
    private final ObjectMapper mapper;
    private final ToolNames names;

    OrganizationTools(OrganizationSwitch switcher, Admission admission, ObjectMapper mapper, ToolNames names) {
        this.names = names;
        this.switcher = switcher;
        this.admission = admission;
        this.mapper = mapper;
    }

    List<NativeTool> tools() {
        return List.of(
                new NativeTool("organizations_current", "Show the active organization",
                        "The organization tool calls act on now, the kind of the API key (user, legacy or master) and why "
                                + "this organization was chosen. Call it first when unsure which tenant is active.",
                        ToolSchemas.of(NoArguments.class), ToolSchemas.of(CurrentOrganization.class),
                        true, false, true, false, true, true, this::current),
                new NativeTool("organizations_list", "List reachable organizations",
                        "Every organization the API key can act on (narrowed by X-Agency-ID when sent), marking the active one.",
                        ToolSchemas.of(NoArguments.class), ToolSchemas.of(OrganizationList.class),
                        true, false, true, false, false, true, this::list),
                new NativeTool("organizations_switch", "Switch the active organization",
                        "Makes another reachable organization the active one for this API key, for 24 hours, on every "
                                + "replica. Legacy organization-scoped keys cannot switch, and an X-Company-ID header pins "
                                + "the organization.",
                        ToolSchemas.of(SwitchArguments.class), ToolSchemas.of(SwitchedOrganization.class),
                        false, false, true, false, false, true, this::switchTo));
    }

    private Uni<Reply> current(ToolCall call) {
        Caller caller = call.caller();
        ActiveOrganization active = caller.active();
        Identity identity = caller.identity();
        return reply(new CurrentOrganization(OrganizationView.of(active.organization()), identity.kind().label(),
                active.source().label(), identity.keyId(), identity.userName(),
                caller.credentials().agencyId().orElse(null),
                identity.kind() != Identity.KeyKind.LEGACY && caller.credentials().companyId().isEmpty()));
    }

    private Uni<Reply> list(ToolCall call) {
        Caller caller = call.caller();
        String activeId = caller.organizationIfKnown().map(Identity.OrganizationRef::id).orElse(null);
        String notice = caller.resolution() instanceof dev.switchboard.tenancy.Resolution.Unresolved unresolved
                ? names.rewrite(unresolved.message()) : null;
        return reply(new OrganizationList(caller.reachable().stream()
                .map(o -> new ReachableOrganization(o.id(), o.name(), o.slug(), o.agencyId(), o.id().equals(activeId)))
                .toList(), notice));
    }

    private Uni<Reply> switchTo(ToolCall call) {
        Caller caller = call.caller();
        String target = (String) call.arguments().get("organizationId");
        OrganizationView previous = caller.organizationIfKnown().map(OrganizationView::of).orElse(null);
        return switcher.switchTo(caller, target)
                .onFailure(TenancyException.class).transform(failure -> ((TenancyException) failure).reason()
                        == TenancyException.Reason.STATE_STORE_UNAVAILABLE ? failure : ToolFailure.invalid(failure.getMessage()))
                .flatMap(now -> reply(new SwitchedOrganization(OrganizationView.of(now), previous,
                        describe(admission.overrideTtl()))).map(reply -> reply.actingOn(now)));
    }

    private Uni<Reply> reply(Object result) {
        try {
            return Uni.createFrom().item(Reply.of(mapper.writeValueAsBytes(result)));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static String describe(Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + " hours" : duration.toSeconds() + " seconds";
    }
}
