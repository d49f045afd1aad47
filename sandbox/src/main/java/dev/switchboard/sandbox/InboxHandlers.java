package dev.switchboard.sandbox;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import dev.switchboard.contract.model.EmailMessage;
import dev.switchboard.contract.model.InboxSend;
import dev.switchboard.contract.model.Label;
import dev.switchboard.contract.model.Mailbox;
import dev.switchboard.contract.model.Thread;
import dev.switchboard.contract.model.ThreadAction;
import dev.switchboard.contract.model.ThreadLabelsUpdate;
import dev.switchboard.contract.model.ThreadSummary;

/** Mailboxes: threads, search, sending, labels and thread actions. */
final class InboxHandlers extends Handlers {

    InboxHandlers(Jobs jobs, Clock clock) {
        super(jobs, clock);
    }

    @Override
    void register(Map<String, OperationHandler> handlers) {
        handlers.put("inbox_accounts_list", request -> list(request, request.org().mailboxes.values().stream()
                .map(OrgState.MailboxState::mailbox).toList()));
        handlers.put("inbox_threads_list", request -> {
            OrgState.MailboxState mailbox = mailbox(request);
            String label = request.stringQuery("label", null);
            MailQuery query = query(request, mailbox);
            boolean withTrash = label != null || (query != null && query.searchesTrash());
            return threads(mailbox, request, t -> (label == null || t.getLabelIds().contains(label))
                    && (withTrash || !Boolean.TRUE.equals(t.getTrashed()))
                    && (query == null || query.matches(t)));
        });
        handlers.put("inbox_threads_search", request -> {
            OrgState.MailboxState mailbox = mailbox(request);
            MailQuery query = query(request, mailbox);
            boolean withTrash = query != null && query.searchesTrash();
            String from = request.stringQuery("from", null);
            String to = request.stringQuery("to", null);
            String subject = request.stringQuery("subject", null);
            boolean unreadOnly = request.boolQuery("unreadOnly");
            return threads(mailbox, request, t -> (withTrash || !Boolean.TRUE.equals(t.getTrashed()))
                    && (query == null || query.matches(t))
                    && (from == null || t.getMessages().stream().anyMatch(m -> containsIgnoreCase(m.getFrom(), from)))
                    && (to == null || t.getMessages().stream().anyMatch(m -> m.getTo().stream().anyMatch(a -> containsIgnoreCase(a, to))))
                    && (subject == null || words(subject).stream().allMatch(w -> containsIgnoreCase(t.getSubject(), w)))
                    && (!unreadOnly || Boolean.TRUE.equals(t.getUnread())));
        });
        handlers.put("inbox_threads_filter", request -> {
            OrgState.MailboxState mailbox = mailbox(request);
            String folder = request.stringQuery("folder", "inbox");
            String label = request.stringQuery("label", null);
            String from = request.stringQuery("from", null);
            String to = request.stringQuery("to", null);
            boolean unreadOnly = request.boolQuery("unreadOnly");
            String address = mailbox.mailbox().getAddress();
            Predicate<Thread> inFolder = switch (folder) {
                case "sent" -> t -> t.getMessages().stream().anyMatch(m -> m.getFrom().equalsIgnoreCase(address));
                case "starred" -> t -> Boolean.TRUE.equals(t.getStarred());
                case "archived" -> t -> Boolean.TRUE.equals(t.getArchived()) && !Boolean.TRUE.equals(t.getTrashed());
                case "trash" -> t -> Boolean.TRUE.equals(t.getTrashed());
                case "all" -> t -> !Boolean.TRUE.equals(t.getTrashed());
                default -> t -> !Boolean.TRUE.equals(t.getArchived()) && !Boolean.TRUE.equals(t.getTrashed());
            };
            return threads(mailbox, request, t -> inFolder.test(t)
                    && (label == null || t.getLabelIds().contains(label))
                    && (from == null || t.getMessages().stream().anyMatch(m -> containsIgnoreCase(m.getFrom(), from)))
                    && (to == null || t.getMessages().stream().anyMatch(m -> m.getTo().stream().anyMatch(a -> containsIgnoreCase(a, to))))
                    && (!unreadOnly || Boolean.TRUE.equals(t.getUnread())));
        });
        handlers.put("inbox_thread_get", request -> thread(mailbox(request), request.path("threadId")));
        handlers.put("inbox_send_message", this::send);
        handlers.put("inbox_thread_action", request -> {
            OrgState.MailboxState mailbox = gmail(request, "Thread actions");
            Thread thread = thread(mailbox, request.path("threadId"));
            switch (request.body(ThreadAction.class).getAction()) {
                case ARCHIVE -> thread.archived(true);
                case UNARCHIVE -> thread.archived(false).trashed(false);
                case STAR -> thread.starred(true);
                case UNSTAR -> thread.starred(false);
                case MARK_READ -> thread.unread(false);
                case MARK_UNREAD -> thread.unread(true);
                case TRASH -> thread.trashed(true);
                default -> throw SandboxException.invalid("action", "Unknown action.");
            }
            request.org().changed(mailbox, thread);
            return summary(mailbox, thread);
        });
        handlers.put("inbox_labels_list", request -> {
            OrgState.MailboxState mailbox = gmail(request, "Labels");
            boolean counts = request.boolQuery("includeCounts");
            return list(request, mailbox.labels().values().stream().map(label -> {
                Label copy = new Label().id(label.getId()).name(label.getName()).type(label.getType());
                if (counts) {
                    List<Thread> labelled = mailbox.threads().values().stream()
                            .filter(t -> t.getLabelIds().contains(label.getId())).toList();
                    copy.threadsTotal(labelled.size())
                            .threadsUnread((int) labelled.stream().filter(t -> Boolean.TRUE.equals(t.getUnread())).count());
                }
                return copy;
            }).toList());
        });
        handlers.put("inbox_thread_labels_update", request -> {
            OrgState.MailboxState mailbox = gmail(request, "Labels");
            Thread thread = thread(mailbox, request.path("threadId"));
            ThreadLabelsUpdate input = request.body(ThreadLabelsUpdate.class);
            Set<String> add = input.getAddLabelIds() == null ? Set.of() : input.getAddLabelIds();
            Set<String> remove = input.getRemoveLabelIds() == null ? Set.of() : input.getRemoveLabelIds();
            List<String> known = List.copyOf(mailbox.labels().keySet());
            for (String field : List.of("addLabelIds", "removeLabelIds")) {
                for (String id : field.equals("addLabelIds") ? add : remove) {
                    if (!mailbox.labels().containsKey(id)) {
                        throw new SandboxException(422, "validation_failed", "Label " + id + " does not exist in "
                                + mailbox.mailbox().getAddress() + "; existing label ids: " + String.join(", ", known) + ".",
                                Map.of("fields", List.of(Map.of("field", field, "message", "Unknown label id " + id + ".",
                                        "allowed", known)), "labels", known));
                    }
                }
            }
            LinkedHashSet<String> labels = new LinkedHashSet<>(thread.getLabelIds());
            for (String id : add) {
                switch (id) {
                    case "STARRED" -> thread.starred(true);
                    case "UNREAD" -> thread.unread(true);
                    case "INBOX" -> thread.archived(false);
                    case "TRASH" -> thread.trashed(true);
                    default -> labels.add(id);
                }
            }
            for (String id : remove) {
                switch (id) {
                    case "STARRED" -> thread.starred(false);
                    case "UNREAD" -> thread.unread(false);
                    case "INBOX" -> thread.archived(true);
                    case "TRASH" -> thread.trashed(false);
                    default -> labels.remove(id);
                }
            }
            thread.labelIds(new ArrayList<>(labels));
            request.org().changed(mailbox, thread);
            return summary(mailbox, thread);
        });
        handlers.put("inbox_contacts_list", request -> {
            OrgState.MailboxState mailbox = gmail(request, "Address-book contacts");
            String query = request.stringQuery("query", null);
            return page(mailbox.addressBook().stream().filter(c -> query == null
                    || words(query).stream().allMatch(w -> containsIgnoreCase(c.getName(), w) || containsIgnoreCase(c.getEmail(), w)))
                    .toList(), request);
        });
        handlers.put("inbox_profile_get", request -> {
            OrgState.MailboxState mailbox = mailbox(request);
            Map<String, Object> profile = new LinkedHashMap<>();
            profile.put("address", mailbox.mailbox().getAddress());
            profile.put("messagesTotal", mailbox.threads().values().stream().mapToInt(t -> t.getMessages().size()).sum());
            profile.put("threadsTotal", mailbox.threads().size());
            if (mailbox.mailbox().getKind() == Mailbox.KindEnum.GMAIL) {
                profile.put("historyId", String.valueOf(request.org().historyId));
            }
            return profile;
        });
    }

    private static OrgState.MailboxState mailbox(SandboxRequest request) {
        return request.org().mailbox(request.path("accountId"));
    }

    /** The mailbox, which must support what Gmail mailboxes support. */
    private static OrgState.MailboxState gmail(SandboxRequest request, String feature) {
        OrgState.MailboxState mailbox = mailbox(request);
        if (mailbox.mailbox().getKind() != Mailbox.KindEnum.GMAIL) {
            List<String> gmail = request.org().mailboxes.values().stream()
                    .filter(m -> m.mailbox().getKind() == Mailbox.KindEnum.GMAIL).map(m -> m.mailbox().getId()).toList();
            throw new SandboxException(422, "unsupported_mailbox", feature + " are not supported by "
                    + mailbox.mailbox().getAddress() + ", an IMAP mailbox; they work on Gmail mailboxes"
                    + (gmail.isEmpty() ? "." : " such as " + String.join(", ", gmail) + "."),
                    Map.of("mailbox", mailbox.mailbox().getId(), "kind", "imap", "gmailMailboxes", gmail));
        }
        return mailbox;
    }

    static Thread thread(OrgState.MailboxState mailbox, String threadId) {
        Thread thread = mailbox.threads().get(threadId);
        if (thread == null) {
            throw new SandboxException(404, "not_found", "Thread " + threadId + " does not exist in "
                    + mailbox.mailbox().getAddress() + ".");
        }
        return thread;
    }

    private static Map<String, Object> threads(OrgState.MailboxState mailbox, SandboxRequest request, Predicate<Thread> filter) {
        List<Thread> matching = mailbox.threads().values().stream().filter(filter).toList();
        List<ThreadSummary> summaries = newestFirst(matching, t -> lastMessage(t).getSentAt(), Thread::getId).stream()
                .map(t -> summary(mailbox, t)).toList();
        return page(summaries, request);
    }

    /** The query parameter as the mailbox's server reads it, null when absent. */
    private MailQuery query(SandboxRequest request, OrgState.MailboxState mailbox) {
        String query = request.stringQuery("query", null);
        return query == null ? null : MailQuery.parse(query, mailbox, clock.instant());
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.replace("\"", " ").trim().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }

    static EmailMessage lastMessage(Thread thread) {
        return thread.getMessages().get(thread.getMessages().size() - 1);
    }

    static ThreadSummary summary(OrgState.MailboxState mailbox, Thread thread) {
        EmailMessage first = thread.getMessages().get(0);
        EmailMessage last = lastMessage(thread);
        LinkedHashSet<String> participants = new LinkedHashSet<>();
        for (EmailMessage message : thread.getMessages()) {
            participants.add(message.getFrom());
            participants.addAll(message.getTo());
        }
        String body = last.getBody().replaceAll("\\s+", " ").trim();
        return new ThreadSummary().id(thread.getId()).subject(thread.getSubject())
                .snippet(body.length() > 120 ? body.substring(0, 120) + "…" : body).from(first.getFrom())
                .participants(new ArrayList<>(participants)).labelIds(new ArrayList<>(thread.getLabelIds()))
                .unread(thread.getUnread()).starred(thread.getStarred()).archived(thread.getArchived())
                .trashed(thread.getTrashed()).messageCount(thread.getMessages().size()).lastMessageAt(last.getSentAt());
    }

    private Object send(SandboxRequest request) {
        OrgState org = request.org();
        OrgState.MailboxState mailbox = mailbox(request);
        InboxSend input = request.body(InboxSend.class);
        Thread thread;
        String subject;
        if (input.getThreadId() != null) {
            thread = thread(mailbox, input.getThreadId());
            subject = input.getSubject() != null ? input.getSubject()
                    : thread.getSubject().startsWith("Re: ") ? thread.getSubject() : "Re: " + thread.getSubject();
        } else {
            if (input.getSubject() == null) {
                throw SandboxException.invalid("subject", "'subject' is required for a new thread (without threadId).");
            }
            subject = input.getSubject();
            thread = new Thread().id(org.nextId("th_")).subject(subject).labelIds(new ArrayList<>()).unread(false)
                    .starred(false).archived(false).trashed(false).messages(new ArrayList<>());
            mailbox.threads().put(thread.getId(), thread);
        }
        EmailMessage message = new EmailMessage().id(org.nextId("em_")).threadId(thread.getId())
                .from(mailbox.mailbox().getAddress()).to(new ArrayList<>(input.getTo()))
                .cc(input.getCc() == null ? List.of() : new ArrayList<>(input.getCc())).subject(subject).body(input.getBody())
                .html(Boolean.TRUE.equals(input.getHtml())).sentAt(now());
        thread.getMessages().add(message);
        org.changed(mailbox, thread);
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("id", message.getId());
        sent.put("threadId", thread.getId());
        sent.put("from", message.getFrom());
        sent.put("to", message.getTo());
        sent.put("subject", subject);
        sent.put("sentAt", message.getSentAt());
        return sent;
    }
}
