package dev.switchboard.edge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/** A stateless tools/call answer completed without reading it says what reading it would have said. */
class CompletedResultTest {

    @Test
    void aPlainResultGetsItsTypeAndKeepsEveryMember() {
        String answer = "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"isError\":false,\"content\":[{\"type\":\"text\","
                + "\"text\":\"a \\\"quoted\\\" resultType\"}],\"structuredContent\":{\"n\":1}}}";
        JsonObject completed = new JsonObject(CompletedResult.of(Buffer.buffer(answer), 7));
        JsonObject read = new JsonObject(answer);
        read.getJsonObject("result").put("resultType", "complete");
        assertThat(completed).isEqualTo(read);
    }

    @Test
    void anEmptyResultAndAStringIdStayValidJson() {
        Buffer completed = CompletedResult.of(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":\"a\\\"b\",\"result\":{}}"), "a\"b");
        assertThat(new JsonObject(completed).getJsonObject("result").getString("resultType")).isEqualTo("complete");
        assertThat(new JsonObject(completed).getString("id")).isEqualTo("a\"b");
    }

    @Test
    void anythingUnusualIsLeftToTheGeneralPath() {
        assertThat(CompletedResult.of(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602}}"), 1)).isNull();
        assertThat(CompletedResult.of(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{}}"), 1)).as("another id").isNull();
        assertThat(CompletedResult.of(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"_meta\":{"
                + "\"dev.switchboard/inputRequired\":{}}}}"), 1)).as("a question").isNull();
        assertThat(CompletedResult.of(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"_meta\":{"
                + "\"dev.switchboard/runAsTask\":true}}}"), 1)).as("a task offer").isNull();
        assertThat(CompletedResult.of(Buffer.buffer("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"resultType\":\"complete\"}}"), 1))
                .as("typed already").isNull();
        assertThat(CompletedResult.of(Buffer.buffer("{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{}}"), 1)).as("other order").isNull();
    }
}
