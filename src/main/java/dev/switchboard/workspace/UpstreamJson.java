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
