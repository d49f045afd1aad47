package dev.switchboard.mcp;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.tenancy.Identity;
import io.quarkiverse.mcp.server.MetaKey;
import io.quarkiverse.mcp.server.TextContent;
import io.quarkiverse.mcp.server.ToolResponse;

/**
 * The shape of every successful tool result, as MCP_RESULT_SHAPE chose it, in one place for every route that answers
 * tool calls. The text block always starts with the organization header ({@code [organization] <name> (id: <id>)}, a
 * notice line when the gateway changed the result, and a separator line), then JSON:
 * <ul>
 * <li>{@code envelope} (the default): {@code {"organization", "mailbox"?, "result", "truncated"?, "notice"?}}, which is
 * also the structured content. {@code organization} is always there: {@code null} only for the tools that answer
 * when no organization is active (listing and switching organizations, listing operations).</li>
 * <li>{@code payload}: the result itself, whose own fields are the structured content (as clients of the inbox
 * reference read them: {@code structuredContent.threads}); the organization, mailbox, truncation and notice are in the
 * result's {@code _meta}.</li>
 * </ul>
 * The JSON is written once, around the result's bytes as they came, and passed to the MCP library as a raw value so
 * that it is not serialized again. The output schema of each tool follows the same shape.
 */
@Singleton
class Envelope {

    static final String SEPARATOR = "-".repeat(62);
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
    private static final String NO_ORGANIZATION = "[organization] none active for this call";

    private final boolean payload;

    @Inject
    Envelope(GatewayConfig config) {
        this(config.payloadResults());
    }

    Envelope(boolean payload) {
        this.payload = payload;
    }

    boolean payload() {
        return payload;
    }

    ToolResponse success(Optional<Identity.OrganizationRef> organization, Reply reply) {
        if (!payload) {
            String json = json(organization, reply);
            return new ToolResponse(false, List.of(new TextContent(header(organization) + "\n" + json)), new RawValue(json), null);
        }
        String json = new String(reply.result(), StandardCharsets.UTF_8);
        String text = firstLine(organization) + reply.notice().map(notice -> "\n[notice] " + notice).orElse("") + "\n"
                + SEPARATOR + "\n" + json;
        Map<MetaKey, Object> meta = new LinkedHashMap<>();
        meta.put(MetaKey.of("organization"), organization.map(Envelope::organization).orElse(null));
        reply.mailbox().ifPresent(mailbox -> meta.put(MetaKey.of("mailbox"), Map.of("id", mailbox)));
        if (reply.truncated()) {
            meta.put(MetaKey.of("truncated"), true);
        }
        reply.notice().ifPresent(notice -> meta.put(MetaKey.of("notice"), notice));
        return new ToolResponse(false, List.of(new TextContent(text)), new RawValue(json), meta);
    }

    private static Map<String, Object> organization(Identity.OrganizationRef org) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", org.id());
        fields.put("name", org.name());
        fields.put("slug", org.slug());
        return fields;
    }

    /** An error the model can act on, with the organization header when the organization is known (either shape). */
    static ToolResponse error(Optional<Identity.OrganizationRef> organization, String message) {
        String text = organization.map(org -> header(org) + "\nError: " + message).orElse("Error: " + message);
        return new ToolResponse(true, List.of(new TextContent(text)));
    }

    /** The header: the organization the call acted on, or that none was active, and the separator line. */
    static String header(Optional<Identity.OrganizationRef> organization) {
        return firstLine(organization) + "\n" + SEPARATOR;
    }

    private static String firstLine(Optional<Identity.OrganizationRef> organization) {
        return organization.map(org -> "[organization] " + org.name() + " (id: " + org.id() + ")").orElse(NO_ORGANIZATION);
    }

    static String header(Identity.OrganizationRef organization) {
        return header(Optional.of(organization));
    }

    /** The envelope as compact JSON (one line: it may travel in an SSE data line). */
    static String json(Optional<Identity.OrganizationRef> organization, Reply reply) {
        ByteArrayBuilder out = new ByteArrayBuilder(reply.result().length + 256);
        if (organization.isPresent()) {
            Identity.OrganizationRef org = organization.get();
            raw(out, "{\"organization\":{\"id\":");
            quoted(out, org.id());
            raw(out, ",\"name\":");
            quoted(out, org.name());
            raw(out, ",\"slug\":");
            quoted(out, org.slug());
            out.write('}');
        } else {
            raw(out, "{\"organization\":null");
        }
        if (reply.mailbox().isPresent()) {
            raw(out, ",\"mailbox\":{\"id\":");
            quoted(out, reply.mailbox().get());
            out.write('}');
        }
        raw(out, ",\"result\":");
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
     * The output schema of a tool whose result has the given schema, in this shape.
     *
     * @param organizationAlways false for the tools that also answer when no organization is active (listing and
     *        switching organizations, listing operations): their organization may be null
     */
    ObjectNode outputSchema(JsonNode resultSchema, boolean withMailbox, boolean organizationAlways) {
        if (payload) {
            return resultSchema.deepCopy();
        }
        ObjectNode schema = JsonNodeFactory.instance.objectNode();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ObjectNode organization = properties.putObject("organization");
        if (organizationAlways) {
            organization.put("type", "object");
        } else {
            organization.putArray("type").add("object").add("null");
        }
        organization.put("description", organizationAlways ? "The organization the call acted on."
                : "The organization the call acted on; null when none is active (the notice says why).");
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
        schema.putArray("required").add("organization").add("result");
        return schema;
    }
}
