package dev.switchboard.workspace;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * Turns an error answer of the Workspace API into an {@link UpstreamFailure}. The contract gives every error the body
 * {@code {code, message, details}}; answers without it (a proxy's HTML page) get a neutral message, and the text of
 * 5xx answers is never passed on, since it may describe the backend's internals.
 */
public class UpstreamErrorMapper implements ResponseExceptionMapper<UpstreamFailure> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public UpstreamFailure toThrowable(Response response) {
        return failure(response.getStatus(), response.getHeaderString("Retry-After"), errorBody(response));
    }

    /** The failure an error answer stands for, from its status, Retry-After header and body. */
    static UpstreamFailure failure(int status, String retryAfterHeader, byte[] body) {
        return failure(status, retryAfterHeader, errorBody(body));
    }

    private static UpstreamFailure failure(int status, String retryAfterHeader, JsonNode body) {
        Duration retryAfter = retryAfter(retryAfterHeader);
        String code = body.path("code").asText("");
        if (status == 429) {
            return new UpstreamFailure.Throttled(code.isEmpty() ? "rate_limited" : code,
                    "The workspace API is rate limiting requests.", retryAfter);
        }
        if (status >= 500) {
            return new UpstreamFailure.Unavailable(status, code.isEmpty() ? defaultCode(status) : code,
                    "The workspace API failed (HTTP " + status + ").", retryAfter, true, null);
        }
        return new UpstreamFailure.Rejected(status, code.isEmpty() ? defaultCode(status) : code,
                body.path("message").asText("The workspace API refused the request (HTTP " + status + ")."),
                body.path("details"));
    }

    private static JsonNode errorBody(Response response) {
        try {
            String text = response.readEntity(String.class);
            return text == null ? MissingNode.getInstance() : errorBody(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    private static JsonNode errorBody(byte[] body) {
        if (body == null || body.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode parsed = JSON.readTree(body);
            return parsed != null && parsed.isObject() && parsed.has("code") ? parsed : MissingNode.getInstance();
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    private static String defaultCode(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 409 -> "conflict";
            case 422 -> "validation_failed";
            case 502 -> "bad_gateway";
            case 503 -> "unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "internal_error" : "rejected";
        };
    }
}
