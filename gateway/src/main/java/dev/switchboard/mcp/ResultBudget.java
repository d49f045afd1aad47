package dev.switchboard.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.switchboard.catalog.Operation;
import dev.switchboard.config.GatewayConfig;

/**
 * Keeps results within a budget of text (MCP_RESULT_BUDGET_TOKENS, about four characters per token). Most results fit
 * and are passed on as they are: their size is known without reading them. A page that is too large is cut at an item
 * boundary and gets a cursor that continues exactly where it stopped; a single item that is still too large has its
 * longest texts shortened, and the notice says which fields and how to read them whole. The JSON stays whole.
 */
@Singleton
class ResultBudget {

    static final String CURSOR_PREFIX = "sbc1.";
    private static final int ENVELOPE_ALLOWANCE = 400;
    private static final int SHORTEST_CUT = 200;

    /** Where a cut page resumes: the upstream cursor of that page, and how many of its items were already shown. */
    record Continuation(String upstreamCursor, int skip, Integer limit) {
    }

    private final int budgetChars;
    private final ObjectMapper mapper;
    private final ObjectReader reader;

    ResultBudget(GatewayConfig config, ObjectMapper mapper) {
        this.budgetChars = config.resultBudgetTokens() * 4;
        this.mapper = mapper;
        // amounts stay exact and print as plain decimals when a cut result is written again
        this.reader = mapper.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
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
            JsonNode node = mapper.readTree(Base64.getUrlDecoder().decode(text.substring(CURSOR_PREFIX.length())));
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

    Reply fit(Operation operation, Reply reply, Continuation page) {
        return fit(operation.name(), operation.listField().orElse("items"), reply, page);
    }

    /**
     * @param listField the array of a list answer, where a page is cut
     * @param page where the shown page came from: its upstream cursor and the items of it already shown before
     */
    Reply fit(String operation, String listField, Reply reply, Continuation page) {
        // UTF-8 bytes are at least as many as characters: a result within the budget in bytes is within it in text
        if (reply.result().length + ENVELOPE_ALLOWANCE <= budgetChars) {
            return reply;
        }
        JsonNode fitted;
        try {
            fitted = reader.readTree(reply.result());
        } catch (IOException e) {
            throw new IllegalStateException("a result that is not JSON reached the budget", e);
        }
        int size = fitted.toString().length() + ENVELOPE_ALLOWANCE;
        if (size <= budgetChars) {
            return reply;
        }
        List<String> notices = new ArrayList<>();
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
            boolean isPage = fitted.path(listField).isArray();
            List<String> shortened = new ArrayList<>();
            int cut = shortenTexts(fitted, fitted.toString().length() + ENVELOPE_ALLOWANCE - budgetChars, shortened);
            notices.add("Long texts were shortened by " + cut + " characters in all to stay within the result budget of "
                    + budgetTokens() + " tokens: " + String.join(", ", shortened) + "; each cut text ends with how many "
                    + "characters were cut. " + (isPage
                            ? "To read one whole, read its item alone with the matching get operation."
                            : "The workspace keeps them whole, but one answer may carry at most " + budgetTokens()
                                    + " tokens (MCP_RESULT_BUDGET_TOKENS, set by the operator)."));
        }
        try {
            return reply.fitted(mapper.writeValueAsBytes(fitted), String.join(" ", notices));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A long text in the result: where it sits (a field of an object, or an index of an array) and its value. */
    private record Text(JsonNode parent, String field, int index, String path, String value) {

        void replace(String shorter) {
            if (parent instanceof ObjectNode object) {
                object.set(field, TextNode.valueOf(shorter));
            } else {
                ((ArrayNode) parent).set(index, TextNode.valueOf(shorter));
            }
        }
    }

    /** Shortens the longest strings, longest first, until {@code excess} characters are gone or nothing is left to cut. */
    private static int shortenTexts(JsonNode root, int excess, List<String> shortened) {
        List<Text> texts = new ArrayList<>();
        collectTexts(root, "result", texts);
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
            if (shortened.size() < 5) {
                shortened.add(text.path());
            } else if (shortened.size() == 5) {
                shortened.add("…");
            }
        }
        return Math.max(0, removed);
    }

    private static void collectTexts(JsonNode node, String path, List<Text> texts) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String at = path + "." + field.getKey();
                if (field.getValue().isTextual() && field.getValue().asText().length() > SHORTEST_CUT) {
                    texts.add(new Text(node, field.getKey(), -1, at, field.getValue().asText()));
                } else {
                    collectTexts(field.getValue(), at, texts);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                String at = path + "." + i;
                if (element.isTextual() && element.asText().length() > SHORTEST_CUT) {
                    texts.add(new Text(node, null, i, at, element.asText()));
                } else {
                    collectTexts(element, at, texts);
                }
            }
        }
    }
}
