#!/usr/bin/env node
// The MCP Inspector CLI (npm @modelcontextprotocol/inspector, pinned in package.json) against the
// gateway, with the URL and headers the README shows (`<base>/mcp`, `Authorization: Bearer sbx_alice`,
// and the Cursor / VS Code configuration's `X-Company-ID`). It runs from node_modules/.bin: nothing is
// downloaded at test time.
//
// Usage: node inspector-cli.mjs <baseUrl>
// Environment: E2E_API_KEY (default sbx_alice), SANDBOX_CONTROL_TOKEN, E2E_TIMEOUT_MS.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

import {
    API_KEY, MAILBOX, ORG, abbreviate, baseUrl, check, envelopeProblems, note, notOk, resetSandbox, runMain, toolSet
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INSPECTOR = path.join(HERE, 'node_modules', '.bin', 'mcp-inspector');

/** Runs `mcp-inspector --cli URL --transport T --header … <args>`; returns exit code, stdout (parsed when JSON) and stderr. */
function inspector(url, transportName, headers, args) {
    const command = ['--cli', url, '--transport', transportName];
    for (const header of headers) {
        command.push('--header', header);
    }
    command.push(...args);
    const run = spawnSync(INSPECTOR, command, { encoding: 'utf8', timeout: 60000, env: { ...process.env, NO_COLOR: '1' } });
    let json;
    try {
        json = JSON.parse(run.stdout);
    } catch {
        json = undefined;
    }
    const shown = `mcp-inspector ${command.map(a => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ')}`;
    return { exit: run.status, signal: run.signal, stdout: run.stdout || '', stderr: run.stderr || '', json, shown, error: run.error };
}

function describe(run) {
    return `${run.shown}\nexit ${run.exit}${run.signal ? ` (signal ${run.signal})` : ''}${run.error ? `, ${run.error.message}` : ''}\n`
        + `stdout: ${abbreviate(run.stdout, 1200)}\nstderr: ${abbreviate(run.stderr, 800)}`;
}

async function main() {
    const base = baseUrl();
    if (!existsSync(INSPECTOR)) {
        notOk(`the Inspector is installed in ${INSPECTOR} (run npm ci in src/test/node)`);
        return;
    }
    await resetSandbox(base);
    const expected = (await toolSet(base)).defaults.length;
    const url = `${base}/mcp`;
    const auth = `Authorization: Bearer ${API_KEY}`;

    // tools/list, exactly as the README shows URL and header
    const list = inspector(url, 'http', [auth], ['--method', 'tools/list']);
    const tools = list.json?.tools || [];
    check(list.exit === 0 && tools.length === expected && tools.every(t => t.inputSchema && t.outputSchema),
        `tools/list: exit 0, ${tools.length} tools with input and output schemas (expected the default set, ${expected})`, () => describe(list));

    // tools/call without arguments
    const current = inspector(url, 'http', [auth], ['--method', 'tools/call', '--tool-name', 'organizations_current']);
    check(current.exit === 0 && current.json?.isError !== true && current.json?.structuredContent?.result?.organization?.id === ORG.id
            && envelopeProblems(current.json).length === 0,
        'tools/call organizations_current: exit 0, org_acme, a well-formed envelope', () => `${envelopeProblems(current.json || {}).join('\n')}\n${describe(current)}`);

    // tools/call with --tool-arg k=v (a string and a number), mailbox from the x-account-id header
    const search = inspector(url, 'http', [auth, `x-account-id: ${MAILBOX}`],
        ['--method', 'tools/call', '--tool-name', 'inbox_threads_search', '--tool-arg', 'query=invoice OR receipt', '--tool-arg', 'limit=2']);
    const threads = search.json?.structuredContent?.result?.threads;
    check(search.exit === 0 && Array.isArray(threads) && threads.length === 2 && search.json?.structuredContent?.mailbox?.id === MAILBOX,
        'tools/call inbox_threads_search --tool-arg query=… --tool-arg limit=2: exit 0, 2 threads of sales@acme.test', () => describe(search));

    // the Cursor / VS Code configuration's headers: X-Company-ID pins the organization
    const pinned = inspector(url, 'http', [auth, 'X-Company-ID: org_globex'], ['--method', 'tools/call', '--tool-name', 'organizations_current']);
    check(pinned.exit === 0 && pinned.json?.structuredContent?.organization?.id === 'org_globex' && pinned.json?.structuredContent?.result?.source === 'header',
        'tools/call with X-Company-ID: org_globex acts on org_globex (source header)', () => describe(pinned));

    // list_operations: the Inspector checks structured results against the outputSchema too (a limit: without one, a
    // page holds what fits in about 7 KB)
    const operations = inspector(url, 'http', [auth], ['--method', 'tools/call', '--tool-name', 'list_operations', '--tool-arg', 'group=inbox',
        '--tool-arg', 'limit=100']);
    const listed = operations.json?.structuredContent?.result?.operations || operations.json?.structuredContent?.result?.items;
    check(operations.exit === 0 && Array.isArray(listed) && listed.length >= 11,
        `tools/call list_operations --tool-arg group=inbox --tool-arg limit=100: exit 0 and the inbox operations (${listed?.length})`, () => describe(operations));

    // a write with a JSON array argument
    const labelled = inspector(url, 'http', [auth, `x-account-id: ${MAILBOX}`],
        ['--method', 'tools/call', '--tool-name', 'inbox_thread_labels_update', '--tool-arg', 'threadId=th_acme_sales_002', '--tool-arg', 'addLabelIds=["Label_invoice"]']);
    check(labelled.exit === 0 && (labelled.json?.structuredContent?.result?.labelIds || []).includes('Label_invoice'),
        'tools/call inbox_thread_labels_update --tool-arg addLabelIds=["Label_invoice"]: exit 0, label applied', () => describe(labelled));

    // an invalid argument: an isError result (the Inspector exits non-zero) that names the field and the bound
    const invalid = inspector(url, 'http', [auth, `x-account-id: ${MAILBOX}`],
        ['--method', 'tools/call', '--tool-name', 'inbox_threads_search', '--tool-arg', 'limit=500']);
    check(invalid.exit !== 0 && invalid.json?.isError === true && /'limit' must be at most 100/.test(invalid.stdout),
        `tools/call with limit=500: isError naming 'limit' and its maximum (exit ${invalid.exit})`, () => describe(invalid));

    // legacy SSE endpoint
    const sse = inspector(`${base}/mcp/sse`, 'sse', [auth], ['--method', 'tools/list']);
    check(sse.exit === 0 && (sse.json?.tools || []).length === expected,
        `tools/list over legacy SSE (${base}/mcp/sse): exit 0, ${(sse.json?.tools || []).length} tools`, () => describe(sse));
    note('done');
}

runMain(main);
