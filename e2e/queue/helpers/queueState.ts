/** What the queue suite's globalSetup started, and the n8n and process helpers its test files share. */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { N8nApi } from '../../../scripts/dev/n8nApi';
import type { WorkflowFile, WorkflowNode } from '../../../scripts/dev/n8nApi';
import type { QueueProcess, QueueRole, QueueStackOptions } from '../../../scripts/dev/queue';
import { startQueueProcess } from '../../../scripts/dev/queue';
import { REPO_ROOT } from '../../../scripts/dev/runtime';
import { stopService } from '../../../scripts/dev/stack';
import type { E2eState } from '../../helpers/state';
import { loggedInApi } from '../../helpers/state';

export const QUEUE_E2E_DIR = path.join(REPO_ROOT, '.dev', 'e2e-queue');
export const QUEUE_STATE_FILE = path.join(QUEUE_E2E_DIR, 'state.json');
/** Process groups started by test files (replacement workers): globalTeardown kills any still running. */
export const EXTRA_PIDS_FILE = path.join(QUEUE_E2E_DIR, 'extra-pids');
const COOKIE_FILE = path.join(QUEUE_E2E_DIR, 'owner-cookie');

export interface ProcessInfo {
	name: string;
	role: QueueRole;
	pid: number;
	logFile: string;
	userFolder: string;
	port: number;
	url: string;
}

/** E2eState's fields (so the shared sandbox helpers work; n8nUrl is main) plus the queue stack. */
export interface QueueE2eState extends E2eState {
	mainUrl: string;
	/** The first webhook process. */
	webhookUrl: string;
	/** Every webhook process, as a load balancer in front of them would see them. */
	webhookUrls: string[];
	processes: ProcessInfo[];
	/** Enough to start another process of the stack from a test. */
	stack: {
		opts: Omit<QueueStackOptions, 'log'>;
		postgres: {
			port: number;
			database: string;
			user: string;
			password: string;
			dir: string;
			pid: number;
		};
		redis: { port: number; dir: string; pid: number };
	};
}

export function readQueueState(): QueueE2eState {
	if (!fs.existsSync(QUEUE_STATE_FILE))
		throw new Error(
			`no ${QUEUE_STATE_FILE}: run the suite with npm run test:e2e:queue (globalSetup starts the stack)`,
		);
	return JSON.parse(fs.readFileSync(QUEUE_STATE_FILE, 'utf8')) as QueueE2eState;
}

/** A client of main logged in as the owner (cookie for internal routes, API key for the public API). */
export async function queueOwnerApi(state: QueueE2eState): Promise<N8nApi> {
	return await loggedInApi(state.mainUrl, state.apiKey, state.owner, COOKIE_FILE);
}

/** Records a process group started by a test file (a replacement process or service) for globalTeardown. */
export function recordExtraPid(pid: number): void {
	fs.appendFileSync(EXTRA_PIDS_FILE, `${pid}\n`);
}

/** Starts another n8n process of the stack (a replacement worker), recorded for globalTeardown. */
export async function startExtraProcess(
	state: QueueE2eState,
	role: QueueRole,
	name: string,
	opts: { port?: number; userFolder?: string; logFile?: string; appendLog?: boolean } = {},
): Promise<QueueProcess> {
	const base = { ...state.stack, opts: { ...state.stack.opts, log: () => undefined } };
	const proc = await startQueueProcess(base, role, name, opts);
	recordExtraPid(proc.child.pid!);
	return proc;
}

export async function stopExtraProcess(proc: QueueProcess | undefined): Promise<void> {
	if (proc) await stopService(proc);
}

/** SIGKILL to the whole process group: the n8n process and its task-runner child, as when a container dies. */
export function killGroup(pid: number): void {
	try {
		process.kill(-pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

export async function waitUntilGone(pid: number, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			process.kill(-pid, 0);
		} catch {
			return;
		}
		if (Date.now() > deadline) throw new Error(`process group ${pid} still alive after SIGKILL`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/** Names of the worker log files (original and replacement workers) that started this execution. */
export function workersThatStarted(executionId: string): string[] {
	const logs = fs.readdirSync(QUEUE_E2E_DIR).filter((f) => /^worker-.*\.log$/.test(f));
	const line = new RegExp(`Worker started execution ${executionId} \\(job`);
	return logs
		.filter((f) => line.test(fs.readFileSync(path.join(QUEUE_E2E_DIR, f), 'utf8')))
		.map((f) => f.replace(/\.log$/, ''));
}

let nodeCounter = 0;

/** An Ottu node using the suite's credential. */
export function ottuNode(
	state: QueueE2eState,
	name: string,
	parameters: Record<string, unknown>,
	position: [number, number],
): WorkflowNode {
	nodeCounter++;
	return {
		id: `0e2e0000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`,
		name,
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		position,
		credentials: { ottuApi: { id: state.credentialId, name: 'Ottu Sandbox' } },
		parameters,
	};
}

/** A linear workflow: each node feeds the next. */
export function chain(name: string, nodes: WorkflowNode[]): WorkflowFile {
	const connections: Record<string, unknown> = {};
	for (let i = 0; i < nodes.length - 1; i++) {
		connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	}
	return { name, nodes, connections, settings: { executionOrder: 'v1' } };
}

/**
 * Waits until a production webhook path answers on a process: a CORS preflight (which starts nothing) lists
 * its methods once the registration is in the database.
 */
export async function waitForWebhook(
	baseUrl: string,
	urlPath: string,
	method = 'POST',
	timeoutMs = 60_000,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const res = await fetch(`${baseUrl}/webhook/${urlPath}`, {
			method: 'OPTIONS',
			headers: { origin: 'http://127.0.0.1', 'access-control-request-method': method },
		});
		if (
			res.status === 204 &&
			(res.headers.get('access-control-allow-methods') ?? '').includes(method)
		)
			return;
		if (Date.now() > deadline)
			throw new Error(
				`production webhook ${method} ${urlPath} not registered on ${baseUrl} after ${timeoutMs / 1000} s (last ${res.status})`,
			);
		await sleep(250);
	}
}

/** Production webhook paths of a workflow (Webhook: <path>; Ottu Trigger: <webhookId>/webhook). */
function webhookPaths(workflow: WorkflowFile): string[] {
	return workflow.nodes.flatMap((n) => {
		if (n.type === 'n8n-nodes-base.webhook') return [String(n.parameters.path)];
		if (n.type.endsWith('.ottuTrigger') && n.webhookId) return [`${n.webhookId}/webhook`];
		return [];
	});
}

/** Creates the workflow through main's public API, publishes it and waits until the webhook process serves it. */
export async function createActive(
	api: N8nApi,
	workflow: WorkflowFile,
	webhookBaseUrl?: string,
): Promise<string> {
	const id = await api.createWorkflow(workflow);
	await api.activateWorkflow(id);
	if (webhookBaseUrl)
		for (const p of webhookPaths(workflow)) await waitForWebhook(webhookBaseUrl, p);
	return id;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
