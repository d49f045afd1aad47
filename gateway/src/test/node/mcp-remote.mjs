#!/usr/bin/env node
// mcp-remote (npm, pinned in package.json): the stdio bridge that clients without HTTP support use.
// It is started as a stdio process bridging to the gateway with the Authorization header, and the
// official SDK talks to it through StdioClientTransport: list tools (so the SDK validates structured
// results), call tools, check the envelope and the output schema. Once over Streamable HTTP
// (--transport http-only, <base>/mcp) and once over legacy SSE (--transport sse-only, <base>/mcp/sse).
//
// Usage: node mcp-remote.mjs <baseUrl>
// Environment: E2E_API_KEY (default sbx_alice), SANDBOX_CONTROL_TOKEN, E2E_TIMEOUT_MS.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import {
    API_KEY, MAILBOX, ORG, OutputSchemas, abbreviate, baseUrl, callTool, check, describeError, envelopeProblems,
    lastLine, listAllTools, newClient, note, notOk, resetSandbox, runMain, toolSet
} from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PROXY = path.join(HERE, 'node_modules', 'mcp-remote', 'dist', 'proxy.js');

async function bridge(base, url, strategy, configDir, expected) {
    const label = `mcp-remote ${strategy}`;
    note(`--- ${label}: ${url} ---`);
    const stderr = [];
    const transport = new StdioClientTransport({
        command: process.execPath,
        // the headers as a client's configuration passes them: "--header", "Authorization: Bearer …"
        args: [PROXY, url, '--transport', strategy, '--header', `Authorization: Bearer ${API_KEY}`, '--header', `x-account-id: ${MAILBOX}`],
        env: { ...process.env, MCP_REMOTE_CONFIG_DIR: configDir },
        stderr: 'pipe'
    });
    transport.stderr?.on('data', chunk => stderr.push(String(chunk)));
    const client = newClient(`switchboard-${strategy}`);
    try {
        await client.connect(transport);
    } catch (error) {
        notOk(`[${label}] connect through the bridge`, `${describeError(error)}\nbridge stderr:\n${abbreviate(stderr.join(''), 2000)}`);
        await transport.close().catch(() => {});
        return;
    }
    try {
        const info = client.getServerVersion();
        check(info?.name && info?.version, `[${label}] initialized through the bridge: ${info?.name} ${info?.version}`);
        let tools;
        try {
            tools = await listAllTools(client);
        } catch (error) {
            notOk(`[${label}] client.listTools()`, describeError(error));
            return;
        }
        const names = tools.map(t => t.name);
        check(names.length === expected.length && expected.every(n => names.includes(n)),
            `[${label}] tools/list: the default set, ${tools.length} tools (expected ${expected.length})`,
            () => `listed: ${names.join(', ')}\nexpected: ${expected.join(', ')}`);
        const schemas = new OutputSchemas();
        schemas.compile(tools);

        const calls = [
            ['organizations_current', {}, r => r?.organization?.id === ORG.id, undefined],
            ['inbox_threads_search', { query: 'invoice OR receipt', limit: 3 }, r => Array.isArray(r?.threads) && r.threads.length === 3, MAILBOX],
            ['contacts_list', { limit: 2 }, r => Array.isArray(r?.items) && r.items.length === 2, undefined]
        ];
        for (const [name, args, good, mailbox] of calls) {
            const { result, error } = await callTool(client, name, args);
            if (error || result.isError) {
                notOk(`[${label}] tools/call ${name}`, error ? describeError(error) : lastLine(result));
                continue;
            }
            const problems = [...envelopeProblems(result, { mailbox })];
            const schema = schemas.problems(name, result.structuredContent);
            if (schema) {
                problems.push(`outputSchema (Ajv): ${schema}`);
            }
            if (!good(result.structuredContent?.result)) {
                problems.push(`unexpected result: ${abbreviate(result.structuredContent?.result, 600)}`);
            }
            check(problems.length === 0, `[${label}] tools/call ${name} ${JSON.stringify(args)}`, problems.join('\n'));
        }
    } finally {
        await client.close().catch(() => {});
    }
}

async function main() {
    const base = baseUrl();
    await resetSandbox(base);
    const expected = (await toolSet(base)).defaults;
    // mcp-remote keeps OAuth state in a config directory: a fresh one, removed afterwards
    const configDir = mkdtempSync(path.join(tmpdir(), 'mcp-remote-'));
    try {
        await bridge(base, `${base}/mcp`, 'http-only', configDir, expected);
        await bridge(base, `${base}/mcp/sse`, 'sse-only', configDir, expected);
    } finally {
        rmSync(configDir, { recursive: true, force: true });
    }
}

runMain(main);
