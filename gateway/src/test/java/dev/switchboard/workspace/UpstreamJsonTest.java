package dev.switchboard.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** What the gateway passes on of a Workspace API answer: one line, plain decimals, and nothing but JSON. */
class UpstreamJsonTest {

    @Test
    void numbersInScientificNotationBecomePlainDecimals() throws IOException {
        assertThat(normalize("{\"value\":7.4E+4,\"tiny\":1E-7,\"price\":1.50,\"count\":3}"))
                .isEqualTo("{\"value\":74000,\"tiny\":0.0000001,\"price\":1.50,\"count\":3}");
    }

    @Test
    void aPrettyPrintedAnswerFitsOnOneLine() throws IOException {
        assertThat(normalize("{\n  \"text\": \"two\\nlines\",\r\n  \"ok\": true\n}\n"))
                .isEqualTo("{\"text\":\"two\\nlines\",\"ok\":true}");
    }

    @Test
    void aCompactAnswerGoesOnAsItCame() throws IOException {
        byte[] body = "{\"items\":[{\"note\":\"1e5 in text\",\"done\":false,\"n\":2.5}],\"total\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(UpstreamJson.normalize(body)).isSameAs(body);
    }

    @Test
    void whatIsNotOneJsonValueIsRefused() {
        assertThatThrownBy(() -> normalize("")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> normalize("{\"a\":")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> normalize("<html>bad gateway</html>")).isInstanceOf(IOException.class);
    }

    private static String normalize(String body) throws IOException {
        return new String(UpstreamJson.normalize(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
