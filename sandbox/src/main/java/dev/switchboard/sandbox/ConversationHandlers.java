package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.switchboard.contract.model.Agent;
import dev.switchboard.contract.model.Call;
import dev.switchboard.contract.model.CallTrigger;
import dev.switchboard.contract.model.Contact;
import dev.switchboard.contract.model.Conversation;
import dev.switchboard.contract.model.EmailSend;
import dev.switchboard.contract.model.Message;
import dev.switchboard.contract.model.SmsSend;
import dev.switchboard.contract.model.Transcript;
import dev.switchboard.contract.model.TranscriptSegment;

/** Conversations, outbound SMS and email, AI calls and their transcripts. */
final class ConversationHandlers extends Handlers {

    ConversationHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("conversations_list", request -> {
            String channel = request.stringQuery("channel", null);
            boolean unreadOnly = request.boolQuery("unreadOnly");
            return page(latestFirst(request.org()).stream()
                    .filter(c -> channel == null || c.getChannel().value().equals(channel))
                    .filter(c -> !unreadOnly || Boolean.TRUE.equals(c.getUnread())).toList(), request);
        });
        handlers.put("conversations_by_contact", request -> {
            Contact contact = request.org().contact(request.path("contactId"));
            String channel = request.stringQuery("channel", null);
            return page(latestFirst(request.org()).stream().filter(c -> c.getContactId().equals(contact.getId()))
                    .filter(c -> channel == null || c.getChannel().value().equals(channel)).toList(), request);
        });
        handlers.put("messages_send_sms", request -> {
            SmsSend input = request.body(SmsSend.class);
            OrgState org = request.org();
            Contact contact;
            if (input.getTo().startsWith("ct_")) {
                contact = org.contact(input.getTo());
                if (contact.getPhone() == null) {
                    throw SandboxException.invalid("to", "Contact " + contact.getId()
                            + " has no phone number; pass a phone number in E.164 form instead.");
                }
            } else {
                contact = findOrCreate(org, null, input.getTo());
            }
            return record(org, contact, Message.ChannelEnum.SMS, contact.getPhone(), null, input.getBody(), false);
        });
        handlers.put("messages_send_email", request -> {
            EmailSend input = request.body(EmailSend.class);
            OrgState org = request.org();
            Contact contact;
            if (input.getTo().startsWith("ct_")) {
                contact = org.contact(input.getTo());
                if (contact.getEmail() == null) {
                    throw SandboxException.invalid("to", "Contact " + contact.getId()
                            + " has no email address; pass an email address instead.");
                }
            } else if (input.getTo().matches("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$")) {
                contact = findOrCreate(org, input.getTo(), null);
            } else {
                throw SandboxException.invalid("to", "'to' must be a contact id (ct_…) or an email address.");
            }
            return record(org, contact, Message.ChannelEnum.EMAIL, contact.getEmail(), input.getSubject(), input.getBody(),
                    Boolean.TRUE.equals(input.getHtml()));
        });
        handlers.put("calls_trigger", this::trigger);
        handlers.put("calls_get", request -> require(request.org().calls, request.path("callId"), "Call"));
        handlers.put("transcripts_list", request -> {
            String agentId = request.stringQuery("agentId", null);
            String contactId = request.stringQuery("contactId", null);
            List<Transcript> transcripts = newestFirst(request.org().transcripts.values(), Transcript::getCreatedAt,
                    Transcript::getId).stream()
                    .filter(t -> agentId == null || agentId.equals(t.getAgentId()))
                    .filter(t -> contactId == null || contactId.equals(t.getContactId()))
                    .map(ConversationHandlers::withoutSegments).toList();
            return page(transcripts, request);
        });
        handlers.put("transcripts_get", request -> require(request.org().transcripts, request.path("transcriptId"), "Transcript"));
        handlers.put("transcripts_download", request -> {
            Transcript transcript = require(request.org().transcripts, request.path("transcriptId"), "Transcript");
            boolean json = request.stringQuery("format", "text").equals("json");
            String content;
            if (json) {
                content = SandboxJson.MAPPER.valueToTree(transcript).toString();
            } else {
                StringBuilder text = new StringBuilder("Call " + transcript.getCallId() + " (" + transcript.getDurationSeconds()
                        + " s)\nSummary: " + transcript.getSummary() + "\n\n");
                for (TranscriptSegment segment : transcript.getSegments()) {
                    text.append(String.format("[%02d:%02d] %s: %s%n", segment.getAtSeconds() / 60, segment.getAtSeconds() % 60,
                            segment.getSpeaker().value(), segment.getText()));
                }
                content = text.toString();
            }
            Map<String, Object> download = new LinkedHashMap<>();
            download.put("transcriptId", transcript.getId());
            download.put("format", json ? "json" : "text");
            download.put("filename", transcript.getId() + (json ? ".json" : ".txt"));
            download.put("content", content);
            return download;
        });
    }

    private static List<Conversation> latestFirst(OrgState org) {
        return newestFirst(org.conversations.values().stream().map(OrgState.ConversationLog::conversation).toList(),
                Conversation::getLastMessageAt, Conversation::getId);
    }

    private static Transcript withoutSegments(Transcript full) {
        return new Transcript().id(full.getId()).callId(full.getCallId()).agentId(full.getAgentId())
                .contactId(full.getContactId()).summary(full.getSummary()).durationSeconds(full.getDurationSeconds())
                .createdAt(full.getCreatedAt());
    }

    private Contact findOrCreate(OrgState org, String email, String phone) {
        for (Contact contact : org.contacts.values()) {
            if ((email != null && email.equalsIgnoreCase(contact.getEmail())) || (phone != null && phone.equals(contact.getPhone()))) {
                return contact;
            }
        }
        Contact contact = new Contact().id(org.nextId("ct_")).email(email).phone(phone).tags(new ArrayList<>(List.of("auto-created")))
                .customFields(new LinkedHashMap<>()).createdAt(now()).updatedAt(now());
        org.contacts.put(contact.getId(), contact);
        return contact;
    }

    private Message record(OrgState org, Contact contact, Message.ChannelEnum channel, String to, String subject,
            String body, boolean html) {
        Conversation.ChannelEnum conversationChannel = Conversation.ChannelEnum.fromString(channel.value());
        OrgState.ConversationLog log = org.conversations.values().stream()
                .filter(c -> c.conversation().getContactId().equals(contact.getId())
                        && c.conversation().getChannel() == conversationChannel)
                .findFirst().orElseGet(() -> {
                    Conversation conversation = new Conversation().id(org.nextId("cv_")).contactId(contact.getId())
                            .channel(conversationChannel).messageCount(0).unread(false).lastMessageAt(now());
                    OrgState.ConversationLog created = new OrgState.ConversationLog(conversation, new ArrayList<>());
                    org.conversations.put(conversation.getId(), created);
                    return created;
                });
        Message message = new Message().id(org.nextId("msg_")).conversationId(log.conversation().getId()).channel(channel)
                .direction(Message.DirectionEnum.OUTBOUND).to(to).subject(subject).body(body).html(html)
                .status(Message.StatusEnum.SENT).createdAt(now());
        log.messages().add(message);
        log.conversation().messageCount(log.messages().size()).lastMessageAt(message.getCreatedAt())
                .lastMessagePreview(body.length() > 80 ? body.substring(0, 80) : body);
        return message;
    }

    private Object trigger(SandboxRequest request) {
        OrgState org = request.org();
        CallTrigger input = request.body(CallTrigger.class);
        Agent agent = org.agents.get(input.getAgentId());
        if (agent == null) {
            throw SandboxException.invalid("agentId", "Agent " + input.getAgentId() + " does not exist; agents_list shows "
                    + "the agents: " + String.join(", ", org.agents.keySet()) + ".", List.copyOf(org.agents.keySet()));
        }
        if (agent.getStatus() != Agent.StatusEnum.ACTIVE) {
            throw SandboxException.conflict("Agent " + agent.getId() + " is paused; set its status to active with "
                    + "agents_update before placing calls.");
        }
        if (input.getContactId() != null && input.getPhone() != null) {
            throw SandboxException.invalid("phone", "Give contactId or phone, not both.", List.of("contactId", "phone"));
        }
        String phone = input.getPhone();
        Contact contact = null;
        if (input.getContactId() != null) {
            contact = org.contact(input.getContactId());
            if (contact.getPhone() == null) {
                throw SandboxException.invalid("contactId", "Contact " + contact.getId() + " has no phone number to call.");
            }
            phone = contact.getPhone();
        }
        String contactId = contact == null ? null : contact.getId();
        Call call = new Call().id(org.nextId("call_")).agentId(agent.getId()).contactId(contactId).phone(phone)
                .status(Call.StatusEnum.QUEUED).startedAt(now());
        org.calls.put(call.getId(), call);
        String transcriptId = org.nextId("tr_");
        int duration = 42 + (int) (Math.abs((long) call.getId().hashCode()) % 180);
        List<Jobs.Step> steps = List.of(
                new Jobs.Step("Ringing", 1, o -> call.status(Call.StatusEnum.RINGING)),
                new Jobs.Step("In progress", 2, o -> call.status(Call.StatusEnum.IN_PROGRESS)),
                new Jobs.Step("Wrapping up", 3),
                new Jobs.Step("Completed", 4, o -> {
                    call.status(Call.StatusEnum.COMPLETED).endedAt(now()).durationSeconds(duration).transcriptId(transcriptId);
                    o.transcripts.put(transcriptId, new Transcript().id(transcriptId).callId(call.getId()).agentId(agent.getId())
                            .contactId(contactId).durationSeconds(duration).createdAt(now())
                            .summary(agent.getName() + " reached " + call.getPhone() + " and confirmed the next step.")
                            .segments(List.of(
                                    new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.AGENT).atSeconds(0)
                                            .text("Hello, this is " + agent.getName() + " calling from " + o.organization.getName() + "."),
                                    new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.CONTACT).atSeconds(6)
                                            .text("Hi, yes, I was expecting your call."),
                                    new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.AGENT).atSeconds(11)
                                            .text("Great. I wanted to confirm a time for a short follow-up."),
                                    new TranscriptSegment().speaker(TranscriptSegment.SpeakerEnum.CONTACT).atSeconds(duration - 8)
                                            .text("Thursday morning works for me."))));
                }));
        return jobs.start(org, "calls_trigger", 4, steps, o -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("callId", call.getId());
            result.put("status", call.getStatus().value());
            result.put("transcriptId", transcriptId);
            result.put("durationSeconds", duration);
            return result;
        }, o -> call.status(Call.StatusEnum.CANCELLED).endedAt(now()));
    }
}
