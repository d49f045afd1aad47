// Test-only OAuth 2.1 authorization server for Switchboard's OAuth tests.
// Real oidc-provider (not a mock) so the gateway is tested against the same
// protocol edge cases a production AS would produce (PKCE, RFC 8707, DCR, at+jwt).
// Headless: /interaction/:uid logs the user in and consents without any UI.
// See README.md for the environment variables.
import http from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { generateKeyPair, exportJWK } from 'jose';
import Provider, { errors } from 'oidc-provider';

const ACCOUNTS = new Set(['usr_alice', 'usr_bob', 'usr_carol']);
const RESOURCE_SCOPES = 'workspace:read workspace:write';
const RESOURCE = process.env.RESOURCE;
const ANY_RESOURCE = process.env.ANY_RESOURCE === '1';
const DEFAULT_USER = process.env.DEFAULT_USER;
const TOKEN_TTL = Number(process.env.ACCESS_TOKEN_TTL || 300);

if (!RESOURCE && !ANY_RESOURCE) {
  console.error('auth-server: set RESOURCE=<mcp url> (or ANY_RESOURCE=1 for negative tests)');
  process.exit(2);
}

// Signing keys come from a file the test controls so mint.mjs can forge tokens
// with the very same private key (or deliberately a different one).
async function loadOrCreateJwks() {
  if (process.env.JWKS_FILE) return JSON.parse(await readFile(process.env.JWKS_FILE, 'utf8'));
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `test-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const jwks = { keys: [jwk] };
  if (process.env.JWKS_OUT) await writeFile(process.env.JWKS_OUT, JSON.stringify(jwks), { mode: 0o600 });
  return jwks;
}

// Listen first: the issuer must contain the real port, which is only known after bind.
const server = http.createServer();
await new Promise((ok) => server.listen(Number(process.env.PORT || 0), '127.0.0.1', ok));
const { port } = server.address();
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  jwks: await loadOrCreateJwks(),
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Resource scopes must also be listed here: DCR rejects a client `scope`
  // metadata value containing scopes the AS does not advertise, and the SDK
  // registers with scope="workspace:read workspace:write".
  scopes: ['openid', 'offline_access', ...RESOURCE_SCOPES.split(' ')],
  claims: { openid: ['sub'] },
  responseTypes: ['code'], // OAuth 2.1: no implicit / hybrid
  pkce: { required: () => true }, // oidc-provider >= 8 only implements S256
  findAccount: (ctx, id) => (ACCOUNTS.has(id) ? { accountId: id, claims: () => ({ sub: id }) } : undefined),
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  // Refresh tokens whenever the client registered the grant (no offline_access dance).
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  ttl: { AccessToken: TOKEN_TTL },
  features: {
    devInteractions: { enabled: false },
    // Open DCR (no initial access token); public clients (auth method "none") are allowed by default.
    registration: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // Even with openid in scope, issue the token for the granted resource, not for /me.
      useGrantedResource: async () => true,
      async getResourceServerInfo(ctx, resourceIndicator) {
        if (!ANY_RESOURCE && resourceIndicator !== RESOURCE) throw new errors.InvalidTarget(`resource not allowed: ${resourceIndicator}`);
        // JWT (RFC 9068, typ "at+jwt") with aud = exactly the resource indicator.
        return { scope: RESOURCE_SCOPES, accessTokenFormat: 'jwt', accessTokenTTL: TOKEN_TTL, jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  async renderError(ctx, out) {
    ctx.type = 'json';
    ctx.body = out;
  },
});

async function interaction(req, res, url) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  if (prompt.name === 'login') {
    const accountId = url.searchParams.get('login') || params.login_hint || DEFAULT_USER;
    if (!ACCOUNTS.has(accountId)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'unknown_user', hint: 'add ?login=usr_alice|usr_bob|usr_carol or set DEFAULT_USER', got: accountId ?? null }));
      return;
    }
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  if (prompt.name === 'consent') {
    // Auto-consent to exactly what is missing (same as the upstream example's "yes" button).
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const d = prompt.details;
    if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
    if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes || {})) grant.addResourceScope(indicator, scopes.join(' '));
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: details.grantId ? {} : { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  res.writeHead(400, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'unsupported_prompt', prompt: prompt.name }));
}

const callback = provider.callback();
server.on('request', (req, res) => {
  const url = new URL(req.url, issuer);
  if (url.pathname.startsWith('/interaction/')) {
    interaction(req, res, url).catch((err) => {
      console.error('auth-server: interaction failed:', err.message);
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: err.name, error_description: err.message }));
    });
    return;
  }
  // RFC 8414 clients (the MCP SDK tries this one first) get the same document as OIDC discovery.
  if (url.pathname === '/.well-known/oauth-authorization-server') req.url = `/.well-known/openid-configuration${url.search}`;
  callback(req, res);
});

provider.on('server_error', (ctx, err) => console.error('auth-server: server_error', err));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(JSON.stringify({ issuer, port }));
