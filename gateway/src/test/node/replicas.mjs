#!/usr/bin/env node
// One MCP client, the official TypeScript SDK, through a round-robin load balancer in front of several gateway
// replicas (driven by src/test/java/dev/switchboard/it/ReplicasBehindNginxIT.java).
//
// Usage: node replicas.mjs <balancerBase> <streamable-http|sse>
// Environment: E2E_API_KEY (the key; each transport uses its own so that their switches do not meet),
//              SANDBOX_BASE (the standalone sandbox, to check end states as the backend sees them),
//              E2E_TIMEOUT_MS.
//
// Steps: initialize, list tools, switch to org_globex, twenty calls (reads and writes) that all act on org_globex,
// a long job with progress, a cancellation through an AbortSignal (the notification may reach another replica than
// the one following the job: the backend job must end up cancelled), then a job during which the test sends SIGTERM
// to the replica following it: the call completes, or answers that the replica is shutting down and to call again
// with the same idempotencyKey (which then succeeds elsewhere); never a lost answer. Then the client's next calls
// succeed on the other replicas.
//
// Talks to the test over stdin/stdout: prints "@@ job-running" while the job to drain runs, and waits for the line
// "@@ continue" (the replica got SIGTERM and the balancer no longer sends it new work) before its next calls. Every
// request carries X-Test-Phase (the balancer's access log shows how the phases were spread over the replicas).

import readline from 'node:readline';
import {
    abbreviate, baseUrl, callTool, check, describeError, firstText, listAllTools, newClient, note, notOk, ok, runMain
} from './lib.mjs';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';

const BASE = baseUrl();
const KIND = process.argv[3] || 'streamable-http';
const KEY = process.env.E2E_API_KEY || 'sbx_alice';
const SANDBOX = process.env.SANDBOX_BASE;
const ORG = 'org_globex';
const AGENT = 'ag_globex_0001';
const PHONE = '+14155550199';
// an answer lost by the gateway shows as this timeout, not as a hang of the whole run
const CALL_TIMEOUT_MS = Number(process.env.REPLICAS_CALL_TIMEOUT_MS || 20000);
const RUN = `${KIND === 'sse' ? 'sse' : 'http'}-${Date.now().toString(36)}`;

let phase = 'connect';
const tag = message => `[${KIND}] ${message}`;

// stdin lines from the test
const lines = [];
const waiters = [];
readline.createInterface({ input: process.stdin }).on('line', line => {
    const waiter = waiters.shift();
    if (waiter) {
        waiter(line);
    } else {
        lines.push(line);
    }
});
function nextLine(timeoutMs) {
    if (lines.length) {
        return Promise.resolve(lines.shift());
    }
    return new Promise(resolve => {
        const timer = setTimeout(() => resolve(null), timeoutMs);
        waiters.push(line => {
            clearTimeout(timer);
            resolve(line);
        });
    });
}

/** fetch that marks every request with the current phase, for the balancer's access log. */
function phasedFetch(url, init = {}) {
    const headers = new Headers(init.headers || {});
    headers.set('X-Test-Phase', `${KIND}:${phase}`);
    return fetch(url, { ...init, headers });
}

function connectTransport() {
    const headers = { Authorization: `Bearer ${KEY}` };
    if (KIND === 'streamable-http') {
        return new StreamableHTTPClientTransport(new URL(`${BASE}/mcp`), { requestInit: { headers }, fetch: phasedFetch });
    }
    return new SSEClientTransport(new URL(`${BASE}/mcp/sse`), {
        requestInit: { headers },
        fetch: phasedFetch
    });
}

async function call(client, name, args, options = {}) {
    return callTool(client, name, args, { timeout: CALL_TIMEOUT_MS, ...options });
}

/** The job id a "shutting down" answer names. */
function jobIdOf(text) {
    return (text.match(/job (job_[A-Za-z0-9_]+)/) || [])[1];
}

function organizationOf(outcome) {
    return outcome.result?.structuredContent?.organization?.id;
}

function describe(outcome) {
    if (outcome.error) {
        return describeError(outcome.error);
    }
    return abbreviate(outcome.result?.isError ? firstText(outcome.result) : outcome.result, 800);
}

/** A call that must succeed and act on org_globex. */
async function expectGlobex(client, name, args, what) {
    const outcome = await call(client, name, args);
    const good = !outcome.error && !outcome.result?.isError && organizationOf(outcome) === ORG;
    check(good, tag(`${what}: ${name} acted on ${ORG}`), () => describe(outcome));
    return good ? outcome.result : null;
}

async function sandbox(path) {
    const response = await fetch(`${SANDBOX}/sandbox/v1${path}`, { headers: { Authorization: 'Bearer sbx_master' } });
    return { status: response.status, json: await response.json().catch(() => undefined) };
}

async function main() {
    if (!SANDBOX) {
        notOk('SANDBOX_BASE is not set');
        return;
    }
    const client = newClient(`replicas-${KIND}`);
    const transport = connectTransport();
    let transportErrors = 0;
    transport.onerror = error => {
        transportErrors++;
        note(tag(`transport error: ${error?.message}`));
    };
    const connected = await Promise.race([
        client.connect(transport).then(() => true, error => error),
        new Promise(resolve => setTimeout(() => resolve('no answer within 30 s'), 30000))
    ]);
    if (!check(connected === true, tag('initialized through the balancer'),
        () => (typeof connected === 'string' ? connected : describeError(connected)))) {
        console.log('@@ no-drain');
        return;
    }

    phase = 'list';
    const tools = await listAllTools(client);
    const names = new Set(tools.map(t => t.name));
    check(['organizations_switch', 'contacts_create', 'contacts_list', 'calls_trigger'].every(n => names.has(n)),
        tag(`tools/list has the tools this run needs (${tools.length} tools)`), () => [...names]);

    phase = 'switch';
    const switched = await call(client, 'organizations_switch', { organizationId: ORG });
    check(!switched.error && !switched.result?.isError && organizationOf(switched) === ORG,
        tag(`organizations_switch to ${ORG}`), () => describe(switched));

    // twenty calls, reads and writes, spread by the balancer over every replica -------------------------------
    phase = 'spread';
    const emails = [];
    let onGlobex = 0;
    for (let i = 0; i < 20; i++) {
        let outcome;
        if (i % 4 === 0) {
            const email = `replicas.${RUN}.${i}@example.com`;
            emails.push(email);
            outcome = await call(client, 'contacts_create', { email, firstName: 'Replica', lastName: `Call ${i}` });
        } else if (i % 4 === 1) {
            outcome = await call(client, 'organizations_current', {});
        } else {
            outcome = await call(client, 'contacts_list', { limit: 2 });
        }
        if (!outcome.error && !outcome.result?.isError && organizationOf(outcome) === ORG) {
            onGlobex++;
        } else {
            notOk(tag(`call ${i + 1} of 20 did not act on ${ORG}`), describe(outcome));
        }
    }
    check(onGlobex === 20, tag(`${onGlobex} of 20 calls spread over the replicas acted on ${ORG}`));
    let landed = 0;
    let elsewhere = 0;
    for (const email of emails) {
        const globex = await sandbox(`/organizations/${ORG}/contacts?email=${encodeURIComponent(email)}`);
        const acme = await sandbox(`/organizations/org_acme/contacts?email=${encodeURIComponent(email)}`);
        landed += globex.json?.items?.length ?? 0;
        elsewhere += acme.json?.items?.length ?? 0;
    }
    check(landed === emails.length && elsewhere === 0,
        tag(`the backend holds the ${emails.length} created contacts in ${ORG} (found ${landed}) and none in org_acme (found ${elsewhere})`));

    // a long job with progress ------------------------------------------------------------------------------
    phase = 'progress';
    const progress = [];
    const followed = await call(client, 'calls_trigger', { agentId: AGENT, phone: PHONE, idempotencyKey: `progress-${RUN}` },
        { onprogress: p => progress.push(p), resetTimeoutOnProgress: true });
    check(!followed.error && !followed.result?.isError && organizationOf(followed) === ORG
        && followed.result?.structuredContent?.result?.status === 'succeeded',
    tag('a followed job (calls_trigger) ends succeeded on org_globex'), () => describe(followed));
    // over legacy SSE the SDK may miss the last notification (a client-side race): one is enough there
    const minimum = KIND === 'sse' ? 1 : 2;
    const increasing = progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress);
    check(progress.length >= minimum && increasing,
        tag(`the job streamed ${progress.length} increasing progress notifications (at least ${minimum})`), () => progress);

    // a cancellation, which the balancer may deliver to another replica ------------------------------------
    phase = 'cancel';
    const cancelKey = `cancel-${RUN}`;
    const abort = new AbortController();
    let sawProgress = false;
    const cancelled = await call(client, 'calls_trigger', { agentId: AGENT, phone: PHONE, idempotencyKey: cancelKey }, {
        signal: abort.signal,
        onprogress: () => {
            if (!sawProgress) {
                sawProgress = true;
                abort.abort('the user cancelled');
            }
        }
    });
    check(sawProgress && cancelled.error, tag('the SDK cancelled the call after its first progress notification'),
        () => describe(cancelled));
    // calling again with the same idempotencyKey follows the same backend job, without starting it twice
    phase = 'cancel-check';
    const after = await call(client, 'calls_trigger', { agentId: AGENT, phone: PHONE, idempotencyKey: cancelKey });
    const job = after.result?.structuredContent?.result;
    check(!after.error && job?.status === 'cancelled',
        tag(`the backend job of the cancelled call ended "cancelled" (it is "${job?.status}")`), () => describe(after));
    if (job?.id) {
        const backend = await sandbox(`/organizations/${ORG}/jobs/${job.id}`);
        check(backend.json?.status === 'cancelled', tag(`the backend reports job ${job.id} cancelled`), () => backend);
    }

    // SIGTERM to the replica following a job ---------------------------------------------------------------
    phase = 'drain';
    const drainKey = `drain-${RUN}`;
    let announced = false;
    const started = Date.now();
    const draining = await call(client, 'calls_trigger', { agentId: AGENT, phone: PHONE, idempotencyKey: drainKey }, {
        onprogress: () => {
            if (!announced) {
                announced = true;
                console.log('@@ job-running');
            }
        },
        resetTimeoutOnProgress: true
    });
    if (!announced) {
        console.log('@@ no-drain'); // no progress came: nothing was drained, and the checks below fail
    }
    note(tag(`the drained call answered after ${Date.now() - started} ms: ${describe(draining).split('\n').join(' | ')}`));
    const text = draining.result ? firstText(draining.result) : '';
    const completed = !draining.error && !draining.result?.isError
        && draining.result?.structuredContent?.result?.status === 'succeeded';
    const toldToRetry = !draining.error && draining.result?.isError && /shutting down/.test(text) && text.includes(drainKey);
    check(completed || toldToRetry, tag('the call on the replica sent SIGTERM completed, or answered that the replica is '
        + 'shutting down and to call again with the same idempotencyKey'), () => describe(draining));
    if (announced) {
        const go = await nextLine(120000);
        check(go === '@@ continue', tag('the test drained the replica'), () => `stdin said ${go}`);
    }

    phase = 'after-drain';
    if (toldToRetry) {
        // as the answer says: call again with the same idempotencyKey. A client whose legacy SSE stream is still on the
        // draining replica may be told once more to call again (that replica takes no new long operations), or, once
        // that stream ended and before the SDK reconnected, that its session is unknown; both say nothing was done. A
        // careful client tries again a few times, a second apart.
        let again;
        const answers = [];
        for (let attempt = 1; attempt <= 15; attempt++) {
            again = await call(client, 'calls_trigger', { agentId: AGENT, phone: PHONE, idempotencyKey: drainKey },
                { resetTimeoutOnProgress: true });
            answers.push(describe(again).split('\n').pop());
            const shuttingDown = !again.error && again.result?.isError && /shutting down/.test(firstText(again.result));
            const sessionGone = again.error && /Unknown MCP session/.test(String(again.error.message));
            if (!shuttingDown && !sessionGone) {
                break;
            }
            await new Promise(resolve => setTimeout(resolve, 1000));
        }
        note(tag(`calls again with the same idempotencyKey: ${answers.length} (${answers.join(' / ')})`));
        check(!again.error && !again.result?.isError && again.result?.structuredContent?.result?.status === 'succeeded'
            && organizationOf(again) === ORG && again.result?.structuredContent?.result?.id === jobIdOf(text),
        tag('called again with the same idempotencyKey, another replica followed the same job to its end'),
        () => describe(again));
    }
    for (let i = 0; i < 6; i++) {
        await expectGlobex(client, i % 2 ? 'contacts_list' : 'organizations_current', i % 2 ? { limit: 1 } : {},
            `next call ${i + 1} after the drain`);
    }
    note(tag(`transport errors seen: ${transportErrors}`));
    await client.close().catch(() => {});
}

runMain(main, Number(process.env.E2E_TIMEOUT_MS || 150000));
