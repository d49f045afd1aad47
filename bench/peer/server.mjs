// The benchmark's TypeScript peer: the official MCP SDK's stateless Streamable HTTP server (one server and transport
// per request, as in the SDK's stateless example), relaying the same reads as the gateway to the same sandbox with
// fetch. Environment: PEER_PORT (loopback), SANDBOX_URL (for example http://127.0.0.1:9002/sandbox).
import express from 'express';
import { z } from 'zod';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

const port = Number(process.env.PEER_PORT || 9103);
const sandbox = process.env.SANDBOX_URL || 'http://127.0.0.1:9002/sandbox';

async function relay(extra, method, path, body, idempotencyKey) {
  const headers = extra?.requestInfo?.headers || {};
  const organization = headers['x-company-id'] || 'org_acme';
  const init = { method, headers: { Authorization: headers['authorization'] || '', Accept: 'application/json' } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  if (idempotencyKey) init.headers['Idempotency-Key'] = idempotencyKey;
  const response = await fetch(`${sandbox}/v1/organizations/${encodeURIComponent(organization)}${path}`, init);
  const text = await response.text();
  return { content: [{ type: 'text', text }], isError: !response.ok };
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function build() {
  const server = new McpServer({ name: 'bench-peer', version: '0.0.0' });
  server.registerTool('contacts_list', {
    description: 'List contacts',
    inputSchema: { limit: z.number().int().min(1).max(100).optional(), cursor: z.string().optional() },
  }, async ({ limit, cursor }, extra) => relay(extra, 'GET', `/contacts${query({ limit, cursor })}`));
  server.registerTool('contacts_get', {
    description: 'Get a contact',
    inputSchema: { contactId: z.string().regex(/^ct_[A-Za-z0-9_]+$/) },
  }, async ({ contactId }, extra) => relay(extra, 'GET', `/contacts/${encodeURIComponent(contactId)}`));
  server.registerTool('inbox_threads_search', {
    description: 'Search threads',
    inputSchema: { accountId: z.string(), query: z.string().optional(), limit: z.number().int().optional() },
  }, async ({ accountId, query: text, limit }, extra) =>
    relay(extra, 'GET', `/inbox/accounts/${encodeURIComponent(accountId)}/threads/search${query({ query: text, limit })}`));
  server.registerTool('contacts_create', {
    description: 'Create a contact',
    inputSchema: { email: z.string(), firstName: z.string().optional(), idempotencyKey: z.string().min(8) },
  }, async ({ email, firstName, idempotencyKey }, extra) =>
    relay(extra, 'POST', '/contacts', { email, firstName }, idempotencyKey));
  return server;
}

const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/mcp', async (req, res) => {
  const server = build();
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on('close', () => {
    transport.close();
    server.close();
  });
  try {
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  } catch (error) {
    if (!res.headersSent) {
      res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: String(error) }, id: null });
    }
  }
});
app.listen(port, '127.0.0.1', () => console.log(`bench peer on http://127.0.0.1:${port}/mcp, sandbox ${sandbox}`));
