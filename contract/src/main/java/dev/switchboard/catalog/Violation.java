package dev.switchboard.catalog;

import java.util.List;

/**
 * One reason a request or a set of tool arguments does not satisfy its schema.
 *
 * @param field the dotted path of the field at fault ({@code limit}, {@code steps.0.type}); empty for the whole object
 * @param message what is wrong and what is allowed, written for a model that must correct its call
 * @param allowed the accepted values when they form a short list, otherwise empty
 */
public record Violation(String field, String message, List<String> allowed) {

    public Violation(String field, String message) {
        this(field, message, List.of());
    }
}
