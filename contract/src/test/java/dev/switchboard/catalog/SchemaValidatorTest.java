package dev.switchboard.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

class SchemaValidatorTest {

    private final OperationCatalog catalog = OperationCatalog.builtIn();

    private List<Violation> validate(String operation, String json) {
        return SchemaValidator.of(catalog.require(operation).inputSchema()).validate(new JsonObject(json));
    }

    @Test
    void validArgumentsPass() {
        assertThat(validate("contacts_list", "{\"limit\": 10, \"tag\": [\"vip\"], \"sort\": \"email\"}")).isEmpty();
    }

    @Test
    void eachViolationNamesTheFieldAndWhatIsAllowed() {
        List<Violation> violations = validate("contacts_list", "{\"limit\": 500, \"sort\": \"bogus\", \"colour\": 1}");
        assertThat(violations).extracting(Violation::field).containsExactlyInAnyOrder("limit", "sort", "colour");
        assertThat(violations).filteredOn(v -> v.field().equals("limit")).first().extracting(Violation::message)
                .asString().contains("at most 100").contains("500");
        Violation sort = violations.stream().filter(v -> v.field().equals("sort")).findFirst().orElseThrow();
        assertThat(sort.allowed()).contains("email", "-createdAt");
        assertThat(violations).filteredOn(v -> v.field().equals("colour")).first().extracting(Violation::message)
                .asString().contains("not a known argument").contains("limit");
    }

    @Test
    void missingRequiredAndWrongTypesAreExplained() {
        List<Violation> violations = validate("messages_send_sms", "{\"to\": 5}");
        assertThat(violations).extracting(Violation::field).contains("to", "body");
        assertThat(violations).filteredOn(v -> v.field().equals("body")).first().extracting(Violation::message)
                .asString().contains("required");
        assertThat(violations).filteredOn(v -> v.field().equals("to")).first().extracting(Violation::message)
                .asString().contains("must be a string");
    }

    /** JSON Schema patterns end at the end of the value: "$" does not let a trailing line break through to a header. */
    @Test
    void aPatternAnchorAllowsNoTrailingLineBreak() {
        assertThat(validate("contacts_create", "{\"email\": \"a@example.com\", \"idempotencyKey\": \"retry-key-0001\"}")).isEmpty();
        assertThat(validate("contacts_create", "{\"email\": \"a@example.com\", \"idempotencyKey\": \"retry-key-0001\\n\"}"))
                .extracting(Violation::field).containsExactly("idempotencyKey");
        assertThat(SchemaValidator.endOfInput("^(?=.{1,253}$)[a-z$]+\\$$")).isEqualTo("^(?=.{1,253}\\z)[a-z$]+\\$\\z");
    }

    @Test
    void formatsAndAlternativesAreChecked() {
        assertThat(validate("contacts_create", "{\"email\": \"not-an-address\"}")).extracting(Violation::message)
                .anyMatch(m -> m.contains("valid email address"));
        assertThat(validate("contacts_create", "{\"firstName\": \"Ada\"}")).extracting(Violation::message)
                .anyMatch(m -> m.contains("at least one of: email, phone"));
        assertThat(validate("campaigns_create", "{\"name\":\"a\",\"subject\":\"b\",\"body\":\"c\",\"scheduledAt\":\"tomorrow\"}"))
                .extracting(Violation::field).containsExactly("scheduledAt");
    }

    @Test
    void nestedFieldsAreNamedByPath() {
        List<Violation> violations = validate("workflows_create",
                "{\"name\": \"x\", \"steps\": [{\"type\": \"send_email\"}, {\"type\": \"teleport\"}]}");
        assertThat(violations).extracting(Violation::field).contains("steps.1.type");
    }
}
