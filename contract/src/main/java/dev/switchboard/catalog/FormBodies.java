package dev.switchboard.catalog;

import java.util.Locale;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Whether a request announces a form or multipart body. Neither the MCP endpoints nor the Workspace API take one, and
 * a body handler would parse it as form fields (and fail on a long one with a stack trace), so both refuse it before
 * reading. An empty body is no form: some HTTP clients label every bodiless POST as one.
 */
public final class FormBodies {

    private FormBodies() {
    }

    public static boolean announced(HttpServerRequest request) {
        String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (type == null) {
            return false;
        }
        String lower = type.trim().toLowerCase(Locale.ROOT);
        if (!lower.startsWith("multipart/") && !lower.startsWith("application/x-www-form-urlencoded")) {
            return false;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return length == null ? request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null : !length.trim().equals("0");
    }
}
