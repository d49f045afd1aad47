#!/usr/bin/env node
// Every tool, called the way real clients call it, with the official TypeScript SDK.
//
// Usage: node sdk-every-tool.mjs <baseUrl> [default|all]
//   default: the gateway runs with its default tool set (the native tools and the curated operations, at most 40)
//   all:     the gateway runs with MCP_EXPOSE_ALL_OPERATIONS (every catalog operation is a tool, and the native tools)
//
// Over Streamable HTTP (<baseUrl>/mcp) and legacy SSE (<baseUrl>/mcp/sse), each pass:
//   1. resets the sandbox's data (POST /sandbox/_control/reset, with X-Sandbox-Control-Token when
//      SANDBOX_CONTROL_TOKEN is set);
//   2. connects and lists the tools FIRST, so that the SDK validates every structured result against
//      the tool's outputSchema (a client that never lists tools validates nothing);
//   3. checks the tool set (names, count, read-only hints) and compiles every outputSchema with its
//      own Ajv (draft 2020-12 with formats);
//   4. calls every tool at least once with valid arguments from the fixture table below, in an order
//      where writes and deletes act on objects the run created itself;
//   5. fails on any JSON-RPC error, any SDK rejection (schema mismatch), any isError, any
//      structuredContent our Ajv rejects, any envelope or text-block problem, and any listed tool the
//      table does not call.
// The expected tool set comes from the contract (lib.mjs toolSet: set by the test suite, else read from the
// gateway's /mcp/metadata): no count is written here.
// Environment: E2E_API_KEY (default sbx_alice), SANDBOX_CONTROL_TOKEN, E2E_TIMEOUT_MS, and the tool set's
// E2E_NATIVE_TOOLS, E2E_CURATED_OPERATIONS, E2E_OPERATION_COUNT.

import {
    API_KEY, MAILBOX, ORG, OutputSchemas, abbreviate, baseUrl, callTool, check, describeError, envelopeProblems,
    lastLine, listAllTools, newClient, note, notOk, ok, resetSandbox, runMain, sandboxApi, toolSet, transport
} from './lib.mjs';

const SET = process.argv[3] || 'default';
const SUPPORT_MAILBOX = 'support@acme.test';

/**
 * Tools the default set must include whatever else is curated: the read-only inbox tools the reference documents'
 * blueprints need, so that clients which auto-approve reads never prompt for them.
 */
const BLUEPRINT_READS = ['inbox_accounts_list', 'inbox_threads_list', 'inbox_threads_search', 'inbox_threads_filter',
    'inbox_thread_get', 'inbox_labels_list', 'inbox_contacts_list', 'inbox_profile_get'];
const NATIVE_READ_ONLY = new Set(['organizations_current', 'organizations_list', 'list_operations']);
/** The expected tool set (lib.mjs toolSet), read once in main(). */
let TOOLS;

// ---------------------------------------------------------------------------------------------
// The fixture table: valid arguments for every operation, from the sandbox's seed data (ids are
// deterministic: <prefix>_acme_<0001…>; see SeedData and the README's seed table). Ordered: objects
// are created before they are read, changed and deleted; seed objects are only read or changed in
// ways later steps do not depend on. Steps of tools the listed set lacks are skipped.
//
// step: { tool, args: ctx => ({…}), verify?: (result, ctx) => problem | undefined,
//         save?: (result, ctx) => void, progress?: true, mailbox?: address of the envelope's mailbox }
// `result` is structuredContent.result. ctx.need(key) fails the step when an earlier step did not
// produce the value.

const SEED = {
    agent: 'ag_acme_0001', // active
    tool: 'tl_acme_0001', // "Lookup order", input {orderNumber: ORD-…}
    toolToAttach: 'tl_acme_0003',
    workflow: 'wf_acme_0001',
    manualWorkflow: 'wf_acme_0002', // "Trial follow-up": active, manual trigger
    draftCampaign: 'cmp_acme_0001',
    segment: 'seg_acme_0001',
    sender: 'snd_acme_0001',
    opportunity: 'opp_acme_0001',
    transcript: 'tr_acme_0001',
    call: 'call_acme_0001',
    definition: 'idef_acme_0001',
    report: 'rep_acme_0001',
    contact: 'ct_acme_0001'
};

const items = r => (Array.isArray(r?.items) ? r.items : undefined);
const nonEmpty = (list, what) => (Array.isArray(list) && list.length > 0 ? undefined : `expected a non-empty ${what}, got ${abbreviate(list, 300)}`);
const fieldIs = (value, expected, what) => (value === expected ? undefined : `${what} is ${JSON.stringify(value)}, expected ${JSON.stringify(expected)}`);
const jobSucceeded = r => {
    const status = r?.status ?? r?.job?.status;
    return status === 'succeeded' ? undefined : `job status is ${JSON.stringify(status)}, expected "succeeded": ${abbreviate(r, 400)}`;
};

const STEPS = [
    // --- gateway-native ------------------------------------------------------------------------
    { tool: 'organizations_current', args: () => ({}), verify: r => fieldIs(r?.organization?.id, ORG.id, 'result.organization.id') },
    {
        tool: 'organizations_list', args: () => ({}),
        verify: r => {
            const ids = (r?.organizations || r?.items || []).map(o => o.id);
            return ['org_acme', 'org_globex'].every(id => ids.includes(id)) ? undefined : `organizations listed: ${ids.join(', ')}`;
        }
    },
    { tool: 'organizations_switch', args: () => ({ organizationId: ORG.id }) },
    {
        tool: 'list_operations', args: () => ({ limit: 100 }),
        verify: r => {
            const ops = r?.operations || r?.items || [];
            if (ops.length < TOOLS.operationCount) {
                return `expected all ${TOOLS.operationCount} operations, got ${ops.length}`;
            }
            const create = ops.find(o => o.name === 'contacts_create');
            return create?.inputSchema?.properties?.email ? undefined : `contacts_create's inputSchema lacks its properties: ${abbreviate(create, 400)}`;
        }
    },
    { tool: 'list_operations', args: () => ({ group: 'inbox' }), verify: r => nonEmpty(r?.operations || r?.items, 'list of inbox operations') },
    { tool: 'run_operation', args: () => ({ operation: 'contact_fields_list', arguments: {} }) },

    // --- identity (expose-all only) ------------------------------------------------------------
    { tool: 'auth_whoami', args: () => ({}) },
    { tool: 'organizations_index', args: () => ({}) },
    { tool: 'organizations_get', args: () => ({}), verify: r => fieldIs(r?.id, ORG.id, 'result.id') },

    // --- contacts --------------------------------------------------------------------------------
    { tool: 'contact_fields_list', args: () => ({}) },
    { tool: 'contact_fields_create', args: () => ({ key: 'e2e_source', label: 'E2E source', type: 'select', options: ['web', 'event'] }) },
    { tool: 'contact_fields_update', args: () => ({ fieldKey: 'e2e_source', label: 'E2E origin' }) },
    { tool: 'contacts_list', args: () => ({ limit: 5, sort: '-createdAt' }), verify: r => nonEmpty(items(r), 'page of contacts') },
    { tool: 'contacts_list', args: () => ({ tag: ['customer'], limit: 3 }) },
    {
        tool: 'contacts_create',
        args: () => ({ email: 'eve.tester@example.net', phone: '+14155550199', firstName: 'Eve', lastName: 'Tester', company: 'E2E Ltd', tags: ['lead'], customFields: { region: 'north' } }),
        save: (r, ctx) => { ctx.contactId = r?.id; },
        verify: r => (typeof r?.id === 'string' && r.id.startsWith('ct_acme_') ? undefined : `no new contact id: ${abbreviate(r, 300)}`)
    },
    {
        tool: 'contacts_create', args: () => ({ email: 'bulk.delete.me@example.net', firstName: 'Bulk' }),
        save: (r, ctx) => { ctx.spareContactId = r?.id; }
    },
    { tool: 'contacts_get', args: ctx => ({ contactId: ctx.need('contactId') }), verify: r => fieldIs(r?.email, 'eve.tester@example.net', 'result.email') },
    { tool: 'contacts_update', args: ctx => ({ contactId: ctx.need('contactId'), company: 'E2E GmbH', tags: ['lead', 'vip'] }), verify: r => fieldIs(r?.company, 'E2E GmbH', 'result.company') },
    {
        tool: 'contacts_duplicates_list', args: () => ({}),
        save: (r, ctx) => {
            const group = (r?.groups || r?.items || [])[0];
            ctx.duplicateGroupId = group?.id;
            ctx.duplicateKeeperId = (group?.contacts || group?.contactIds || [])[0]?.id ?? (group?.contactIds || [])[0];
        }
    },
    { tool: 'contacts_duplicates_resolve', args: ctx => ({ groupId: ctx.need('duplicateGroupId'), keeperId: ctx.need('duplicateKeeperId'), strategy: 'merge' }) },
    { tool: 'contacts_deduplicate', args: () => ({ strategy: 'merge', keeper: 'most_complete' }), verify: jobSucceeded },
    {
        tool: 'contacts_import', progress: true,
        args: () => ({ rows: [{ email: 'imported.one@example.net', firstName: 'Imported', lastName: 'One' }, { phone: '+14155550177', firstName: 'Imported', lastName: 'Two' }], dedupe: 'skip' }),
        verify: jobSucceeded
    },
    { tool: 'contacts_bulk_delete', args: ctx => ({ ids: [ctx.need('spareContactId')] }) },

    // --- conversations, messages, calls, transcripts ----------------------------------------------
    {
        tool: 'conversations_list', args: () => ({ limit: 5 }),
        save: (r, ctx) => { ctx.conversationContactId = items(r)?.[0]?.contactId; },
        verify: r => nonEmpty(items(r), 'page of conversations')
    },
    { tool: 'conversations_by_contact', args: ctx => ({ contactId: ctx.conversationContactId ?? SEED.contact }) },
    { tool: 'messages_send_email', args: () => ({ to: 'eve.tester@example.net', subject: 'Welcome to Acme', body: 'Hello Eve, thanks for your interest.', html: false }) },
    { tool: 'messages_send_sms', args: () => ({ to: '+14155550199', body: 'Hi Eve, this is Acme.' }) },
    {
        tool: 'calls_trigger', progress: true, args: ctx => ({ agentId: SEED.agent, contactId: ctx.contactId ?? SEED.contact }),
        save: (r, ctx) => { ctx.callId = r?.result?.callId ?? r?.callId ?? r?.result?.id; },
        verify: jobSucceeded
    },
    { tool: 'calls_get', args: ctx => ({ callId: ctx.callId ?? SEED.call }) },
    { tool: 'transcripts_list', args: () => ({ limit: 5 }), verify: r => nonEmpty(items(r), 'page of transcripts') },
    { tool: 'transcripts_get', args: () => ({ transcriptId: SEED.transcript }) },
    { tool: 'transcripts_download', args: () => ({ transcriptId: SEED.transcript, format: 'text' }) },

    // --- agents ---------------------------------------------------------------------------------
    { tool: 'agents_list', args: () => ({}), verify: r => nonEmpty(items(r), 'page of agents') },
    { tool: 'agents_get', args: () => ({ agentId: SEED.agent }) },
    {
        tool: 'agents_create', args: () => ({ name: 'E2E agent', prompt: 'Answer questions about the E2E test.', voice: 'ember' }),
        save: (r, ctx) => { ctx.agentId = r?.id; }
    },
    { tool: 'agents_update', args: ctx => ({ agentId: ctx.need('agentId'), name: 'E2E agent (renamed)', status: 'paused' }), verify: r => fieldIs(r?.status, 'paused', 'result.status') },
    { tool: 'agents_tools_list', args: () => ({ agentId: SEED.agent }) },
    { tool: 'agents_tools_attach', args: ctx => ({ agentId: ctx.need('agentId'), toolId: SEED.toolToAttach }) },
    { tool: 'agents_tools_detach', args: ctx => ({ agentId: ctx.need('agentId'), toolId: SEED.toolToAttach }) },
    {
        tool: 'agents_files_upload', args: ctx => ({ agentId: ctx.need('agentId'), name: 'hello.txt', mediaType: 'text/plain', contentBase64: 'aGVsbG8=' }),
        save: (r, ctx) => { ctx.fileId = r?.id; },
        verify: r => (r?.sizeBytes === undefined || r.sizeBytes === 5 ? undefined : `"aGVsbG8=" is 5 bytes ("hello"), the file says ${r.sizeBytes}`)
    },
    { tool: 'agents_files_list', args: ctx => ({ agentId: ctx.need('agentId') }) },
    { tool: 'agents_files_delete', args: ctx => ({ agentId: ctx.need('agentId'), fileId: ctx.need('fileId') }) },
    { tool: 'agents_delete', args: ctx => ({ agentId: ctx.need('agentId') }) },

    // --- workflows -------------------------------------------------------------------------------
    { tool: 'workflows_list', args: () => ({ status: 'active' }), verify: r => nonEmpty(items(r), 'page of workflows') },
    { tool: 'workflows_get', args: () => ({ workflowId: SEED.workflow }) },
    {
        tool: 'workflows_create',
        args: () => ({ name: 'E2E workflow', description: 'Created by the E2E run.', trigger: 'manual', status: 'active', steps: [{ type: 'add_tag', config: { tag: 'e2e' } }, { type: 'wait', config: { hours: 1 } }] }),
        save: (r, ctx) => { ctx.workflowId = r?.id; }
    },
    { tool: 'workflows_update', args: ctx => ({ workflowId: ctx.need('workflowId'), description: 'Updated by the E2E run.' }) },
    { tool: 'workflows_enrollments_list', args: () => ({ workflowId: SEED.workflow }) },
    { tool: 'workflows_enrollments_add', args: ctx => ({ workflowId: ctx.need('workflowId'), contactIds: [ctx.need('contactId')] }) },
    { tool: 'workflows_enrollments_remove', args: ctx => ({ workflowId: ctx.need('workflowId'), contactId: ctx.need('contactId') }) },
    { tool: 'workflows_run', progress: true, args: ctx => ({ workflowId: SEED.manualWorkflow, contactIds: [ctx.contactId ?? SEED.contact] }), verify: jobSucceeded },
    { tool: 'workflows_delete', args: ctx => ({ workflowId: ctx.need('workflowId') }) },

    // --- campaigns and segments ------------------------------------------------------------------
    { tool: 'campaigns_list', args: () => ({ status: 'draft' }), verify: r => nonEmpty(items(r), 'page of draft campaigns') },
    { tool: 'campaigns_get', args: () => ({ campaignId: SEED.draftCampaign }) },
    { tool: 'campaign_senders_list', args: () => ({}) },
    { tool: 'campaign_senders_create', args: () => ({ name: 'E2E sender', email: 'e2e@acme.test' }) },
    { tool: 'segments_list', args: () => ({}) },
    {
        tool: 'campaigns_create', args: () => ({ name: 'E2E campaign', subject: 'Hello from E2E', body: '<p>Hello</p>', segmentId: SEED.segment, senderId: SEED.sender }),
        save: (r, ctx) => { ctx.campaignId = r?.id; }
    },
    { tool: 'campaigns_update', args: ctx => ({ campaignId: ctx.need('campaignId'), subject: 'Hello again from E2E' }) },
    { tool: 'campaigns_send', progress: true, args: () => ({ campaignId: SEED.draftCampaign }), verify: jobSucceeded },
    { tool: 'campaigns_stats', args: () => ({ campaignId: SEED.draftCampaign }), verify: r => (r?.delivered > 0 ? undefined : `expected deliveries after the send: ${abbreviate(r, 300)}`) },
    { tool: 'campaigns_delete', args: ctx => ({ campaignId: ctx.need('campaignId') }) },

    // --- CRM -------------------------------------------------------------------------------------
    {
        tool: 'crm_pipelines_list', args: () => ({}),
        save: (r, ctx) => {
            const pipeline = (r?.pipelines || r?.items || [])[0];
            ctx.pipelineId = pipeline?.id;
            ctx.stageIds = (pipeline?.stages || []).map(s => s.id);
        }
    },
    { tool: 'crm_opportunities_list', args: () => ({ status: 'open', minValue: 10000, limit: 5 }) },
    { tool: 'crm_opportunities_get', args: () => ({ opportunityId: SEED.opportunity }) },
    {
        tool: 'crm_opportunities_create',
        args: ctx => ({ name: 'E2E expansion', pipelineId: ctx.pipelineId ?? 'pl_acme_0001', stageId: ctx.stageIds?.[0] ?? 'stg_acme_0001', value: 74000, currency: 'USD', expectedCloseDate: '2026-12-31' }),
        save: (r, ctx) => { ctx.opportunityId = r?.id; }
    },
    { tool: 'crm_opportunities_update', args: ctx => ({ opportunityId: ctx.need('opportunityId'), stageId: ctx.stageIds?.[1] ?? 'stg_acme_0002', value: 80500.5 }) },
    { tool: 'crm_opportunities_delete', args: ctx => ({ opportunityId: ctx.need('opportunityId') }) },

    // --- workspace tools -------------------------------------------------------------------------
    { tool: 'tools_list', args: () => ({}) },
    { tool: 'tools_get_config', args: () => ({ toolId: SEED.tool }) },
    { tool: 'tools_logs', args: () => ({ toolId: SEED.tool, limit: 5 }) },
    { tool: 'tools_run', args: () => ({ toolId: SEED.tool, input: { orderNumber: 'ORD-12345' } }) },

    // --- inbox (mailbox from the x-account-id header unless accountId is given) ------------------
    {
        tool: 'inbox_accounts_list', args: () => ({}),
        verify: r => {
            const ids = (r?.accounts || []).map(a => a.id);
            return [MAILBOX, SUPPORT_MAILBOX].every(id => ids.includes(id)) ? undefined : `result.accounts lists ${JSON.stringify(ids)}: ${abbreviate(r, 300)}`;
        }
    },
    { tool: 'inbox_profile_get', mailbox: MAILBOX, args: () => ({}) },
    { tool: 'inbox_labels_list', mailbox: MAILBOX, args: () => ({ includeCounts: true }), verify: r => ((r?.labels || []).some(l => l.id === 'Label_invoice') ? undefined : `result.labels lacks Label_invoice: ${abbreviate(r, 300)}`) },
    { tool: 'inbox_contacts_list', mailbox: MAILBOX, args: () => ({ limit: 5 }), verify: r => (Array.isArray(r?.contacts) ? undefined : `no result.contacts: ${abbreviate(r, 300)}`) },
    {
        tool: 'inbox_threads_list', mailbox: MAILBOX, args: () => ({ label: 'INBOX', limit: 5 }),
        verify: r => nonEmpty(r?.threads, 'result.threads') ?? (typeof r?.nextCursor === 'string' ? undefined : 'a first page of 5 out of 40 threads has no result.nextCursor'),
        save: (r, ctx) => { ctx.threadsCursor = r?.nextCursor; }
    },
    { tool: 'inbox_threads_list', mailbox: MAILBOX, args: ctx => ({ label: 'INBOX', limit: 5, cursor: ctx.need('threadsCursor') }), verify: r => nonEmpty(r?.threads, 'result.threads on page 2') },
    { tool: 'inbox_threads_filter', mailbox: MAILBOX, args: () => ({ folder: 'inbox', unreadOnly: true, limit: 5 }), verify: r => nonEmpty(r?.threads, 'result.threads') },
    {
        tool: 'inbox_threads_search', mailbox: MAILBOX, args: () => ({ query: 'invoice OR receipt', unreadOnly: true, limit: 10 }),
        save: (r, ctx) => { ctx.threadId = r?.threads?.[0]?.id; ctx.threadFrom = r?.threads?.[0]?.from; },
        verify: r => nonEmpty(r?.threads, 'result.threads')
    },
    { tool: 'inbox_threads_search', mailbox: SUPPORT_MAILBOX, args: () => ({ accountId: SUPPORT_MAILBOX, query: 'invoice OR receipt' }) },
    { tool: 'inbox_thread_get', mailbox: MAILBOX, args: ctx => ({ threadId: ctx.need('threadId') }), verify: r => nonEmpty(r?.messages, 'result.messages') },
    { tool: 'inbox_thread_labels_update', mailbox: MAILBOX, args: ctx => ({ threadId: ctx.need('threadId'), addLabelIds: ['Label_invoice'], removeLabelIds: ['UNREAD'] }) },
    { tool: 'inbox_thread_action', mailbox: MAILBOX, args: ctx => ({ threadId: ctx.need('threadId'), action: 'star' }) },
    { tool: 'inbox_send_message', mailbox: MAILBOX, args: ctx => ({ threadId: ctx.need('threadId'), to: [ctx.need('threadFrom')], body: 'Thanks, received.' }) },
    { tool: 'inbox_send_message', mailbox: MAILBOX, args: () => ({ to: ['you@example.com'], cc: ['team@example.com'], subject: 'E2E new thread', body: 'Hello from the E2E run.', html: false }) },

    // --- analytics and tracking ------------------------------------------------------------------
    { tool: 'analytics_overview', args: () => ({}) },
    { tool: 'analytics_summary', args: () => ({ period: 'weekly' }) },
    { tool: 'analytics_top_pages', args: () => ({ limit: 5 }) },
    { tool: 'analytics_top_referrers', args: () => ({ limit: 5 }) },
    { tool: 'tracking_clients_list', args: () => ({}) },
    {
        tool: 'tracking_clients_create', args: () => ({ name: 'E2E site', domain: 'e2e.acme.test', withSecret: true }),
        save: (r, ctx) => { ctx.trackingClientId = r?.id ?? r?.client?.id; }
    },
    { tool: 'tracking_clients_delete', args: ctx => ({ clientId: ctx.need('trackingClientId') }) },

    // --- insights --------------------------------------------------------------------------------
    { tool: 'insights_list', args: () => ({ limit: 5 }), verify: r => nonEmpty(items(r), 'page of insight reports') },
    { tool: 'insights_report_get', args: () => ({ reportId: SEED.report }) },
    { tool: 'insights_run', progress: true, args: () => ({ definitionId: SEED.definition }), verify: jobSucceeded },
    { tool: 'insights_run_all', args: () => ({}), verify: jobSucceeded },
    { tool: 'insights_create_custom', args: () => ({ name: 'E2E insight', prompt: 'Which sources bring the most visitors?' }), verify: jobSucceeded },

    // --- jobs: a job started on the backend directly, read and cancelled through the gateway -----
    { tool: 'jobs_get', before: startBackendJob, args: ctx => ({ jobId: ctx.need('jobId') }), verify: r => (r?.id ? undefined : `no job id: ${abbreviate(r, 300)}`) },
    {
        // a fresh job right before the cancel; the sandbox's jobs take a few hundred ms in tests, so a slow machine may
        // see one finish first: then the step is tried again with a new job
        tool: 'jobs_cancel', before: startBackendJob, attempts: 3, args: ctx => ({ jobId: ctx.need('jobId') }),
        verify: r => (['cancelled', 'cancelling'].includes(r?.status) ? undefined : `the job is ${JSON.stringify(r?.status)} after jobs_cancel`)
    },

    // --- clean-up of what the run created --------------------------------------------------------
    { tool: 'contact_fields_delete', args: () => ({ fieldKey: 'e2e_source' }) },
    { tool: 'contacts_delete', args: ctx => ({ contactId: ctx.need('contactId') }) },
    // a long operation through run_operation, with progress
    { tool: 'run_operation', progress: true, args: () => ({ operation: 'insights_run', arguments: { definitionId: 'idef_acme_0002' } }) }
];

/** Starts a call (a four-step job) on the backend itself, not through the gateway, so that a job is still running for jobs_get and jobs_cancel. */
async function startBackendJob(ctx) {
    const response = await sandboxApi(ctx.base, 'POST', `/v1/organizations/${ORG.id}/calls`, { agentId: SEED.agent, phone: '+14155550142' });
    ctx.jobId = response.json?.id ?? response.json?.job?.id;
    if (!ctx.jobId) {
        note(`could not start a backend job: ${response.status} ${abbreviate(response.text, 300)}`);
    }
}

class MissingValue extends Error {}

// ---------------------------------------------------------------------------------------------

class Pass {
    constructor(base, kind, manifest) {
        this.base = base;
        this.kind = kind;
        this.manifest = manifest;
        this.schemas = new OutputSchemas();
        this.succeeded = new Set();
        this.attempted = new Set();
    }

    tag(message) {
        return `[${SET}/${this.kind}] ${message}`;
    }

    async run() {
        note(`--- ${SET} tool set over ${this.kind} ---`);
        try {
            await resetSandbox(this.base);
        } catch (error) {
            notOk(this.tag('reset the sandbox'), describeError(error));
            return;
        }
        this.client = newClient(`switchboard-every-tool-${this.kind}`);
        this.client.onerror = error => note(this.tag(`client onerror: ${describeError(error).replace(/\n/g, '; ')}`));
        try {
            await this.client.connect(transport(this.kind, this.base, { Authorization: `Bearer ${API_KEY}`, 'x-account-id': MAILBOX }));
            ok(this.tag('connected'));
        } catch (error) {
            notOk(this.tag('connect'), describeError(error));
            return;
        }
        try {
            const tools = await this.listTools();
            if (tools) {
                await this.callEveryTool(tools);
            }
        } finally {
            await this.client.close().catch(() => {});
        }
    }

    async listTools() {
        let tools;
        try {
            tools = await listAllTools(this.client);
            ok(this.tag(`client.listTools() returned ${tools.length} tools`));
        } catch (error) {
            notOk(this.tag('client.listTools() threw in the SDK (it compiles every outputSchema)'), describeError(error));
            return null;
        }
        const names = tools.map(t => t.name);
        const operations = this.manifest.operations.map(o => o.name);
        const expected = SET === 'all' ? [...TOOLS.native, ...operations] : TOOLS.defaults;
        const missing = expected.filter(n => !names.includes(n));
        const unexpected = names.filter(n => !expected.includes(n));
        check(missing.length === 0 && unexpected.length === 0,
            this.tag(`the ${SET} tool set is exactly the ${expected.length} expected tools`),
            `missing: ${missing.join(', ') || 'none'}\nunexpected: ${unexpected.join(', ') || 'none'}`);
        if (SET === 'default') {
            check(tools.length <= 40, this.tag(`the default set has at most 40 tools (${tools.length})`));
            const missingReads = BLUEPRINT_READS.filter(n => !names.includes(n));
            check(missingReads.length === 0, this.tag('the default set has every read the inbox blueprints need'),
                `missing: ${missingReads.join(', ')}`);
        } else {
            check(operations.length === TOOLS.operationCount && tools.length === TOOLS.operationCount + TOOLS.native.length,
                this.tag(`every one of the ${TOOLS.operationCount} catalog operations is a tool, plus ${TOOLS.native.length} native tools (${tools.length})`),
                `${operations.length} operations, ${tools.length} tools`);
        }
        const readOnly = new Set([...NATIVE_READ_ONLY, ...this.manifest.operations.filter(o => o.readOnly).map(o => o.name)]);
        const wrongHints = tools.filter(t => readOnly.has(t.name) !== (t.annotations?.readOnlyHint === true))
            .map(t => `${t.name}: readOnlyHint ${t.annotations?.readOnlyHint}, expected ${readOnly.has(t.name)}`);
        check(wrongHints.length === 0, this.tag('every read tool, and only those, is annotated readOnlyHint=true'), wrongHints.join('\n'));
        const withoutSchema = tools.filter(t => !t.outputSchema).map(t => t.name);
        check(withoutSchema.length === 0, this.tag('every tool declares an outputSchema'), withoutSchema.join(', '));
        const broken = this.schemas.compile(tools);
        check(broken.length === 0, this.tag(`every outputSchema compiles with Ajv (draft 2020-12, formats): ${this.schemas.validators.size}`), broken.join('\n'));
        // the check is not vacuous: an empty object lacks the envelope every outputSchema requires
        const vacuous = tools.filter(t => this.schemas.validators.has(t.name) && !this.schemas.problems(t.name, {})).map(t => t.name);
        check(vacuous.length === 0, this.tag('every outputSchema requires the envelope (an empty object fails it)'), vacuous.join(', '));
        return tools;
    }

    async callEveryTool(tools) {
        const listed = new Set(tools.map(t => t.name));
        const ctx = {
            base: this.base,
            need(key) {
                if (this[key] === undefined || this[key] === null) {
                    throw new MissingValue(key);
                }
                return this[key];
            }
        };
        for (const step of STEPS) {
            if (!listed.has(step.tool)) {
                continue;
            }
            this.attempted.add(step.tool);
            for (let attempt = 1; attempt <= (step.attempts || 1); attempt++) {
                if (step.before) {
                    await step.before(ctx);
                }
                let args;
                try {
                    args = step.args(ctx);
                } catch (error) {
                    if (error instanceof MissingValue) {
                        notOk(this.tag(`${step.tool} not called: an earlier step did not produce ${error.message}`));
                        break;
                    }
                    throw error;
                }
                if (await this.callStep(step, args, ctx, attempt < (step.attempts || 1))) {
                    break;
                }
            }
        }
        const uncalled = [...listed].filter(n => !this.attempted.has(n));
        check(uncalled.length === 0, this.tag('the fixture table calls every listed tool'), `no fixture for: ${uncalled.join(', ')}`);
        const failedTools = [...listed].filter(n => !this.succeeded.has(n));
        check(failedTools.length === 0, this.tag(`every listed tool succeeded at least once (${this.succeeded.size}/${listed.size})`),
            `never succeeded: ${failedTools.join(', ')}`);
    }

    /** Calls one step; true when it passed. With mayRetry, a failure is only noted (the caller tries again). */
    async callStep(step, args, ctx, mayRetry = false) {
        const fail = (message, details) => (mayRetry ? note(this.tag(`${message} (trying again): ${String(details).split('\n')[0]}`)) : notOk(message, details));
        const progress = [];
        const started = Date.now();
        const options = { timeout: 60000 };
        if (step.progress) {
            options.onprogress = p => progress.push(p);
            options.resetTimeoutOnProgress = true;
        }
        const label = `${step.tool} ${abbreviate(JSON.stringify(args), 120)}`;
        let { result, error } = await callTool(this.client, step.tool, args, options);
        const wait = result?.isError && /rate limit/i.test(lastLine(result)) && /retry in (\d+) s/i.exec(lastLine(result));
        if (wait) {
            // what a well-behaved client does with the gateway's per-key rate limit (off in the test profile)
            note(this.tag(`${step.tool}: ${lastLine(result)}; waiting`));
            await new Promise(resolve => setTimeout(resolve, Number(wait[1]) * 1000 + 500));
            ({ result, error } = await callTool(this.client, step.tool, args, options));
        }
        if (error) {
            fail(this.tag(`${label}: threw in the SDK`), `${describeError(error)}`);
            return false;
        }
        if (result.isError) {
            fail(this.tag(`${label}: isError`), lastLine(result));
            return false;
        }
        const problems = [];
        const schemaProblems = this.schemas.problems(step.tool, result.structuredContent);
        if (schemaProblems) {
            problems.push(`structuredContent does not match the outputSchema (Ajv):\n${schemaProblems}`);
        }
        problems.push(...envelopeProblems(result, { mailbox: step.mailbox }));
        const r = result.structuredContent?.result;
        try {
            step.save?.(r, ctx);
            const problem = step.verify?.(r, ctx);
            if (problem) {
                problems.push(problem);
            }
        } catch (e) {
            problems.push(`checking the result threw: ${describeError(e)}`);
        }
        if (step.progress && this.kind === 'streamable-http') {
            // Over legacy SSE the SDK can miss notifications (a client-side race): only HTTP is required to show them.
            if (progress.length === 0) {
                problems.push('no progress notification for a call with a progress token');
            } else if (!progress.every((p, i) => i === 0 || p.progress > progress[i - 1].progress)) {
                problems.push(`progress does not increase: ${JSON.stringify(progress.map(p => p.progress))}`);
            }
        }
        const timing = `${Date.now() - started} ms${step.progress ? `, ${progress.length} progress` : ''}`;
        if (problems.length) {
            fail(this.tag(`${label} (${timing})`), `${problems.join('\n')}\n--- structuredContent:\n${abbreviate(result.structuredContent, 1200)}`);
            return false;
        }
        this.succeeded.add(step.tool);
        ok(this.tag(`${label} (${timing})`));
        return true;
    }
}

async function main() {
    const base = baseUrl();
    if (!['default', 'all'].includes(SET)) {
        throw new Error(`the tool set must be "default" or "all", not ${SET}`);
    }
    TOOLS = await toolSet(base);
    note(`expected tool set from ${TOOLS.source}: ${TOOLS.native.length} native tools, ${TOOLS.curated?.length ?? '?'} curated of ${TOOLS.operationCount} operations`);
    const response = await fetch(`${base}/mcp-manifest.json`);
    const manifest = await response.json();
    check(Array.isArray(manifest.operations) && manifest.operations.length > 0, `GET /mcp-manifest.json lists ${manifest.operations?.length} operations`);
    for (const kind of ['streamable-http', 'sse']) {
        await new Pass(base, kind, manifest).run();
    }
}

runMain(main);
