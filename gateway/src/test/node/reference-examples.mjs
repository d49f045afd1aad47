#!/usr/bin/env node
// The reference documents' own example calls, replayed against the gateway.
//
// Usage: node reference-examples.mjs <baseUrl>
//
// The product generalizes three reference documents: an inbox MCP reference (11 inbox tools, a curl
// smoke test, a minimal Node fetch client, a bootstrap sequence and three product blueprints), an
// organization-scoped MCP reference (current/list/switch organization, the envelope, error codes), and
// a workspace MCP reference (curated tools plus run_operation and list_operations). Their code is
// copied below as the documents show it; the only changes are:
//   - tool names, mapped once in TOOL_NAMES (the inbox reference prefixes each name with its product
//     name, left out here);
//   - the endpoint URL and, for tools/call, the Authorization header the gateway needs (the inbox
//     reference's own shared-secret header plays that role there);
//   - the envelope: the gateway's structuredContent is {organization, mailbox?, result}, so the
//     blueprints' `mcp.call` and the minimal client return structuredContent.result.
// Each example ends in the state its document describes, checked through the gateway or the sandbox
// API. Environment: E2E_API_KEY (default sbx_alice), SANDBOX_CONTROL_TOKEN, E2E_TIMEOUT_MS.

import http from 'node:http';
import { execFileSync } from 'node:child_process';

import {
    API_KEY, MAILBOX, ORG, OutputSchemas, abbreviate, baseUrl, callTool, check, describeError, envelopeProblems,
    firstText, lastLine, listAllTools, newClient, note, notOk, ok, resetSandbox, runMain, sandboxApi, transport
} from './lib.mjs';

/** The reference documents' tool names -> the gateway's. */
const TOOL_NAMES = {
    // inbox reference (its names carry a product prefix, left out here)
    list_accounts: 'inbox_accounts_list',
    list_threads: 'inbox_threads_list',
    search_threads: 'inbox_threads_search',
    filter_threads: 'inbox_threads_filter',
    get_thread: 'inbox_thread_get',
    send_message: 'inbox_send_message',
    thread_action: 'inbox_thread_action',
    list_labels: 'inbox_labels_list',
    update_thread_labels: 'inbox_thread_labels_update',
    list_contacts_google: 'inbox_contacts_list', // the inbox reference's "list contacts"
    get_profile: 'inbox_profile_get',
    // organization-scoped reference
    get_current_organization: 'organizations_current',
    list_organizations: 'organizations_list',
    switch_organization: 'organizations_switch',
    list_contacts: 'contacts_list',
    create_contact: 'contacts_create',
    get_contact: 'contacts_get',
    list_campaigns: 'campaigns_list',
    get_campaign_stats: 'campaigns_stats',
    get_analytics_overview: 'analytics_overview',
    list_insights: 'insights_list',
    // workspace reference (same names)
    agents_list: 'agents_list',
    run_operation: 'run_operation',
    list_operations: 'list_operations'
};

const GLOBEX = { id: 'org_globex', name: 'Globex Corporation', slug: 'globex' };

// ---------------------------------------------------------------------------------------------
// An SDK client as the blueprints' `mcp` object

async function connect(base, label, headers, kind = 'streamable-http') {
    const client = newClient(`reference-${label}`);
    client.onerror = error => {
        if (!/AbortError|aborted/.test(String(error))) { // closing a client aborts its stream
            note(`[${label}] client onerror: ${describeError(error).replace(/\n/g, '; ')}`);
        }
    };
    await client.connect(transport(kind, base, headers));
    const tools = await listAllTools(client); // lists first, so the SDK validates every structured result
    const schemas = new OutputSchemas();
    schemas.compile(tools);
    return { client, tools, schemas };
}

class ToolError extends Error {}

/**
 * mcp.call(name, args): calls the mapped tool through the SDK and returns structuredContent.result.
 * A JSON-RPC error, an SDK refusal, an isError result, an outputSchema violation (our own Ajv) or a
 * broken envelope is reported as "not ok" and thrown, which ends the example.
 */
function mcpFor(session, label, { org = ORG, mailbox } = {}) {
    const calls = [];
    return {
        calls,
        async call(name, args) {
            const tool = TOOL_NAMES[name];
            if (!tool) {
                throw new Error(`no gateway tool mapped for the reference's ${name}`);
            }
            const { result, error } = await callTool(session.client, tool, args);
            const what = `[${label}] ${name} -> ${tool} ${abbreviate(JSON.stringify(args), 110)}`;
            if (error) {
                notOk(`${what}: threw in the SDK`, describeError(error));
                throw new ToolError(what);
            }
            if (result.isError) {
                notOk(`${what}: isError`, lastLine(result));
                throw new ToolError(what);
            }
            const problems = [];
            const schema = session.schemas.problems(tool, result.structuredContent);
            if (schema) {
                problems.push(`structuredContent does not match the outputSchema (Ajv):\n${schema}`);
            }
            problems.push(...envelopeProblems(result, { org, mailbox }));
            if (problems.length) {
                notOk(what, `${problems.join('\n')}\n${abbreviate(result.structuredContent, 800)}`);
                throw new ToolError(what);
            }
            ok(what);
            calls.push({ name, tool, args });
            return result.structuredContent.result;
        }
    };
}

// "your logic": the simplest stand-ins for the blueprints' own functions
function classify(body) {
    return { score: /demo|pricing|seats|partnership|interested/i.test(body || '') ? 0.9 : 0.1 };
}

function generateReply(full) {
    return `Hi, thanks for your message about "${full.subject}". I would be glad to set up a call this week.`;
}

function summarise(full) {
    const last = full.messages[full.messages.length - 1];
    return `${full.subject}: ${(last.body || '').slice(0, 120)}`;
}

async function example(name, body) {
    note(`--- ${name} ---`);
    try {
        await body();
    } catch (error) {
        if (!(error instanceof ToolError)) {
            notOk(`${name}: unexpected exception`, error?.stack || describeError(error));
        } else {
            note(`${name} stopped: ${error.message}`);
        }
    }
}

/** Reads a thread through a separate gateway client (the end state as a model would see it). */
async function readThread(session, threadId) {
    const { result, error } = await callTool(session.client, 'inbox_thread_get', { accountId: MAILBOX, threadId });
    if (error || result.isError) {
        throw new Error(`inbox_thread_get ${threadId}: ${error ? describeError(error) : lastLine(result)}`);
    }
    return result.structuredContent.result;
}

// ---------------------------------------------------------------------------------------------
// Inbox reference: the three product blueprints

async function invoiceProcessor(base, checker) {
    const session = await connect(base, 'invoice', { Authorization: `Bearer ${API_KEY}`, 'x-account-id': MAILBOX });
    const mcp = mcpFor(session, 'invoice processor', { mailbox: MAILBOX });
    try {
        // ---- invoice processor.js, as the reference shows it ----
        const threads = await mcp.call('search_threads', {
            query: 'invoice OR receipt',
            unreadOnly: true,
            maxResults: 25,
        });

        for (const thread of threads.threads) {
            const full = await mcp.call('get_thread', {
                threadId: thread.id,
            });

            // Parse body, extract totals...

            await mcp.call('update_thread_labels', {
                threadId: thread.id,
                addLabelIds: ['Label_invoice'],
            });

            await mcp.call('thread_action', {
                threadId: thread.id,
                action: 'archive',
            });
        }
        // ---- end of the reference's code ----

        check(threads.threads.length >= 2, `invoice processor: the search found ${threads.threads.length} unread invoice or receipt threads (>= 2)`,
            () => threads);
        const notInvoices = threads.threads.filter(t => !/invoice|receipt/i.test(`${t.subject} ${t.snippet}`));
        check(notInvoices.length === 0, 'invoice processor: every thread found is about an invoice or receipt', () => notInvoices);
        for (const thread of threads.threads) {
            const after = await readThread(checker, thread.id);
            check((after.labelIds || []).includes('Label_invoice') && after.archived === true && !(after.labelIds || []).includes('INBOX'),
                `invoice processor: ${thread.id} is labelled Invoices and archived`, () => ({ labelIds: after.labelIds, archived: after.archived }));
        }
    } finally {
        await session.client.close().catch(() => {});
    }
}

async function leadCapture(base, checker) {
    const session = await connect(base, 'lead', { Authorization: `Bearer ${API_KEY}`, 'x-account-id': MAILBOX });
    const mcp = mcpFor(session, 'lead capture', { mailbox: MAILBOX });
    const leads = [];
    try {
        const before = new Map();
        // ---- lead capture agent.js, as the reference shows it (plus bookkeeping for the checks) ----
        const inbox = await mcp.call('filter_threads', {
            label: 'INBOX',
            unreadOnly: true,
        });

        for (const thread of inbox.threads) {
            const full = await mcp.call('get_thread', {
                threadId: thread.id,
            });
            before.set(thread.id, full.messages.length);

            const isLead = classify(full.messages[0].body); // your logic

            if (isLead.score > 0.8) {
                leads.push({ id: thread.id, to: full.messages[0].from, reply: generateReply(full) });
                await mcp.call('send_message', {
                    threadId: thread.id,
                    to: full.messages[0].from,
                    body: generateReply(full),
                });

                await mcp.call('thread_action', {
                    threadId: thread.id, action: 'star',
                });
            }
        }
        // ---- end of the reference's code ----

        check(inbox.threads.length > 0 && inbox.threads.every(t => t.unread && (t.labelIds || []).includes('INBOX')),
            `lead capture: the filter returned ${inbox.threads.length} unread INBOX threads`, () => inbox.threads.map(t => ({ id: t.id, unread: t.unread, labelIds: t.labelIds })));
        check(leads.length >= 2, `lead capture: ${leads.length} leads classified (>= 2)`, () => inbox.threads.map(t => t.subject));
        for (const lead of leads) {
            const after = await readThread(checker, lead.id);
            const last = after.messages[after.messages.length - 1];
            check(after.messages.length === before.get(lead.id) + 1 && last.from === MAILBOX && last.body === lead.reply
                    && (last.to || []).includes(lead.to),
                `lead capture: ${lead.id} has the reply from ${MAILBOX} to ${lead.to} in its thread`,
                () => ({ messagesBefore: before.get(lead.id), messagesAfter: after.messages.length, last }));
            check(after.starred === true, `lead capture: ${lead.id} is starred`, () => ({ starred: after.starred, labelIds: after.labelIds }));
        }
    } finally {
        await session.client.close().catch(() => {});
    }
}

async function dailyDigest(base, checker) {
    const session = await connect(base, 'digest', { Authorization: `Bearer ${API_KEY}`, 'x-account-id': MAILBOX });
    const mcp = mcpFor(session, 'daily digest', { mailbox: MAILBOX });
    try {
        let sentBody;
        // ---- daily digest.js, as the reference shows it ----
        const yesterday = Date.now() - 86_400_000;

        const threads = await mcp.call('list_threads', {
            label: 'INBOX',
            maxResults: 25,
        });

        const summaries = await Promise.all(
            threads.threads.map(async (t) => {
                const full = await mcp.call('get_thread', {
                    threadId: t.id,
                });
                return summarise(full); // your LLM call
            })
        );

        await mcp.call('send_message', {
            to: 'you@example.com',
            subject: '☀️ Morning Digest',
            body: (sentBody = summaries.join('\n\n')),
            isHtml: false,
        });
        // ---- end of the reference's code ----

        note(`daily digest: ${threads.threads.length} threads summarised (yesterday = ${new Date(yesterday).toISOString()})`);
        check(threads.threads.length > 0 && threads.threads.length <= 25, `daily digest: list_threads returned ${threads.threads.length} INBOX threads (1-25)`);
        const sent = await callTool(checker.client, 'inbox_threads_filter', { accountId: MAILBOX, folder: 'sent', limit: 100 });
        const digest = (sent.result?.structuredContent?.result?.threads || []).find(t => t.subject === '☀️ Morning Digest');
        if (check(digest && (digest.labelIds || []).includes('SENT'), 'daily digest: the digest is in SENT',
            () => (sent.error ? describeError(sent.error) : abbreviate(sent.result, 800)))) {
            const thread = await readThread(checker, digest.id);
            const message = thread.messages[thread.messages.length - 1];
            check(message.body === sentBody && (message.to || []).includes('you@example.com') && message.html === false,
                'daily digest: the sent message has the summaries, goes to you@example.com, and is plain text', () => message);
        }
    } finally {
        await session.client.close().catch(() => {});
    }
}

/** The reference's argument names where they differ from the contract's: maxResults, pageToken, isHtml, a single `to`. */
async function argumentAliases(base, checker) {
    const session = await connect(base, 'aliases', { Authorization: `Bearer ${API_KEY}`, 'x-account-id': MAILBOX });
    const mcp = mcpFor(session, 'aliases', { mailbox: MAILBOX });
    try {
        const first = await mcp.call('list_threads', { label: 'SENT', maxResults: 2 });
        check(first.threads.length === 2 && typeof first.nextCursor === 'string',
            `maxResults: 2 gives 2 threads and a nextCursor (got ${first.threads.length})`, () => first);
        const second = await mcp.call('list_threads', { label: 'SENT', maxResults: 2, pageToken: first.nextCursor });
        const overlap = second.threads.filter(t => first.threads.some(f => f.id === t.id));
        check(second.threads.length > 0 && overlap.length === 0, 'pageToken continues after the first page', () => ({ first: first.threads.map(t => t.id), second: second.threads.map(t => t.id) }));
        await mcp.call('send_message', { to: 'html@example.com', cc: 'copy@example.com', subject: 'HTML alias', body: '<p>Hello</p>', isHtml: true });
        const sent = await mcp.call('search_threads', { query: 'HTML alias', maxResults: 5 });
        const thread = sent.threads.find(t => t.subject === 'HTML alias');
        if (check(thread, 'the message sent with isHtml is found by subject', () => sent)) {
            const full = await readThread(checker, thread.id);
            check(full.messages[0].html === true, 'isHtml: true sends an HTML message', () => full.messages[0]);
            check((full.messages[0].to || []).includes('html@example.com') && (full.messages[0].cc || []).includes('copy@example.com'),
                'a single address is accepted for to and for cc', () => full.messages[0]);
        }
    } finally {
        await session.client.close().catch(() => {});
    }
}

// ---------------------------------------------------------------------------------------------
// Inbox reference: curl smoke test, minimal Node client and bootstrap sequence (no Accept header, no session)

async function curlSmokeTest(base) {
    const url = `${base}/mcp`;
    const account = MAILBOX;
    const runCurl = body => {
        try {
            // # 1. Initialize / # 2. List tools: the reference's command lines
            return execFileSync('curl', ['-sS', url, '-H', 'Content-Type: application/json', '-H', `x-account-id: ${account}`, '-d', body],
                { encoding: 'utf8', timeout: 30000 });
        } catch (error) {
            if (error.code === 'ENOENT') {
                return null;
            }
            return `curl failed: ${error.message}`;
        }
    };
    const init = runCurl('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"curl-test","version":"1.0.0"}}}');
    if (init === null) {
        note('curl is not installed: its requests are replayed by the raw HTTP checks below instead');
        return;
    }
    const parsed = parseJson(init);
    check(parsed?.result?.protocolVersion === '2024-11-05' && parsed?.result?.serverInfo?.name,
        'curl smoke test, 1. initialize: a JSON answer with protocolVersion 2024-11-05 and serverInfo', () => `curl printed: ${JSON.stringify(init)}`);
    const list = runCurl('{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}');
    const tools = parseJson(list)?.result?.tools;
    check(Array.isArray(tools) && tools.some(t => t.name === 'inbox_threads_search'),
        `curl smoke test, 2. list tools: a JSON answer listing ${tools?.length} tools`, () => `curl printed: ${abbreviate(JSON.stringify(list), 500)}`);
}

function parseJson(text) {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** A POST with only Content-Type (no Accept header at all, no session): the answer must be JSON. */
function rawPost(url, headers, body) {
    return new Promise((resolve, reject) => {
        const request = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }, response => {
            let data = '';
            response.setEncoding('utf8');
            response.on('data', chunk => { data += chunk; });
            response.on('end', () => resolve({ status: response.statusCode, type: response.headers['content-type'] || '', body: data }));
        });
        request.on('error', reject);
        request.setTimeout(30000, () => request.destroy(new Error('timeout')));
        request.end(JSON.stringify(body));
    });
}

async function withoutAcceptHeader(base) {
    const url = `${base}/mcp`;
    const headers = { 'x-account-id': MAILBOX, Authorization: `Bearer ${API_KEY}` };
    const requests = [
        ['initialize', { protocolVersion: '2024-11-05', capabilities: {}, clientInfo: { name: 'raw-http', version: '1.0.0' } }, r => r.result?.protocolVersion],
        ['tools/list', {}, r => Array.isArray(r.result?.tools)],
        ['tools/call', { name: 'inbox_threads_search', arguments: { query: 'invoice OR receipt', limit: 2 } }, r => Array.isArray(r.result?.structuredContent?.result?.threads)]
    ];
    let id = 100;
    for (const [method, params, good] of requests) {
        let response;
        try {
            response = await rawPost(url, headers, { jsonrpc: '2.0', id: ++id, method, params });
        } catch (error) {
            notOk(`no Accept header, no session: ${method}`, describeError(error));
            continue;
        }
        const json = parseJson(response.body);
        check(response.status === 200 && /application\/json/.test(response.type) && json && good(json),
            `no Accept header, no session: ${method} answers HTTP 200 with JSON (got ${response.status} ${response.type || 'no content type'}, ${response.body.length} bytes)`,
            () => abbreviate(response.body, 600));
    }
}

async function minimalNodeClient(base) {
    const MCP_URL = `${base}/mcp`;
    process.env.ACCOUNT_ID = MAILBOX;
    // ---- Node.js — minimal client, as the reference shows it (URL, Authorization header, envelope) ----
    async function mcpCall(method, params = {}) {
        const res = await fetch(MCP_URL, {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'x-account-id': process.env.ACCOUNT_ID,
                Authorization: `Bearer ${API_KEY}`,
            },
            body: JSON.stringify({ jsonrpc: '2.0', id: Date.now(), method, params }),
        });
        const json = await res.json();
        return json.result?.structuredContent?.result ?? json.result;
    }

    // Initialize, then call a tool
    const init = await mcpCall('initialize', {
        protocolVersion: '2024-11-05',
        capabilities: {},
        clientInfo: { name: 'my-agent', version: '1.0.0' },
    });

    const result = await mcpCall('tools/call', {
        name: TOOL_NAMES.list_accounts,
        arguments: {},
    });
    console.log(`# ${abbreviate(JSON.stringify(result.accounts), 300)}`);
    // ---- end of the reference's code ----
    check(init?.protocolVersion, 'minimal Node client: initialize answered', () => init);
    check((result?.accounts || []).some(a => a.id === MAILBOX), 'minimal Node client: list_accounts -> result.accounts lists the mailboxes', () => result);

    // ---- Full bootstrap sequence, as the reference shows it ----
    // 1. Initialize
    await mcpCall('initialize', {
        protocolVersion: '2024-11-05',
        capabilities: {},
        clientInfo: { name: 'my-agent', version: '1.0.0' },
    });

    // 2. (Optional) Discover tools
    const { tools } = await mcpCall('tools/list', {});

    // 3. (Optional) Resolve accounts
    const { accounts } = await mcpCall('tools/call', {
        name: TOOL_NAMES.list_accounts,
        arguments: {},
    });
    const accountId = accounts[0].id;

    // 4. Call an operational tool
    const found = await mcpCall('tools/call', {
        name: TOOL_NAMES.search_threads,
        arguments: {
            accountId,
            query: 'invoice OR receipt',
            unreadOnly: true,
            maxResults: 10,
        },
    });
    // ---- end of the reference's code ----
    const inboxTools = Object.entries(TOOL_NAMES).slice(0, 11).map(([, tool]) => tool);
    const missing = inboxTools.filter(name => !(tools || []).some(t => t.name === name));
    check(missing.length === 0, 'bootstrap: tools/list has the tools of all 11 inbox reference tools', () => `missing: ${missing.join(', ')}`);
    check(typeof accountId === 'string', `bootstrap: accounts[0].id is ${accountId}`);
    check(Array.isArray(found?.threads) && found.threads.length > 0 && found.threads.length <= 10 && found.threads.every(t => t.unread),
        `bootstrap: the search found ${found?.threads?.length} unread threads (at most 10)`, () => found);
}

async function errorResponse(base) {
    const session = await connect(base, 'errors', { Authorization: `Bearer ${API_KEY}` });
    try {
        // "Check result.isError === true to detect failures" (the reference's "Account not found" example)
        const { result, error } = await callTool(session.client, 'inbox_threads_search', { accountId: 'unknown@example.com', query: 'invoice' });
        check(!error && result.isError === true && /unknown@example\.com/.test(firstText(result)) && firstText(result).includes(MAILBOX),
            'an unknown account is an isError result naming it and the mailboxes that exist', () => (error ? describeError(error) : firstText(result)));
        // the mailbox: accountId, else x-account-id, else the organization's only mailbox; org_acme has two
        const unspecified = await callTool(session.client, 'inbox_threads_search', { query: 'invoice' });
        const text = unspecified.error ? describeError(unspecified.error) : firstText(unspecified.result);
        check(unspecified.result?.isError === true && text.includes(MAILBOX) && text.includes('support@acme.test'),
            'no accountId and no x-account-id in an organization with two mailboxes: an isError listing both', () => text);
    } finally {
        await session.client.close().catch(() => {});
    }
    const globex = await connect(base, 'globex', { Authorization: `Bearer ${API_KEY}`, 'X-Company-ID': GLOBEX.id });
    try {
        const { result, error } = await callTool(globex.client, 'inbox_profile_get', {});
        check(!error && !result.isError && result.structuredContent?.mailbox?.id === 'hello@globex.test'
                && envelopeProblems(result, { org: GLOBEX, mailbox: 'hello@globex.test' }).length === 0,
            'no accountId and no x-account-id in an organization with one mailbox: that mailbox (hello@globex.test)',
            () => (error ? describeError(error) : abbreviate(result)));
    } finally {
        await globex.client.close().catch(() => {});
    }
}

async function metadata(base) {
    const response = await fetch(`${base}/mcp/metadata`);
    const json = await response.json().catch(() => undefined);
    check(response.status === 200 && json?.name && json?.version && json?.endpoints && Array.isArray(json?.tools) && json?.headers,
        'GET /mcp/metadata: server name, version, endpoint URLs, headers and tool summaries', () => abbreviate(json, 600));
}

// ---------------------------------------------------------------------------------------------
// Organization-scoped reference: current / list / switch, envelope, keys, error codes

async function organizationFlow(base) {
    const session = await connect(base, 'organizations', { Authorization: `Bearer ${API_KEY}` });
    const acme = mcpFor(session, 'organizations');
    const globex = mcpFor(session, 'organizations (after the switch)', { org: GLOBEX });
    try {
        const noOrgArgument = session.tools.filter(t => t.name !== 'organizations_switch' && Object.keys(t.inputSchema?.properties || {})
            .some(k => /^organization_?id$/i.test(k))).map(t => t.name);
        check(noOrgArgument.length === 0, 'no tool input takes an organization id (only switch_organization)', () => noOrgArgument.join(', '));

        const current = await acme.call('get_current_organization', {});
        check(current.organization?.id === ORG.id && current.keyKind === 'user', `get_current_organization: ${current.organization?.id}, key kind ${current.keyKind}`, () => current);
        const listed = await acme.call('list_organizations', {});
        const ids = (listed.organizations || listed.items || []).map(o => o.id);
        check(ids.includes('org_acme') && ids.includes('org_globex') && !ids.includes('org_initech'),
            `list_organizations: the user's memberships (${ids.join(', ')})`, () => listed);

        // the switch's own answer already acts on the new organization
        await globex.call('switch_organization', {
            organizationId: 'org_globex'
        });
        const switched = await globex.call('get_current_organization', {});
        check(switched.organization?.id === GLOBEX.id && switched.source === 'override',
            `after switch_organization: ${switched.organization?.id} (source ${switched.source})`, () => switched);
        const contacts = await globex.call('list_contacts', { limit: 3 });
        check((contacts.items || contacts.contacts || []).every(c => c.id.startsWith('ct_globex_')), 'list_contacts acts on the switched organization', () => contacts);
    } finally {
        const back = await callTool(session.client, 'organizations_switch', { organizationId: ORG.id });
        check(!back.error && !back.result.isError, 'switched back to org_acme (the key default)', () => abbreviate(back.error ? describeError(back.error) : back.result));
        await session.client.close().catch(() => {});
    }

    // legacy org-scoped key: "switch_organization returns an error"
    const legacy = await connect(base, 'legacy', { Authorization: 'Bearer sbx_legacy_initech' });
    try {
        const { result, error } = await callTool(legacy.client, 'organizations_switch', { organizationId: 'org_acme' });
        check(!error && result.isError === true && firstText(result).startsWith('[organization] Initech (id: org_initech)'),
            'legacy key: switch_organization is an error, under the Initech header', () => (error ? describeError(error) : firstText(result)));
    } finally {
        await legacy.client.close().catch(() => {});
    }

    // error codes: -32001 without Authorization, -32002 for a revoked key, -32601 unknown method
    for (const [label, headers, code] of [['no Authorization header', {}, -32001], ['a revoked key', { Authorization: 'Bearer sbx_revoked' }, -32002]]) {
        const anonymous = newClient(`reference-${code}`);
        try {
            await anonymous.connect(transport('streamable-http', base, headers));
            const { result, error } = await callTool(anonymous, 'organizations_current', {});
            check(error?.code === code, `tools/call with ${label} answers ${code}`, () => (error ? describeError(error) : abbreviate(result)));
        } finally {
            await anonymous.close().catch(() => {});
        }
    }
    const unknown = await rawPost(`${base}/mcp`, { Accept: 'application/json, text/event-stream' }, { jsonrpc: '2.0', id: 7, method: 'no/such/method', params: {} });
    check(parseJson(unknown.body)?.error?.code === -32601, 'an unknown method answers -32601', () => `${unknown.status} ${abbreviate(unknown.body, 300)}`);
}

// ---------------------------------------------------------------------------------------------
// Workspace reference: curated tools, list_operations for the full list, run_operation for the rest

async function runOperationFlow(base) {
    const session = await connect(base, 'run_operation', { Authorization: `Bearer ${API_KEY}` });
    const mcp = mcpFor(session, 'workspace');
    try {
        for (const tool of ['agents_list', 'contacts_create', 'workflows_run', 'run_operation', 'list_operations']) {
            check(session.tools.some(t => t.name === tool), `the curated set has the reference's example tool ${tool}`);
        }
        await mcp.call('agents_list', {});
        // "For the full list, call the list_operations tool"
        try {
            const operations = await mcp.call('list_operations', { query: 'contact fields' });
            const create = (operations.operations || operations.items || []).find(o => o.name === 'contact_fields_create');
            check(create?.inputSchema?.properties?.key, 'list_operations finds contact_fields_create with its input schema', () => operations);
        } catch (error) {
            if (!(error instanceof ToolError)) {
                throw error;
            }
        }
        // "the model can call run_operation with the operation name and JSON arguments"
        const field = await mcp.call('run_operation', {
            operation: 'contact_fields_create',
            arguments: { key: 'referral_source', label: 'Referral source', type: 'text' }
        });
        check(field?.key === 'referral_source', 'run_operation contact_fields_create returns the new field', () => field);
        const contact = await mcp.call('run_operation', {
            operation: 'contacts_create',
            arguments: { email: 'grace.reference@example.net', firstName: 'Grace', customFields: { referral_source: 'reference docs' } }
        });
        const id = contact?.id;
        const stored = id ? await sandboxApi(base, 'GET', `/v1/organizations/${ORG.id}/contacts/${id}`) : { status: 'no id' };
        check(stored.status === 200 && stored.json?.email === 'grace.reference@example.net' && stored.json?.customFields?.referral_source === 'reference docs',
            `run_operation contacts_create: contact ${id} exists in the workspace with its custom field`, () => `${stored.status} ${abbreviate(stored.text, 500)}`);
        const got = await mcp.call('get_contact', { contactId: id });
        check(got?.email === 'grace.reference@example.net', 'get_contact reads the contact run_operation created', () => got);
    } finally {
        await session.client.close().catch(() => {});
    }
}

// ---------------------------------------------------------------------------------------------

async function main() {
    const base = baseUrl();
    await resetSandbox(base);
    const checker = await connect(base, 'checker', { Authorization: `Bearer ${API_KEY}` });
    try {
        await example('inbox reference: curl smoke test', () => curlSmokeTest(base));
        await example('inbox reference: requests without an Accept header', () => withoutAcceptHeader(base));
        await example('inbox reference: minimal Node client and bootstrap sequence', () => minimalNodeClient(base));
        await example('inbox reference: metadata endpoint', () => metadata(base));
        await example('inbox reference: error response', () => errorResponse(base));
        await example('inbox reference: blueprint 01, invoice processor', () => invoiceProcessor(base, checker));
        await example('inbox reference: blueprint 02, lead capture agent', () => leadCapture(base, checker));
        await example('inbox reference: blueprint 03, daily digest', () => dailyDigest(base, checker));
        await example('inbox reference: argument names', () => argumentAliases(base, checker));
        await example('organization reference: current, list, switch', () => organizationFlow(base));
        await example('workspace reference: list_operations and run_operation', () => runOperationFlow(base));
    } finally {
        await checker.client.close().catch(() => {});
    }
}

runMain(main);
