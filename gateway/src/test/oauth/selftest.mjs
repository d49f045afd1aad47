// Proves the harness itself (auth-server + oauth-flow + mint) against stand-in-mcp.mjs.
// Run: npm test   (node --test selftest.mjs). Touches only 127.0.0.1.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mint, KINDS } from './mint.mjs';

const dir = dirname(fileURLToPath(import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'sb-oauth-'));
const jwksFile = join(tmp, 'jwks.json');
const children = [];
let issuer, asPort, resource;

const freePort = () => new Promise((ok) => { const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); }); });

// Starts a script and resolves with its one-line JSON readiness message.
function start(script, env) {
  return new Promise((ok, ko) => {
    const child = spawn(process.execPath, [join(dir, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    child.stdout.once('data', (d) => ok({ child, ready: JSON.parse(String(d).split('\n')[0]) }));
    child.once('exit', (code) => ko(new Error(`${script} exited ${code}: ${err}`)));
    setTimeout(() => ko(new Error(`${script} not ready in 10s: ${err}`)), 10_000).unref();
  });
}

async function startAuthServer(extra = {}) {
  const { child, ready } = await start('auth-server.mjs', { RESOURCE: resource, JWKS_FILE: jwksFile, PORT: String(asPort), ...extra });
  return child;
}

// Runs oauth-flow.mjs; resolves with exit code and parsed step lines.
function flow(env = {}) {
  return new Promise((ok) => {
    execFile(process.execPath, [join(dir, 'oauth-flow.mjs'), resource], { env: { ...process.env, USER: 'usr_alice', ...env }, timeout: 30_000 }, (error, stdout) => {
      ok({ code: error ? error.code ?? 1 : 0, steps: stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) });
    });
  });
}

const post = (token) => fetch(resource, {
  method: 'POST',
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
});

let asChild;
before(async () => {
  const mcpPort = await freePort();
  resource = `http://127.0.0.1:${mcpPort}/mcp`;
  // First start generates the keys; later restarts (ANY_RESOURCE) reuse them via JWKS_FILE.
  const first = await start('auth-server.mjs', { RESOURCE: resource, JWKS_OUT: jwksFile, PORT: '0' });
  asChild = first.child;
  ({ issuer, port: asPort } = first.ready);
  await start('stand-in-mcp.mjs', { ISSUER: issuer, PORT: String(mcpPort) });
});

after(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

test('full flow: 401 -> metadata -> DCR -> PKCE code -> token -> tools/list -> call', async () => {
  const { code, steps } = await flow();
  assert.equal(code, 0, JSON.stringify(steps.at(-1)));
  const names = steps.map((s) => s.step);
  const order = ['POST /mcp', 'resource-metadata', 'as-metadata', 'register', 'authorization-request', 'authorize', 'token', 'connected', 'tools/list', 'call'];
  let at = -1;
  for (const n of order) { at = names.indexOf(n, at + 1); assert.ok(at >= 0, `missing step ${n} in ${names}`); }
  assert.equal(steps.find((s) => s.step === 'POST /mcp').status, 401);
  assert.equal(steps.find((s) => s.step === 'authorization-request').code_challenge_method, 'S256');
  assert.equal(steps.find((s) => s.step === 'authorization-request').resource, resource);
  assert.ok(steps.find((s) => s.step === 'tools/list').count >= 1);
  assert.match(steps.find((s) => s.step === 'call').result.content[0].text, /usr_alice/);
});

test('USER and SCOPE select login and a narrower grant', async () => {
  const { code, steps } = await flow({ USER: 'usr_bob', SCOPE: 'workspace:read' });
  assert.equal(code, 0);
  assert.equal(steps.find((s) => s.step === 'tokens').scope, 'workspace:read');
  assert.match(steps.find((s) => s.step === 'call').result.content[0].text, /usr_bob/);
});

for (const kind of KINDS) {
  test(`minted ${kind} token -> ${kind === 'valid' ? 200 : 401}`, async () => {
    const res = await post(await mint(kind, { jwksFile, issuer, audience: resource }));
    assert.equal(res.status, kind === 'valid' ? 200 : 401);
    if (kind !== 'valid') assert.match(res.headers.get('www-authenticate'), /error="invalid_token"/);
  });
}

test('AS refuses a resource other than RESOURCE', async () => {
  const { code, steps } = await flow({ RESOURCE_OVERRIDE: 'http://127.0.0.1:1/other/mcp' });
  assert.equal(code, 1);
  assert.match(steps.at(-1).message, /invalid_target/);
});

test('genuine token for another resource (ANY_RESOURCE=1) is refused by the MCP server', async () => {
  asChild.kill('SIGTERM');
  await new Promise((ok) => asChild.once('exit', ok));
  asChild = await startAuthServer({ ANY_RESOURCE: '1' });
  const { code, steps } = await flow({ RESOURCE_OVERRIDE: 'http://127.0.0.1:1/other/mcp' });
  assert.equal(code, 1);
  assert.ok(steps.some((s) => s.step === 'tokens'), 'the AS should have issued a token');
  assert.match(steps.at(-1).message, /401/);
});
