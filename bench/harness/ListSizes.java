import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the lists cost a model (role: measurement): the bytes of tools/list for the curated set and of the first page of
 * list_operations {}, the whole answer and its structured result (the text block repeats it, as MCP asks of a tool
 * with structured content).
 */
final class ListSizes {

    static void measure(Sys gateway) throws Exception {
        Map<String, Object> sizes = new LinkedHashMap<>();
        try (Http c = Mcp.connect(gateway)) {
            String tools = c.send("POST", gateway.path, Mcp.MCP, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}").body();
            sizes.put("toolsListBytes", tools.length());
            sizes.put("toolsListOutputSchemaBytes", membersBytes(tools, "\"outputSchema\":"));
            String operations = c.send("POST", gateway.path, Mcp.MCP + Mcp.KEY, Mcp.call(2, "list_operations", "{}")).body();
            sizes.put("listOperationsAnswerBytes", operations.length());
            sizes.put("listOperationsResultBytes", membersBytes(operations, "\"structuredContent\":"));
            // counted in the structured result (the text block repeats it with escaped quotes, which this does not match)
            sizes.put("listOperationsItems", Workloads.count(java.util.regex.Pattern.compile("\"inputSchema\":"), operations));
            sizes.put("listOperationsHasCursor", operations.contains("nextCursor"));
        }
        Harness.RESULTS.put("listSizes", sizes);
    }

    /** The total length of every JSON value that follows {@code member} in {@code body}. */
    static int membersBytes(String body, String member) {
        int total = 0;
        for (int at = body.indexOf(member); at >= 0; at = body.indexOf(member, at + 1)) {
            total += valueLength(body, at + member.length());
        }
        return total;
    }

    /** The length of the JSON object or array starting at {@code start} (strings and their escapes respected). */
    static int valueLength(String body, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{' || ch == '[') {
                depth++;
            } else if ((ch == '}' || ch == ']') && --depth == 0) {
                return i + 1 - start;
            }
        }
        return body.length() - start;
    }

    private ListSizes() {
    }
}
