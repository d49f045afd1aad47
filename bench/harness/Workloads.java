import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls each system is driven with (role: workloads), the same for every system that can answer them, and the
 * check of every answer: the status, a result that is not an error, and the content (contacts, threads, the created
 * email, the number of tools).
 */
final class Workloads {

    static final Pattern CONTACT = Pattern.compile("ct_acme_[0-9]+");
    static final Pattern THREAD = Pattern.compile("th_acme_sales_[0-9]+");
    static final int EXPECTED_CONTACTS = 25;
    static final int EXPECTED_THREADS = 7;

    /** Every answer is checked: the status, a JSON-RPC result that is not a tool error, and the expected content. */
    interface Check {
        String check(String body, long seq);
    }

    static void define(Sys s) {
        String org = "/v1/organizations/org_acme";
        String search = "{\"accountId\":\"sales@acme.test\",\"query\":\"invoice OR receipt\"}";
        // writes go to org_globex so that the contact list read in org_acme stays the same page all run long
        String globex = "X-Company-ID: org_globex\r\n";
        switch (s.id.startsWith("gateway") ? "gateway" : s.id) {
            case "direct" -> {
                s.workloads.put("contacts_get", rest(s, "GET", q -> org + "/contacts/ct_acme_0001", null, 200,
                        (b, q) -> contains(b, "farid.brooks1@example.org")));
                s.workloads.put("contacts_list", rest(s, "GET", q -> org + "/contacts?limit=25", null, 200, (b, q) -> expectContacts(b)));
                s.workloads.put("inbox_threads_search", rest(s, "GET",
                        q -> org + "/inbox/accounts/sales@acme.test/threads/search?query=invoice%20OR%20receipt", null, 200,
                        (b, q) -> expectThreads(b)));
                s.workloads.put("contacts_create", createRest(s));
            }
            case "gateway" -> {
                s.workloads.put("tools_list", toolsList(s));
                s.workloads.put("organizations_current", tool(s, "organizations_current", q -> "{}", "",
                        (b, q) -> contains(b, "Alice Archer", "org_acme")));
                s.workloads.put("contacts_get", tool(s, "contacts_get", q -> "{\"contactId\":\"ct_acme_0001\"}", "",
                        (b, q) -> contains(b, "farid.brooks1@example.org")));
                s.workloads.put("contacts_list", tool(s, "contacts_list", q -> "{\"limit\":25}", "", (b, q) -> expectContacts(b)));
                s.workloads.put("inbox_threads_search", tool(s, "inbox_threads_search", q -> search, "", (b, q) -> expectThreads(b)));
                s.workloads.put("contacts_create", createTool(s, globex));
                // a call the gateway answers alone (no upstream request): organizations_current asks the workspace
                // what the key reaches on every call, so that a membership change is seen at once
                s.workloads.put("list_operations", tool(s, "list_operations", q -> "{\"query\":\"contacts_get\",\"limit\":1}", "",
                        (b, q) -> contains(b, "\"name\":\"contacts_get\"")));
                // the same read in the 2026-07-28 era: no session, the client described in every request
                s.workloads.put("contacts_list_stateless", stateless(s, "contacts_list", q -> "{\"limit\":25}", (b, q) -> expectContacts(b)));
                s.workloads.put("run_operation", tool(s, "run_operation",
                        q -> "{\"operation\":\"contacts_get\",\"arguments\":{\"contactId\":\"ct_acme_0002\"}}", "",
                        (b, q) -> contains(b, "kara.dubois2@example.org")));
            }
            case "echo" -> {
                s.workloads.put("tools_list", toolsList(s));
                s.workloads.put("echo", tool(s, "echo", q -> "{\"text\":\"echo-" + q + "\"}", "", (b, q) -> contains(b, "echo-" + q)));
            }
            case "ts-peer" -> {
                s.workloads.put("tools_list", toolsList(s));
                s.workloads.put("contacts_get", tool(s, "contacts_get", q -> "{\"contactId\":\"ct_acme_0001\"}", "",
                        (b, q) -> contains(b, "farid.brooks1@example.org")));
                s.workloads.put("contacts_list", tool(s, "contacts_list", q -> "{\"limit\":25}", "", (b, q) -> expectContacts(b)));
                s.workloads.put("inbox_threads_search", tool(s, "inbox_threads_search", q -> search, "", (b, q) -> expectThreads(b)));
                s.workloads.put("contacts_create", createTool(s, globex));
            }
            default -> throw new IllegalStateException(s.id);
        }
    }

    static Op tool(Sys s, String name, java.util.function.LongFunction<String> args, String headers, Check check) {
        AtomicLong ids = new AtomicLong(10);
        return (c, seq) -> {
            String arguments = args.apply(seq);
            Http.Answer a = c.send("POST", s.path, Mcp.MCP + Mcp.KEY + headers, Mcp.call(ids.incrementAndGet(), name, arguments));
            String body = a.body();
            if (a.status() != 200) {
                return name + ": HTTP " + a.status() + " " + Mcp.abbreviate(body);
            }
            if (!body.contains("\"result\"") || body.contains("\"isError\":true") || body.contains("\"error\":{")) {
                return name + ": " + Mcp.abbreviate(body);
            }
            return check.check(body, seq);
        };
    }

    /** A tools/call of the stateless era (2026-07-28): on the same connection, without its session. */
    static Op stateless(Sys s, String name, java.util.function.LongFunction<String> args, Check check) {
        AtomicLong ids = new AtomicLong(10);
        return (c, seq) -> {
            String body = "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                    + name + "\",\"arguments\":" + args.apply(seq) + ",\"_meta\":" + Mcp.STATELESS_META + "}}";
            String session = c.sessionId;
            c.sessionId = null;
            try {
                Http.Answer a = c.send("POST", s.path, Mcp.STATELESS + Mcp.KEY + "Mcp-Method: tools/call\r\nMcp-Name: " + name + "\r\n", body);
                if (a.status() != 200) {
                    return name + " (stateless): HTTP " + a.status() + " " + Mcp.abbreviate(a.body());
                }
                if (!a.body().contains("\"resultType\":\"complete\"") || a.body().contains("\"isError\":true")) {
                    return name + " (stateless): " + Mcp.abbreviate(a.body());
                }
                return check.check(a.body(), seq);
            } finally {
                c.sessionId = session;
            }
        };
    }

    static Op rest(Sys s, String method, java.util.function.LongFunction<String> path, java.util.function.LongFunction<String> body,
            int status, Check check) {
        return (c, seq) -> {
            String payload = body == null ? null : body.apply(seq);
            String headers = "Accept: application/json\r\n" + Mcp.KEY
                    + (payload == null ? "" : "Idempotency-Key: bench-" + Harness.RUN + "-" + Thread.currentThread().getId() + "-" + seq + "\r\n");
            Http.Answer a = c.send(method, "/sandbox" + path.apply(seq), headers, payload);
            if (a.status() != status) {
                return method + " " + path.apply(seq) + ": HTTP " + a.status() + " " + Mcp.abbreviate(a.body());
            }
            return check.check(a.body(), seq);
        };
    }

    static Op toolsList(Sys s) {
        AtomicLong ids = new AtomicLong(10);
        return (c, seq) -> {
            Http.Answer a = c.send("POST", s.path, Mcp.MCP, "{\"jsonrpc\":\"2.0\",\"id\":" + ids.incrementAndGet() + ",\"method\":\"tools/list\"}");
            int n = distinct(Mcp.TOOL, a.body());
            // the first page: the gateway lists at most 200 tools per page (quarkus.mcp.server.tools.page-size)
            int expected = Math.min(s.expectedTools, 200);
            if (a.status() != 200 || n != expected) {
                return "tools/list: HTTP " + a.status() + ", " + n + " tools, expected " + expected;
            }
            return null;
        };
    }

    static Op createTool(Sys s, String headers) {
        return (c, seq) -> {
            String mail = email(s, seq);
            Op op = tool(s, "contacts_create", q -> "{\"email\":\"" + mail + "\",\"firstName\":\"Bench\",\"idempotencyKey\":\"bench-"
                    + Harness.RUN + "-" + Thread.currentThread().getId() + "-" + q + "\"}", headers, (b, q) -> contains(b, mail, "ct_globex_"));
            return op.run(c, seq);
        };
    }

    static Op createRest(Sys s) {
        return (c, seq) -> {
            String mail = email(s, seq);
            Op op = rest(s, "POST", q -> "/v1/organizations/org_globex/contacts", q -> "{\"email\":\"" + mail + "\",\"firstName\":\"Bench\"}",
                    201, (b, q) -> contains(b, mail, "ct_globex_"));
            return op.run(c, seq);
        };
    }

    static String expectContacts(String body) {
        int n = distinct(CONTACT, body);
        return n == EXPECTED_CONTACTS ? null : "contacts_list: " + n + " contacts, expected " + EXPECTED_CONTACTS;
    }

    static String expectThreads(String body) {
        int n = distinct(THREAD, body);
        return n == EXPECTED_THREADS ? null : "inbox_threads_search: " + n + " threads, expected " + EXPECTED_THREADS;
    }

    static String contains(String body, String... parts) {
        for (String part : parts) {
            if (!body.contains(part)) {
                return "answer lacks " + part + ": " + Mcp.abbreviate(body);
            }
        }
        return null;
    }

    static String email(Sys s, long seq) {
        return "bench-" + Harness.RUN + "-" + s.id + "-" + Thread.currentThread().getId() + "-" + seq + "@example.com";
    }

    static int distinct(Pattern pattern, String body) {
        Set<String> seen = new HashSet<>();
        Matcher m = pattern.matcher(body);
        while (m.find()) {
            seen.add(m.group());
        }
        return seen.size();
    }

    static int count(Pattern pattern, String body) {
        int n = 0;
        Matcher m = pattern.matcher(body);
        while (m.find()) {
            n++;
        }
        return n;
    }

    private Workloads() {
    }
}
