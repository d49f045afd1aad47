package dev.switchboard.mcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.switchboard.config.GatewayConfig;

/**
 * Keeps results within a budget of text (MCP_RESULT_BUDGET_TOKENS, about four characters per token). A page that is
 * too large is cut at an item boundary and gets a cursor that continues exactly where it stopped; a single item that
 * is still too large has its longest texts shortened. The JSON stays whole either way.
 */
@ApplicationScoped
class ResultBudget {

    static final String CURSOR_PREFIX = "sbc1.";
    private static final int ENVELOPE_ALLOWANCE = 400;
    private static final int SHORTEST_CUT = 200;

    /** Where a cut page resumes: the upstream cursor of that page, and how many of its items were already shown. */
    record Continuation(String upstreamCursor, int skip, Integer limit) {
    }

    private final int budgetChars;

    ResultBudget(GatewayConfig config) {
        this.budgetChars = config.resultBudgetTokens() * 4;
    }

    int budgetTokens() {
        return budgetChars / 4;
    }

    /** The continuation a cursor argument stands for, if it is one of the gateway's. */
    Optional<Continuation> decode(String operation, Object cursor) {
        if (!(cursor instanceof String text) || !text.startsWith(CURSOR_PREFIX)) {
            return Optional.empty();
        }
        try {
            JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(text.substring(CURSOR_PREFIX.length())));
            if (!operation.equals(node.path("o").asText())) {
                throw ToolFailure.invalid("'cursor' continues a result of " + node.path("o").asText()
                        + ", not of " + operation + "; pass the nextCursor of this operation's previous result.");
            }
            return Optional.of(new Continuation(node.path("c").isNull() ? null : node.path("c").asText(null),
                    node.path("s").asInt(), node.path("l").isInt() ? node.path("l").asInt() : null));
        } catch (ToolFailure e) {
            throw e;
        } catch (Exception e) {
            throw ToolFailure.invalid("'cursor' is not a cursor this server issued; pass the nextCursor of the previous "
                    + "result unchanged, or omit it for the first page.");
        }
    }

    String encode(String operation, String upstreamCursor, int skip, Integer limit) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("o", operation);
        node.put("c", upstreamCursor);
        node.put("s", skip);
        if (limit != null) {
            node.put("l", limit);
        }
        return CURSOR_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param page where the shown page came from: its upstream cursor and the items of it already shown before
     */
    Reply fit(dev.switchboard.catalog.Operation operation, Reply reply, Continuation page) {
        return fit(operation.name(), operation.listField().orElse("items"), reply, page);
    }

    Reply fit(String operation, String listField, Reply reply, Continuation page) {
        JsonNode result = reply.result();
        int size = result.toString().length() + ENVELOPE_ALLOWANCE;
        if (size <= budgetChars) {
            return reply;
        }
        List<String> notices = new ArrayList<>();
        JsonNode fitted = result.deepCopy();
        if (fitted.path(listField).isArray() && fitted.path(listField).size() > 1) {
            ArrayNode items = (ArrayNode) fitted.get(listField);
            int available = budgetChars - ENVELOPE_ALLOWANCE - (size - ENVELOPE_ALLOWANCE - items.toString().length());
            int kept = 0;
            int used = 2;
            for (JsonNode item : items) {
                used += item.toString().length() + 1;
                if (kept > 0 && used > available) {
                    break;
                }
                kept++;
            }
            if (kept < items.size()) {
                int total = items.size();
                ArrayNode head = JsonNodeFactory.instance.arrayNode();
                for (int i = 0; i < kept; i++) {
                    head.add(items.get(i));
                }
                ((ObjectNode) fitted).set(listField, head);
                ((ObjectNode) fitted).put("nextCursor", encode(operation, page.upstreamCursor(), page.skip() + kept, page.limit()));
                notices.add("Showing " + kept + " of the " + total + " items of this page to stay within the result budget of "
                        + budgetTokens() + " tokens; pass result.nextCursor as cursor to get the rest.");
            }
        }
        if (fitted.toString().length() + ENVELOPE_ALLOWANCE > budgetChars) {
            int cut = shortenTexts(fitted, fitted.toString().length() + ENVELOPE_ALLOWANCE - budgetChars);
            notices.add("Long texts were shortened by " + cut + " characters in all to stay within the result budget of "
                    + budgetTokens() + " tokens; ask for a single item to read it whole.");
        }
        return new Reply(fitted, reply.mailbox(), true, Optional.of(String.join(" ", notices)), reply.actingOn());
    }

    /** A long text in the result: where it sits (a field of an object, or an index of an array) and its value. */
    private record Text(JsonNode parent, String field, int index, String value) {

        void replace(String shorter) {
            if (parent instanceof ObjectNode object) {
                object.set(field, TextNode.valueOf(shorter));
            } else {
                ((ArrayNode) parent).set(index, TextNode.valueOf(shorter));
            }
        }
    }

    /** Shortens the longest strings, longest first, until {@code excess} characters are gone or nothing is left to cut. */
    private static int shortenTexts(JsonNode root, int excess) {
        List<Text> texts = new ArrayList<>();
        collectTexts(root, texts);
        texts.sort(Comparator.comparingInt((Text t) -> t.value().length()).reversed());
        int removed = 0;
        for (Text text : texts) {
            if (removed >= excess) {
                break;
            }
            String value = text.value();
            int keep = Math.max(SHORTEST_CUT, value.length() - (excess - removed) - 60);
            if (keep >= value.length()) {
                continue;
            }
            String marker = "… [" + (value.length() - keep) + " characters cut]";
            text.replace(value.substring(0, keep) + marker);
            removed += value.length() - keep - marker.length();
        }
        return Math.max(0, removed);
    }

    private static void collectTexts(JsonNode node, List<Text> texts) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                if (field.getValue().isTextual() && field.getValue().asText().length() > SHORTEST_CUT) {
                    texts.add(new Text(node, field.getKey(), -1, field.getValue().asText()));
                } else {
                    collectTexts(field.getValue(), texts);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                if (element.isTextual() && element.asText().length() > SHORTEST_CUT) {
                    texts.add(new Text(node, null, i, element.asText()));
                } else {
                    collectTexts(element, texts);
                }
            }
        }
    }
}
