#!/usr/bin/env node
// The reference documents' own examples, run as written against the gateway with the operator settings that
// reproduce each document.
//
// Usage: node reference-examples.mjs <baseUrl> <document>
//
//   inbox         the inbox MCP reference (11 inbox tools, a curl smoke test, a minimal Node fetch client, a bootstrap
//                 sequence, three product blueprints, its response shape), against a gateway started with
//                 MCP_RESULT_SHAPE=payload MCP_TOOL_NAMING=reference MCP_TOOL_PREFIX=mail_ MCP_PATH=/api/mcp
//   organization  the organization-scoped MCP reference (current/list/switch organization, the envelope, key kinds,
//                 error codes), against MCP_TOOL_NAMING=reference
//   workspace     the workspace MCP reference (curated tools, list_operations, run_operation, its client
//                 configurations), against the default settings
//
// The documents' code is copied as they show it. What differs, and why:
//   - the inbox reference names its tools, its shared-secret header and its environment variables after its
//     product; here that name is the operator's tool prefix, "mail" (tools mail_…, header x-mail-key, MAIL_…);
//   - endpoint URLs point at the gateway under test;
//   - the gateway needs an API key on tools/call: the inbox reference's minimal client sends it in the document's own
//     shared-secret header, as the document says to when the server has a key set.
// Each example ends in the state its document describes, checked through the gateway or the sandbox API.
// Environment: E2E_API_KEY (default sbx_alice), SANDBOX_CONTROL_TOKEN, E2E_TIMEOUT_MS.

import http from 'node:http';
import { execFileSync } from 'node:child_process';

import {
    API_KEY, MAILBOX, ORG, SEPARATOR, OutputSchemas, abbreviate, baseUrl, callTool, check, describeError, envelopeProblems,
    firstText, lastLine, listAllTools, newClient, note, notOk, ok, payloadProblems, resetSandbox, runMain, sandboxApi,
    transport
} from './lib.mjs';

const GLOBEX = { id: 'org_globex', name: 'Globex Corporation', slug: 'globex' };
const INITECH = { id: 'org_initech', name: 'Initech', slug: 'initech' };

// ---------------------------------------------------------------------------------------------
// Shared: an SDK client that lists tools first (so the SDK checks every structured result against its outputSchema)

async function connect(base, label, headers, path = '/mcp') {
    const client = newClient(`reference-${label}`);
    client.onerror = error => {
        if (!/AbortError|aborted/.test(String(error))) { // closing a client aborts its stream
            note(`[${label}] client onerror: ${describeError(error).replace(/\n/g, '; ')}`);
        }
    };
    await client.connect(transport('streamable-http', base, headers, path));
    const tools = await listAllTools(client);
    const schemas = new OutputSchemas();
    schemas.compile(tools);
    return { client, tools, schemas };
}

class ToolError extends Error {}

/**
 * A call the example needs to succeed: the SDK (with its own outputSchema check), our Ajv check of the structured
 * result, and the shape's checks; anything wrong is reported as "not ok" and ends the example.
 */
async function succeed(session, label, name, args, shapeProblems) {
    const { result, error } = await callTool(session.client, name, args);
    const what = `[${label}] ${name} ${abbreviate(JSON.stringify(args), 110)}`;
    if (error) {
        notOk(`${what}: threw in the SDK`, describeError(error));
        throw new ToolError(what);
    }
    if (result.isError) {
        notOk(`${what}: isError`, lastLine(result));
        throw new ToolError(what);
    }
    const problems = [];
    const schema = session.schemas.problems(name, result.structuredContent);
    if (schema) {
        problems.push(`structuredContent does not match the outputSchema (Ajv):\n${schema}`);
    }
    problems.push(...shapeProblems(result));
    if (problems.length) {
        notOk(what, `${problems.join('\n')}\n${abbreviate(result.structuredContent, 800)}`);
        throw new ToolError(what);
    }
    ok(what);
    return result;
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

function parseJson(text) {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}

/** A POST with only the given headers (no Accept header, no session): what a plain HTTP client sends. */
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

/** The reference's curl command lines, run with curl when it is installed (null when it is not). */
function curl(args) {
    try {
        return execFileSync('curl', args, { encoding: 'utf8', timeout: 30000, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
        if (error.code === 'ENOENT') {
            return null;
        }
        return `curl failed: ${error.message}`;
    }
}

async function control(base, method, path, body) {
    const token = process.env.SANDBOX_CONTROL_TOKEN;
    const response = await fetch(`${base}/sandbox/_control${path}`, {
        method, headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Sandbox-Control-Token': token } : {}) },
        body: body ? JSON.stringify(body) : undefined
    });
    if (!response.ok) {
        throw new Error(`${method} /sandbox/_control${path} answered ${response.status}: ${await response.text()}`);
    }
}

// =============================================================================================
// The inbox reference: MCP_RESULT_SHAPE=payload MCP_TOOL_NAMING=reference MCP_TOOL_PREFIX=mail_ MCP_PATH=/api/mcp

const INBOX_PATH = '/api/mcp';
const INBOX_TOOLS = ['mail_list_accounts', 'mail_list_threads', 'mail_search_threads', 'mail_filter_threads', 'mail_get_thread',
    'mail_send_message', 'mail_thread_action', 'mail_list_labels', 'mail_update_thread_labels', 'mail_list_inbox_contacts',
    'mail_get_profile'];

/** The blueprints' `mcp` object: mcp.call(name, args) answers the structured result, as the document's shape has it. */
async function inboxMcp(base, label) {
    const session = await connect(base, label, { 'x-mail-key': API_KEY, 'x-account-id': MAILBOX }, INBOX_PATH);
    return {
        session,
        async call(name, args) {
            const result = await succeed(session, label, name, args, r => payloadProblems(r, {
                mailbox: name === 'mail_list_accounts' ? undefined : MAILBOX
            }));
            return result.structuredContent;
        },
        close: () => session.client.close().catch(() => {})
    };
}

async function inboxCurlSmokeTest(base) {
    // ---- cURL — smoke test, as the reference shows it ----
    const MAIL_MCP_URL = `${base}${INBOX_PATH}`;
    const MAIL_ACCOUNT_ID = MAILBOX;
    const initialize = curl(['-sS', MAIL_MCP_URL, '-H', 'Content-Type: application/json', '-H', `x-account-id: ${MAIL_ACCOUNT_ID}`,
        '-d', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"curl-test","version":"1.0.0"}}}']);
    const list = curl(['-sS', MAIL_MCP_URL, '-H', 'Content-Type: application/json', '-H', `x-account-id: ${MAIL_ACCOUNT_ID}`,
        '-d', '{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}']);
    // ---- With API key header ----
    const withKey = curl(['-sS', MAIL_MCP_URL, '-H', 'Content-Type: application/json', '-H', `x-account-id: ${MAIL_ACCOUNT_ID}`,
        '-H', `x-mail-key: ${API_KEY}`, '-d', '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}']);
    // ---- Fetch metadata ----
    const metadata = curl([`${MAIL_MCP_URL}/metadata`]);
    // ---- end of the reference's commands ----
    if (initialize === null) {
        note('curl is not installed: the minimal Node client below sends the same requests');
        return;
    }
    const init = parseJson(initialize);
    check(init?.result?.protocolVersion === '2024-11-05' && init?.result?.serverInfo?.name,
        'curl 1. initialize: a JSON answer with protocolVersion 2024-11-05 and serverInfo', () => initialize);
    for (const [label, answer] of [['2. list tools', list], ['tools/list with the x-mail-key header', withKey]]) {
        const names = (parseJson(answer)?.result?.tools || []).map(t => t.name);
        const missing = INBOX_TOOLS.filter(name => !names.includes(name));
        check(names.length > 0 && missing.length === 0, `curl ${label}: every one of the 11 inbox tools, under the reference's names`,
            () => `missing ${missing.join(', ')} in ${abbreviate(answer, 400)}`);
    }
    const meta = parseJson(metadata);
    check(meta?.name && meta?.version && meta?.endpoints?.streamableHttp?.endsWith(INBOX_PATH) && Array.isArray(meta?.tools)
            && (meta?.headers?.optional || []).some(h => h.name === 'x-mail-key') && meta?.headers?.optional?.some(h => h.name === 'x-account-id'),
        'curl GET /api/mcp/metadata: server name, version, endpoint URLs, headers (x-account-id, x-mail-key) and tool summaries',
        () => abbreviate(metadata, 600));
}

async function inboxMinimalClient(base) {
    process.env.MAIL_ACCOUNT_ID = MAILBOX;
    process.env.MAIL_API_KEY = API_KEY;
    const logged = [];
    const console = { log: value => logged.push(value) };
    // ---- Node.js — minimal client, as the reference shows it (with the document's key header) ----
    async function mcpCall(method, params = {}) {
        const res = await fetch(`${base}/api/mcp`, {
            method: 'POST',
            headers: {
                'Content-Type': 'application/json',
                'x-account-id': process.env.MAIL_ACCOUNT_ID,
                'x-mail-key': process.env.MAIL_API_KEY,
            },
            body: JSON.stringify({ jsonrpc: '2.0', id: Date.now(), method, params }),
        });
        const json = await res.json();
        return json.result?.structuredContent ?? json.result;
    }

    // Initialize, then call a tool
    await mcpCall('initialize', {
        protocolVersion: '2024-11-05',
        capabilities: {},
        clientInfo: { name: 'my-agent', version: '1.0.0' },
    });

    const result = await mcpCall('tools/call', {
        name: 'mail_list_accounts',
        arguments: {},
    });
    console.log(result.accounts);
    // ---- end of the reference's code ----
    check(Array.isArray(logged[0]) && logged[0].some(a => a.id === MAILBOX) && logged[0].some(a => a.id === 'support@acme.test'),
        'minimal Node client: console.log(result.accounts) prints the mailboxes', () => logged);

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
        name: 'mail_list_accounts',
        arguments: {},
    });
    const accountId = accounts[0].id;

    // 4. Call an operational tool
    const found = await mcpCall('tools/call', {
        name: 'mail_search_threads',
        arguments: {
            accountId,
            query: 'invoice OR receipt',
            unreadOnly: true,
            maxResults: 10,
        },
    });
    // ---- end of the reference's code ----
    const missing = INBOX_TOOLS.filter(name => !(tools || []).some(t => t.name === name));
    check(missing.length === 0, 'bootstrap 2: tools/list has all 11 inbox tools', () => `missing: ${missing.join(', ')}`);
    check(accountId === MAILBOX, `bootstrap 3: accounts[0].id is ${accountId}`);
    check(Array.isArray(found?.threads) && found.threads.length > 0 && found.threads.length <= 10
            && found.threads.every(t => t.unread && /invoice|receipt/i.test(`${t.subject} ${t.snippet}`)),
        `bootstrap 4: the search found ${found?.threads?.length} unread invoice or receipt threads (at most 10)`, () => found);

    // ---- Response shape: structuredContent {threads, nextPageToken}; failures are isError results ----
    const page = await mcpCall('tools/call', { name: 'mail_list_threads', arguments: { label: 'INBOX', maxResults: 10 } });
    const next = await mcpCall('tools/call', { name: 'mail_list_threads', arguments: { label: 'INBOX', maxResults: 10, pageToken: page.nextPageToken } });
    const both = await mcpCall('tools/call', { name: 'mail_list_threads', arguments: { label: 'INBOX', maxResults: 20 } });
    check(page?.threads?.length === 10 && typeof page.nextPageToken === 'string',
        'response shape: structuredContent.threads and structuredContent.nextPageToken', () => page);
    check(JSON.stringify((next?.threads || []).map(t => t.id)) === JSON.stringify((both?.threads || []).slice(10, 20).map(t => t.id)),
        'pageToken: nextPageToken gives page 2, the same as threads 11-20 of one larger page', () => ({ next: next?.threads?.map(t => t.id), both: both?.threads?.map(t => t.id) }));
    const other = await mcpCall('tools/call', { name: 'mail_list_threads', arguments: { label: 'SENT', maxResults: 10, pageToken: page.nextPageToken } });
    check(other?.isError === true && /other arguments: label differs/.test(firstText(other)),
        'the nextPageToken of INBOX threads sent with label SENT is refused (isError) and says label differs', () => other);
    const unknown = await mcpCall('tools/call', { name: 'mail_search_threads', arguments: { accountId: 'unknown@example.com', query: 'invoice' } });
    check(unknown?.isError === true && firstText(unknown).includes('unknown@example.com') && firstText(unknown).includes(MAILBOX),
        'error response: an unknown account is result.isError === true, naming it and the mailboxes that exist', () => unknown);
    const unprefixed = await rawPost(`${base}${INBOX_PATH}`, { 'x-mail-key': API_KEY },
        { jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'search_threads', arguments: {} } });
    check(/Did you mean mail_search_threads\?/.test(parseJson(unprefixed.body)?.error?.message || ''),
        'a tool name without the prefix answers "Did you mean mail_search_threads?"', () => unprefixed.body);
}

async function inboxInvoiceProcessor(base, checker) {
    const mcp = await inboxMcp(base, 'invoice processor');
    try {
        // ---- invoice processor.js, as the reference shows it ----
        const threads = await mcp.call('mail_search_threads', {
            query: 'invoice OR receipt',
            unreadOnly: true,
            maxResults: 25,
        });

        for (const thread of threads.threads) {
            const full = await mcp.call('mail_get_thread', {
                threadId: thread.id,
            });

            // Parse body, extract totals...

            await mcp.call('mail_update_thread_labels', {
                threadId: thread.id,
                addLabelIds: ['Label_invoice'],
            });

            await mcp.call('mail_thread_action', {
                threadId: thread.id,
                action: 'archive',
            });
        }
        // ---- end of the reference's code ----
        check(threads.threads.length >= 2, `invoice processor: the search found ${threads.threads.length} unread invoice or receipt threads (>= 2)`);
        for (const thread of threads.threads) {
            const after = await checker.call('mail_get_thread', { threadId: thread.id });
            check((after.labelIds || []).includes('Label_invoice') && after.archived === true && !(after.labelIds || []).includes('INBOX'),
                `invoice processor: ${thread.id} is labelled Invoices and archived`, () => ({ labelIds: after.labelIds, archived: after.archived }));
        }
    } finally {
        await mcp.close();
    }
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

async function inboxLeadCapture(base, checker) {
    const mcp = await inboxMcp(base, 'lead capture');
    const leads = [];
    try {
        // ---- lead capture agent.js, as the reference shows it (plus bookkeeping for the checks) ----
        const inbox = await mcp.call('mail_filter_threads', {
            label: 'INBOX',
            unreadOnly: true,
        });

        for (const thread of inbox.threads) {
            const full = await mcp.call('mail_get_thread', {
                threadId: thread.id,
            });

            const isLead = classify(full.messages[0].body); // your logic

            if (isLead.score > 0.8) {
                leads.push({ id: thread.id, to: full.messages[0].from, reply: generateReply(full), before: full.messages.length });
                await mcp.call('mail_send_message', {
                    threadId: thread.id,
                    to: full.messages[0].from,
                    body: generateReply(full),
                });

                await mcp.call('mail_thread_action', {
                    threadId: thread.id, action: 'star',
                });
            }
        }
        // ---- end of the reference's code ----
        check(inbox.threads.length > 0 && inbox.threads.every(t => t.unread && (t.labelIds || []).includes('INBOX')),
            `lead capture: the filter returned ${inbox.threads.length} unread INBOX threads`);
        check(leads.length >= 2, `lead capture: ${leads.length} leads classified (>= 2)`);
        for (const lead of leads) {
            const after = await checker.call('mail_get_thread', { threadId: lead.id });
            const last = after.messages[after.messages.length - 1];
            check(after.messages.length === lead.before + 1 && last.from === MAILBOX && last.body === lead.reply && (last.to || []).includes(lead.to),
                `lead capture: ${lead.id} has the reply from ${MAILBOX} to ${lead.to}`, () => last);
            check(after.starred === true, `lead capture: ${lead.id} is starred`);
        }
    } finally {
        await mcp.close();
    }
}

async function inboxDailyDigest(base, checker) {
    const mcp = await inboxMcp(base, 'daily digest');
    try {
        let sentBody;
        // ---- daily digest.js, as the reference shows it ----
        const yesterday = Date.now() - 86_400_000;

        const threads = await mcp.call('mail_list_threads', {
            label: 'INBOX',
            maxResults: 25,
        });

        const summaries = await Promise.all(
            threads.threads.map(async (t) => {
                const full = await mcp.call('mail_get_thread', {
                    threadId: t.id,
                });
                return summarise(full); // your LLM call
            })
        );

        await mcp.call('mail_send_message', {
            to: 'you@example.com',
            subject: '☀️ Morning Digest',
            body: (sentBody = summaries.join('\n\n')),
            isHtml: false,
        });
        // ---- end of the reference's code ----
        note(`daily digest: ${threads.threads.length} threads summarised (yesterday = ${new Date(yesterday).toISOString()})`);
        check(threads.threads.length > 0 && threads.threads.length <= 25, `daily digest: ${threads.threads.length} INBOX threads (1-25)`);
        const sent = await checker.call('mail_filter_threads', { folder: 'sent', maxResults: 100 });
        const digest = sent.threads.find(t => t.subject === '☀️ Morning Digest');
        if (check(digest && (digest.labelIds || []).includes('SENT'), 'daily digest: the digest is in SENT')) {
            const thread = await checker.call('mail_get_thread', { threadId: digest.id });
            const message = thread.messages[thread.messages.length - 1];
            check(message.body === sentBody && (message.to || []).includes('you@example.com') && message.html === false,
                'daily digest: the sent message has the summaries, goes to you@example.com, and is plain text', () => message);
        }
    } finally {
        await mcp.close();
    }
}

async function inboxDocument(base) {
    const checker = await inboxMcp(base, 'checker');
    try {
        await example('inbox reference: curl smoke test, API key header, metadata', () => inboxCurlSmokeTest(base));
        await example('inbox reference: minimal Node client, bootstrap sequence, response shape', () => inboxMinimalClient(base));
        await example('inbox reference: blueprint 01, invoice processor', () => inboxInvoiceProcessor(base, checker));
        await example('inbox reference: blueprint 02, lead capture agent', () => inboxLeadCapture(base, checker));
        await example('inbox reference: blueprint 03, daily digest', () => inboxDailyDigest(base, checker));
    } finally {
        await checker.close();
    }
}

// =============================================================================================
// The organization reference: MCP_TOOL_NAMING=reference (the envelope, the default shape)

/** Every name of the reference's tool table. */
const ORGANIZATION_TOOLS = ['get_current_organization', 'list_organizations', 'switch_organization', 'list_contacts',
    'list_contact_fields', 'create_contact_field', 'update_contact_field', 'delete_contact_field', 'list_duplicate_contacts',
    'deduplicate_contacts', 'resolve_duplicate_contacts', 'get_contact', 'create_contact', 'list_campaigns',
    'get_campaign_stats', 'list_segments', 'send_campaign', 'get_analytics', 'list_tracking_clients', 'create_tracking_client',
    'delete_tracking_client', 'get_analytics_overview', 'get_top_pages', 'get_top_referrers', 'list_insights',
    'get_insight_report', 'run_insights', 'run_insight', 'create_custom_insight'];

/**
 * "For programmatic parsing, strip the header and decode the JSON body — result holds the tool payload, organization
 * is always present." Returns the decoded body, after checking that.
 */
function decodeEnvelope(result, label) {
    const lines = firstText(result).split('\n');
    const body = parseJson(lines.slice(2).join('\n'));
    check(lines[0].startsWith('[organization] ') && lines[1] === SEPARATOR && body && 'organization' in body && 'result' in body,
        `${label}: the text is the [organization] header, then JSON with organization and result`, () => firstText(result));
    return body;
}

function organizationMcp(session, label, org) {
    return {
        async call(name, args) {
            const result = await succeed(session, label, name, args, r => envelopeProblems(r, { org }));
            const body = decodeEnvelope(result, `${label} ${name}`);
            return body?.result;
        }
    };
}

async function organizationFlow(base) {
    const session = await connect(base, 'organizations', { Authorization: `Bearer ${API_KEY}` });
    const names = session.tools.map(t => t.name);
    try {
        const listed = (await callTool(session.client, 'list_operations', { limit: 100 })).result?.structuredContent?.result?.items || [];
        const unreachable = ORGANIZATION_TOOLS.filter(name => !names.includes(name) && !listed.some(op => op.name === name));
        check(unreachable.length === 0, 'every tool of the reference\'s table is a tool, or an operation of run_operation, by that very name',
            () => unreachable.join(', '));
        const withOrganizationId = session.tools.filter(t => t.name !== 'switch_organization'
            && Object.keys(t.inputSchema?.properties || {}).some(k => /^organization_?id$/i.test(k))).map(t => t.name);
        check(withOrganizationId.length === 0, 'no tool input takes an organization id (only switch_organization)', () => withOrganizationId.join(', '));

        const acme = organizationMcp(session, 'organizations', ORG);
        const current = await acme.call('get_current_organization', {});
        check(current.organization?.id === ORG.id && current.keyKind === 'user', `get_current_organization: ${current.organization?.id}, a user-linked key`, () => current);
        const orgs = await acme.call('list_organizations', {});
        check(JSON.stringify(orgs.items.map(o => o.id)) === JSON.stringify(['org_acme', 'org_globex']),
            'list_organizations: all memberships of the user-linked key', () => orgs);

        const globex = organizationMcp(session, 'after switch_organization', GLOBEX);
        await globex.call('switch_organization', {
            "organizationId": "org_globex"
        });
        const switched = await globex.call('get_current_organization', {});
        check(switched.organization?.id === GLOBEX.id && switched.source === 'override', `the switch is in force (source ${switched.source})`);
        const contacts = await globex.call('list_contacts', { limit: 3 });
        check(contacts.items.length === 3 && contacts.items.every(c => c.id.startsWith('ct_globex_')), 'list_contacts acts on the active organization');
        const created = await globex.call('create_contact', { email: 'reference.reader@example.net', firstName: 'Reference' });
        const got = await globex.call('get_contact', { contactId: created.id });
        check(got.email === 'reference.reader@example.net' && created.id.startsWith('ct_globex_'), `create_contact then get_contact: ${created.id}`);

        // "Overrides are validated on every call": a revoked membership is seen at once, and a returned one too
        await control(base, 'PUT', '/memberships', { userId: 'usr_alice', organizationId: 'org_globex', member: false });
        const revoked = await callTool(session.client, 'get_current_organization', {});
        check(revoked.error?.code === -32003 && /no longer reaches org_globex/.test(revoked.error.message),
            'membership revoked: the very next get_current_organization says the key no longer reaches org_globex (-32003)',
            () => (revoked.error ? describeError(revoked.error) : abbreviate(revoked.result)));
        const fallback = await acme.call('get_current_organization', {});
        check(fallback.organization?.id === ORG.id && fallback.source === 'default', 'the stale switch is cleared: the key default acts again');
        await control(base, 'PUT', '/memberships', { userId: 'usr_alice', organizationId: 'org_globex', member: true });
        await globex.call('switch_organization', { organizationId: 'org_globex' });
        const back = await globex.call('list_contacts', { limit: 1 });
        check(back.items[0].id.startsWith('ct_globex_'), 'membership returned: a switch made at once takes effect on the next call');
        await acme.call('switch_organization', { organizationId: 'org_acme' });
    } finally {
        await control(base, 'PUT', '/memberships', { userId: 'usr_alice', organizationId: 'org_globex', member: true }).catch(() => {});
        await session.client.close().catch(() => {});
    }
}

async function organizationKeyKinds(base) {
    const legacy = await connect(base, 'legacy', { Authorization: 'Bearer sbx_legacy_initech' });
    try {
        // "Legacy org-scoped key ... No — switch_organization returns an error."
        const { result, error } = await callTool(legacy.client, 'switch_organization', { organizationId: 'org_acme' });
        check(!error && result.isError === true && firstText(result).startsWith(`[organization] ${INITECH.name} (id: ${INITECH.id})`),
            'legacy key: switch_organization returns an error, under its organization\'s header', () => (error ? describeError(error) : firstText(result)));
        const only = await organizationMcp(legacy, 'legacy', INITECH).call('list_organizations', {});
        check(only.items.length === 1 && only.items[0].id === INITECH.id, 'legacy key: list_organizations is only the key\'s own org');
    } finally {
        await legacy.client.close().catch(() => {});
    }
    const master = await connect(base, 'master', { Authorization: 'Bearer sbx_master' });
    const narrowed = await connect(base, 'master-agency', { Authorization: 'Bearer sbx_master', 'X-Agency-ID': 'agency_northwind' });
    try {
        const mcp = organizationMcp(master, 'master', ORG);
        const current = await mcp.call('get_current_organization', {});
        check(current.keyKind === 'master' && current.source === 'oldest', 'master key without a switch: the oldest organization');
        const all = await mcp.call('list_organizations', {});
        check(all.items.length === 3, 'master key: list_organizations is every organization');
        await organizationMcp(master, 'master', INITECH).call('switch_organization', { organizationId: INITECH.id });
        // an agency header that does not hold the switched organization: the answer still says which organization
        const { result, error } = await callTool(narrowed.client, 'list_organizations', {});
        const body = result ? decodeEnvelope(result, 'master key, X-Agency-ID of an agency without its switch: list_organizations') : undefined;
        check(!error && body && 'organization' in body && body.organization === null && body.result.items.length === 2
                && /X-Agency-ID/.test(body.result.notice) && !/X-Company-ID header\)/.test(body.result.notice),
            'that answer has "organization": null, the agency\'s organizations, and a notice that names X-Agency-ID as the reason',
            () => (error ? describeError(error) : firstText(result)));
        check(firstText(result).startsWith('[organization] none active for this call'), 'its text starts with an [organization] line too',
            () => firstText(result));
    } finally {
        await callTool(master.client, 'switch_organization', { organizationId: ORG.id });
        await master.client.close().catch(() => {});
        await narrowed.client.close().catch(() => {});
    }
}

async function organizationErrorCodes(base) {
    for (const [label, headers, code] of [['no Authorization header', {}, -32001], ['a revoked key', { Authorization: 'Bearer sbx_revoked' }, -32002],
        ['an organization the key does not reach', { Authorization: `Bearer ${API_KEY}`, 'X-Company-ID': 'org_initech' }, -32003]]) {
        const client = newClient(`reference-${code}`);
        try {
            await client.connect(transport('streamable-http', base, headers));
            const { result, error } = await callTool(client, 'get_current_organization', {});
            check(error?.code === code, `tools/call with ${label} answers ${code}`, () => (error ? describeError(error) : abbreviate(result)));
        } finally {
            await client.close().catch(() => {});
        }
    }
    const method = await rawPost(`${base}/mcp`, {}, { jsonrpc: '2.0', id: 7, method: 'no/such/method', params: {} });
    check(parseJson(method.body)?.error?.code === -32601, 'an unknown method answers -32601', () => method.body);
    const tool = await rawPost(`${base}/mcp`, {}, { jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'organizations_current', arguments: {} } });
    check(/Did you mean get_current_organization\?/.test(parseJson(tool.body)?.error?.message || ''),
        'an unknown tool (here the catalog\'s own name) answers with the name to call', () => tool.body);
}

async function organizationDocument(base) {
    await example('organization reference: current, list, switch, memberships', () => organizationFlow(base));
    await example('organization reference: legacy and master keys, agency header', () => organizationKeyKinds(base));
    await example('organization reference: error codes', () => organizationErrorCodes(base));
}

// =============================================================================================
// The workspace reference: the default settings

async function workspaceClients(base) {
    // Example: Claude Desktop / Cursor / VS Code: the URL and the headers Authorization and X-Company-ID
    const session = await connect(base, 'desktop', { Authorization: `Bearer ${API_KEY}`, 'X-Company-ID': GLOBEX.id });
    try {
        const mcp = { call: (name, args) => succeed(session, 'desktop', name, args, r => envelopeProblems(r, { org: GLOBEX })) };
        for (const tool of ['agents_list', 'contacts_create', 'workflows_run', 'run_operation', 'list_operations']) {
            check(session.tools.some(t => t.name === tool), `the default set has the reference's example tool ${tool}`);
        }
        const agents = (await mcp.call('agents_list', {})).structuredContent.result;
        check(agents.items.length > 0 && agents.items.every(a => a.id.startsWith('ag_globex_')), 'agents_list acts on the X-Company-ID organization');
        const run = (await mcp.call('workflows_run', { workflowId: 'wf_globex_0002', contactIds: ['ct_globex_0001'] })).structuredContent.result;
        check(run.status === 'succeeded' && run.type === 'workflows_run', `workflows_run: job ${run.id} ${run.status}, type ${run.type}`, () => run);
    } finally {
        await session.client.close().catch(() => {});
    }
}

async function workspaceCatalog(base) {
    const session = await connect(base, 'run_operation', { Authorization: `Bearer ${API_KEY}` });
    const mcp = { call: async (name, args) => (await succeed(session, 'workspace', name, args, r => envelopeProblems(r))).structuredContent.result };
    try {
        // "For the full list, call the list_operations tool"
        const operations = await mcp.call('list_operations', { query: 'contact fields' });
        const create = operations.items.find(o => o.name === 'contact_fields_create');
        check(create?.inputSchema?.properties?.key, 'list_operations finds contact_fields_create with its input schema', () => operations);
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
        const stored = await sandboxApi(base, 'GET', `/v1/organizations/${ORG.id}/contacts/${contact.id}`);
        check(stored.status === 200 && stored.json?.customFields?.referral_source === 'reference docs',
            `run_operation contacts_create: contact ${contact.id} exists in the workspace with its custom field`, () => stored.text);
        // the other documents' names, as a model that read them tries them: each answered with the name to call
        for (const [name, expected] of [['list_contacts', 'contacts_list'], ['get_current_organization', 'organizations_current'],
            ['search_threads', 'inbox_threads_search'], ['mail_list_accounts', 'inbox_accounts_list']]) {
            const { error } = await callTool(session.client, name, {});
            check(error?.code === -32602 && error.message.includes(`Did you mean ${expected}`), `tools/call ${name}: "Did you mean ${expected}?"`,
                () => describeError(error));
        }
    } finally {
        await session.client.close().catch(() => {});
    }
}

async function workspaceDocument(base) {
    await example('workspace reference: client configurations and curated tools', () => workspaceClients(base));
    await example('workspace reference: list_operations, run_operation, other names', () => workspaceCatalog(base));
}

// ---------------------------------------------------------------------------------------------

async function main() {
    const base = baseUrl();
    const document = process.argv[3] || 'workspace';
    await resetSandbox(base);
    const run = { inbox: inboxDocument, organization: organizationDocument, workspace: workspaceDocument }[document];
    if (!run) {
        notOk(`unknown document ${document}: inbox, organization or workspace`);
        return;
    }
    await run(base);
}

runMain(main);
