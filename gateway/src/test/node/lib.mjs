// Shared helpers of the real-client scripts: TAP-like reporting, SDK transports, an independent
// JSON Schema check (Ajv, draft 2020-12) of every structured result, envelope checks, sandbox control.
//
// Every script prints "ok - ..." per passed check and "not ok - ..." per failure (with "  # " detail
// lines), ends with "<n> passed, <m> failed", and exits 0 only when nothing failed.

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

const Ajv2020 = Ajv2020Module.default || Ajv2020Module;
const addFormats = addFormatsModule.default || addFormatsModule;

export const API_KEY = process.env.E2E_API_KEY || 'sbx_alice';
export const MAILBOX = 'sales@acme.test';
export const ORG = { id: 'org_acme', name: 'Acme Inc', slug: 'acme' };
export const SEPARATOR = '--------------------------------------------------------------';

// ---------------------------------------------------------------------------------------------
// Reporting

let passed = 0;
let failed = 0;

export function ok(message) {
    passed++;
    console.log(`ok - ${message}`);
}

export function notOk(message, details) {
    failed++;
    console.log(`not ok - ${message}`);
    if (details !== undefined && details !== null) {
        const text = typeof details === 'string' ? details : JSON.stringify(details, null, 2);
        for (const line of abbreviate(text, 3000).split('\n')) {
            console.log(`  # ${line}`);
        }
    }
}

export function note(message) {
    console.log(`# ${message}`);
}

/** Records a check and returns its outcome; details may be a function, evaluated only on failure. */
export function check(condition, message, details) {
    if (condition) {
        ok(message);
    } else {
        notOk(message, typeof details === 'function' ? details() : details);
    }
    return Boolean(condition);
}

export function describeError(error) {
    if (!error) {
        return String(error);
    }
    const parts = [`${error.name || 'Error'}: ${abbreviate(String(error.message), 600)}`];
    if (error.code !== undefined) {
        parts.push(`code: ${error.code}`);
    }
    if (error.data !== undefined) {
        parts.push(`data: ${JSON.stringify(error.data)}`);
    }
    return parts.join('\n');
}

export function abbreviate(value, max = 1500) {
    const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
    return text === undefined ? String(text) : text.length > max ? `${text.slice(0, max)}... (${text.length} chars)` : text;
}

export function firstText(result) {
    const block = (result?.content || []).find(c => c.type === 'text');
    return block ? block.text : '';
}

/** The last line of a tool result's text: the message of an error result. */
export function lastLine(result) {
    return firstText(result).trim().split('\n').pop();
}

/**
 * Runs main() under an overall timeout, then prints the summary and exits: 0 only when at least one
 * check passed and none failed.
 */
export function runMain(main, timeoutMs = Number(process.env.E2E_TIMEOUT_MS || 150000)) {
    const timer = setTimeout(() => {
        notOk(`overall timeout: the run did not finish within ${timeoutMs} ms`);
        finish();
    }, timeoutMs);
    main()
        .catch(error => notOk('unexpected exception', error?.stack || describeError(error)))
        .finally(() => {
            clearTimeout(timer);
            finish();
        });
}

function finish() {
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

export function baseUrl() {
    const arg = process.argv[2];
    if (!arg || !/^https?:\/\//.test(arg)) {
        console.error(`usage: node ${process.argv[1].split('/').pop()} <baseUrl>   (e.g. http://127.0.0.1:9001)`);
        process.exit(2);
    }
    return arg.replace(/\/+$/, '');
}

// ---------------------------------------------------------------------------------------------
// The tool set, derived from the contract: no script writes a count. The test suite passes the
// contract's figures (support/ToolSet.java): E2E_NATIVE_TOOLS and E2E_CURATED_OPERATIONS (names,
// comma-separated) and E2E_OPERATION_COUNT. Run by hand, without them, a script reads the running
// gateway's description instead (GET /mcp/metadata and /mcp-manifest.json): its tools, as listed
// without MCP_EXPOSE_ALL_OPERATIONS, are the native tools and the curated operations.

/** {native: [names], curated: [names], defaults: [names], operationCount, source} */
export async function toolSet(base) {
    const names = variable => (process.env[variable] || '').split(',').map(n => n.trim()).filter(Boolean);
    if (process.env.E2E_NATIVE_TOOLS && process.env.E2E_CURATED_OPERATIONS && process.env.E2E_OPERATION_COUNT) {
        const native = names('E2E_NATIVE_TOOLS');
        const curated = names('E2E_CURATED_OPERATIONS');
        return { native, curated, defaults: [...native, ...curated], operationCount: Number(process.env.E2E_OPERATION_COUNT), source: 'the contract (test suite)' };
    }
    const metadata = await (await fetch(`${base}/mcp/metadata`)).json();
    const manifest = await (await fetch(`${base}/mcp-manifest.json`)).json();
    const operations = new Set(manifest.operations.map(o => o.name));
    const prefix = metadata.toolPrefix || '';
    const listed = metadata.tools.map(t => t.name.slice(prefix.length));
    const native = listed.filter(n => !operations.has(n));
    // with MCP_EXPOSE_ALL_OPERATIONS every operation is listed: which ones are curated is not known here
    const curated = metadata.exposeAllOperations ? undefined : listed.filter(n => operations.has(n));
    return {
        native, curated, defaults: curated && [...native, ...curated], operationCount: metadata.operationCount,
        source: `the running gateway's /mcp/metadata`
    };
}

// ---------------------------------------------------------------------------------------------
// Sandbox control (reset) and direct sandbox API calls, to check end states independently of MCP

function controlHeaders() {
    const token = process.env.SANDBOX_CONTROL_TOKEN;
    return token ? { 'X-Sandbox-Control-Token': token } : {};
}

export async function resetSandbox(base) {
    const response = await fetch(`${base}/sandbox/_control/reset`, { method: 'POST', headers: controlHeaders() });
    if (!response.ok) {
        throw new Error(`POST /sandbox/_control/reset answered ${response.status}: ${await response.text()}`);
    }
}

/** A request to the sandbox's Workspace API (under /sandbox), as the backend sees it. */
export async function sandboxApi(base, method, path, body, key = API_KEY) {
    const response = await fetch(`${base}/sandbox${path}`, {
        method,
        headers: { Authorization: `Bearer ${key}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined
    });
    const text = await response.text();
    let json;
    try {
        json = text ? JSON.parse(text) : undefined;
    } catch {
        json = undefined;
    }
    return { status: response.status, json, text };
}

// ---------------------------------------------------------------------------------------------
// Clients

export function newClient(name) {
    return new Client({ name, version: '1.0.0' }, { capabilities: {} });
}

/** @param path the Streamable HTTP endpoint (MCP_PATH); legacy SSE is always at /mcp/sse */
export function transport(kind, base, headers, path = '/mcp') {
    if (kind === 'streamable-http') {
        return new StreamableHTTPClientTransport(new URL(`${base}${path}`), { requestInit: { headers } });
    }
    if (kind === 'sse') {
        return new SSEClientTransport(new URL(`${base}/mcp/sse`), { requestInit: { headers } });
    }
    throw new Error(`unknown transport ${kind}`);
}

export async function listAllTools(client) {
    const tools = [];
    let cursor;
    for (let page = 0; page < 20; page++) {
        const result = await client.listTools(cursor ? { cursor } : undefined);
        tools.push(...result.tools);
        cursor = result.nextCursor;
        if (!cursor) {
            break;
        }
    }
    return tools;
}

export { CallToolResultSchema };

// ---------------------------------------------------------------------------------------------
// Independent output-schema check: our own Ajv (draft 2020-12 with formats), not the SDK's and not
// the gateway's, so that a result is checked even if a client skipped its own validation.

export class OutputSchemas {
    constructor() {
        this.ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
        addFormats(this.ajv);
        this.validators = new Map();
        this.broken = [];
    }

    /** Compiles every tool's outputSchema; returns the tools whose schema does not compile. */
    compile(tools) {
        for (const tool of tools) {
            if (!tool.outputSchema) {
                continue;
            }
            try {
                this.validators.set(tool.name, this.ajv.compile(tool.outputSchema));
            } catch (error) {
                this.broken.push(`${tool.name}: ${error.message}`);
            }
        }
        return this.broken;
    }

    /** Null when valid, else a readable list of the violations. */
    problems(toolName, structuredContent) {
        const validate = this.validators.get(toolName);
        if (!validate) {
            return `no compiled outputSchema for ${toolName}`;
        }
        if (validate(structuredContent)) {
            return null;
        }
        return validate.errors.slice(0, 10)
            .map(e => `${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`).join('\n');
    }
}

/**
 * What is wrong with a successful tool result, as a list of problems:
 * - structuredContent is {organization:{id,name,slug}, mailbox?:{id}, result, truncated?, notice?};
 * - one text block: "[organization] <name> (id: <id>)", the separator, then the same JSON;
 * - numbers in the text are plain decimals (no exponent notation).
 */
export function envelopeProblems(result, { org = ORG, mailbox } = {}) {
    const problems = [];
    const sc = result.structuredContent;
    if (!sc || typeof sc !== 'object' || Array.isArray(sc)) {
        return ['no structuredContent object'];
    }
    const allowed = new Set(['organization', 'mailbox', 'result', 'truncated', 'notice']);
    const extra = Object.keys(sc).filter(k => !allowed.has(k));
    if (extra.length) {
        problems.push(`structuredContent has unexpected top-level keys ${extra.join(', ')}`);
    }
    if (sc.organization?.id !== org.id || sc.organization?.name !== org.name || sc.organization?.slug !== org.slug) {
        problems.push(`structuredContent.organization is ${JSON.stringify(sc.organization)}, expected ${JSON.stringify(org)}`);
    }
    if (!('result' in sc)) {
        problems.push('structuredContent has no result');
    }
    if (mailbox && sc.mailbox?.id !== mailbox) {
        problems.push(`structuredContent.mailbox is ${JSON.stringify(sc.mailbox)}, expected {"id":"${mailbox}"}`);
    }
    const texts = (result.content || []).filter(c => c.type === 'text');
    if (texts.length !== 1) {
        problems.push(`expected exactly one text content block, got ${texts.length}`);
        return problems;
    }
    const lines = texts[0].text.split('\n');
    const header = `[organization] ${org.name} (id: ${org.id})`;
    if (lines[0] !== header) {
        problems.push(`text starts with ${JSON.stringify(lines[0])}, expected ${JSON.stringify(header)}`);
    }
    if (lines[1] !== SEPARATOR) {
        problems.push(`second text line is ${JSON.stringify(lines[1])}, expected the separator`);
    }
    const json = lines.slice(2).join('\n');
    const exponent = exponentNumbers(json);
    if (exponent.length) {
        problems.push(`numbers in exponent notation in the text: ${exponent.slice(0, 5).join(', ')}`);
    }
    try {
        const parsed = JSON.parse(json);
        if (JSON.stringify(parsed.organization) !== JSON.stringify(sc.organization)) {
            problems.push('the text\'s JSON names another organization than structuredContent');
        }
    } catch (error) {
        problems.push(`the text after the header is not JSON: ${error.message}`);
    }
    return problems;
}

/**
 * What is wrong with a successful tool result in the payload shape (MCP_RESULT_SHAPE=payload):
 * - structuredContent is the result itself; _meta carries {organization, mailbox?, truncated?, notice?};
 * - one text block: "[organization] <name> (id: <id>)", a "[notice] ..." line when there is a notice, the separator,
 *   then the same JSON as structuredContent.
 */
export function payloadProblems(result, { org = ORG, mailbox } = {}) {
    const problems = [];
    const sc = result.structuredContent;
    if (!sc || typeof sc !== 'object' || Array.isArray(sc)) {
        return ['no structuredContent object'];
    }
    const meta = result._meta || {};
    if (JSON.stringify(meta.organization) !== JSON.stringify(org)) {
        problems.push(`_meta.organization is ${JSON.stringify(meta.organization)}, expected ${JSON.stringify(org)}`);
    }
    if (mailbox && meta.mailbox?.id !== mailbox) {
        problems.push(`_meta.mailbox is ${JSON.stringify(meta.mailbox)}, expected {"id":"${mailbox}"}`);
    }
    const texts = (result.content || []).filter(c => c.type === 'text');
    if (texts.length !== 1) {
        return [...problems, `expected exactly one text content block, got ${texts.length}`];
    }
    const lines = texts[0].text.split('\n');
    const header = `[organization] ${org.name} (id: ${org.id})`;
    if (lines[0] !== header) {
        problems.push(`text starts with ${JSON.stringify(lines[0])}, expected ${JSON.stringify(header)}`);
    }
    const separator = lines.indexOf(SEPARATOR);
    if (separator < 1 || separator > 2 || (separator === 2 && !lines[1].startsWith('[notice] '))) {
        problems.push('the header is not followed by an optional [notice] line and the separator');
    }
    try {
        if (JSON.stringify(JSON.parse(lines.slice(separator + 1).join('\n'))) !== JSON.stringify(sc)) {
            problems.push('the text\'s JSON is not the structuredContent');
        }
    } catch (error) {
        problems.push(`the text after the header is not JSON: ${error.message}`);
    }
    return problems;
}

/** Numbers written with an exponent (7.4E+4, 5E+3, 1e-7) outside of JSON strings. */
export function exponentNumbers(jsonText) {
    const outsideStrings = jsonText.replace(/"(?:[^"\\]|\\.)*"/g, '""');
    return outsideStrings.match(/-?\d+(?:\.\d+)?[eE][+-]?\d+/g) || [];
}

/** Calls a tool through the SDK; returns {result} or {error} (a JSON-RPC error or the SDK refusing the result). */
export async function callTool(client, name, args, options) {
    try {
        return { result: await client.callTool({ name, arguments: args }, CallToolResultSchema, options) };
    } catch (error) {
        return { error };
    }
}
