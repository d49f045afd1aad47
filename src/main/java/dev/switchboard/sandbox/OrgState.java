package dev.switchboard.sandbox;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.switchboard.contract.model.AddressBookContact;
import dev.switchboard.contract.model.Agent;
import dev.switchboard.contract.model.AgentFile;
import dev.switchboard.contract.model.AgentTool;
import dev.switchboard.contract.model.Call;
import dev.switchboard.contract.model.Campaign;
import dev.switchboard.contract.model.CampaignSender;
import dev.switchboard.contract.model.CampaignStats;
import dev.switchboard.contract.model.Contact;
import dev.switchboard.contract.model.ContactField;
import dev.switchboard.contract.model.Conversation;
import dev.switchboard.contract.model.Enrollment;
import dev.switchboard.contract.model.InsightReport;
import dev.switchboard.contract.model.Label;
import dev.switchboard.contract.model.Mailbox;
import dev.switchboard.contract.model.Message;
import dev.switchboard.contract.model.Opportunity;
import dev.switchboard.contract.model.Organization;
import dev.switchboard.contract.model.Pipeline;
import dev.switchboard.contract.model.Segment;
import dev.switchboard.contract.model.Thread;
import dev.switchboard.contract.model.ToolLog;
import dev.switchboard.contract.model.TrackingClient;
import dev.switchboard.contract.model.Transcript;
import dev.switchboard.contract.model.Workflow;
import dev.switchboard.contract.model.WorkspaceTool;

/**
 * Everything one organization owns. Guarded by its own monitor: every request and every job step that touches it
 * holds {@code synchronized (org)} for the short time it reads or writes.
 */
final class OrgState {

    record ConversationLog(Conversation conversation, List<Message> messages) {
    }

    record MailboxState(Mailbox mailbox, Map<String, Label> labels, Map<String, Thread> threads,
            List<AddressBookContact> addressBook) {
    }

    record TrafficDay(LocalDate day, int visitors, int sessions, int pageviews, double bounceRate,
            double avgSessionSeconds) {
    }

    record InsightDefinition(String id, String name, String prompt, boolean active) {
    }

    record ToolSetup(Map<String, Object> settings, Set<String> secretKeys, List<ToolLog> logs) {
    }

    final Organization organization;
    private final Map<String, Integer> counters = new HashMap<>();
    long historyId = 100_000;

    final Map<String, Agent> agents = new LinkedHashMap<>();
    final Map<String, Map<String, AgentTool>> agentTools = new HashMap<>();
    final Map<String, Map<String, AgentFile>> agentFiles = new HashMap<>();
    final Map<String, Contact> contacts = new LinkedHashMap<>();
    final Map<String, ContactField> contactFields = new LinkedHashMap<>();
    final Map<String, ConversationLog> conversations = new LinkedHashMap<>();
    final Map<String, Call> calls = new LinkedHashMap<>();
    final Map<String, Transcript> transcripts = new LinkedHashMap<>();
    final Map<String, Workflow> workflows = new LinkedHashMap<>();
    final Map<String, Map<String, Enrollment>> enrollments = new HashMap<>();
    final Map<String, Campaign> campaigns = new LinkedHashMap<>();
    final Map<String, CampaignStats> campaignStats = new HashMap<>();
    final Map<String, CampaignSender> senders = new LinkedHashMap<>();
    final Map<String, Segment> segments = new LinkedHashMap<>();
    final Map<String, Pipeline> pipelines = new LinkedHashMap<>();
    final Map<String, Opportunity> opportunities = new LinkedHashMap<>();
    final Map<String, WorkspaceTool> tools = new LinkedHashMap<>();
    final Map<String, ToolSetup> toolSetups = new HashMap<>();
    final Map<String, MailboxState> mailboxes = new LinkedHashMap<>();
    final List<TrafficDay> traffic = new ArrayList<>();
    final Map<String, TrackingClient> trackingClients = new LinkedHashMap<>();
    final Map<String, InsightDefinition> insightDefinitions = new LinkedHashMap<>();
    final Map<String, InsightReport> reports = new LinkedHashMap<>();
    final Map<String, Jobs.JobState> jobs = new LinkedHashMap<>();

    OrgState(Organization organization) {
        this.organization = organization;
    }

    String id() {
        return organization.getId();
    }

    /** A new id such as {@code ct_acme_0251}: deterministic for the same sequence of writes. */
    String nextId(String prefix) {
        int next = counters.merge(prefix, 1, Integer::sum);
        return prefix + organization.getSlug() + "_" + String.format("%04d", next);
    }

    /** Moves a counter past the seeded ids so that new ids never collide with them. */
    void reserveIds(String prefix, int count) {
        counters.merge(prefix, count, Math::max);
    }

    MailboxState mailbox(String accountId) {
        MailboxState mailbox = mailboxes.get(accountId);
        if (mailbox == null) {
            String known = mailboxes.isEmpty() ? "this organization has no mailbox"
                    : "its mailboxes are " + String.join(", ", mailboxes.keySet());
            throw new SandboxException(404, "not_found", "Mailbox " + accountId + " does not exist in this organization; "
                    + known + ".", Map.of("mailboxes", List.copyOf(mailboxes.keySet())));
        }
        return mailbox;
    }
}
