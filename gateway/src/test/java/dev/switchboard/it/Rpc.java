package dev.switchboard.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;

import io.vertx.core.json.JsonObject;

/** Minimal Streamable HTTP client for process tests: one JSON-RPC message per POST, SSE answers parsed. */
final class Rpc {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    record Answer(int status, JsonObject message, Optional<String> sessionId) {
    }

    static Answer post(String endpoint, JsonObject message, Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(message.encode()));
        headers.forEach(request::header);
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonObject answer = null;
        String body = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            for (String line : body.split("\n")) {
                if (line.startsWith("data:")) {
                    JsonObject data = new JsonObject(line.substring(5).trim());
                    if (data.containsKey("id")) {
                        answer = data;
                    }
                }
            }
        } else if (!body.isBlank()) {
            answer = new JsonObject(body);
        }
        return new Answer(response.statusCode(), answer, response.headers().firstValue("Mcp-Session-Id"));
    }

    static JsonObject initialize(int id) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "initialize").put("params",
                new JsonObject().put("protocolVersion", "2025-06-18").put("capabilities", new JsonObject())
                        .put("clientInfo", new JsonObject().put("name", "it").put("version", "1")));
    }

    static JsonObject call(int id, String tool, JsonObject arguments) {
        return new JsonObject().put("jsonrpc", "2.0").put("id", id).put("method", "tools/call")
                .put("params", new JsonObject().put("name", tool).put("arguments", arguments));
    }

    static JsonObject structured(Answer answer) {
        return answer.message().getJsonObject("result").getJsonObject("structuredContent");
    }
}
