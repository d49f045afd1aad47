#!/usr/bin/env node
// End-to-end test of a running Switchboard gateway with the official TypeScript MCP SDK.
//
// Usage: node e2e.mjs <baseUrl>        e.g. node e2e.mjs http://127.0.0.1:9101
//
// Runs the same checks over Streamable HTTP (<baseUrl>/mcp) and legacy SSE (<baseUrl>/mcp/sse).
// Prints one "ok - ..." line per passed check and "not ok - ..." for each failure; exits 0 only when
// every check passed. Environment: E2E_API_KEY (default sbx_alice), E2E_TIMEOUT_MS (default 60000).

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { CallToolResultSchema, ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';

const API_KEY = process.env.E2E_API_KEY || 'sbx_alice';
const TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS || 60000);
const MAILBOX = 'sales@acme.test';
const LABEL = 'Label_invoice';
const ORG_ID = 'org_acme';
const ORG_NAME = 'Acme Inc';
const HEADER_LINE = `[organization] ${ORG_NAME} (id: ${ORG_ID})`;
const REQUIRED_TOOLS = [
    'inbox_threads_search',
    'inbox_thread_get',
    'inbox_thread_labels_update',
    'run_operation',
    'list_operations',
    'organizations_current'
];
const CAMPAIGNS = ['cmp_acme_0001', 'cmp_acme_0002'];

// ---------------------------------------------------------------------------------------------
// Reporting

let passed = 0;
let failed = 0;

function ok(message) {
    passed++;
    console.log(`ok - ${message}`);
}

function notOk(message, details) {
    failed++;
    console.log(`not ok - ${message}`);
    if (details !== undefined) {
        const text = typeof details === 'string' ? details : JSON.stringify(details, null, 2);
        for (const line of text.split('\n')) {
            console.log(`  # ${line}`);
        }
    }
}

function note(message) {
    console.log(`# ${message}`);
}

/** Records a check; returns the condition so callers can stop a dependent sequence. */
function check(condition, message, details) {
    if (condition) {
        ok(message);
    } else {
        notOk(message, typeof details === 'function' ? details() : details);
    }
    return Boolean(condition);
}

/** A failure that ends the current transport pass (its message was already reported). */
class PassAborted extends Error {}

function require_(condition, message, details) {
    if (!check(condition, message, details)) {
        throw new PassAborted(message);
    }
}

function describeError(error) {
    if (!error) {
        return String(error);
    }
    const parts = [`${error.name || 'Error'}: ${error.message}`];
    if (error.code !== undefined) {
        parts.push(`code: ${error.code}`);
    }
    if (error.data !== undefined) {
        parts.push(`data: ${JSON.stringify(error.data)}`);
    }
    return parts.join('\n');
}

function firstText(result) {
    const block = (result?.content || []).find(c => c.type === 'text');
    return block ? block.text : '';
}

function abbreviate(value, max = 1500) {
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    return text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}

// ---------------------------------------------------------------------------------------------
// One transport pass

class Pass {
    constructor(label, makeTransport) {
        this.label = label;
        this.makeTransport = makeTransport;
        this.client = null;
        /** tool name -> validator compiled from its outputSchema (our own check, independent of the SDK's). */
        this.validators = new Map();
    }

    tag(message) {
        return `[${this.label}] ${message}`;
    }

    newClient(name) {
        return new Client({ name, version: '1.0.0' }, { capabilities: {} });
    }

    /**
     * Calls a tool through the SDK. An exception (JSON-RPC error, or the SDK rejecting the result,
     * e.g. structuredContent not matching the outputSchema) is reported with the tool name and ends
     * the pass. A successful result is also checked against the tool's outputSchema and the envelope.
     */
    async call(name, args, options) {
        let result;
        try {
            result = await this.client.callTool({ name, arguments: args }, CallToolResultSchema, options);
        } catch (error) {
            notOk(this.tag(`tools/call ${name} threw in the SDK`), `${describeError(error)}\narguments: ${JSON.stringify(args)}`);
            throw new PassAborted(`${name} threw`);
        }
        if (!result.isError) {
            const validator = this.validators.get(name);
            if (validator && result.structuredContent) {
                const verdict = validator(result.structuredContent);
                if (!verdict.valid) {
                    notOk(this.tag(`${name}: structuredContent does not match its outputSchema`), verdict.errorMessage);
                }
            }
            const problems = envelopeProblems(result);
            if (problems.length) {
                notOk(this.tag(`${name}: result envelope`), `${problems.join('\n')}\n${abbreviate(result)}`);
            }
        }
        return result;
    }

    async run({ progressStep }) {
        note(`--- ${this.label} ---`);
        try {
            await this.connect();
            await this.listTools();
            await this.unauthenticatedCallIsRefused();
            await this.workflow();
            await this.errorPath();
            if (progressStep) {
                await this.campaignProgress();
            }
        } catch (error) {
            if (!(error instanceof PassAborted)) {
                notOk(this.tag('unexpected exception'), error?.stack || describeError(error));
            } else {
                note(this.tag(`pass aborted: ${error.message}`));
            }
        } finally {
            await this.close();
        }
    }

    // a. connect -------------------------------------------------------------------------------
    async connect() {
        this.client = this.newClient(`switchboard-e2e-${this.label}`);
        const client = this.client;
        client.onerror = error => note(this.tag(`client onerror${client === this.client ? '' : ' (after close)'}: `
            + describeError(error).replace(/\n/g, '; ')));
        try {
            await this.client.connect(this.makeTransport(true));
        } catch (error) {
            notOk(this.tag('connect'), describeError(error));
            throw new PassAborted('connect failed');
        }
        const info = this.client.getServerVersion();
        require_(info && typeof info.name === 'string' && typeof info.version === 'string',
            this.tag(`connected; serverInfo ${info ? `${info.name} ${info.version}` : 'missing'}`), () => info);
        const capabilities = this.client.getServerCapabilities();
        check(capabilities && capabilities.tools, this.tag('server advertises the tools capability'), () => capabilities);
    }

    // b. tools/list ----------------------------------------------------------------------------
    async listTools() {
        let tools;
        let sdkListed = false;
        try {
            tools = await this.collectPages(cursor => this.client.listTools(cursor ? { cursor } : undefined));
            sdkListed = true;
            ok(this.tag(`client.listTools() returned ${tools.length} tools`));
        } catch (error) {
            // The SDK compiles every outputSchema inside listTools(); a schema it cannot compile makes
            // listTools() throw for every SDK client. Report it, then list the tools without the SDK's
            // post-processing so the remaining checks still run.
            notOk(this.tag('client.listTools() threw in the SDK'), describeError(error));
            tools = await this.collectPages(cursor =>
                this.client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, ListToolsResultSchema));
            note(this.tag(`fell back to a raw tools/list request: ${tools.length} tools`));
        }

        const names = new Set(tools.map(t => t.name));
        const missing = REQUIRED_TOOLS.filter(n => !names.has(n));
        check(missing.length === 0, this.tag(`tools/list includes ${REQUIRED_TOOLS.join(', ')}`), `missing: ${missing.join(', ')}`);
        check(tools.length >= 20, this.tag(`at least 20 tools listed (${tools.length})`), [...names].join(', '));

        // Every outputSchema must compile with the SDK's own JSON Schema validator (Ajv).
        const ajv = new AjvJsonSchemaValidator();
        const broken = [];
        for (const tool of tools) {
            if (!tool.outputSchema) {
                continue;
            }
            try {
                this.validators.set(tool.name, ajv.getValidator(tool.outputSchema));
            } catch (error) {
                broken.push(`${tool.name}: ${error.message}`);
            }
        }
        check(broken.length === 0, this.tag(`every outputSchema compiles with the SDK's Ajv validator (${this.validators.size} schemas)`),
            broken.join('\n'));

        if (!sdkListed && typeof this.client.cacheToolMetadata === 'function') {
            // Workaround so that the SDK's own structured-output validation in callTool() still runs for
            // the tools whose schemas compile (cacheToolMetadata is what listTools() calls internally).
            this.client.cacheToolMetadata(tools.filter(t => !t.outputSchema || this.validators.has(t.name)));
            note(this.tag('primed the SDK\'s output validators with the compilable schemas'));
        }
    }

    async collectPages(fetchPage) {
        const tools = [];
        let cursor;
        for (let page = 0; page < 20; page++) {
            const result = await fetchPage(cursor);
            tools.push(...result.tools);
            cursor = result.nextCursor;
            if (!cursor) {
                break;
            }
        }
        return tools;
    }

    // Header handling: without the Authorization header the same call must be refused, which also
    // shows that the authenticated calls below succeed because the header reached the gateway.
    async unauthenticatedCallIsRefused() {
        const anonymous = this.newClient(`switchboard-e2e-${this.label}-anonymous`);
        try {
            await anonymous.connect(this.makeTransport(false));
            let outcome;
            try {
                const result = await anonymous.callTool({ name: 'organizations_current', arguments: {} });
                outcome = result.isError ? { refused: true, how: `isError: ${firstText(result)}` } : { refused: false, result };
            } catch (error) {
                outcome = { refused: true, how: describeError(error) };
            }
            check(outcome.refused, this.tag(`tools/call without Authorization is refused (${String(outcome.how).split('\n')[0].slice(0, 80)})`),
                () => abbreviate(outcome.result));
            check(!outcome.refused || /authoriz|authenticat|api key/i.test(outcome.how),
                this.tag('the refusal tells the client to send an API key'), outcome.how);
        } catch (error) {
            notOk(this.tag('anonymous client could not connect (initialize must work without a key)'), describeError(error));
        } finally {
            await anonymous.close().catch(() => {});
        }
    }

    // c. search -> read -> label -> read again ------------------------------------------------
    async workflow() {
        const threads = await this.searchInvoices();
        require_(threads.length >= 6, this.tag(`inbox_threads_search "invoice OR receipt" in ${MAILBOX} found ${threads.length} threads (>= 6)`),
            () => threads.map(t => `${t.id} ${t.subject}`).join('\n'));

        let thread = threads.find(t => !(t.labelIds || []).includes(LABEL) && !Pass.usedThreads.has(t.id));
        if (!thread) {
            // Every invoice/receipt thread is labelled already (earlier runs against the same gateway):
            // take one off again so that adding the label is a real change.
            thread = threads.find(t => !Pass.usedThreads.has(t.id)) || threads[0];
            note(this.tag(`no unlabelled thread left; removing ${LABEL} from ${thread.id} first`));
            const removed = await this.call('inbox_thread_labels_update', {
                accountId: MAILBOX,
                threadId: thread.id,
                removeLabelIds: [LABEL],
                idempotencyKey: idempotencyKey(`unlabel-${this.label}`)
            });
            require_(!removed.isError && !labelIdsOf(removed).includes(LABEL),
                this.tag(`inbox_thread_labels_update removeLabelIds [${LABEL}] on ${thread.id}`), () => abbreviate(removed));
        }
        Pass.usedThreads.add(thread.id);
        note(this.tag(`using thread ${thread.id} "${thread.subject}" (labels in the search result: ${(thread.labelIds || []).join(', ')})`));

        const before = await this.call('inbox_thread_get', { accountId: MAILBOX, threadId: thread.id });
        const beforeThread = before.structuredContent?.result;
        require_(!before.isError && beforeThread && beforeThread.id === thread.id,
            this.tag(`inbox_thread_get ${thread.id}`), () => abbreviate(before));
        check(Array.isArray(beforeThread.messages) && beforeThread.messages.length > 0,
            this.tag(`thread has ${beforeThread.messages?.length ?? 0} message(s)`), () => abbreviate(beforeThread));
        check(firstText(before).split('\n')[0] === HEADER_LINE,
            this.tag(`text content starts with "${HEADER_LINE}"`), () => firstText(before).split('\n')[0]);
        check(!(beforeThread.labelIds || []).includes(LABEL),
            this.tag(`thread does not carry ${LABEL} yet`), () => beforeThread.labelIds);

        const updated = await this.call('inbox_thread_labels_update', {
            accountId: MAILBOX,
            threadId: thread.id,
            addLabelIds: [LABEL],
            idempotencyKey: idempotencyKey(`label-${this.label}`)
        });
        require_(!updated.isError && labelIdsOf(updated).includes(LABEL),
            this.tag(`inbox_thread_labels_update addLabelIds [${LABEL}] -> labelIds ${JSON.stringify(labelIdsOf(updated))}`),
            () => abbreviate(updated));

        const after = await this.call('inbox_thread_get', { accountId: MAILBOX, threadId: thread.id });
        check(!after.isError && (after.structuredContent?.result?.labelIds || []).includes(LABEL),
            this.tag(`inbox_thread_get ${thread.id} again shows ${LABEL}`), () => abbreviate(after));
    }

    async searchInvoices() {
        const threads = [];
        let cursor;
        for (let page = 0; page < 10; page++) {
            const args = { accountId: MAILBOX, query: 'invoice OR receipt' };
            if (cursor) {
                args.cursor = cursor;
            }
            const result = await this.call('inbox_threads_search', args);
            require_(!result.isError && Array.isArray(result.structuredContent?.result?.threads),
                this.tag(`inbox_threads_search page ${page + 1}`), () => abbreviate(result));
            if (page === 0) {
                check(result.structuredContent.mailbox?.id === MAILBOX,
                    this.tag(`search result names mailbox ${MAILBOX}`), () => result.structuredContent.mailbox);
            }
            threads.push(...result.structuredContent.result.threads);
            cursor = result.structuredContent.result.nextCursor;
            if (!cursor) {
                break;
            }
        }
        return threads;
    }

    // d. an error the model can act on -----------------------------------------------------------
    async errorPath() {
        const result = await this.call('inbox_threads_search', { accountId: MAILBOX, query: 'invoice', limit: 500 });
        const text = firstText(result);
        check(result.isError === true && /limit/i.test(text),
            this.tag(`inbox_threads_search limit 500 -> isError with a message about 'limit' (${text.split('\n').pop().slice(0, 70)})`),
            () => abbreviate(result));
    }

    // e. progress notifications of a long operation --------------------------------------------
    async campaignProgress() {
        const reasons = [];
        for (const campaignId of CAMPAIGNS) {
            const progress = [];
            const started = Date.now();
            const result = await this.call('campaigns_send',
                { campaignId, idempotencyKey: idempotencyKey(`send-${campaignId}`) },
                {
                    onprogress: p => progress.push({ ...p, atMs: Date.now() - started }),
                    timeout: 45000,
                    resetTimeoutOnProgress: true
                });
            if (result.isError) {
                const text = firstText(result);
                if (/draft|scheduled|already|sent|status/i.test(text)) {
                    note(this.tag(`campaigns_send ${campaignId} refused (spent?): ${text.split('\n').pop()}`));
                    reasons.push(`${campaignId}: ${text.split('\n').pop()}`);
                    continue;
                }
                notOk(this.tag(`campaigns_send ${campaignId}`), abbreviate(result));
                return;
            }
            note(this.tag(`campaigns_send ${campaignId}: ${progress.length} progress notification(s) in ${Date.now() - started} ms: `
                + progress.map(p => `${p.progress}${p.total !== undefined ? `/${p.total}` : ''}${p.message ? ` "${p.message}"` : ''} @${p.atMs}ms`).join('; ')));
            check(progress.length >= 2, this.tag(`campaigns_send ${campaignId} streamed ${progress.length} progress notifications (>= 2)`),
                () => progress);
            const increasing = progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress);
            check(increasing, this.tag('progress values increase'), () => progress);
            const status = result.structuredContent?.result?.status;
            check(status === 'succeeded', this.tag(`campaigns_send ${campaignId} final status "${status}"`), () => abbreviate(result));
            return;
        }
        notOk(this.tag('campaigns_send: every draft/scheduled campaign was already sent since the gateway started; '
            + 'the progress check needs a freshly started gateway'), reasons.join('\n'));
    }

    // f. close -----------------------------------------------------------------------------------
    async close() {
        if (!this.client) {
            return;
        }
        const client = this.client;
        this.client = null; // errors the transport reports from here on are marked "(after close)"
        try {
            await client.close();
            ok(this.tag('client closed'));
        } catch (error) {
            notOk(this.tag('client close'), describeError(error));
        }
    }
}

/** Thread ids labelled by earlier passes of this run, so each transport labels a different thread. */
Pass.usedThreads = new Set();

function labelIdsOf(result) {
    const payload = result?.structuredContent?.result || {};
    return payload.labelIds || payload.thread?.labelIds || [];
}

function envelopeProblems(result) {
    const problems = [];
    const sc = result.structuredContent;
    if (!sc || typeof sc !== 'object') {
        return ['no structuredContent'];
    }
    if (sc.organization?.id !== ORG_ID || sc.organization?.name !== ORG_NAME || typeof sc.organization?.slug !== 'string') {
        problems.push(`structuredContent.organization is ${JSON.stringify(sc.organization)}`);
    }
    if (!('result' in sc)) {
        problems.push('structuredContent has no result');
    }
    const texts = (result.content || []).filter(c => c.type === 'text');
    if (texts.length !== 1) {
        problems.push(`expected exactly one text content block, got ${texts.length}`);
    } else if (texts[0].text.split('\n')[0] !== HEADER_LINE) {
        problems.push(`text starts with ${JSON.stringify(texts[0].text.split('\n')[0])}`);
    }
    return problems;
}

let keyCounter = 0;

function idempotencyKey(purpose) {
    keyCounter++;
    return `e2e-${purpose}-${Date.now().toString(36)}-${process.pid}-${keyCounter}`;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
    const baseArg = process.argv[2];
    if (!baseArg) {
        console.error('usage: node e2e.mjs <baseUrl>   (e.g. http://127.0.0.1:9101)');
        process.exit(2);
    }
    const base = baseArg.replace(/\/+$/, '');
    const authHeaders = withKey => (withKey ? { Authorization: `Bearer ${API_KEY}` } : {});

    const passes = [
        new Pass('streamable-http', withKey =>
            new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: authHeaders(withKey) } })),
        // SDK 1.32.2: SSEClientTransport adds requestInit.headers both to the GET that opens the event
        // stream (its EventSource fetch goes through the same header builder) and to every POST.
        new Pass('sse', withKey =>
            new SSEClientTransport(new URL(`${base}/mcp/sse`), { requestInit: { headers: authHeaders(withKey) } }))
    ];
    await passes[0].run({ progressStep: true });
    await passes[1].run({ progressStep: false });
}

const timer = setTimeout(() => {
    notOk(`overall timeout: the run did not finish within ${TIMEOUT_MS} ms`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(1);
}, TIMEOUT_MS);

main()
    .catch(error => notOk('unexpected exception', error?.stack || describeError(error)))
    .finally(() => {
        clearTimeout(timer);
        console.log(`${passed} passed, ${failed} failed`);
        process.exit(failed === 0 && passed > 0 ? 0 : 1);
    });
