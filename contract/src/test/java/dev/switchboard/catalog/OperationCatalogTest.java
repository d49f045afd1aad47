package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class OperationCatalogTest {

    private final OperationCatalog catalog = OperationCatalog.builtIn();

    /** The operation catalog of the product specification; its names are final. */
    static final Set<String> SPECIFIED = Set.of("auth_whoami", "organizations_index", "organizations_get", "agents_list",
            "agents_get", "agents_create", "agents_update", "agents_delete", "agents_tools_list", "agents_tools_attach",
            "agents_tools_detach", "agents_files_list", "agents_files_upload", "agents_files_delete", "contacts_list",
            "contacts_get", "contacts_create", "contacts_update", "contacts_delete", "contacts_bulk_delete", "contacts_import",
            "contact_fields_list", "contact_fields_create", "contact_fields_update", "contact_fields_delete",
            "contacts_duplicates_list", "contacts_duplicates_resolve", "contacts_deduplicate", "conversations_list",
            "conversations_by_contact", "messages_send_sms", "messages_send_email", "calls_trigger", "calls_get",
            "transcripts_list", "transcripts_get", "transcripts_download", "workflows_list", "workflows_get", "workflows_create",
            "workflows_update", "workflows_delete", "workflows_run", "workflows_enrollments_list", "workflows_enrollments_add",
            "workflows_enrollments_remove", "campaigns_list", "campaigns_get", "campaigns_create", "campaigns_update",
            "campaigns_delete", "campaigns_send", "campaigns_stats", "campaign_senders_list", "campaign_senders_create",
            "segments_list", "crm_pipelines_list", "crm_opportunities_list", "crm_opportunities_get", "crm_opportunities_create",
            "crm_opportunities_update", "crm_opportunities_delete", "tools_list", "tools_run", "tools_get_config", "tools_logs",
            "inbox_accounts_list", "inbox_threads_list", "inbox_threads_search", "inbox_threads_filter", "inbox_thread_get",
            "inbox_send_message", "inbox_thread_action", "inbox_labels_list", "inbox_thread_labels_update",
            "inbox_contacts_list", "inbox_profile_get", "analytics_summary", "analytics_overview", "analytics_top_pages",
            "analytics_top_referrers", "tracking_clients_list", "tracking_clients_create", "tracking_clients_delete",
            "insights_list", "insights_report_get", "insights_run_all", "insights_run", "insights_create_custom", "jobs_get",
            "jobs_cancel");

    /**
     * The curated default tool set of the product specification (shared catalog, "C"): curating an operation is a change
     * of the specification, made here and in the contract (x-curated). No other test names or counts this set
     * (gateway tests derive it from the contract: support/ToolSet).
     */
    static final Set<String> CURATED = Set.of("agents_list", "contacts_list", "contacts_get", "contacts_create",
            "contacts_update", "conversations_list", "messages_send_sms", "messages_send_email", "calls_trigger",
            "transcripts_list", "workflows_list", "workflows_run", "campaigns_list", "campaigns_send", "campaigns_stats",
            "crm_opportunities_list", "inbox_threads_search", "inbox_thread_get", "inbox_send_message", "inbox_thread_action",
            "inbox_thread_labels_update", "analytics_overview", "insights_list",
            // the reads of the reference documents' inbox blueprints, as read-only tools
            "inbox_accounts_list", "inbox_threads_list", "inbox_threads_filter", "inbox_labels_list", "inbox_contacts_list",
            "inbox_profile_get");

    static final Set<String> JOBS = Set.of("contacts_import", "contacts_deduplicate", "calls_trigger", "workflows_run",
            "campaigns_send", "insights_run_all", "insights_run", "insights_create_custom");

    @Test
    void theContractDefinesExactlyTheSpecifiedOperations() {
        assertThat(new TreeSet<>(catalog.names())).isEqualTo(new TreeSet<>(SPECIFIED));
    }

    @Test
    void curatedAndLongOperationsComeFromTheContract() {
        assertThat(catalog.all().stream().filter(Operation::curated).map(Operation::name)).containsExactlyInAnyOrderElementsOf(CURATED);
        assertThat(catalog.all().stream().filter(Operation::job).map(Operation::name)).containsExactlyInAnyOrderElementsOf(JOBS);
        assertThat(catalog.all()).filteredOn(Operation::job).allMatch(op -> op.successStatus() == 202);
    }

    @Test
    void noToolTakesAnOrganizationAndScopedPathsStartWithIt() {
        for (Operation operation : catalog.all()) {
            assertThat(operation.inputSchema().path("properties").has("organizationId")).as(operation.name()).isFalse();
            if (operation.organizationScoped()) {
                assertThat(operation.pathTemplate()).startsWith("/v1/organizations/{organizationId}");
            }
        }
        assertThat(catalog.all()).filteredOn(op -> !op.organizationScoped()).extracting(Operation::name)
                .containsExactlyInAnyOrder("auth_whoami", "organizations_index");
    }

    @Test
    void inboxToolsTakeAnOptionalAccountAndWritesAnIdempotencyKey() {
        Operation send = catalog.require("inbox_send_message");
        assertThat(send.inbox()).isTrue();
        assertThat(send.inputSchema().path("properties").has("accountId")).isTrue();
        assertThat(required(send.inputSchema())).doesNotContain("accountId").contains("to", "body");
        assertThat(send.inputSchema().path("properties").has("idempotencyKey")).isTrue();
        for (Operation operation : catalog.all()) {
            if (operation.method().equals("POST") || operation.method().equals("PATCH")) {
                assertThat(operation.acceptsIdempotencyKey()).as(operation.name()).isTrue();
            }
            assertThat(operation.inputSchema().path("additionalProperties").asBoolean(true)).as(operation.name()).isFalse();
        }
    }

    @Test
    void bodiesAreFlattenedWithTheirConstraints() {
        Operation labels = catalog.require("inbox_thread_labels_update");
        assertThat(required(labels.inputSchema())).containsExactly("threadId");
        // "at least one of addLabelIds and removeLabelIds" survives the flattening
        assertThat(labels.inputSchema().path("anyOf").toString()).contains("addLabelIds").contains("removeLabelIds");
        Operation create = catalog.require("contacts_create");
        assertThat(create.inputSchema().path("anyOf").toString()).contains("email").contains("phone");
        JsonNode limit = catalog.require("contacts_list").inputSchema().path("properties").path("limit");
        assertThat(limit.path("maximum").asInt()).isEqualTo(100);
        assertThat(limit.path("default").asInt()).isEqualTo(25);
    }

    @Test
    void hintsFollowTheMethod() {
        Operation list = catalog.require("contacts_list");
        Operation delete = catalog.require("contacts_delete");
        Operation update = catalog.require("contacts_update");
        assertThat(list.readOnly()).isTrue();
        assertThat(list.idempotent()).isTrue();
        assertThat(delete.destructive()).isTrue();
        assertThat(delete.idempotent()).isTrue();
        assertThat(update.readOnly()).isFalse();
        assertThat(update.idempotent()).isFalse();
        assertThat(catalog.require("messages_send_sms").openWorld()).isTrue();
    }

    @Test
    void schemasAreSelfContained() {
        for (Operation operation : catalog.all()) {
            assertThat(operation.inputSchema().toString()).as(operation.name()).doesNotContain("$ref").doesNotContain("nullable");
            assertThat(operation.responseSchema().toString()).as(operation.name()).doesNotContain("$ref");
        }
    }

    /** MCP_TOOL_NAMING=reference: every operation has a verb-first name of its own, named in the contract. */
    @Test
    void everyOperationHasADistinctVerbFirstName() {
        Set<String> names = new TreeSet<>();
        for (Operation operation : catalog.all()) {
            assertThat(operation.referenceName()).as(operation.name()).isNotEqualTo(operation.name()).matches("[a-z]+(_[a-z]+)+");
            assertThat(names.add(operation.referenceName())).as("%s is named once", operation.referenceName()).isTrue();
        }
        assertThat(catalog.require("contacts_list").referenceName()).isEqualTo("list_contacts");
        assertThat(catalog.require("inbox_thread_get").referenceName()).isEqualTo("get_thread");
        assertThat(catalog.require("campaigns_stats").referenceName()).isEqualTo("get_campaign_stats");
        assertThat(OperationCatalog.verbFirst("reports_list")).isEqualTo("list_reports");
        assertThat(OperationCatalog.verbFirst("reports_archived")).isEqualTo("reports_archived");
    }

    @Test
    void anArgumentsAliasIsNamedAfterOneFullStop() {
        String limit = catalog.require("contacts_list").inputSchema().path("properties").path("limit").path("description").asText();
        assertThat(limit).isEqualTo("Maximum number of items to return (1-100). Also accepted as maxResults.");
        assertThat(catalog.require("inbox_threads_list").responseSchema().path("properties").has("nextPageToken")).isTrue();
    }

    private static List<String> required(JsonNode schema) {
        List<String> names = new java.util.ArrayList<>();
        schema.path("required").forEach(n -> names.add(n.asText()));
        return names;
    }
}
