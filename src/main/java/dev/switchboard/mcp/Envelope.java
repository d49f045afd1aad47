package dev.switchboard.mcp;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.switchboard.tenancy.Identity;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * Every tool answer names the organization it acted on: a header line, a separator, then the JSON
 * {@code {"organization", "result"}} that is also the structured content.
 */
final class Envelope {

    static final String SEPARATOR = "-".repeat(62);

    private Envelope() {
    }

    static ObjectNode body(Identity.OrganizationRef organization, Reply reply) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("organization", organization(organization));
        reply.mailbox().ifPresent(mailbox -> body.putObject("mailbox").put("id", mailbox));
        body.set("result", reply.result());
        if (reply.truncated()) {
            body.put("truncated", true);
        }
        reply.notice().ifPresent(notice -> body.put("notice", notice));
        return body;
    }

    static ToolResponse success(Identity.OrganizationRef organization, ObjectNode body) {
        String text = header(organization) + "\n" + body;
        return new ToolResponse(false, List.of(new TextContent(text)), body, null);
    }

    /** An error the model can act on, with the organization header when the organization is known. */
    static ToolResponse error(Identity.OrganizationRef organization, String message) {
        String text = organization == null ? "Error: " + message : header(organization) + "\nError: " + message;
        return new ToolResponse(true, List.of(new TextContent(text)));
    }

    static ObjectNode organization(Identity.OrganizationRef organization) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", organization.id());
        node.put("name", organization.name());
        node.put("slug", organization.slug());
        return node;
    }

    static String header(Identity.OrganizationRef organization) {
        return "[organization] " + organization.name() + " (id: " + organization.id() + ")\n" + SEPARATOR;
    }

    /** The output schema of a tool whose result has the given schema. */
    static ObjectNode outputSchema(JsonNode resultSchema, boolean withMailbox) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode organization = properties.putObject("organization");
        organization.put("type", "object").put("description", "The organization the call acted on.");
        ObjectNode orgProperties = organization.putObject("properties");
        orgProperties.putObject("id").put("type", "string");
        orgProperties.putObject("name").put("type", "string");
        orgProperties.putObject("slug").put("type", "string");
        organization.putArray("required").add("id").add("name").add("slug");
        if (withMailbox) {
            ObjectNode mailbox = properties.putObject("mailbox");
            mailbox.put("type", "object").put("description", "The mailbox the call acted on.");
            mailbox.putObject("properties").putObject("id").put("type", "string");
        }
        ObjectNode result = resultSchema.deepCopy();
        if (result.has("$defs")) {
            // references inside the result point at "#/$defs/…": they must live at the root of the whole schema
            schema.set("$defs", result.remove("$defs"));
        }
        properties.set("result", result);
        properties.putObject("truncated").put("type", "boolean")
                .put("description", "True when the result was cut to fit the result budget; continue with result.nextCursor.");
        properties.putObject("notice").put("type", "string").put("description", "What the gateway changed in the result.");
        schema.putArray("required").add("organization").add("result");
        return schema;
    }
}
