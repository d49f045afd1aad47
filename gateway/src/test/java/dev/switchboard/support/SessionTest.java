package dev.switchboard.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.quarkiverse.mcp.server.test.McpAssured.McpSseTestClient;
import io.quarkiverse.mcp.server.test.McpAssured.McpStreamableTestClient;

/**
 * The fixture of a test class whose tests each start on the sandbox's seed data with a Streamable HTTP client connected
 * as Alice ({@link #client}). The other clients a test connects with {@link #streamable} and {@link #sse} are
 * disconnected after it, with {@link #client}, whatever happened: no try/finally in the test.
 */
public abstract class SessionTest {

    protected McpStreamableTestClient client;
    private final List<Runnable> disconnects = new ArrayList<>();

    @BeforeEach
    protected final void connectAsAlice() {
        Gateway.resetSandbox();
        client = streamable(Gateway.ALICE);
    }

    @AfterEach
    protected final void disconnectAll() {
        for (int i = disconnects.size() - 1; i >= 0; i--) {
            try {
                disconnects.get(i).run();
            } catch (RuntimeException e) {
                // a client the test broke on purpose, or one the server closed: nothing is left to release
            }
        }
        disconnects.clear();
    }

    /** A Streamable HTTP client with this key (none when null) and headers, disconnected after the test. */
    protected McpStreamableTestClient streamable(String key, Map<String, String> headers) {
        McpStreamableTestClient connected = Gateway.streamable(key, headers);
        disconnects.add(connected::disconnect);
        return connected;
    }

    protected McpStreamableTestClient streamable(String key) {
        return streamable(key, Map.of());
    }

    /** A legacy SSE client with this key (none when null) and headers, disconnected after the test. */
    protected McpSseTestClient sse(String key, Map<String, String> headers) {
        McpSseTestClient connected = Gateway.sse(key, headers);
        disconnects.add(connected::disconnect);
        return connected;
    }
}
