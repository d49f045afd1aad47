package dev.switchboard.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One operation of the Workspace API contract, with everything the gateway derives from it: the tool's input and
 * output schemas and its behaviour hints.
 *
 * @param name the operationId, which is also the tool name before any prefix
 * @param group the contract tag
 * @param title the contract summary
 * @param pathTemplate the path, with {@code {name}} placeholders
 * @param parameters every parameter except {@code organizationId}, which the gateway always fills
 * @param bodySchema the request body schema, when the operation has a body
 * @param bodyProperties the body's top-level properties, which the tool exposes as arguments of their own
 * @param successStatus the status of a successful answer (202 for jobs)
 * @param responseSchema the schema of a successful answer
 * @param inputSchema the JSON Schema of the tool arguments, as clients see it
 * @param validationSchema the same arguments after {@link ArgumentShapes} normalized them (aliases renamed, single
 *        values wrapped in a list): what a call is checked against
 * @param aliases argument names the reference documents use, mapped to the contract's name ({@code maxResults} to
 *        {@code limit}); they are accepted but not advertised, so that the schema stays one schema
 * @param acceptsSingle list arguments that also take a single value ({@code to: "a@b.c"} for {@code to: ["a@b.c"]})
 * @param referenceName the verb-first name the reference documents use ({@code list_contacts} for
 *        {@code contacts_list}): the contract's {@code x-reference-name}, else derived from the name
 * @param answerAliases other names of top-level answer fields ({@code nextPageToken} for {@code nextCursor}), mapped to
 *        the field's own name; an answer carries such a field under both
 * @param confirms for an operation that destroys or sends in bulk, what it acts on (the contract's {@code x-confirm}:
 *        {@code contacts}, {@code recipients}): a client that can ask its user is asked first, with the count
 */
public record Operation(
        String name,
        String group,
        String title,
        String description,
        String method,
        String pathTemplate,
        List<OperationParameter> parameters,
        Optional<ObjectNode> bodySchema,
        boolean bodyRequired,
        Set<String> bodyProperties,
        int successStatus,
        ObjectNode responseSchema,
        boolean job,
        boolean curated,
        boolean openWorld,
        boolean organizationScoped,
        ObjectNode inputSchema,
        ObjectNode validationSchema,
        Map<String, String> aliases,
        Set<String> acceptsSingle,
        String referenceName,
        Map<String, String> answerAliases,
        Optional<String> confirms) {

    public static final String ACCOUNT_ID = "accountId";
    public static final String IDEMPOTENCY_KEY_ARGUMENT = "idempotencyKey";

    public boolean readOnly() {
        return "GET".equals(method);
    }

    public boolean destructive() {
        return "DELETE".equals(method);
    }

    /** Repeating the call has no further effect (HTTP semantics of the method). */
    public boolean idempotent() {
        return switch (method) {
            case "GET", "PUT", "DELETE", "HEAD", "OPTIONS" -> true;
            default -> false;
        };
    }

    public boolean write() {
        return !readOnly();
    }

    /** Acts on one mailbox, chosen by the accountId argument, the x-account-id header or the only mailbox. */
    public boolean inbox() {
        return parameter(ACCOUNT_ID).isPresent();
    }

    /** Takes limit and cursor and answers {@code {items, nextCursor}}. */
    public boolean paginated() {
        return parameter("cursor").isPresent();
    }

    public boolean acceptsIdempotencyKey() {
        return parameters.stream().anyMatch(p -> p.argument().equals(IDEMPOTENCY_KEY_ARGUMENT));
    }

    /**
     * The array field of a list answer ({@code items} for most lists; the inbox lists name theirs {@code threads},
     * {@code accounts}, {@code labels} or {@code contacts}), when the answer has exactly one array field.
     */
    public Optional<String> listField() {
        String found = null;
        for (var it = responseSchema.path("properties").fields(); it.hasNext();) {
            var property = it.next();
            if ("array".equals(property.getValue().path("type").asText())) {
                if (found != null) {
                    return Optional.empty();
                }
                found = property.getKey();
            }
        }
        return Optional.ofNullable(found);
    }

    public Optional<OperationParameter> parameter(String argument) {
        return parameters.stream().filter(p -> p.argument().equals(argument)).findFirst();
    }
}
