package dev.switchboard.workspace;

import java.io.IOException;
import java.math.BigDecimal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

/**
 * A successful answer of the Workspace API as the gateway passes it on: the same JSON, compact (one line, so that it
 * can travel in an SSE {@code data:} line), with every number as a plain decimal ({@code 74000}, never
 * {@code 7.4E+4}: models read the text). One streaming pass; nothing is bound to model classes.
 */
public final class UpstreamJson {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private UpstreamJson() {
    }

    /** @throws IOException when the body is not one JSON value */
    public static byte[] normalize(byte[] body) throws IOException {
        return alreadyNormal(body) ? body : rewrite(body);
    }

    /**
     * Most answers are already compact enough and have no exponent: a pass that only tokenizes (strings are skipped,
     * not decoded) proves the body is JSON, and the bytes go on as they came. Raw line breaks can only be whitespace
     * between tokens (JSON escapes them inside strings), so a body without them fits on one line.
     */
    private static boolean alreadyNormal(byte[] body) throws IOException {
        for (byte b : body) {
            if (b == '\n' || b == '\r') {
                return false;
            }
        }
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new IOException("empty body");
            }
            while (token != null) {
                if (token == JsonToken.VALUE_NUMBER_FLOAT && hasExponent(parser.getTextCharacters(),
                        parser.getTextOffset(), parser.getTextLength())) {
                    return false;
                }
                token = parser.nextToken();
            }
        }
        return true;
    }

    private static boolean hasExponent(char[] text, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (text[i] == 'e' || text[i] == 'E') {
                return true;
            }
        }
        return false;
    }

    private static byte[] rewrite(byte[] body) throws IOException {
        ByteArrayBuilder out = new ByteArrayBuilder(body.length + 16);
        try (JsonParser parser = FACTORY.createParser(body); JsonGenerator generator = FACTORY.createGenerator(out)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new IOException("empty body");
            }
            while (token != null) {
                if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                    generator.writeNumber(plain(parser.getDecimalValue()));
                } else {
                    generator.copyCurrentEvent(parser);
                }
                token = parser.nextToken();
            }
            generator.flush();
        }
        return out.toByteArray();
    }

    /** 7.4E+4 becomes 74000, 1.50 stays 1.50, 1E-7 becomes 0.0000001. */
    static String plain(BigDecimal value) {
        return value.scale() < 0 ? value.setScale(0).toPlainString() : value.toPlainString();
    }
}
