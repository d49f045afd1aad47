package dev.switchboard.mcp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import dev.switchboard.tenancy.Identity;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * Every tool answer names the organization it acted on: a header line, a separator, then the JSON
 * {@code {"organization", "mailbox"?, "result", "truncated"?, "notice"?}} that is also the structured content. The JSON
 * is written once, around the result's bytes as they came; the structured content is that same text, passed to the
 * MCP library as a raw value so that it is not serialized again.
 */
final class Envelope {

    static final String SEPARATOR = "-".repeat(62);
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private Envelope() {
    }

    static ToolResponse success(Optional<Identity.OrganizationRef> organization, Reply reply) {
        String json = json(organization, reply);
        String text = organization.map(org -> header(org) + "\n" + json).orElse(json);
        return new ToolResponse(false, List.of(new TextContent(text)), new RawValue(json), null);
    }

    /** An error the model can act on, with the organization header when the organization is known. */
    static ToolResponse error(Optional<Identity.OrganizationRef> organization, String message) {
        String text = organization.map(org -> header(org) + "\nError: " + message).orElse("Error: " + message);
        return new ToolResponse(true, List.of(new TextContent(text)));
    }

    static String header(Identity.OrganizationRef organization) {
        return "[organization] " + organization.name() + " (id: " + organization.id() + ")\n" + SEPARATOR;
    }

    /** The envelope as compact JSON (one line: it may travel in an SSE data line). */
    static String json(Optional<Identity.OrganizationRef> organization, Reply reply) {
        ByteArrayBuilder out = new ByteArrayBuilder(reply.result().length + 256);
        out.write('{');
        boolean first = true;
        if (organization.isPresent()) {
            Identity.OrganizationRef org = organization.get();
            raw(out, "\"organization\":{\"id\":");
            quoted(out, org.id());
            raw(out, ",\"name\":");
            quoted(out, org.name());
            raw(out, ",\"slug\":");
            quoted(out, org.slug());
            out.write('}');
            first = false;
        }
        if (reply.mailbox().isPresent()) {
            raw(out, first ? "\"mailbox\":{\"id\":" : ",\"mailbox\":{\"id\":");
            quoted(out, reply.mailbox().get());
            out.write('}');
            first = false;
        }
        raw(out, first ? "\"result\":" : ",\"result\":");
        out.write(reply.result());
        if (reply.truncated()) {
            raw(out, ",\"truncated\":true");
        }
        if (reply.notice().isPresent()) {
            raw(out, ",\"notice\":");
            quoted(out, reply.notice().get());
        }
        out.write('}');
        return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }

    private static void raw(ByteArrayBuilder out, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            out.write(ascii.charAt(i));
        }
    }

    private static void quoted(ByteArrayBuilder out, String value) {
        out.write('"');
        out.write(QUOTE.quoteAsUTF8(value == null ? "" : value));
        out.write('"');
    }

    /**
     * The output schema of a tool whose result has the given schema.
     *
     * @param organizationAlways false for the tools that also answer when no organization is active (listing and
     *        switching organizations)
     */
    static ObjectNode outputSchema(JsonNode resultSchema, boolean withMailbox, boolean organizationAlways) {
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
                .put("description", "True when the result was cut to fit the result budget; the notice says how to read the rest.");
        properties.putObject("notice").put("type", "string").put("description", "What the gateway changed in the result.");
        ArrayNode required = schema.putArray("required");
        if (organizationAlways) {
            required.add("organization");
        }
        required.add("result");
        return schema;
    }
}
