// Runs nginx with a copy of deploy/nginx/nginx.conf (prepared by deploy/check.sh: loopback ports, private paths) in
// front of a stub upstream, and checks what MCP clients rely on:
//   1. a server-sent event stream is passed on as it is written: the stub sends the first event of a POST /mcp answer
//      and then waits until the client has received it before it sends the second one and ends the response; a
//      buffering proxy would hold the first event back and the exchange would never complete;
//   2. the client's Host header reaches the gateway unchanged (its DNS-rebinding guard checks it), with
//      X-Forwarded-For set;
//   3. legacy SSE message posts (/mcp/messages/<id>) and the manifest are proxied, /q/metrics, /q/health/ready and
//      /sandbox/... are not (404 from nginx, the stub never sees them), /lb-health answers.
//
//   node nginx-sse-check.mjs NGINX_BINARY CONFIG LB_PORT UPSTREAM_PORT
//
// Loopback only; nginx is started as a child process and stopped by its PID; every wait is bounded (30 s).
import { spawn } from "node:child_process";
import http from "node:http";

const [nginxBin, config, lbPort, upstreamPort] = process.argv.slice(2);
if (!upstreamPort) {
  console.error("usage: node nginx-sse-check.mjs NGINX_BINARY CONFIG LB_PORT UPSTREAM_PORT");
  process.exit(2);
}
const WAIT_MS = 30_000;
const seen = [];
let releaseSecondEvent;
const firstEventReceived = new Promise((resolve) => (releaseSecondEvent = resolve));

const upstream = http.createServer((req, res) => {
  seen.push(req.url);
  if (req.method === "POST" && req.url === "/mcp") {
    res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      "X-Seen-Host": req.headers.host ?? "",
      "X-Seen-Forwarded-For": req.headers["x-forwarded-for"] ?? "",
    });
    res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progress":1}}\n\n');
    const timer = setTimeout(() => res.end(), WAIT_MS);
    firstEventReceived.then(() => {
      clearTimeout(timer);
      res.end('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n');
    });
    return;
  }
  res.writeHead(202, { "Content-Type": "application/json" });
  res.end("{}");
});

function request(method, path, headers = {}, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: Number(lbPort), method, path, headers }, resolve);
    req.setTimeout(WAIT_MS, () => req.destroy(new Error(`${method} ${path}: no answer within ${WAIT_MS} ms`)));
    req.on("error", reject);
    req.end(body);
  });
}

async function readAll(res) {
  let text = "";
  for await (const chunk of res) text += chunk;
  return text;
}

async function waitForNginx() {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const res = await request("GET", "/lb-health");
      await readAll(res);
      if (res.statusCode === 200) return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`nginx did not answer /lb-health within ${WAIT_MS} ms: ${e.message}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

const problems = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) problems.push(what);
};

await new Promise((resolve) => upstream.listen(Number(upstreamPort), "127.0.0.1", resolve));
const nginx = spawn(nginxBin, ["-c", config, "-g", "daemon off;"], { stdio: ["ignore", "inherit", "inherit"] });
let nginxExit = null;
nginx.on("exit", (code) => (nginxExit = code));
try {
  await waitForNginx();

  // 1 and 2: the SSE answer of a tool call.
  const res = await request(
    "POST",
    "/mcp",
    { Host: "mcp.example.test", "Content-Type": "application/json", Accept: "application/json, text/event-stream" },
    '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{}}}',
  );
  check(res.statusCode === 200, `POST /mcp answered 200 (got ${res.statusCode})`);
  check(res.headers["x-seen-host"] === "mcp.example.test", `the gateway saw Host: mcp.example.test (got ${res.headers["x-seen-host"]})`);
  check(res.headers["x-seen-forwarded-for"] === "127.0.0.1", `X-Forwarded-For was set (got ${res.headers["x-seen-forwarded-for"]})`);
  let text = "";
  let firstBeforeEnd = false;
  for await (const chunk of res) {
    text += chunk;
    if (!firstBeforeEnd && text.includes('"progress":1')) {
      firstBeforeEnd = !text.includes('"result"');
      releaseSecondEvent();
    }
  }
  check(firstBeforeEnd, "the first SSE event arrived while the upstream was still holding the response open (no buffering)");
  check(text.includes('"result"'), "the final event arrived and the stream ended");

  // 3: what is published and what is not.
  for (const [method, path, expected] of [
    ["POST", "/mcp/messages/abc123", 202],
    ["GET", "/mcp-manifest.json", 202],
    ["GET", "/q/metrics", 404],
    ["GET", "/q/health/ready", 404],
    ["GET", "/sandbox/v1/contacts", 404],
    ["GET", "/mcpx", 404],
  ]) {
    const r = await request(method, path, { Host: "mcp.example.test" }, method === "POST" ? "{}" : undefined);
    await readAll(r);
    check(r.statusCode === expected, `${method} ${path} -> ${r.statusCode} (expected ${expected})`);
  }
  check(!seen.some((u) => u.startsWith("/q/") || u.startsWith("/sandbox")), "the upstream never saw /q/* or /sandbox/*");
} catch (e) {
  check(false, e.message);
} finally {
  if (nginxExit === null) {
    nginx.kill("SIGTERM");
    await new Promise((resolve) => {
      const t = setTimeout(() => {
        nginx.kill("SIGKILL");
        resolve();
      }, 10_000);
      nginx.on("exit", () => {
        clearTimeout(t);
        resolve();
      });
    });
  } else {
    check(false, `nginx exited early with status ${nginxExit}`);
  }
  upstream.close();
}
process.exit(problems.length === 0 ? 0 : 1);
