// Stand-in for the Switchboard gateway, only to prove oauth-flow.mjs and mint.mjs
// work before the Java side exists. It does what the gateway must do:
// RFC 9728 metadata, 401 + WWW-Authenticate challenge, JWT validation against the
// issuer's JWKS with aud = this server's own /mcp URL.
// Env: ISSUER (required), PORT (default 0 = free port).
import http from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const ISSUER = process.env.ISSUER;
if (!ISSUER) {
  console.error('stand-in-mcp: set ISSUER=http://127.0.0.1:<as port>');
  process.exit(2);
}
const SCOPES = ['workspace:read', 'workspace:write'];

const server = http.createServer();
await new Promise((ok) => server.listen(Number(process.env.PORT || 0), '127.0.0.1', ok));
const { port } = server.address();
const origin = `http://127.0.0.1:${port}`;
const resource = `${origin}/mcp`;
// Path-suffixed form (RFC 9728 §3.1) for a resource with a path.
const prmUrl = `${origin}/.well-known/oauth-protected-resource/mcp`;

// Discover jwks_uri lazily so the AS may start after us; jose caches and refetches on unknown kid.
let jwks;
async function keys() {
  if (!jwks) {
    const meta = await (await fetch(`${ISSUER}/.well-known/oauth-authorization-server`)).json();
    jwks = createRemoteJWKSet(new URL(meta.jwks_uri));
  }
  return jwks;
}

function challenge(res, status, error, description) {
  const params = [`resource_metadata="${prmUrl}"`, `scope="${SCOPES.join(' ')}"`];
  if (error) params.push(`error="${error}"`, `error_description="${description.replace(/"/g, "'")}"`);
  res.writeHead(status, { 'www-authenticate': `Bearer ${params.join(', ')}`, 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: error ?? 'unauthorized' }));
}

async function authenticate(req, res) {
  const m = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return challenge(res, 401);
  try {
    const { payload } = await jwtVerify(m[1], await keys(), {
      issuer: ISSUER,
      audience: resource,
      typ: 'at+jwt',
      algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'], // never "none" or HS*
    });
    console.error(`stand-in-mcp: accepted sub=${payload.sub} aud=${payload.aud} scope="${payload.scope}" client_id=${payload.client_id}`);
    const granted = String(payload.scope ?? '').split(' ');
    if (!granted.includes('workspace:read')) return challenge(res, 403, 'insufficient_scope', 'workspace:read required');
    return payload;
  } catch (err) {
    console.error(`stand-in-mcp: rejected token: ${err.code ?? err.name}: ${err.message}`);
    return challenge(res, 401, 'invalid_token', `${err.code ?? 'invalid'}`);
  }
}

// Stateless MCP: one server + transport per request, bound to the caller's claims.
function mcpFor(claims) {
  const mcp = new McpServer({ name: 'switchboard-stand-in', version: '0.0.0' });
  mcp.registerTool('organizations_current', { description: 'The caller\'s organization (stand-in data)' }, async () => ({
    content: [{ type: 'text', text: JSON.stringify({ organization: { id: `org_${claims.sub}` }, sub: claims.sub, scope: claims.scope, client_id: claims.client_id }) }],
  }));
  return mcp;
}

server.on('request', async (req, res) => {
  const { pathname } = new URL(req.url, origin);
  try {
    if (pathname === '/.well-known/oauth-protected-resource/mcp' || pathname === '/.well-known/oauth-protected-resource') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ resource, authorization_servers: [ISSUER], scopes_supported: SCOPES, bearer_methods_supported: ['header'] }));
      return;
    }
    if (pathname !== '/mcp') {
      res.writeHead(404).end();
      return;
    }
    const claims = await authenticate(req, res);
    if (!claims) return;
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    const mcp = mcpFor(claims);
    res.on('close', () => { transport.close(); mcp.close(); });
    await mcp.connect(transport);
    await transport.handleRequest(req, res);
  } catch (err) {
    console.error('stand-in-mcp:', err);
    if (!res.headersSent) res.writeHead(500).end();
  }
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
console.log(JSON.stringify({ resource, port, resource_metadata: prmUrl }));
