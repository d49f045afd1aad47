import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MCP over one HTTP connection (role: workloads): initialize a session, call a tool, count the listed tools, end it. */
final class Mcp {

    static final String MCP = "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-06-18\r\n";
    /** The stateless era's request headers, and what each of its requests says of its client. */
    static final String STATELESS = "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2026-07-28\r\n";
    static final String STATELESS_META = "{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
            + "\"io.modelcontextprotocol/clientCapabilities\":{},\"io.modelcontextprotocol/clientInfo\":"
            + "{\"name\":\"switchboard-bench\",\"version\":\"1\"}}";
    static final String KEY = "Authorization: Bearer sbx_alice\r\n";
    static final Pattern TOOL = Pattern.compile("\"name\":\"[^\"]+\"");

    static String call(long id, String tool, String args) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool
                + "\",\"arguments\":" + args + "}}";
    }

    static void mcpOpen(Http c, String path) throws IOException {
        Http.Answer init = c.send("POST", path, "Accept: application/json, text/event-stream\r\n",
                "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\","
                        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"switchboard-bench\",\"version\":\"1\"}}}");
        if (init.status() != 200 || !init.body().contains("\"protocolVersion\"")) {
            throw new IOException("initialize answered " + init.status() + ": " + abbreviate(init.body()));
        }
        c.sessionId = init.sessionId();
        Http.Answer ack = c.send("POST", path, MCP, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        if (ack.status() >= 300) {
            throw new IOException("notifications/initialized answered " + ack.status());
        }
    }

    static Http connect(Sys s) throws IOException {
        Http c = new Http(s.port, 60_000);
        if (s.path != null) {
            mcpOpen(c, s.path);
        }
        return c;
    }

    static void disconnect(Sys s, Http c) {
        if (s.path != null && c.sessionId != null && c.isOpen()) {
            try {
                c.send("DELETE", s.path, MCP, null);
            } catch (IOException e) {
                // the session ends with the connection anyway
            }
        }
        c.close();
    }

    /** Every tool the gateway lists, following nextCursor as clients do (the gateway pages tools/list at 200). */
    static int toolCount(Sys s) throws IOException {
        Pattern next = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");
        int tools = 0;
        String cursor = null;
        try (Http c = connect(s)) {
            for (int page = 0; page < 100; page++) {
                String params = cursor == null ? "" : ",\"params\":{\"cursor\":\"" + cursor + "\"}";
                String body = c.send("POST", s.path, MCP, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"" + params + "}").body();
                tools += Workloads.distinct(TOOL, body);
                Matcher more = next.matcher(body);
                if (!more.find()) {
                    break;
                }
                cursor = more.group(1);
            }
        }
        return tools;
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\s+", " ");
        return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
    }

    private Mcp() {
    }
}
