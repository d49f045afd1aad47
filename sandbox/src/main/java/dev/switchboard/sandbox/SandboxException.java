package dev.switchboard.sandbox;

import java.util.List;
import java.util.Map;

import dev.switchboard.catalog.Violation;

/** An error answer of the sandbox, in the contract's error shape {@code {code, message, details}}. */
final class SandboxException extends RuntimeException {

    final int status;
    final String code;
    final Map<String, Object> details;

    SandboxException(int status, String code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    SandboxException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    static SandboxException notFound(String what, String id) {
        return new SandboxException(404, "not_found", what + " " + id + " does not exist in this organization.");
    }

    static SandboxException conflict(String message) {
        return new SandboxException(409, "conflict", message);
    }

    /** 422 naming one field. */
    static SandboxException invalid(String field, String message) {
        return invalid(List.of(new Violation(field, message)));
    }

    static SandboxException invalid(String field, String message, List<String> allowed) {
        return invalid(List.of(new Violation(field, message, allowed)));
    }

    static SandboxException invalid(List<Violation> violations) {
        List<Map<String, Object>> fields = violations.stream().map(v -> {
            Map<String, Object> field = new java.util.LinkedHashMap<>();
            field.put("field", v.field());
            field.put("message", v.message());
            if (!v.allowed().isEmpty()) {
                field.put("allowed", v.allowed());
            }
            return field;
        }).toList();
        String summary = violations.size() == 1 ? violations.get(0).message()
                : violations.size() + " fields are invalid: " + String.join(" ", violations.stream().map(Violation::message).toList());
        return new SandboxException(422, "validation_failed", summary, Map.of("fields", fields));
    }
}
