package dev.switchboard.sandbox;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

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
 * Everything one organization owns, and the rules that hold for it whoever changes it (a request, a job step or the
 * seed data). Guarded by its own fair lock: every request and every job step that touches it runs
 * {@link #exclusively} on a sandbox worker thread, in the order they asked, for the short time it reads or writes.
 */
final class OrgState {

    /** The model of an agent created without one. */
    static final String DEFAULT_AGENT_MODEL = "workspace-voice-2";

    /** Labels every Gmail mailbox has, kept in step with the thread flags. */
    static final Set<String> SYSTEM_LABELS = Set.of("INBOX", "UNREAD", "STARRED", "IMPORTANT", "SENT", "TRASH");

    record ConversationLog(Conversation conversation, List<Message> messages) {
    }

    record MailboxState(Mailbox mailbox, Map<String, Label> labels, Map<String, Thread> threads,
            List<AddressBookContact> addressBook) {

        boolean gmail() {
            return mailbox.getKind() == Mailbox.KindEnum.GMAIL;
        }

        /** Recomputes the system labels of a Gmail thread from its flags (IMAP mailboxes have no labels). */
        void relabel(Thread thread) {
            if (!gmail()) {
                return;
            }
            LinkedHashSet<String> labels = new LinkedHashSet<>();
            if (!Boolean.TRUE.equals(thread.getArchived()) && !Boolean.TRUE.equals(thread.getTrashed())) {
                labels.add("INBOX");
            }
            if (Boolean.TRUE.equals(thread.getUnread())) {
                labels.add("UNREAD");
            }
            if (Boolean.TRUE.equals(thread.getStarred())) {
                labels.add("STARRED");
            }
            if (Boolean.TRUE.equals(thread.getTrashed())) {
                labels.add("TRASH");
            }
            String address = mailbox.getAddress();
            if (thread.getMessages().stream().anyMatch(m -> m.getFrom().equalsIgnoreCase(address))) {
                labels.add("SENT");
            }
            for (String label : thread.getLabelIds()) {
                if (!SYSTEM_LABELS.contains(label) || label.equals("IMPORTANT")) {
                    labels.add(label);
                }
            }
            thread.labelIds(new ArrayList<>(labels));
        }
    }

    record TrafficDay(LocalDate day, int visitors, int sessions, int pageviews, double bounceRate,
            double avgSessionSeconds) {
    }

    record InsightDefinition(String id, String name, String prompt, boolean active) {
    }

    record ToolSetup(Map<String, Object> settings, Set<String> secretKeys, List<ToolLog> logs) {
    }

    final Organization organization;
    private final ReentrantLock lock = new ReentrantLock(true);
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

    /** Runs an action holding this organization's lock; callers wait their turn in order of arrival. */
    <T> T exclusively(Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    Contact contact(String id) {
        Contact contact = contacts.get(id);
        if (contact == null) {
            throw SandboxException.notFound("Contact", id);
        }
        return contact;
    }

    /** A thread of a mailbox changed: the mailbox history moves on and its system labels follow its flags. */
    void changed(MailboxState mailbox, Thread thread) {
        historyId++;
        mailbox.relabel(thread);
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
