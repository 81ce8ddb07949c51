/**
 * Makes a running n8n ready to use: owner account, public-API key, an "Ottu Sandbox" credential pointing at
 * the sandbox, and the example workflows from examples/ (credentials pointed at it, triggers activated).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { WorkflowFile } from './n8nApi';
import { N8nApi } from './n8nApi';
import { REPO_ROOT } from './runtime';
import type { SandboxKeys } from './stack';

export const CREDENTIAL_NAME = 'Ottu Sandbox';
export const CREDENTIAL_TYPE = 'ottuApi';
export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/**
 * The n8n Data Table the payment-link examples record every link they create in (reconciliation and bulk
 * re-runs read it). Created empty when missing, so the examples import and run without a manual step.
 */
export const PAYMENT_LINKS_TABLE = {
	name: 'ottu_payment_links',
	columns: [
		'order_no',
		'session_id',
		'checkout_url',
		'amount',
		'currency_code',
		'customer_email',
		'state',
		'checked_at',
	].map((name) => ({ name, type: 'string' as const })),
};

/**
 * The claims the paid-payment example writes before it notifies: one row per run, and only the run whose row
 * came first for a payment goes on, so a webhook delivered twice notifies once.
 */
export const NOTIFICATIONS_TABLE = {
	name: 'ottu_notifications',
	columns: ['claim_key', 'claimed_by'].map((name) => ({ name, type: 'string' as const })),
};

/** Node types that start a workflow on their own once it is active. */
const ACTIVATING_TRIGGERS = new Set([
	'n8n-nodes-base.webhook',
	'n8n-nodes-base.scheduleTrigger',
	'n8n-nodes-base.formTrigger',
]);

export interface Owner {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

export interface ExampleWorkflow {
	file: string;
	workflow: WorkflowFile;
}

export interface ProvisionState {
	apiKey?: string;
	credentialId?: string;
	/** Example file name -> workflow id, so a second run does not import twice. */
	workflows?: Record<string, string>;
}

export function loadExamples(): ExampleWorkflow[] {
	if (!fs.existsSync(EXAMPLES_DIR)) return [];
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) as WorkflowFile,
		}));
}

/** Node types the instance knows, from the editor's type list (needs the login cookie). */
export async function knownNodeTypes(api: N8nApi): Promise<Set<string>> {
	const res = await api.request<Array<{ name: string }>>('GET', '/types/nodes.json');
	if (res.status !== 200 || !Array.isArray(res.body))
		throw new Error(`GET /types/nodes.json answered ${res.status}`);
	return new Set(res.body.map((t) => t.name));
}

/** The example with every Ottu credential reference pointed at credentialId. */
export function withCredential(workflow: WorkflowFile, credentialId: string): WorkflowFile {
	return {
		...workflow,
		nodes: workflow.nodes.map((node) =>
			node.credentials?.[CREDENTIAL_TYPE]
				? {
						...node,
						credentials: {
							...node.credentials,
							[CREDENTIAL_TYPE]: { id: credentialId, name: CREDENTIAL_NAME },
						},
					}
				: node,
		),
	};
}

/** The id of the data table with this name, or undefined (public API, needs the dataTable:list scope). */
export async function findDataTable(api: N8nApi, name: string): Promise<string | undefined> {
	const page = await api.call<{ data: Array<{ id: string; name: string }> }>(
		'GET',
		`/api/v1/data-tables?filter=${encodeURIComponent(JSON.stringify({ name }))}`,
	);
	return page.data.find((t) => t.name === name)?.id;
}

/** Creates the table in the owner's personal project unless one with its name exists. */
export async function ensureDataTable(
	api: N8nApi,
	table: { name: string; columns: Array<{ name: string; type: string }> },
): Promise<'created' | 'existing'> {
	if (await findDataTable(api, table.name)) return 'existing';
	await api.call('POST', '/api/v1/data-tables', table);
	return 'created';
}

export function needsActivation(workflow: WorkflowFile): boolean {
	return workflow.nodes.some(
		(n) => ACTIVATING_TRIGGERS.has(n.type) || /\.ottuTrigger$/.test(n.type),
	);
}

export function credentialData(sandboxUrl: string, keys: SandboxKeys): Record<string, unknown> {
	return {
		baseUrl: sandboxUrl,
		authentication: 'apiKey',
		apiKey: keys.apiKey,
		hmacSecret: keys.hmacKey,
	};
}

export interface ProvisionResult {
	api: N8nApi;
	ownerCreated: boolean;
	credentialId: string;
	workflows: Array<{ file: string; id: string; name: string; active: boolean }>;
	/** Examples left out because this build lacks a node they use (e.g. an operation still being written). */
	skipped: Array<{ file: string; reason: string }>;
}

interface ProvisionOptions {
	n8nUrl: string;
	owner: Owner;
	sandboxUrl: string;
	keys: SandboxKeys;
	state: ProvisionState;
	log: (m: string) => void;
}

export async function provision(opts: ProvisionOptions): Promise<ProvisionResult> {
	const { state, log } = opts;
	const api = new N8nApi(opts.n8nUrl);
	const ownerCreated = (await api.ensureOwner(opts.owner)) === 'created';

	api.apiKey = state.apiKey ?? '';
	if (!(await api.apiKeyWorks()))
		state.apiKey = await api.createApiKey(`n8n-nodes-ottu dev ${new Date().toISOString()}`);

	const credentialId = await ensureCredential(api, opts);
	await ensurePaymentLinksTable(api, log);
	const { workflows, skipped } = await importExamples(api, credentialId, state, log);
	return { api, ownerCreated, credentialId, workflows, skipped };
}

async function ensureCredential(api: N8nApi, opts: ProvisionOptions): Promise<string> {
	const { state, log } = opts;
	const data = credentialData(opts.sandboxUrl, opts.keys);
	const existing = state.credentialId
		? await api.request('GET', `/rest/credentials/${state.credentialId}`)
		: undefined;
	if (existing?.status === 200) {
		// Same credential, refreshed in case the sandbox port or keys changed since the last run.
		await api.call('PATCH', `/rest/credentials/${state.credentialId}`, {
			name: CREDENTIAL_NAME,
			type: CREDENTIAL_TYPE,
			data,
		});
	} else {
		state.credentialId = await api.createCredential(CREDENTIAL_NAME, CREDENTIAL_TYPE, data);
		log(`created the "${CREDENTIAL_NAME}" credential`);
	}
	return state.credentialId!;
}

async function ensurePaymentLinksTable(api: N8nApi, log: (m: string) => void): Promise<void> {
	for (const table of [PAYMENT_LINKS_TABLE, NOTIFICATIONS_TABLE]) {
		try {
			if ((await ensureDataTable(api, table)) === 'created')
				log(`created the "${table.name}" data table`);
		} catch (error) {
			// The examples still import; those that use the table fail at their data table step.
			log(
				`could not create the "${table.name}" data table the examples use: ${(error as Error).message}`,
			);
		}
	}
}

/** Imports the examples not imported yet (or deleted in n8n) and activates the new ones that need it. */
async function importExamples(
	api: N8nApi,
	credentialId: string,
	state: ProvisionState,
	log: (m: string) => void,
): Promise<Pick<ProvisionResult, 'workflows' | 'skipped'>> {
	const types = await knownNodeTypes(api);
	const present = new Map((await api.listWorkflows()).map((w) => [w.id, w]));
	state.workflows ??= {};
	const workflows: ProvisionResult['workflows'] = [];
	const skipped: ProvisionResult['skipped'] = [];
	for (const { file, workflow } of loadExamples()) {
		const missing = workflow.nodes.map((n) => n.type).filter((t) => !types.has(t));
		if (missing.length > 0) {
			skipped.push({ file, reason: `this build has no ${[...new Set(missing)].join(', ')}` });
			continue;
		}
		let id = state.workflows[file];
		let imported = false;
		if (!id || !present.has(id)) {
			id = await api.createWorkflow(withCredential(workflow, credentialId));
			state.workflows[file] = id;
			imported = true;
			log(`imported examples/${file} as "${workflow.name}"`);
		}
		let active = present.get(id)?.active ?? false;
		// Only on import: a workflow the user switched off stays off.
		if (imported && needsActivation(workflow)) {
			try {
				await api.activateWorkflow(id);
				active = true;
			} catch (error) {
				log(`could not activate "${workflow.name}": ${(error as Error).message}`);
			}
		}
		workflows.push({ file, id, name: workflow.name, active });
	}
	return { workflows, skipped };
}
