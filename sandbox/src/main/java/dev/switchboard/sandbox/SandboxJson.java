package dev.switchboard.sandbox;

import java.math.BigDecimal;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The sandbox's own JSON mapping, as a separate backend would have it: ISO dates, absent rather than null fields,
 * and numbers as plain decimals ({@code 74000}, {@code 0.42}), never in scientific notation.
 */
final class SandboxJson {

    static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(com.fasterxml.jackson.core.StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private SandboxJson() {
    }

    /** A value as JSON text with plain-decimal numbers. */
    static String write(Object value) {
        JsonNode tree = value instanceof JsonNode node ? node : MAPPER.valueToTree(value);
        try {
            // JsonNode.toString() would print a BigDecimal 74000 as 7.4E+4: write through the mapper, which writes
            // BigDecimals plainly, after turning floating-point numbers into BigDecimals
            return MAPPER.writeValueAsString(plain(tree));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write sandbox JSON", e);
        }
    }

    /** Floating-point numbers become BigDecimals without trailing zeros (5000.0 is 5000): written plainly. */
    private static JsonNode plain(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            for (var it = object.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                field.setValue(plain(field.getValue()));
            }
        } else if (node.isArray()) {
            ArrayNode array = (ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, plain(array.get(i)));
            }
        } else if (node.isFloatingPointNumber() && Double.isFinite(node.doubleValue())) {
            BigDecimal value = node.isBigDecimal() ? node.decimalValue() : new BigDecimal(Double.toString(node.doubleValue()));
            value = value.stripTrailingZeros();
            return DecimalNode.valueOf(value.scale() < 0 ? value.setScale(0) : value);
        }
        return node;
    }
}
