package dev.switchboard.sandbox;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.switchboard.contract.model.EmailMessage;
import dev.switchboard.contract.model.Label;
import dev.switchboard.contract.model.Thread;

/**
 * The {@code query} of a mailbox search, read the way the mailbox's own server reads it.
 *
 * <p>
 * <b>Gmail mailboxes</b> understand Gmail's search syntax: words (all must match: implicit AND), {@code "quoted
 * phrases"}, {@code a OR b} (upper case, as in Gmail; {@code {a b}} too), {@code -term} to exclude, parentheses to
 * group, and the operators {@code from:}, {@code to:} (To and Cc), {@code cc:}, {@code subject:}, {@code label:} (a
 * label id or name, spaces written as {@code -}), {@code in:} (inbox, sent, trash, spam, drafts, anywhere),
 * {@code is:} (unread, read, starred, important), {@code newer_than:} and {@code older_than:} (a number and a unit:
 * h hours, d days, m months, y years), {@code after:}/{@code newer:} and {@code before:}/{@code older:} (a date such
 * as 2025/11/01, 2025-11-01 or 11/01/2025, midnight UTC, or seconds since 1970). {@code from:me} and {@code to:me}
 * name the mailbox itself. Matching ignores case; a word matches any text that contains it. Trashed threads are left
 * out unless the query asks for them ({@code in:trash}, {@code in:anywhere}, {@code label:trash}).
 *
 * <p>
 * <b>IMAP mailboxes</b> search text only: words, quoted phrases and OR. Anything else answers 422 naming what the
 * mailbox cannot do, rather than silently matching something else.
 *
 * <p>
 * An operator the search does not know ({@code has:attachment}, {@code foo:bar}) answers 422 listing the operators it
 * does know; to search for such text literally, quote it ({@code "foo:bar"}). A colon after digits ({@code 10:30}) or
 * with nothing after it ({@code Re:}) is just text.
 */
final class MailQuery {

    static final List<String> OPERATORS = List.of("from:", "to:", "cc:", "subject:", "label:", "in:", "is:",
            "newer_than:", "older_than:", "after:", "before:", "newer:", "older:");
    static final List<String> IS_VALUES = List.of("unread", "read", "starred", "important");
    static final List<String> IN_VALUES = List.of("inbox", "sent", "trash", "spam", "drafts", "anywhere");

    private static final Pattern OPERATOR = Pattern.compile("^([A-Za-z_]+):(.*)$", Pattern.DOTALL);
    private static final Pattern AGE = Pattern.compile("^([0-9]{1,6})([hdmy])$", Pattern.CASE_INSENSITIVE);
    private static final Pattern EPOCH = Pattern.compile("^[0-9]{9,11}$");
    private static final List<DateTimeFormatter> DATES = List.of(DateTimeFormatter.ofPattern("uuuu/M/d"),
            DateTimeFormatter.ofPattern("uuuu-M-d"), DateTimeFormatter.ofPattern("M/d/uuuu"));

    /** What the search sees of one thread. */
    private record View(Thread thread, String text) {
    }

    private final Predicate<View> root;
    private final boolean searchesTrash;

    private MailQuery(Predicate<View> root, boolean searchesTrash) {
        this.root = root;
        this.searchesTrash = searchesTrash;
    }

    /**
     * Reads a query for a mailbox.
     *
     * @param now the time newer_than: and older_than: count back from
     * @throws SandboxException 422 naming {@code query} when the mailbox cannot do what the query asks
     */
    static MailQuery parse(String query, OrgState.MailboxState mailbox, Instant now) {
        List<Token> tokens = tokenize(query);
        if (!mailbox.gmail()) {
            refuseBeyondText(tokens, mailbox);
        }
        Parser parser = new Parser(tokens, mailbox, now);
        Predicate<View> root = parser.sequence(null);
        return new MailQuery(root, parser.searchesTrash);
    }

    /** Whether the thread matches; each term may be found in any message of the thread. */
    boolean matches(Thread thread) {
        StringBuilder text = new StringBuilder(thread.getSubject()).append('\n');
        for (EmailMessage message : thread.getMessages()) {
            text.append(message.getFrom()).append(' ').append(String.join(" ", message.getTo())).append(' ')
                    .append(message.getCc() == null ? "" : String.join(" ", message.getCc())).append('\n')
                    .append(message.getSubject()).append('\n').append(message.getBody()).append('\n');
        }
        return root.test(new View(thread, normalize(text.toString())));
    }

    /** The query asks for trashed threads too (in:trash, in:anywhere, label:trash). */
    boolean searchesTrash() {
        return searchesTrash;
    }

    // ------------------------------------------------------------------ tokens

    private enum Kind {
        WORD, PHRASE, OPERATOR, OR, AND, NOT, OPEN, CLOSE, OPEN_BRACE, CLOSE_BRACE
    }

    private record Token(Kind kind, String text, String name, String value) {
        static Token of(Kind kind, String text) {
            return new Token(kind, text, null, null);
        }
    }

    private static List<Token> tokenize(String query) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = query.length();
        while (i < n) {
            char c = query.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == '{' || c == '}') {
                tokens.add(Token.of(switch (c) {
                    case '(' -> Kind.OPEN;
                    case ')' -> Kind.CLOSE;
                    case '{' -> Kind.OPEN_BRACE;
                    default -> Kind.CLOSE_BRACE;
                }, String.valueOf(c)));
                i++;
            } else if (c == '-' && i + 1 < n && !Character.isWhitespace(query.charAt(i + 1)) && query.charAt(i + 1) != '-') {
                tokens.add(Token.of(Kind.NOT, "-"));
                i++;
            } else if (c == '"') {
                int end = query.indexOf('"', i + 1);
                String phrase = query.substring(i + 1, end < 0 ? n : end);
                if (!phrase.isBlank()) {
                    tokens.add(Token.of(Kind.PHRASE, phrase));
                }
                i = end < 0 ? n : end + 1;
            } else {
                int end = i;
                while (end < n && !Character.isWhitespace(query.charAt(end)) && "(){}\"".indexOf(query.charAt(end)) < 0) {
                    end++;
                }
                String run = query.substring(i, end);
                i = end;
                if (run.equals("OR") || run.equals("|")) {
                    tokens.add(Token.of(Kind.OR, run));
                    continue;
                }
                if (run.equals("AND")) {
                    tokens.add(Token.of(Kind.AND, run));
                    continue;
                }
                Matcher operator = OPERATOR.matcher(run);
                if (operator.matches()) {
                    String name = operator.group(1).toLowerCase(Locale.ROOT);
                    String value = operator.group(2);
                    if (value.isEmpty() && i < n && query.charAt(i) == '"') {
                        int close = query.indexOf('"', i + 1);
                        value = query.substring(i + 1, close < 0 ? n : close);
                        i = close < 0 ? n : close + 1;
                        run = run + '"' + value + '"';
                    } else if (value.isEmpty() && i < n && query.charAt(i) == '(' && OPERATORS.contains(name + ":")) {
                        throw invalid(name + ":(…) is not supported here: give the operator one value, or repeat it, "
                                + "for example from:a OR from:b.");
                    }
                    if (!value.isBlank()) {
                        tokens.add(new Token(Kind.OPERATOR, run, name, value.trim()));
                        continue;
                    }
                }
                tokens.add(Token.of(Kind.WORD, run));
            }
        }
        return tokens;
    }

    /** IMAP SEARCH TEXT: words, phrases and OR only. */
    private static void refuseBeyondText(List<Token> tokens, OrgState.MailboxState mailbox) {
        for (Token token : tokens) {
            String what = switch (token.kind()) {
                case OPERATOR -> "the operator " + token.name() + ":";
                case NOT -> "excluding words with -";
                case OPEN, CLOSE, OPEN_BRACE, CLOSE_BRACE -> "grouping with " + token.text();
                default -> null;
            };
            if (what != null) {
                boolean structured = token.kind() == Kind.OPERATOR
                        && List.of("from", "to", "subject", "is").contains(token.name());
                throw invalid(mailbox.mailbox().getAddress() + " is an IMAP mailbox: its search understands words, "
                        + "quoted phrases and OR, not " + what + "."
                        + (structured ? " The search operation's from, to, subject and unreadOnly parameters work on "
                                + "every mailbox." : "")
                        + " Gmail search operators work on Gmail mailboxes.");
            }
        }
    }

    // ------------------------------------------------------------------ grammar

    /**
     * query := term* ; term := unary ('OR' unary)* ; unary := '-' unary | primary ;
     * primary := '(' query ')' | '{' query '}' | word | phrase | operator.
     */
    private static final class Parser {

        private final List<Token> tokens;
        private final OrgState.MailboxState mailbox;
        private final Instant now;
        private int position;
        boolean searchesTrash;

        Parser(List<Token> tokens, OrgState.MailboxState mailbox, Instant now) {
            this.tokens = tokens;
            this.mailbox = mailbox;
            this.now = now;
        }

        /** Terms up to the closing token (null: the end); all must match. */
        Predicate<View> sequence(Kind close) {
            List<Predicate<View>> terms = new ArrayList<>();
            while (true) {
                Token next = peek();
                if (next == null) {
                    if (close != null) {
                        throw invalid("'query' has an unclosed " + (close == Kind.CLOSE ? "(" : "{") + ".");
                    }
                    break;
                }
                if (next.kind() == close) {
                    position++;
                    break;
                }
                if (next.kind() == Kind.AND) {
                    position++;
                    continue;
                }
                terms.add(term());
            }
            return view -> terms.stream().allMatch(term -> term.test(view));
        }

        private Predicate<View> term() {
            List<Predicate<View>> either = new ArrayList<>();
            either.add(unary());
            while (peek() != null && peek().kind() == Kind.OR) {
                position++;
                Token next = peek();
                if (next == null || next.kind() == Kind.CLOSE || next.kind() == Kind.CLOSE_BRACE || next.kind() == Kind.OR) {
                    throw invalid("'query' has an OR without a term after it; write a OR b.");
                }
                either.add(unary());
            }
            return either.size() == 1 ? either.get(0) : view -> either.stream().anyMatch(term -> term.test(view));
        }

        private Predicate<View> unary() {
            Token token = next();
            return switch (token.kind()) {
                case NOT -> {
                    if (peek() == null) {
                        throw invalid("'query' ends with -; put the word to exclude right after it, as in -receipt.");
                    }
                    yield unary().negate();
                }
                case OPEN -> sequence(Kind.CLOSE);
                case OPEN_BRACE -> {
                    List<Predicate<View>> either = new ArrayList<>();
                    while (peek() != null && peek().kind() != Kind.CLOSE_BRACE) {
                        if (peek().kind() == Kind.OR || peek().kind() == Kind.AND) {
                            position++;
                        } else {
                            either.add(unary());
                        }
                    }
                    if (peek() == null) {
                        throw invalid("'query' has an unclosed {.");
                    }
                    position++;
                    yield view -> either.stream().anyMatch(term -> term.test(view));
                }
                case WORD, PHRASE -> text(token.text());
                case OPERATOR -> operator(token.name(), token.value());
                case OR -> throw invalid("'query' has an OR without a term before it; write a OR b.");
                case AND -> throw invalid("'query' has an AND without a term before it.");
                case CLOSE, CLOSE_BRACE -> throw invalid("'query' has a " + token.text() + " without its opening bracket.");
            };
        }

        private Token peek() {
            return position < tokens.size() ? tokens.get(position) : null;
        }

        private Token next() {
            return tokens.get(position++);
        }

        private Predicate<View> operator(String name, String value) {
            String needle = normalize(value);
            String self = mailbox.mailbox().getAddress().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "from" -> view -> messages(view).anyMatch(m -> address(m.getFrom(), needle, self));
                case "to" -> view -> messages(view).anyMatch(m -> m.getTo().stream().anyMatch(a -> address(a, needle, self))
                        || cc(m).stream().anyMatch(a -> address(a, needle, self)));
                case "cc" -> view -> messages(view).anyMatch(m -> cc(m).stream().anyMatch(a -> address(a, needle, self)));
                case "subject" -> view -> normalize(view.thread().getSubject()).contains(needle)
                        || messages(view).anyMatch(m -> normalize(m.getSubject()).contains(needle));
                case "label" -> label(value);
                case "in" -> folder(value);
                case "is" -> flag(value);
                case "newer_than", "older_than" -> {
                    Instant cutoff = ago(name, value);
                    yield name.equals("newer_than") ? sentBetween(cutoff, Instant.MAX) : sentBetween(Instant.MIN, cutoff);
                }
                case "after", "newer" -> sentBetween(date(name, value), Instant.MAX);
                case "before", "older" -> sentBetween(Instant.MIN, date(name, value));
                default -> throw SandboxException.invalid("query", "'query' uses " + name + ":, which this search does not "
                        + "know; it knows " + String.join(" ", OPERATORS) + ". To search for the text " + name + ":" + value
                        + " itself, put it in quotes: \"" + name + ":" + value + "\".", OPERATORS);
            };
        }

        private Predicate<View> label(String value) {
            String wanted = labelKey(value);
            for (Label label : mailbox.labels().values()) {
                if (labelKey(label.getId()).equals(wanted) || labelKey(label.getName()).equals(wanted)) {
                    String id = label.getId();
                    if (id.equals("TRASH")) {
                        searchesTrash = true;
                    }
                    return view -> view.thread().getLabelIds().contains(id);
                }
            }
            List<String> known = mailbox.labels().values().stream()
                    .map(l -> l.getId().equals(l.getName()) || l.getType() == Label.TypeEnum.SYSTEM ? l.getId()
                            : l.getId() + " (" + l.getName() + ")")
                    .toList();
            throw SandboxException.invalid("query", "'query' names label:" + value + ", which " + mailbox.mailbox().getAddress()
                    + " does not have; its labels are " + String.join(", ", known) + ".",
                    mailbox.labels().keySet().stream().toList());
        }

        private Predicate<View> folder(String value) {
            String address = mailbox.mailbox().getAddress();
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "inbox" -> view -> !isTrue(view.thread().getArchived()) && !isTrue(view.thread().getTrashed());
                case "sent" -> view -> messages(view).anyMatch(m -> m.getFrom().equalsIgnoreCase(address));
                case "trash" -> {
                    searchesTrash = true;
                    yield view -> isTrue(view.thread().getTrashed());
                }
                case "anywhere" -> {
                    searchesTrash = true;
                    yield view -> true;
                }
                // the sandbox keeps no spam and no drafts
                case "spam", "drafts" -> view -> false;
                default -> throw SandboxException.invalid("query", "'query' uses in:" + value + "; in: takes one of "
                        + String.join(", ", IN_VALUES) + ".", IN_VALUES);
            };
        }

        private Predicate<View> flag(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "unread" -> view -> isTrue(view.thread().getUnread());
                case "read" -> view -> !isTrue(view.thread().getUnread());
                case "starred" -> view -> isTrue(view.thread().getStarred());
                case "important" -> view -> view.thread().getLabelIds().contains("IMPORTANT");
                default -> throw SandboxException.invalid("query", "'query' uses is:" + value + "; is: takes one of "
                        + String.join(", ", IS_VALUES) + ".", IS_VALUES);
            };
        }

        private Instant ago(String name, String value) {
            Matcher age = AGE.matcher(value);
            if (!age.matches()) {
                throw invalid("'query' uses " + name + ":" + value + "; " + name + ": takes a number and a unit, h (hours), "
                        + "d (days), m (months) or y (years), as in " + name + ":7d.");
            }
            long amount = Long.parseLong(age.group(1));
            ZonedDateTime at = now.atZone(ZoneOffset.UTC);
            ZonedDateTime cutoff = switch (age.group(2).toLowerCase(Locale.ROOT)) {
                case "h" -> at.minusHours(amount);
                case "d" -> at.minusDays(amount);
                case "m" -> at.minusMonths(amount);
                default -> at.minusYears(amount);
            };
            return cutoff.toInstant();
        }

        private Predicate<View> sentBetween(Instant from, Instant until) {
            return view -> messages(view).anyMatch(m -> {
                Instant sent = m.getSentAt().toInstant();
                return !sent.isBefore(from) && sent.isBefore(until);
            });
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Predicate<View> text(String text) {
        String needle = normalize(text);
        return view -> view.text().contains(needle);
    }

    private static java.util.stream.Stream<EmailMessage> messages(View view) {
        return view.thread().getMessages().stream();
    }

    private static List<String> cc(EmailMessage message) {
        return message.getCc() == null ? List.of() : message.getCc();
    }

    private static boolean address(String address, String needle, String self) {
        String normalized = address.toLowerCase(Locale.ROOT);
        return needle.equals("me") ? normalized.equals(self) : normalized.contains(needle);
    }

    private static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    /** Label ids and names compare without case, with spaces and slashes written as '-' (Gmail's way). */
    private static String labelKey(String label) {
        return label.toLowerCase(Locale.ROOT).replace(' ', '-').replace('/', '-');
    }

    private static Instant date(String name, String value) {
        if (EPOCH.matcher(value).matches()) {
            return Instant.ofEpochSecond(Long.parseLong(value));
        }
        for (DateTimeFormatter format : DATES) {
            try {
                return LocalDate.parse(value, format).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                // try the next format
            }
        }
        throw invalid("'query' uses " + name + ":" + value + "; " + name + ": takes a date such as 2025/11/01 "
                + "(or 2025-11-01, 11/01/2025, or seconds since 1970).");
    }

    private static String normalize(String text) {
        return text == null ? "" : text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    private static SandboxException invalid(String message) {
        return SandboxException.invalid("query", message);
    }
}
