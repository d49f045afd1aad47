package dev.switchboard.mcp;

import java.io.IOException;
import java.util.ArrayList;
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

import dev.switchboard.config.GatewayConfig;

/**
 * Keeps results within a budget of text (MCP_RESULT_BUDGET_TOKENS, about four characters per token). Most results fit
 * and are passed on as they are: their size is known without reading them. A page that is too large is cut at an item
 * boundary and gets a cursor that continues exactly where it stopped; a single item that is still too large has its
 * longest texts shortened, and the notice says which fields and how to read them whole. The JSON stays whole.
 */
@Singleton
class ResultBudget {

    private static final int ENVELOPE_ALLOWANCE = 400;
    private static final int SHORTEST_CUT = 200;
    private static final int FIELDS_NAMED = 5;

    /** How a cut page continues: the cursor that resumes after the given number of items of the page shown. */
    @FunctionalInterface
    interface Continuation {
        void setNext(ObjectNode answer, int itemsShown);
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

    /**
     * @param listField the array of a list answer, where a page is cut
     * @param continuation how a cut page continues; empty for answers that cannot be continued (they are never cut
     *        at an item, only their long texts shortened)
     */
    Reply fit(String listField, Reply reply, Optional<Continuation> continuation) {
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
        if (continuation.isPresent() && fitted.path(listField).isArray() && fitted.path(listField).size() > 1) {
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
                continuation.get().setNext((ObjectNode) fitted, kept);
                notices.add("Showing " + kept + " of the " + total + " items of this page to stay within the result budget of "
                        + budgetTokens() + " tokens. To get the rest, call again with cursor set to this result's nextCursor "
                        + "and the same other arguments.");
            }
        }
        if (fitted.toString().length() + ENVELOPE_ALLOWANCE > budgetChars) {
            boolean isPage = fitted.path(listField).isArray();
            List<String> shortened = new ArrayList<>();
            shortenTexts(fitted, fitted.toString().length() + ENVELOPE_ALLOWANCE - budgetChars, shortened);
            if (!shortened.isEmpty()) {
                notices.add("Long texts were shortened to stay within the result budget of " + budgetTokens() + " tokens: "
                        + String.join(", ", shortened) + ". Each ends with \"… [N characters cut]\". " + (isPage
                                ? "To read one whole, read its item alone with the matching get operation."
                                : "The workspace keeps them whole, but one answer may carry at most " + budgetTokens()
                                        + " tokens (MCP_RESULT_BUDGET_TOKENS, set by the operator)."));
            }
        }
        if (notices.isEmpty()) {
            // nothing could be cut (no item boundary, no long text): the answer goes on whole, and says nothing false
            return reply;
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

    /**
     * Shortens the longest strings, longest first, until {@code excess} characters are gone or nothing is left to cut;
     * names each field cut with the number of characters its marker says were cut.
     */
    private static void shortenTexts(JsonNode root, int excess, List<String> shortened) {
        List<Text> texts = new ArrayList<>();
        collectTexts(root, "", texts);
        texts.sort(Comparator.comparingInt((Text t) -> t.value().length()).reversed());
        int removed = 0;
        int named = 0;
        for (Text text : texts) {
            if (removed >= excess) {
                break;
            }
            String value = text.value();
            int keep = Math.max(SHORTEST_CUT, value.length() - (excess - removed) - 60);
            if (keep >= value.length()) {
                continue;
            }
            int cut = value.length() - keep;
            String marker = "… [" + cut + " characters cut]";
            if (cut <= marker.length()) {
                continue; // the marker would make it no shorter
            }
            text.replace(value.substring(0, keep) + marker);
            removed += cut - marker.length();
            if (named < FIELDS_NAMED) {
                shortened.add(text.path() + " (" + cut + " characters cut)");
            } else if (named == FIELDS_NAMED) {
                shortened.add("…");
            }
            named++;
        }
    }

    private static void collectTexts(JsonNode node, String path, List<Text> texts) {
        if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual() && field.getValue().asText().length() > SHORTEST_CUT) {
                    texts.add(new Text(node, field.getKey(), -1, at, field.getValue().asText()));
                } else {
                    collectTexts(field.getValue(), at, texts);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                String at = path.isEmpty() ? String.valueOf(i) : path + "." + i;
                if (element.isTextual() && element.asText().length() > SHORTEST_CUT) {
                    texts.add(new Text(node, null, i, at, element.asText()));
                } else {
                    collectTexts(element, at, texts);
                }
            }
        }
    }
}
