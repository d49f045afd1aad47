// Headless MCP OAuth client: drives the TypeScript SDK's own OAuth implementation
// (discovery, DCR, PKCE, RFC 8707 resource, token exchange) against an MCP server,
// playing the browser itself so tests need no UI.
//
// usage: node oauth-flow.mjs <mcp url>
// env:   USER (login, default usr_alice), SCOPE (default "workspace:read workspace:write"),
//        TOOL (default organizations_current), ARGS (JSON, default {}),
//        REDIRECT_URI (default http://127.0.0.1:1/callback; never actually contacted),
//        RESOURCE_OVERRIDE (negative test: request a token for this resource instead)
// stdout: one JSON line per step; exit 1 with {"step":"error",...} on failure.
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';

const serverUrl = process.argv[2];
// $USER is normally the shell's login name; only usr_* values are treated as a test login.
const user = /^usr_/.test(process.env.USER ?? '') ? process.env.USER : 'usr_alice';
const scope = process.env.SCOPE || 'workspace:read workspace:write';
const toolName = process.env.TOOL || 'organizations_current';
const redirectUri = process.env.REDIRECT_URI || 'http://127.0.0.1:1/callback';

const emit = (o) => console.log(JSON.stringify(o));
function fail(message, extra = {}) {
  emit({ step: 'error', message, ...extra });
  process.exit(1);
}
if (!serverUrl) fail('usage: node oauth-flow.mjs <mcp url>');
let toolArgs;
try { toolArgs = JSON.parse(process.env.ARGS || '{}'); } catch (e) { fail(`ARGS is not JSON: ${e.message}`); }

// Names each HTTP exchange the SDK makes, so the transcript shows the protocol order.
// Only URLs and status codes are printed, never headers or bodies (tokens live there).
function classify(url, method) {
  const p = new URL(url).pathname;
  if (p.startsWith('/.well-known/oauth-protected-resource')) return 'resource-metadata';
  if (p.startsWith('/.well-known/oauth-authorization-server') || p.startsWith('/.well-known/openid-configuration')) return 'as-metadata';
  if (p === '/reg') return 'register';
  if (p === '/token') return 'token';
  return `${method} ${p}`;
}
async function tracingFetch(url, init = {}) {
  const res = await fetch(url, init);
  const step = classify(String(url), init.method ?? 'GET');
  const line = { step, status: res.status, url: String(url) };
  if (res.status === 401) line.www_authenticate = res.headers.get('www-authenticate');
  emit(line);
  return res;
}

// Minimal cookie jar: oidc-provider ties the interaction and its resume to cookies.
const jar = new Map();
function storeCookies(res) {
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(';');
    const i = pair.indexOf('=');
    const [name, value] = [pair.slice(0, i).trim(), pair.slice(i + 1).trim()];
    const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
    if (expired || value === '') jar.delete(name); else jar.set(name, value);
  }
}
const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');

// Plays the user agent: follows the AS's redirects (login, then consent) until the
// redirect_uri is reached, and returns the authorization code.
async function browse(authorizationUrl, expectedState) {
  let url = new URL(authorizationUrl);
  for (let hop = 0; hop < 10; hop++) {
    if (url.pathname.startsWith('/interaction/')) url.searchParams.set('login', user);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: cookieHeader() } });
    storeCookies(res);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) {
      fail(`authorization stopped at ${url.pathname} with HTTP ${res.status}`, { body: (await res.text()).slice(0, 500) });
    }
    url = new URL(location, url);
    if (url.href.startsWith(redirectUri)) {
      const q = url.searchParams;
      if (q.get('error')) fail(`authorization error: ${q.get('error')}`, { description: q.get('error_description') });
      if (q.get('state') !== expectedState) fail('state mismatch on redirect');
      emit({ step: 'authorize', status: res.status, hops: hop + 1, code: Boolean(q.get('code')), iss: q.get('iss') });
      return q.get('code');
    }
  }
  fail('too many redirects during authorization');
}

// In-memory OAuthClientProvider; stores what the SDK gives it unchanged (it relies on the `issuer` stamp).
class HeadlessProvider {
  #client; #tokens; #verifier; #state; code;
  get redirectUrl() { return redirectUri; }
  get clientMetadata() {
    return {
      client_name: 'switchboard-oauth-flow',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none', // public client
      scope,
    };
  }
  state() { return (this.#state = randomBytes(16).toString('base64url')); }
  clientInformation() { return this.#client; }
  saveClientInformation(info) {
    this.#client = info;
    emit({ step: 'client', client_id: info.client_id, token_endpoint_auth_method: info.token_endpoint_auth_method });
  }
  tokens() { return this.#tokens; }
  saveTokens(t) {
    this.#tokens = t;
    emit({ step: 'tokens', token_type: t.token_type, scope: t.scope, expires_in: t.expires_in, refresh_token: Boolean(t.refresh_token) });
  }
  saveCodeVerifier(v) { this.#verifier = v; }
  codeVerifier() { return this.#verifier; }
  async redirectToAuthorization(authorizationUrl) {
    const u = new URL(authorizationUrl);
    // The SDK takes the scope from the 401 challenge; SCOPE lets a test ask for less.
    u.searchParams.set('scope', scope);
    emit({ step: 'authorization-request', code_challenge_method: u.searchParams.get('code_challenge_method'), resource: u.searchParams.get('resource'), scope });
    this.code = await browse(u, this.#state);
  }
}

// Test-only: ask the AS for a token bound to another resource (AS needs ANY_RESOURCE=1),
// to check the MCP server refuses a genuine token minted for someone else.
if (process.env.RESOURCE_OVERRIDE) {
  HeadlessProvider.prototype.validateResourceURL = async () => new URL(process.env.RESOURCE_OVERRIDE);
}
const provider = new HeadlessProvider();
const newTransport = () => new StreamableHTTPClientTransport(new URL(serverUrl), { authProvider: provider, fetch: tracingFetch });
const client = new Client({ name: 'switchboard-oauth-flow', version: '0.0.0' });

try {
  let transport = newTransport();
  try {
    await client.connect(transport);
  } catch (err) {
    if (!(err instanceof UnauthorizedError) || !provider.code) throw err;
    await transport.finishAuth(provider.code); // code + PKCE verifier -> tokens
    transport = newTransport();
    await client.connect(transport);
  }
  emit({ step: 'connected', server: client.getServerVersion()?.name });
  const { tools } = await client.listTools();
  emit({ step: 'tools/list', count: tools.length, names: tools.map((t) => t.name) });
  const result = await client.callTool({ name: toolName, arguments: toolArgs });
  emit({ step: 'call', tool: toolName, result });
  await client.close();
  if (result.isError) process.exit(1);
} catch (err) {
  fail(err.message, { name: err.name });
}
