package dev.switchboard.sandbox;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import dev.switchboard.contract.model.EmailMessage;
import dev.switchboard.contract.model.Enrollment;
import dev.switchboard.contract.model.InsightEvidence;
import dev.switchboard.contract.model.InsightReport;
import dev.switchboard.contract.model.Label;
import dev.switchboard.contract.model.Mailbox;
import dev.switchboard.contract.model.MailboxCapabilities;
import dev.switchboard.contract.model.Message;
import dev.switchboard.contract.model.Opportunity;
import dev.switchboard.contract.model.Pipeline;
import dev.switchboard.contract.model.PipelineStage;
import dev.switchboard.contract.model.Segment;
import dev.switchboard.contract.model.Thread;
import dev.switchboard.contract.model.ToolLog;
import dev.switchboard.contract.model.TrackingClient;
import dev.switchboard.contract.model.Transcript;
import dev.switchboard.contract.model.TranscriptSegment;
import dev.switchboard.contract.model.Workflow;
import dev.switchboard.contract.model.WorkflowStep;
import dev.switchboard.contract.model.WorkspaceTool;

/**
 * The sandbox's seed data: the same ids, counts and contents on every start (the README documents them). Only the
 * analytics dates move with the calendar, so that "the last 30 days" always has traffic.
 */
final class SeedData {

    /** How much each organization gets; org_acme has the volumes of the sandbox specification. */
    private record Volumes(int contacts, int[][] duplicates, int agents, int workflows, int campaigns, int segments,
            int senders, int pipelines, int opportunities, int tools, int transcripts, int conversations,
            int trackingClients, int definitions, int reports, int dailyVisitors) {
    }

    private static final Map<String, Volumes> VOLUMES = Map.of(
            "org_acme", new Volumes(250, new int[][] { { 11, 12 }, { 27, 28, 29 }, { 53, 54 }, { 88, 89 } }, 3, 3, 4, 3, 2, 2,
                    30, 4, 12, 30, 2, 3, 5, 420),
            "org_globex", new Volumes(60, new int[][] { { 7, 8 } }, 2, 2, 2, 2, 1, 1, 8, 2, 4, 10, 1, 2, 2, 180),
            "org_initech", new Volumes(20, new int[][] {}, 1, 1, 1, 1, 1, 1, 4, 1, 2, 4, 0, 1, 1, 60));

    static final OffsetDateTime BASE = OffsetDateTime.of(2025, 1, 6, 9, 0, 0, 0, ZoneOffset.UTC);

    private static final String[] FIRST = { "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
            "Kara", "Liam", "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wes", "Xena",
            "Yusuf", "Zoe" };
    private static final String[] LAST = { "Adams", "Brooks", "Castillo", "Dubois", "Eriksen", "Fischer", "Garcia", "Hughes",
            "Ito", "Jensen", "Khan", "Lopez", "Moreau", "Novak", "Okafor", "Petrov", "Quint", "Rossi", "Silva", "Tanaka",
            "Umeh", "Varga", "Weber", "Xu", "Young", "Zimmer" };
    private static final String[] COMPANIES = { "Northwind Traders", "Contoso", "Fabrikam", "Tailspin Toys", "Wingtip",
            "Litware", "Adventure Works", "Proseware", "Lucerne Publishing", "Margie's Travel", "Fourth Coffee", "Woodgrove Bank" };
    private static final String[] TAGS = { "lead", "customer", "newsletter", "vip", "partner", "trial" };
    private static final String[] LIFECYCLE = { "lead", "customer", "churned" };
    private static final String[] REGIONS = { "north", "south", "east", "west" };

    private SeedData() {
    }

    static void populate(OrgState org, Clock clock) {
        Volumes volumes = VOLUMES.get(org.id());
        Random random = new Random(org.id().hashCode());
        String domain = org.organization.getSlug() + ".test";
        fields(org);
        contacts(org, volumes, random);
        agents(org, volumes);
        tools(org, volumes);
        workflows(org, volumes);
        segmentsAndCampaigns(org, volumes, domain);
        crm(org, volumes, random);
        callsAndTranscripts(org, volumes, random);
        conversations(org, volumes, random);
        mailboxes(org, random);
        traffic(org, volumes, random, clock);
        tracking(org, volumes, domain);
        insights(org, volumes);
    }

    private static OffsetDateTime at(int days, int minutes) {
        return BASE.plusDays(days).plusMinutes(minutes);
    }

    private static void fields(OrgState org) {
        OffsetDateTime created = at(0, 0);
        org.contactFields.put("lifecycle", new ContactField().key("lifecycle").label("Lifecycle stage")
                .type(ContactField.TypeEnum.SELECT).options(List.of(LIFECYCLE)).createdAt(created));
        org.contactFields.put("score", new ContactField().key("score").label("Lead score").type(ContactField.TypeEnum.NUMBER)
                .createdAt(created));
        org.contactFields.put("region", new ContactField().key("region").label("Sales region").type(ContactField.TypeEnum.SELECT)
                .options(List.of(REGIONS)).createdAt(created));
        org.contactFields.put("renewal_date", new ContactField().key("renewal_date").label("Renewal date")
                .type(ContactField.TypeEnum.DATE).createdAt(created));
        org.contactFields.put("vip", new ContactField().key("vip").label("VIP").type(ContactField.TypeEnum.BOOLEAN).createdAt(created));
    }

    private static void contacts(OrgState org, Volumes volumes, Random random) {
        List<Contact> created = new ArrayList<>();
        for (int i = 1; i <= volumes.contacts(); i++) {
            String first = FIRST[random.nextInt(FIRST.length)];
            String last = LAST[random.nextInt(LAST.length)];
            Set<String> tags = new LinkedHashSet<>();
            tags.add(TAGS[random.nextInt(TAGS.length)]);
            if (random.nextInt(3) == 0) {
                tags.add(TAGS[random.nextInt(TAGS.length)]);
            }
            if (i % 4 == 0) {
                tags.add("newsletter");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("lifecycle", tags.contains("customer") ? "customer" : LIFECYCLE[random.nextInt(LIFECYCLE.length)]);
            fields.put("score", random.nextInt(101));
            fields.put("region", REGIONS[random.nextInt(REGIONS.length)]);
            if (tags.contains("customer")) {
                fields.put("renewal_date", LocalDate.of(2026, 1 + random.nextInt(12), 1 + random.nextInt(28)).toString());
            }
            fields.put("vip", tags.contains("vip"));
            OffsetDateTime when = at(i * 365 / volumes.contacts(), random.nextInt(600));
            Contact contact = new Contact().id(org.nextId("ct_")).firstName(first).lastName(last)
                    .email((first + "." + last + i + "@" + (i % 3 == 0 ? "example.com" : "example.org")).toLowerCase())
                    .phone(i % 5 == 0 ? null : String.format("+1415555%04d", (i * 37 + org.id().length()) % 10000))
                    .company(COMPANIES[random.nextInt(COMPANIES.length)]).tags(new ArrayList<>(tags)).customFields(fields)
                    .createdAt(when).updatedAt(when);
            created.add(contact);
        }
        for (int[] group : volumes.duplicates()) {
            String email = created.get(group[0] - 1).getEmail();
            for (int member : group) {
                created.get(member - 1).email(email);
            }
        }
        created.forEach(c -> org.contacts.put(c.getId(), c));
    }

    private static void agents(OrgState org, Volumes volumes) {
        String[][] seeds = { { "Inbound receptionist", "aria", "active", "Answer inbound calls, qualify the caller and book a meeting." },
                { "Outbound SDR", "verse", "active", "Call new leads, introduce the product and propose a demo." },
                { "Renewal reminder", "sage", "paused", "Remind customers of upcoming renewals and note objections." } };
        for (int i = 0; i < volumes.agents(); i++) {
            OffsetDateTime when = at(10 + i * 20, 0);
            Agent agent = new Agent().id(org.nextId("ag_")).name(seeds[i][0]).voice(Agent.VoiceEnum.fromString(seeds[i][1]))
                    .status(Agent.StatusEnum.fromString(seeds[i][2])).prompt(seeds[i][3]).model(OrgState.DEFAULT_AGENT_MODEL)
                    .createdAt(when).updatedAt(when);
            org.agents.put(agent.getId(), agent);
            Map<String, AgentFile> files = new LinkedHashMap<>();
            AgentFile file = new AgentFile().id(org.nextId("fl_")).name("faq-" + (i + 1) + ".md").mediaType("text/markdown")
                    .sizeBytes(2048 + i * 512).createdAt(when);
            files.put(file.getId(), file);
            org.agentFiles.put(agent.getId(), files);
        }
    }

    private static void tools(OrgState org, Volumes volumes) {
        Object[][] seeds = {
                { "Lookup order", "http", "Finds an order by its number.", Map.of("type", "object", "required", List.of("orderNumber"),
                        "properties", Map.of("orderNumber", Map.of("type", "string", "pattern", "^ORD-[0-9]{4,8}$"))),
                        Map.of("url", "https://orders.internal.example/lookup", "apiKey", "sk_live_orders_5e1f"), Set.of("apiKey") },
                { "Book meeting", "calendar", "Books a meeting in the team calendar.", Map.of("type", "object",
                        "required", List.of("email", "start"), "properties", Map.of("email", Map.of("type", "string", "format", "email"),
                                "start", Map.of("type", "string", "format", "date-time"),
                                "minutes", Map.of("type", "integer", "minimum", 15, "maximum", 120))),
                        Map.of("calendarId", "team@calendar.example", "oauthToken", "ya29.calendar-token"), Set.of("oauthToken") },
                { "Sync to CRM", "crm_sync", "Pushes a contact to the external CRM.", Map.of("type", "object",
                        "required", List.of("contactId"), "properties", Map.of("contactId", Map.of("type", "string"))),
                        Map.of("instance", "crm.example.com", "clientSecret", "cs_9f8e7d"), Set.of("clientSecret") },
                { "Notify team", "webhook", "Posts a message to the team channel.", Map.of("type", "object",
                        "required", List.of("text"), "properties", Map.of("text", Map.of("type", "string", "maxLength", 2000))),
                        Map.of("webhookUrl", "https://hooks.example.com/T000/B000/demo", "channel", "#sales"), Set.of("webhookUrl") } };
        for (int i = 0; i < volumes.tools(); i++) {
            OffsetDateTime when = at(5 + i, 0);
            @SuppressWarnings("unchecked")
            WorkspaceTool tool = new WorkspaceTool().id(org.nextId("tl_")).name((String) seeds[i][0])
                    .kind(WorkspaceTool.KindEnum.fromString((String) seeds[i][1])).description((String) seeds[i][2])
                    .inputSchema((Map<String, Object>) seeds[i][3]).createdAt(when);
            org.tools.put(tool.getId(), tool);
            List<ToolLog> logs = new ArrayList<>();
            for (int l = 5; l >= 1; l--) {
                logs.add(new ToolLog().id(org.nextId("log_")).runId("run_seed_" + i + "_" + l)
                        .level(l == 3 ? ToolLog.LevelEnum.ERROR : l == 4 ? ToolLog.LevelEnum.WARN : ToolLog.LevelEnum.INFO)
                        .message(l == 3 ? "Upstream answered 502; the run was retried" : l == 4 ? "Slow answer: 2300 ms"
                                : "Run succeeded in " + (100 + l * 30) + " ms")
                        .createdAt(at(300 + l, i)));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> settings = new LinkedHashMap<>((Map<String, Object>) seeds[i][4]);
            @SuppressWarnings("unchecked")
            Set<String> secrets = (Set<String>) seeds[i][5];
            org.toolSetups.put(tool.getId(), new OrgState.ToolSetup(settings, secrets, logs));
        }
        if (!org.agents.isEmpty() && !org.tools.isEmpty()) {
            String agentId = org.agents.keySet().iterator().next();
            WorkspaceTool tool = org.tools.values().iterator().next();
            Map<String, AgentTool> attached = new LinkedHashMap<>();
            attached.put(tool.getId(), new AgentTool().toolId(tool.getId()).name(tool.getName()).attachedAt(at(40, 0)));
            org.agentTools.put(agentId, attached);
        }
    }

    private static void workflows(OrgState org, Volumes volumes) {
        Object[][] seeds = {
                { "New lead nurture", "active", "contact_created", List.of(
                        step(WorkflowStep.TypeEnum.SEND_EMAIL, Map.of("subject", "Welcome", "body", "Thanks for your interest.")),
                        step(WorkflowStep.TypeEnum.WAIT, Map.of("hours", 48)),
                        step(WorkflowStep.TypeEnum.ADD_TAG, Map.of("tag", "nurtured"))) },
                { "Trial follow-up", "active", "manual", List.of(
                        step(WorkflowStep.TypeEnum.SEND_SMS, Map.of("body", "How is your trial going?")),
                        step(WorkflowStep.TypeEnum.ADD_TAG, Map.of("tag", "trial-followed-up"))) },
                { "Win-back", "draft", "tag_added", List.of(
                        step(WorkflowStep.TypeEnum.SEND_EMAIL, Map.of("subject", "We miss you", "body", "Here is 20% off.")),
                        step(WorkflowStep.TypeEnum.REMOVE_TAG, Map.of("tag", "churned"))) } };
        List<String> contactIds = new ArrayList<>(org.contacts.keySet());
        for (int i = 0; i < volumes.workflows(); i++) {
            OffsetDateTime when = at(20 + i * 15, 0);
            @SuppressWarnings("unchecked")
            Workflow workflow = new Workflow().id(org.nextId("wf_")).name((String) seeds[i][0])
                    .description("Seeded workflow " + (i + 1) + ".").status(Workflow.StatusEnum.fromString((String) seeds[i][1]))
                    .trigger(Workflow.TriggerEnum.fromString((String) seeds[i][2]))
                    .steps(new ArrayList<>((List<WorkflowStep>) seeds[i][3])).enrollmentCount(0).createdAt(when).updatedAt(when);
            org.workflows.put(workflow.getId(), workflow);
            Map<String, Enrollment> enrolled = new LinkedHashMap<>();
            for (int c = i; c < contactIds.size() && enrolled.size() < 6; c += 7) {
                enrolled.put(contactIds.get(c), new Enrollment().workflowId(workflow.getId()).contactId(contactIds.get(c))
                        .status(c % 2 == 0 ? Enrollment.StatusEnum.ACTIVE : Enrollment.StatusEnum.COMPLETED).enrolledAt(when.plusDays(1)));
            }
            org.enrollments.put(workflow.getId(), enrolled);
        }
    }

    private static WorkflowStep step(WorkflowStep.TypeEnum type, Map<String, Object> config) {
        return new WorkflowStep().type(type).config(new LinkedHashMap<>(config));
    }

    private static void segmentsAndCampaigns(OrgState org, Volumes volumes, String domain) {
        String[][] segments = { { "Customers", "customer" }, { "Newsletter", "newsletter" }, { "VIP", "vip" } };
        for (int i = 0; i < volumes.segments(); i++) {
            Segment segment = new Segment().id(org.nextId("seg_")).name(segments[i][0])
                    .description("Contacts tagged " + segments[i][1] + ".").tags(List.of(segments[i][1])).contactCount(0);
            org.segments.put(segment.getId(), segment);
        }
        String[][] senders = { { "Marketing", "marketing" }, { "Sales", "sales" } };
        for (int i = 0; i < volumes.senders(); i++) {
            CampaignSender sender = new CampaignSender().id(org.nextId("snd_"))
                    .name(org.organization.getName() + " " + senders[i][0]).email(senders[i][1] + "@" + domain)
                    .verified(i == 0).createdAt(at(3, i));
            org.senders.put(sender.getId(), sender);
        }
        String segmentId = org.segments.keySet().iterator().next();
        String lastSegment = new ArrayList<>(org.segments.keySet()).get(org.segments.size() - 1);
        String senderId = org.senders.keySet().iterator().next();
        Object[][] campaigns = { { "Spring launch", "draft" }, { "Webinar invite", "scheduled" },
                { "October newsletter", "sent" }, { "Black Friday preview", "sending" } };
        for (int i = 0; i < volumes.campaigns(); i++) {
            int index = volumes.campaigns() == 2 && i == 1 ? 2 : i;
            OffsetDateTime when = at(200 + i * 30, 0);
            Campaign campaign = new Campaign().id(org.nextId("cmp_")).name((String) campaigns[index][0])
                    .subject(campaigns[index][0] + " at " + org.organization.getName())
                    .body("<h1>" + campaigns[index][0] + "</h1><p>News from " + org.organization.getName() + ".</p>")
                    .status(Campaign.StatusEnum.fromString((String) campaigns[index][1]))
                    .segmentId(index == 2 ? lastSegment : segmentId).senderId(senderId).createdAt(when).updatedAt(when);
            if (index == 1) {
                campaign.scheduledAt(OffsetDateTime.of(2026, 12, 15, 15, 0, 0, 0, ZoneOffset.UTC));
            }
            if (index == 2) {
                campaign.sentAt(when.plusDays(2));
            }
            org.campaigns.put(campaign.getId(), campaign);
            CampaignStats stats = new CampaignStats().campaignId(campaign.getId());
            Campaigns.deliver(stats, index == 2 ? 1200 : index == 3 ? 300 : 0);
            org.campaignStats.put(campaign.getId(), stats);
        }
    }

    private static void crm(OrgState org, Volumes volumes, Random random) {
        Object[][] pipelines = { { "Sales", new String[] { "Qualification", "Discovery", "Proposal", "Negotiation" },
                new double[] { 0.1, 0.25, 0.5, 0.75 } },
                { "Renewals", new String[] { "Upcoming", "In progress", "Committed" }, new double[] { 0.3, 0.6, 0.9 } } };
        for (int p = 0; p < volumes.pipelines(); p++) {
            String[] names = (String[]) pipelines[p][1];
            double[] probabilities = (double[]) pipelines[p][2];
            List<PipelineStage> stages = new ArrayList<>();
            for (int s = 0; s < names.length; s++) {
                stages.add(new PipelineStage().id(org.nextId("stg_")).name(names[s]).order(s).probability(BigDecimal.valueOf(probabilities[s])));
            }
            Pipeline pipeline = new Pipeline().id(org.nextId("pl_")).name((String) pipelines[p][0]).stages(stages);
            org.pipelines.put(pipeline.getId(), pipeline);
        }
        List<Pipeline> all = new ArrayList<>(org.pipelines.values());
        List<String> contactIds = new ArrayList<>(org.contacts.keySet());
        String[] owners = { "usr_alice", "usr_bob", "usr_carol" };
        for (int i = 0; i < volumes.opportunities(); i++) {
            Pipeline pipeline = all.get(i % all.size());
            PipelineStage stage = pipeline.getStages().get(random.nextInt(pipeline.getStages().size()));
            OffsetDateTime when = at(100 + i * 8, random.nextInt(300));
            Opportunity opportunity = new Opportunity().id(org.nextId("opp_"))
                    .name(COMPANIES[i % COMPANIES.length] + " " + (pipeline.getName().equals("Sales") ? "expansion" : "renewal"))
                    .pipelineId(pipeline.getId()).stageId(stage.getId())
                    .value(BigDecimal.valueOf(5_000 + random.nextInt(95) * 1_000L)).currency("USD")
                    .status(i % 10 == 9 ? Opportunity.StatusEnum.WON : i % 10 == 8 ? Opportunity.StatusEnum.LOST : Opportunity.StatusEnum.OPEN)
                    .ownerId(owners[i % owners.length]).contactId(contactIds.get((i * 7) % contactIds.size()))
                    .expectedCloseDate(LocalDate.of(2026, 1 + i % 12, 15)).createdAt(when).updatedAt(when);
            org.opportunities.put(opportunity.getId(), opportunity);
        }
    }

    private static void callsAndTranscripts(OrgState org, Volumes volumes, Random random) {
        List<Agent> agents = new ArrayList<>(org.agents.values());
        List<Contact> callable = org.contacts.values().stream().filter(c -> c.getPhone() != null).toList();
        String[] topics = { "a demo next week", "pricing for 20 seats", "the renewal in March", "an integration question",
                "a late invoice", "onboarding dates" };
        for (int i = 0; i < volumes.transcripts(); i++) {
            Agent agent = agents.get(i % agents.size());
            Contact contact = callable.get((i * 11) % callable.size());
            int duration = 60 + random.nextInt(240);
            OffsetDateTime started = at(280 + i * 6, random.nextInt(400));
            String callId = org.nextId("call_");
            String transcriptId = org.nextId("tr_");
            org.calls.put(callId, new Call().id(callId).agentId(agent.getId()).contactId(contact.getId()).phone(contact.getPhone())
                    .status(Call.StatusEnum.COMPLETED).startedAt(started).endedAt(started.plusSeconds(duration))
                    .durationSeconds(duration).transcriptId(transcriptId));
            String topic = topics[i % topics.length];
            org.transcripts.put(transcriptId, new Transcript().id(transcriptId).callId(callId).agentId(agent.getId())
                    .contactId(contact.getId()).durationSeconds(duration).createdAt(started.plusSeconds(duration))
                    .summary(contact.getFirstName() + " " + contact.getLastName() + " discussed " + topic + ".")
                    .segments(List.of(
                            new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.AGENT).atSeconds(0)
                                    .text("Hi " + contact.getFirstName() + ", this is " + agent.getName() + " from "
                                            + org.organization.getName() + "."),
                            new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.CONTACT).atSeconds(5)
                                    .text("Hello! I wanted to talk about " + topic + "."),
                            new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.AGENT).atSeconds(14)
                                    .text("Of course. Let me note the details and send a summary by email."),
                            new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.CONTACT).atSeconds(duration - 10)
                                    .text("Perfect, thank you."))));
        }
    }

    private static void conversations(OrgState org, Volumes volumes, Random random) {
        List<Contact> contacts = new ArrayList<>(org.contacts.values());
        for (int i = 0; i < volumes.conversations(); i++) {
            Contact contact = contacts.get((i * 13) % contacts.size());
            boolean sms = contact.getPhone() != null && i % 3 != 0;
            Conversation.ChannelEnum channel = sms ? Conversation.ChannelEnum.SMS : Conversation.ChannelEnum.EMAIL;
            String conversationId = org.nextId("cv_");
            List<Message> messages = new ArrayList<>();
            OffsetDateTime when = at(320 + i, random.nextInt(600));
            int count = 1 + random.nextInt(4);
            for (int m = 0; m < count; m++) {
                boolean inbound = m % 2 == 0;
                messages.add(new Message().id(org.nextId("msg_")).conversationId(conversationId)
                        .channel(sms ? Message.ChannelEnum.SMS : Message.ChannelEnum.EMAIL)
                        .direction(inbound ? Message.DirectionEnum.INBOUND : Message.DirectionEnum.OUTBOUND)
                        .to(inbound ? org.organization.getSlug() : sms ? contact.getPhone() : contact.getEmail())
                        .subject(sms ? null : "Following up").html(false)
                        .body(inbound ? "Can you send me more details?" : "Sure, here they are.")
                        .status(Message.StatusEnum.DELIVERED).createdAt(when.plusMinutes(m * 37L)));
            }
            Message last = messages.get(messages.size() - 1);
            Conversation conversation = new Conversation().id(conversationId).contactId(contact.getId()).channel(channel)
                    .messageCount(messages.size()).unread(last.getDirection() == Message.DirectionEnum.INBOUND)
                    .lastMessageAt(last.getCreatedAt()).lastMessagePreview(last.getBody());
            org.conversations.put(conversationId, new OrgState.ConversationLog(conversation, messages));
        }
    }

    // ------------------------------------------------------------------ mailboxes

    private record Mail(String subject, String from, String body, boolean reply) {
    }

    private static final Mail[] INVOICES = {
            new Mail("Invoice INV-2041 from Northwind Supplies", "billing@northwind-supplies.example",
                    "Please find attached invoice INV-2041 for 1,240.00 USD, due on 30 November.", false),
            new Mail("Your receipt from CloudHost", "receipts@cloudhost.example",
                    "Receipt for your payment of 89.00 USD for the Pro plan. Thank you.", false),
            new Mail("Invoice overdue: INV-1988", "accounts@fabrikam.example",
                    "Invoice INV-1988 (3,400.00 USD) is 14 days overdue. Please arrange payment.", true),
            new Mail("Payment receipt #5521", "no-reply@payments.example",
                    "We received your payment #5521 of 450.00 USD. Keep this receipt for your records.", false),
            new Mail("March invoice for consulting services", "finance@lucerne.example",
                    "Attached is the invoice for March consulting services: 12 days at 950.00 USD.", true),
            new Mail("Receipt: annual license renewal", "store@litware.example",
                    "This receipt confirms the renewal of 25 licenses for 2,500.00 USD.", false),
            new Mail("Invoice INV-2077 – office supplies", "billing@northwind-supplies.example",
                    "Invoice INV-2077 for 310.50 USD. Payment terms: 30 days.", false) };

    private static final Mail[] OTHER = {
            new Mail("Interested in a demo", "maria.lopez@contoso.example", "We are evaluating tools for our SDR team. Can we see a demo next week?", true),
            new Mail("Pricing question", "dev.khan@proseware.example", "What does the Team plan cost for 20 seats billed yearly?", false),
            new Mail("Partnership proposal", "partners@wingtip.example", "We would like to explore a referral partnership.", true),
            new Mail("Re: onboarding schedule", "olga.petrov@tailspin.example", "Thursday 10:00 works for the kickoff.", true),
            new Mail("Feature request: SSO", "it@woodgrove.example", "Do you support SAML single sign-on?", false),
            new Mail("Webinar follow-up", "events@fourthcoffee.example", "Thanks for attending. Here are the slides.", false),
            new Mail("Contract redlines", "legal@adventure-works.example", "Our legal team returned the redlined MSA.", true),
            new Mail("Quick intro", "sam.silva@litware.example", "Jonas suggested I reach out about your outreach platform.", false),
            new Mail("Meeting notes", "grace.hughes@contoso.example", "Sharing the notes from today's call.", true),
            new Mail("Unsubscribe", "hiro.ito@example.org", "Please remove me from the newsletter.", false) };

    private static void mailboxes(OrgState org, Random random) {
        switch (org.id()) {
            case "org_acme" -> {
                mailbox(org, random, "sales@acme.test", "Acme Sales", true, 40, 7, 10);
                mailbox(org, random, "support@acme.test", "Acme Support", false, 8, 1, 3);
            }
            case "org_globex" -> mailbox(org, random, "hello@globex.test", "Globex", true, 12, 2, 4);
            default -> {
                // Initech has no mailbox: its inbox tools answer a clear error
            }
        }
    }

    private static void mailbox(OrgState org, Random random, String address, String name, boolean gmail, int threads,
            int invoices, int unread) {
        Mailbox mailbox = new Mailbox().id(address).address(address).displayName(name)
                .kind(gmail ? Mailbox.KindEnum.GMAIL : Mailbox.KindEnum.IMAP)
                .capabilities(new MailboxCapabilities().labels(gmail).threadActions(gmail).contacts(gmail));
        Map<String, Label> labels = new LinkedHashMap<>();
        if (gmail) {
            for (String system : List.of("INBOX", "UNREAD", "STARRED", "IMPORTANT", "SENT", "TRASH")) {
                labels.put(system, new Label().id(system).name(system.charAt(0) + system.substring(1).toLowerCase())
                        .type(Label.TypeEnum.SYSTEM));
            }
            labels.put("Label_invoice", new Label().id("Label_invoice").name("Invoices").type(Label.TypeEnum.USER));
            labels.put("Label_leads", new Label().id("Label_leads").name("Leads").type(Label.TypeEnum.USER));
            labels.put("Label_followup", new Label().id("Label_followup").name("Follow-up").type(Label.TypeEnum.USER));
        }
        OrgState.MailboxState state = new OrgState.MailboxState(mailbox, labels, new LinkedHashMap<>(), new ArrayList<>());
        org.mailboxes.put(address, state);
        String local = address.substring(0, address.indexOf('@'));
        for (int i = 0; i < threads; i++) {
            Mail mail = i < invoices ? INVOICES[i % INVOICES.length] : OTHER[(i - invoices) % OTHER.length];
            String subject = i < invoices + OTHER.length ? mail.subject() : mail.subject() + " (" + (i / OTHER.length) + ")";
            String threadId = "th_" + org.organization.getSlug() + "_" + local + "_" + String.format("%03d", i + 1);
            OffsetDateTime when = OffsetDateTime.of(2025, 11, 20, 8, 0, 0, 0, ZoneOffset.UTC).minusHours(i * 9L + random.nextInt(5));
            List<EmailMessage> messages = new ArrayList<>();
            messages.add(new EmailMessage().id(threadId.replace("th_", "em_") + "_1").threadId(threadId).from(mail.from())
                    .to(List.of(address)).cc(List.of()).subject(subject).body(mail.body()).html(false).sentAt(when));
            if (mail.reply()) {
                messages.add(new EmailMessage().id(threadId.replace("th_", "em_") + "_2").threadId(threadId).from(address)
                        .to(List.of(mail.from())).cc(List.of()).subject("Re: " + subject)
                        .body("Thanks, we are on it. — " + name).html(false).sentAt(when.plusHours(2)));
            }
            boolean isUnread = i % (threads / unread) == 0 && i / (threads / unread) < unread;
            List<String> userLabels = new ArrayList<>();
            if (gmail && i == 1) {
                userLabels.add("Label_invoice");
            }
            if (gmail && i >= invoices && i % 4 == 0) {
                userLabels.add("Label_leads");
            }
            Thread thread = new Thread().id(threadId).subject(subject).labelIds(userLabels).unread(isUnread)
                    .starred(gmail && i % 11 == 5).archived(i % 13 == 12).trashed(false).messages(messages);
            state.threads().put(threadId, thread);
            org.changed(state, thread);
            if (gmail && state.addressBook().stream().noneMatch(c -> c.getEmail().equals(mail.from()))) {
                String person = mail.from().substring(0, mail.from().indexOf('@'));
                state.addressBook().add(new AddressBookContact().name(person.replace('.', ' ')).email(mail.from()));
            }
        }
    }

    private static void traffic(OrgState org, Volumes volumes, Random random, Clock clock) {
        LocalDate last = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
        for (int d = 89; d >= 0; d--) {
            LocalDate day = last.minusDays(d);
            boolean weekend = day.getDayOfWeek().getValue() >= 6;
            int visitors = volumes.dailyVisitors() * (weekend ? 6 : 10) / 10 + random.nextInt(volumes.dailyVisitors() / 5 + 1);
            int sessions = visitors * 13 / 10;
            org.traffic.add(new OrgState.TrafficDay(day, visitors, sessions, sessions * 3 - random.nextInt(sessions / 2 + 1),
                    0.35 + random.nextInt(20) / 100.0, 80 + random.nextInt(90)));
        }
    }

    private static void tracking(OrgState org, Volumes volumes, String domain) {
        String[][] clients = { { "Marketing site", "www." + domain }, { "Documentation", "docs." + domain } };
        for (int i = 0; i < volumes.trackingClients(); i++) {
            String id = org.nextId("tc_");
            org.trackingClients.put(id, new TrackingClient().id(id).name(clients[i][0]).domain(clients[i][1])
                    .siteKey("site_" + id.substring(3)).hasSecret(i == 0).createdAt(at(30 + i, 0)));
        }
    }

    private static void insights(OrgState org, Volumes volumes) {
        String[][] definitions = { { "Weekly pipeline health", "How healthy is the open pipeline this week?" },
                { "Campaign engagement", "Which campaigns engage best and why?" },
                { "Inbox response time", "How quickly do we answer inbound email?" } };
        for (int i = 0; i < volumes.definitions(); i++) {
            String id = org.nextId("idef_");
            org.insightDefinitions.put(id, new OrgState.InsightDefinition(id, definitions[i][0], definitions[i][1], true));
        }
        List<OrgState.InsightDefinition> all = new ArrayList<>(org.insightDefinitions.values());
        for (int i = 0; i < volumes.reports(); i++) {
            OrgState.InsightDefinition definition = all.get(i % all.size());
            List<InsightEvidence> evidence = List.of(
                    new InsightEvidence().label("Sample size").value(String.valueOf(40 + i * 10)).source("crm"),
                    new InsightEvidence().label("Week").value("2025-W" + (40 + i)).source("calendar"));
            InsightReport report = new InsightReport().id(org.nextId("rep_")).definitionId(definition.id())
                    .title(definition.name() + ", week " + (40 + i))
                    .summary(definition.name() + ": steady week with " + (3 + i) + " notable changes.")
                    .status(InsightReport.StatusEnum.READY).evidence(evidence).evidenceCount(evidence.size())
                    .createdAt(at(270 + i * 7, 0));
            org.reports.put(report.getId(), report);
        }
    }
}
