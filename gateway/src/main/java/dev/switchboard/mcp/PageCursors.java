package dev.switchboard.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.tenancy.Caller;
import dev.switchboard.tenancy.Identity;
import dev.switchboard.tenancy.Principals;

/**
 * The continuation cursors the gateway hands out, for every paged list it relays: each carries what it continues (the
 * operation, the API key, the organization, the mailbox and every other argument, each as a short keyed digest) and
 * where (the workspace's own cursor, the items of that page already shown, the page size), signed with the key-hash
 * secret that every replica shares. A cursor sent back with anything else (other filters, another organization,
 * mailbox or key, a changed cursor) is refused with a message naming what differs: it never silently continues
 * another list. Only {@code limit} may change from page to page. The workspace's own {@code nextCursor} is wrapped the
 * same way, so that this holds whatever the backend's cursors carry.
 */
@Singleton
class PageCursors {

    static final String PREFIX = "sbc2.";
    static final String NEXT_CURSOR = "nextCursor";
    /** Arguments a cursor is not bound to: the cursor itself, the page size, the mailbox (bound as such), write keys. */
    private static final Set<String> FREE = Set.of("cursor", "limit", Operation.ACCOUNT_ID, Operation.IDEMPOTENCY_KEY_ARGUMENT);
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    /** What a cursor is bound to, as digests by name ({@code key}, {@code organization}, {@code mailbox}, {@code arg:x}). */
    record Binding(String operation, Map<String, String> digests, Optional<Identity.OrganizationRef> organization,
            Optional<String> mailbox) {
    }

    /**
     * Where a list resumes: the workspace's cursor of the page (null for the first), how many of its items were shown
     * already, and the page size they were cut from (null when the client's own limit applies).
     */
    record Position(String upstreamCursor, int skip, Integer limit) {
    }

    private final Principals principals;
    private final ObjectMapper canonical;

    PageCursors(Principals principals, ObjectMapper mapper) {
        this.principals = principals;
        this.canonical = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * @param arguments the call's arguments in the contract's shape (aliases resolved): every one but the free ones is
     *        bound
     */
    Binding binding(String operation, Caller caller, Optional<Identity.OrganizationRef> organization, Optional<String> mailbox,
            Map<String, Object> arguments) {
        Map<String, String> digests = new TreeMap<>();
        digests.put("key", digest("key", caller.principal()));
        organization.ifPresent(org -> digests.put("organization", digest("organization", org.id())));
        mailbox.ifPresent(id -> digests.put("mailbox", digest("mailbox", id)));
        arguments.forEach((name, value) -> {
            if (!FREE.contains(name) && value != null) {
                try {
                    digests.put("arg:" + name, digest(name, canonical.writeValueAsString(value)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        return new Binding(operation, digests, organization, mailbox);
    }

    /**
     * {@code sbc2.<what it continues, base64url JSON>.<signature>[.<the workspace's cursor>]}: the workspace's cursor goes
     * last and as it came (it is opaque already), covered by the signature.
     */
    String encode(Binding binding, Position position) {
        ObjectNode payload = canonical.createObjectNode();
        payload.put("o", binding.operation());
        if (position.skip() > 0) {
            payload.put("s", position.skip());
        }
        if (position.limit() != null) {
            payload.put("l", position.limit());
        }
        binding.digests().forEach(payload::put);
        byte[] bytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        String upstream = position.upstreamCursor();
        return PREFIX + B64.encodeToString(bytes) + "." + B64.encodeToString(signature(bytes, upstream))
                + (upstream == null ? "" : "." + upstream);
    }

    /**
     * Where the given cursor resumes, when one was given.
     *
     * @throws ToolFailure when it is not one of this gateway's, or continues another list than the one asked for
     */
    Optional<Position> decode(Binding binding, Object cursor) {
        if (cursor == null) {
            return Optional.empty();
        }
        ObjectNode payload = verified(cursor);
        if (!binding.operation().equals(payload.path("o").asText())) {
            throw ToolFailure.invalid("'cursor' continues a result of " + payload.path("o").asText() + ", not of "
                    + binding.operation() + ": pass the nextCursor of this operation's previous result, or omit cursor for "
                    + "the first page.");
        }
        if (!Objects.equals(binding.digests().get("key"), payload.path("key").asText(null))) {
            throw ToolFailure.invalid("'cursor' was issued to another API key: a cursor continues a list only for the key "
                    + "that listed it. Omit cursor to list from the first page.");
        }
        if (!Objects.equals(binding.digests().get("organization"), payload.path("organization").asText(null))) {
            throw ToolFailure.invalid("'cursor' continues a list of another organization, not of "
                    + binding.organization().map(org -> org.name() + " (" + org.id() + ")").orElse("the active one")
                    + ": omit cursor to list from the first page here, or switch back to the organization it came from.");
        }
        if (!Objects.equals(binding.digests().get("mailbox"), payload.path("mailbox").asText(null))) {
            throw ToolFailure.invalid("'cursor' continues a list of another mailbox, not of " + binding.mailbox().orElse("?")
                    + ": pass the same accountId (or x-account-id) as the call that returned it, or omit cursor for the "
                    + "first page.");
        }
        Set<String> names = new TreeSet<>();
        binding.digests().keySet().stream().filter(name -> name.startsWith("arg:")).forEach(names::add);
        payload.fieldNames().forEachRemaining(name -> {
            if (name.startsWith("arg:")) {
                names.add(name);
            }
        });
        List<String> differing = new ArrayList<>();
        for (String name : names) {
            if (!Objects.equals(binding.digests().get(name), payload.path(name).asText(null))) {
                differing.add(name.substring("arg:".length()));
            }
        }
        if (!differing.isEmpty()) {
            throw ToolFailure.invalid("'cursor' continues a list with other arguments: " + String.join(", ", differing)
                    + (differing.size() == 1 ? " differs" : " differ") + " from the call that returned it. Send the same "
                    + "arguments with the cursor (only limit may change), or omit cursor to start from the first page.");
        }
        return Optional.of(new Position(payload.hasNonNull("c") ? payload.get("c").asText() : null, payload.path("s").asInt(0),
                payload.path("l").isInt() ? payload.path("l").asInt() : null));
    }

    /** What a cursor continues, with the workspace's cursor under "c", once its signature is checked. */
    private ObjectNode verified(Object cursor) {
        if (cursor instanceof String text && text.startsWith(PREFIX)) {
            String[] parts = text.substring(PREFIX.length()).split("\\.", 3);
            try {
                if (parts.length >= 2) {
                    byte[] bytes = Base64.getUrlDecoder().decode(parts[0]);
                    byte[] signature = Base64.getUrlDecoder().decode(parts[1]);
                    String upstream = parts.length == 3 ? parts[2] : null;
                    if (MessageDigest.isEqual(signature, signature(bytes, upstream))
                            && canonical.readTree(bytes) instanceof ObjectNode payload && payload.path("o").isTextual()) {
                        return upstream == null ? payload : payload.put("c", upstream);
                    }
                }
            } catch (IllegalArgumentException | IOException e) {
                // reported below
            }
        }
        throw ToolFailure.invalid("'cursor' is not a cursor this server issued, or it was changed: pass the nextCursor of "
                + "the previous result unchanged, or omit cursor for the first page.");
    }

    /**
     * The workspace's answer with its top-level {@code nextCursor} replaced by a cursor of this gateway, and written
     * again under each name the operation's answer also gives it ({@code nextPageToken}). One streaming pass; an
     * answer without a next page comes back as it was.
     */
    byte[] relay(byte[] body, Binding binding, Collection<String> aliases) {
        int start = -1;
        int end = -1;
        String upstream = null;
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return body;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (NEXT_CURSOR.equals(field) && value == JsonToken.VALUE_STRING) {
                    start = (int) parser.currentTokenLocation().getByteOffset();
                    upstream = parser.getText();
                    end = (int) parser.currentLocation().getByteOffset();
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("a list answer that is not a JSON object", e);
        }
        if (upstream == null) {
            return body;
        }
        String cursor = quote(encode(binding, new Position(upstream, 0, null)));
        ByteArrayBuilder out = new ByteArrayBuilder(body.length + 512);
        out.write(body, 0, start);
        write(out, cursor);
        for (String alias : aliases) {
            write(out, ",\"" + alias + "\":" + cursor);
        }
        out.write(body, end, body.length - end);
        return out.toByteArray();
    }

    /** Sets the next cursor of a list answer (and its other names) to continue at the given position. */
    void setNext(ObjectNode answer, Binding binding, Position position, Collection<String> aliases) {
        String cursor = encode(binding, position);
        answer.put(NEXT_CURSOR, cursor);
        aliases.forEach(alias -> answer.put(alias, cursor));
    }

    /** The other names of the next cursor in this operation's answers. */
    static List<String> aliases(Operation operation) {
        return operation.answerAliases().entrySet().stream().filter(alias -> alias.getValue().equals(NEXT_CURSOR))
                .map(Map.Entry::getKey).toList();
    }

    private static String quote(String text) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + "\"";
    }

    private static void write(ByteArrayBuilder out, String ascii) {
        byte[] bytes = ascii.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
    }

    private String digest(String name, String value) {
        return B64.encodeToString(Arrays.copyOf(principals.tag("cursor-binding", (name + "\u0000" + value)
                .getBytes(StandardCharsets.UTF_8)), 6));
    }

    private byte[] signature(byte[] payload, String upstream) {
        byte[] upstreamBytes = upstream == null ? new byte[0] : upstream.getBytes(StandardCharsets.UTF_8);
        byte[] signed = Arrays.copyOf(payload, payload.length + 1 + upstreamBytes.length);
        signed[payload.length] = (byte) (upstream == null ? 0 : 1);
        System.arraycopy(upstreamBytes, 0, signed, payload.length + 1, upstreamBytes.length);
        return Arrays.copyOf(principals.tag("cursor", signed), 12);
    }
}
