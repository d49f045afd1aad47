package dev.switchboard.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.switchboard.support.Gateway;
import dev.switchboard.support.Metrics;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * What one client may hold, and all clients together, with small bounds so that they are reached: sessions per client
 * address and in total, idle kept-alive connections, bodies that never finish, and failed authentications per address.
 * Clients on other addresses are played by binding 127.0.0.2 and 127.0.0.3.
 */
@QuarkusTest
@TestProfile(ConnectionLimitsTest.SmallBounds.class)
class ConnectionLimitsTest {

    /** The busy connections one client address may hold in this profile. */
    static final int CONNECTIONS_PER_CLIENT = 40;

    public static class SmallBounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mcp.limits.sessions-per-client", "3", "mcp.limits.sessions", "5",
                    "mcp.limits.keep-alive-seconds", "1", "mcp.limits.body-seconds", "2",
                    "mcp.limits.auth-failures-per-minute", "5",
                    "mcp.limits.connections-per-client", String.valueOf(CONNECTIONS_PER_CLIENT));
        }
    }

    private static final Pattern SESSION = Pattern.compile("(?im)^mcp-session-id: *(\\S+)");
    private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
            + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}";

    @TestHTTPResource("/")
    URL base;

    @Test
    void sessionsAreBoundedPerClientAndInTotal() throws Exception {
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(session(exchange("127.0.0.1", post("/mcp", INITIALIZE, Map.of()))));
        }
        // the fourth session of one address evicted its oldest
        assertThat(exchange("127.0.0.1", get("/mcp", Map.of("Mcp-Session-Id", first.get(0))))).startsWith("HTTP/1.1 404")
                .contains("Initialize a new session");
        assertThat(Metrics.value("switchboard_sessions_refused_total", Map.of("reason", "client_limit"))).isPositive();
        exchange("127.0.0.2", post("/mcp", INITIALIZE, Map.of()));
        exchange("127.0.0.2", post("/mcp", INITIALIZE, Map.of()));
        // five held: a third address is refused, and says why
        String refused = exchange("127.0.0.3", post("/mcp", INITIALIZE, Map.of()));
        assertThat(refused).startsWith("HTTP/1.1 503").contains("maximum of 5 MCP sessions").contains("-32000");
        // requests without a session still work
        String stateless = exchange("127.0.0.3", post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}", Map.of()));
        assertThat(stateless).startsWith("HTTP/1.1 200");
    }

    @Test
    void anIdleKeptAliveConnectionIsClosed() throws Exception {
        try (Socket socket = connect("127.0.0.1")) {
            write(socket, get("/q/health/live", Map.of()));
            assertThat(read(socket)).startsWith("HTTP/1.1 200");
            // the read blocks until the server closes the connection (after the profile's 1 s keep-alive bound)
            socket.setSoTimeout(60_000);
            assertThat(socket.getInputStream().read()).as("closed by the server").isEqualTo(-1);
        }
    }

    @Test
    void aBodyThatNeverFinishesIsCutOff() throws Exception {
        try (Socket socket = connect("127.0.0.1")) {
            write(socket, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Accept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{\"jsonrpc\":");
            socket.setSoTimeout(60_000);
            InputStream in = socket.getInputStream();
            int read;
            do {
                read = in.read();
            } while (read != -1);
            // reached: the server closed the connection instead of waiting for the rest forever
        }
    }

    @Test
    void guessingKeysIsThrottledPerAddressAndCostsTheWorkspaceLittle() throws Exception {
        int before = Gateway.requests("auth_whoami");
        String throttled = null;
        for (int i = 0; i < 12; i++) {
            String answer = exchange("127.0.0.2", post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"contacts_list\",\"arguments\":{}}}", Map.of("Authorization",
                            "Bearer guess-" + i)));
            assertThat(answer).contains("-32002");
            if (answer.contains("Too many failed authentications")) {
                throttled = answer;
            }
        }
        assertThat(throttled).as("a throttled answer").isNotNull().contains("wait");
        assertThat(Gateway.requests("auth_whoami") - before).as("upstream key checks for 12 guesses").isLessThanOrEqualTo(5);
        assertThat(Metrics.value("switchboard_auth_failures_throttled_total")).isPositive();
        // another address, and a key already known, are not held back
        String other = exchange("127.0.0.3", post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
                + "{\"name\":\"organizations_current\",\"arguments\":{}}}", Map.of("Authorization", "Bearer " + Gateway.BOB)));
        assertThat(other).contains("org_globex");
    }

    /**
     * A legacy SSE stream lives past the body bound (it has no body) and the keep-alive bound (it is not idle), and a
     * call that takes longer than both is answered on it.
     */
    @Test
    void aLegacyStreamOutlivesTheBodyBoundAndCarriesALongCallsAnswer() throws Exception {
        Gateway.fault(Map.of("operation", "contacts_list", "probability", 1.0, "latencyMs", 3000, "times", 1));
        try (Socket stream = connect("127.0.0.1")) {
            long opened = System.nanoTime();
            write(stream, get("/mcp/sse", Map.of("Accept", "text/event-stream")));
            stream.setSoTimeout(60_000);
            java.io.BufferedReader events = new java.io.BufferedReader(new java.io.InputStreamReader(stream.getInputStream(),
                    StandardCharsets.UTF_8));
            String endpoint = null;
            for (String line; (line = events.readLine()) != null && endpoint == null;) {
                if (line.startsWith("data: /mcp/messages/")) {
                    endpoint = line.substring("data: ".length());
                }
            }
            assertThat(endpoint).as("the stream announced its message URL").isNotNull();
            Thread.sleep(2500); // the subject of the test: the stream outlives the 2 s body bound and the 1 s keep-alive bound
            String call = "{\"jsonrpc\":\"2.0\",\"id\":41,\"method\":\"tools/call\",\"params\":{\"name\":"
                    + "\"contacts_list\",\"arguments\":{\"limit\":1}}}";
            String posted = exchange("127.0.0.1", post(endpoint, call, Map.of("Authorization", "Bearer " + Gateway.ALICE)));
            assertThat(posted).startsWith("HTTP/1.1 2");
            String answer = null;
            for (String line; (line = events.readLine()) != null && answer == null;) {
                if (line.startsWith("data: ") && line.contains("\"id\":41")) {
                    answer = line;
                }
            }
            assertThat(answer).as("the call's answer on the stream, %d s after it opened",
                    java.time.Duration.ofNanos(System.nanoTime() - opened).toSeconds()).isNotNull().contains("\"isError\":false");
        } finally {
            Gateway.clearFaults();
        }
    }

    /**
     * 2,000 event streams from one client address: past its budget each is refused at once (503, connection closed),
     * and the health probes are answered all the while.
     */
    @Test
    void streamsFromOneClientAreRefusedPastItsBudgetAndProbesStillAnswer() throws Exception {
        List<Socket> held = new ArrayList<>();
        int accepted = 0;
        int refused = 0;
        try {
            for (int i = 0; i < 2000; i++) {
                Socket socket = connect("127.0.0.4");
                write(socket, get("/mcp/sse", Map.of("Accept", "text/event-stream")));
                socket.setSoTimeout(60_000);
                String status = statusLine(socket);
                if (status.startsWith("HTTP/1.1 200")) {
                    accepted++;
                    held.add(socket);
                } else {
                    assertThat(status).startsWith("HTTP/1.1 503");
                    refused++;
                    socket.close();
                }
            }
            assertThat(accepted).as("streams accepted from one address (at most its 3 sessions)").isLessThanOrEqualTo(3);
            assertThat(refused).isEqualTo(2000 - accepted);
            assertThat(exchange("127.0.0.4", get("/q/health/live", Map.of()))).startsWith("HTTP/1.1 200");
            assertThat(exchange("127.0.0.1", get("/q/health/ready", Map.of()))).startsWith("HTTP/1.1 200");
            assertThat(Metrics.value("switchboard_sessions_refused_total", Map.of("reason", "client_limit"))).isPositive();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    /** Requests in progress from one client count against its budget too, whatever the route. */
    @Test
    void busyConnectionsOfOneClientAreBounded() throws Exception {
        List<Socket> held = new ArrayList<>();
        try {
            // bodies that never finish keep their connections busy, a few more than the bound, until the 2 s body bound
            // cuts them off. On a loaded machine the server may count them only after the first probes were answered,
            // or cut them before the probes come: each round waits until the server counts them busy, and a fresh
            // round is opened until the bound shows
            String refused = "";
            for (int round = 0; round < 10 && !refused.startsWith("HTTP/1.1 503"); round++) {
                for (int i = 0; i < CONNECTIONS_PER_CLIENT + 5; i++) {
                    Socket socket = connect("127.0.0.5");
                    write(socket, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 100\r\n\r\n{");
                    held.add(socket);
                }
                Instant counted = Instant.now().plusSeconds(10);
                while (Metrics.value("switchboard_connections_busy") < CONNECTIONS_PER_CLIENT
                        && Instant.now().isBefore(counted)) {
                    // each look is a scrape of the metrics: it is the pause
                }
                for (int i = 0; i < 5 && !refused.startsWith("HTTP/1.1 503"); i++) {
                    refused = exchange("127.0.0.5", post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", Map.of()));
                }
            }
            assertThat(refused).startsWith("HTTP/1.1 503").contains("busy connections").containsIgnoringCase("connection: close");
            assertThat(exchange("127.0.0.6", post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
                    Map.of()))).as("another client").startsWith("HTTP/1.1 200");
            assertThat(Metrics.value("switchboard_connections_refused_total", Map.of("reason", "client_limit"))).isPositive();
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    private static String statusLine(Socket socket) throws IOException {
        StringBuilder line = new StringBuilder();
        InputStream in = socket.getInputStream();
        for (int c; (c = in.read()) != -1 && c != '\n';) {
            line.append((char) c);
        }
        return line.toString();
    }

    // ------------------------------------------------------------------ raw HTTP from a chosen local address

    private Socket connect(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()), 10_000);
        return socket;
    }

    private String exchange(String localAddress, String request) throws IOException {
        try (Socket socket = connect(localAddress)) {
            write(socket, request);
            return read(socket);
        }
    }

    private static String post(String path, String body, Map<String, String> headers) {
        StringBuilder request = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return request.append("Content-Length: ").append(bytes.length).append("\r\n\r\n").append(body).toString();
    }

    private static String get(String path, Map<String, String> headers) {
        StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        return request.append("\r\n").toString();
    }

    private static void write(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One response: headers, then a body of Content-Length bytes. */
    private static String read(Socket socket) throws IOException {
        socket.setSoTimeout(60_000);
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c == -1) {
                return head.toString();
            }
            head.append((char) c);
        }
        Matcher length = Pattern.compile("(?im)^content-length: *(\\d+)").matcher(head);
        int remaining = length.find() ? Integer.parseInt(length.group(1)) : 0;
        byte[] body = in.readNBytes(remaining);
        return head + new String(body, StandardCharsets.UTF_8);
    }

    private static String session(String response) {
        Matcher matcher = SESSION.matcher(response);
        assertThat(matcher.find()).as(response).isTrue();
        return matcher.group(1);
    }
}
