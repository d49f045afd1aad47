package bench.echo;

import io.quarkiverse.mcp.server.Tool;
import io.quarkiverse.mcp.server.ToolArg;

/** The one tool of the bare MCP server: answers its argument. */
public class EchoTools {

    @Tool(description = "Answers the text it is given.")
    String echo(@ToolArg(description = "Text to answer") String text) {
        return text;
    }
}
