/**
 * `npm run dev -- --queue` (or `npm run dev:queue`): the package in n8n's queue mode, as merchants run it at
 * scale: Postgres, Redis, a main process, two workers and a webhook process, next to the Ottu sandbox, with the
 * owner, the credential and the examples provisioned. Data lives in .dev/queue/ and survives restarts (delete
 * that folder to start afresh). A process that dies is started again, as a deployment's supervisor would
 * (supervise.ts). Ctrl-C stops everything this started.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import type { Owner, ProvisionResult, ProvisionState } from './provision';
import { devOwner, envNumber, exampleWebhookUrls, readJsonState, writeJsonState } from './devState';
import { CREDENTIAL_NAME, provision } from './provision';
import type { QueueStack } from './queue';
import { startQueueStack, stopQueueStack } from './queue';
import { stopPostgres } from './services';
import type { Supervision } from './supervise';
import { superviseStack } from './supervise';
import type { Runtime } from './runtime';
import { ensureRuntime, N8N_VERSION, REPO_ROOT } from './runtime';
import type { SandboxKeys, Service } from './stack';
import { onShutdown } from './shutdown';
import { buildPackage, startSandbox, stopAllStarted, stopService } from './stack';

export const QUEUE_DEV_DIR = path.join(REPO_ROOT, '.dev', 'queue');
const STATE_FILE = path.join(QUEUE_DEV_DIR, 'state.json');

interface QueueDevState extends ProvisionState {
	owner?: Owner;
	sandboxKeys?: SandboxKeys;
	encryptionKey?: string;
	dbPassword?: string;
}

const log = (message: string) => console.log(`[dev:queue] ${message}`);

function initialState(): QueueDevState {
	const state = readJsonState<QueueDevState>(STATE_FILE);
	state.owner ??= devOwner();
	state.sandboxKeys ??= {
		apiKey: `sbx.${randomBytes(16).toString('hex')}`,
		username: 'merchant',
		password: randomBytes(12).toString('hex'),
		hmacKey: randomBytes(16).toString('hex'),
	};
	// Kept: the database's credentials are encrypted with it, and every process must use the same one.
	state.encryptionKey ??= randomBytes(24).toString('base64url');
	state.dbPassword ??= randomBytes(16).toString('hex');
	writeJsonState(STATE_FILE, state);
	return state;
}

interface Shutdown {
	/** Started outside the stack (the sandbox) or still starting inside it. */
	services: Service[];
	stack: Partial<QueueStack>;
	stopping: boolean;
	stopAll: (code: number) => Promise<void>;
}

/** Ctrl-C, SIGTERM or SIGHUP (to this process or to npm's) stop everything once, then exit. */
function stopOnSignals(): Shutdown {
	const shutdown: Shutdown = {
		services: [],
		stack: {},
		stopping: false,
		stopAll: async (code: number) => {
			if (shutdown.stopping) return;
			shutdown.stopping = true;
			const { services } = shutdown;
			log('stopping…');
			await stopQueueStack(shutdown.stack);
			await Promise.all(
				services.filter((s) => s.name === 'Ottu sandbox').map((s) => stopService(s)),
			);
			// Whatever was still starting; Postgres gets its fast shutdown rather than a wait for clients.
			await Promise.all(services.filter((s) => s.name === 'Postgres').map((s) => stopPostgres(s)));
			await stopAllStarted();
			log('stopped (data kept in .dev/queue for next time)');
			process.exit(code);
		},
	};
	onShutdown(shutdown.stopAll);
	return shutdown;
}

/** The sandbox dying stops the stack (it is not part of a deployment); n8n, Postgres and Redis restart. */
function superviseAll(shutdown: Shutdown, stack: QueueStack, sandbox: Service): void {
	const supervision: Supervision = {
		get stopping() {
			return shutdown.stopping;
		},
	};
	const giveUp = (reason: string) => {
		if (shutdown.stopping) return;
		console.error(`[dev:queue] ${reason}; stopping everything`);
		void shutdown.stopAll(1);
	};
	superviseStack(stack, supervision, log, giveUp);
	sandbox.child.once('exit', (code, signal) =>
		giveUp(
			`the Ottu sandbox stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${path.relative(REPO_ROOT, sandbox.logFile)}`,
		),
	);
}

async function startServices(
	runtime: Runtime,
	state: QueueDevState,
	shutdown: Shutdown,
	seconds: () => string,
): Promise<{ sandbox: Service; stack: QueueStack }> {
	const sandbox = await startSandbox({
		port: envNumber('OTTU_SANDBOX_PORT', 8787),
		keys: state.sandboxKeys!,
		logFile: path.join(QUEUE_DEV_DIR, 'sandbox.log'),
	});
	shutdown.services.push(sandbox);
	log(`Ottu sandbox ready on ${sandbox.url} (${seconds()})`);
	Object.assign(
		shutdown.stack,
		await startQueueStack(
			{
				runtime,
				dir: QUEUE_DEV_DIR,
				encryptionKey: state.encryptionKey!,
				dbPassword: state.dbPassword!,
				mainPort: envNumber('N8N_DEV_PORT', 5678),
				webhookPort: envNumber('N8N_DEV_WEBHOOK_PORT', 5690),
				workers: envNumber('N8N_DEV_WORKERS', 2),
				webhooks: envNumber('N8N_DEV_WEBHOOKS', 1),
				concurrency: envNumber('N8N_DEV_CONCURRENCY', 5),
				log,
			},
			(s) => shutdown.services.push(s),
		),
	);
	return { sandbox, stack: shutdown.stack as QueueStack };
}

function readyMessage(
	full: QueueStack,
	sandboxUrl: string,
	state: QueueDevState,
	result: ProvisionResult,
	seconds: () => string,
): string {
	const rel = (f: string) => path.relative(REPO_ROOT, f);
	return [
		'',
		`  n8n ${N8N_VERSION} in queue mode with n8n-nodes-ottu is running (${seconds()}).`,
		'',
		`  Editor (main):     ${full.mainUrl}/`,
		`  Login:             ${state.owner!.email}`,
		`  Password:          ${state.owner!.password}`,
		`  Production webhooks (webhook process): ${full.webhookUrl}/webhook/…   test webhooks stay on main: ${full.mainUrl}/webhook-test/…`,
		...full.webhooks.slice(1).map((w) => `  Another webhook process: ${w.url}/webhook/…`),
		`  Workers:           ${full.workers.map((w) => `${w.name} (health ${w.url}/healthz)`).join(', ')}`,
		`  Postgres:          127.0.0.1:${full.postgres.port}, database ${full.postgres.database}, user ${full.postgres.user}`,
		`  Redis:             127.0.0.1:${full.redis.port} (append-only file: queued executions survive a restart)`,
		'',
		`  Ottu sandbox: ${sandboxUrl}  (credential "${CREDENTIAL_NAME}" points here)`,
		`    API key ${state.sandboxKeys!.apiKey}, webhook HMAC key ${state.sandboxKeys!.hmacKey}`,
		'',
		'  Example workflows:',
		...result.workflows.flatMap((w) => [
			`    ${w.active ? '●' : '○'} ${w.name}  ${full.mainUrl}/workflow/${w.id}`,
			...exampleWebhookUrls(w.file, full.webhookUrl).map((u) => `        ${u}`),
		]),
		...result.skipped.map((s) => `    – examples/${s.file} not imported: ${s.reason}`),
		'',
		`  Logs: ${rel(QUEUE_DEV_DIR)}/{main,worker-1,worker-2,webhook-1}.log, postgres/postgres.log, redis/redis.log, sandbox.log.`,
		'  A process that dies is started again, as a supervisor would (kill one to try a crash).',
		'  Ctrl-C stops everything; the data stays in .dev/queue for next time (delete that folder to start afresh).',
		'',
	].join('\n');
}

export async function runQueueDev(): Promise<void> {
	const t0 = Date.now();
	const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
	const state = initialState();
	// Before the install and the build, so that a stop then ends them too (runtime.ts).
	const shutdown = stopOnSignals();
	const runtime = await ensureRuntime(log);
	if (!buildPackage(log, path.join(QUEUE_DEV_DIR, 'build-stamp'))) log('dist/ is up to date');

	try {
		const { sandbox, stack } = await startServices(runtime, state, shutdown, seconds);
		const result = await provision({
			n8nUrl: stack.mainUrl,
			owner: state.owner!,
			sandboxUrl: sandbox.url,
			keys: state.sandboxKeys!,
			state,
			log,
		});
		writeJsonState(STATE_FILE, state);
		superviseAll(shutdown, stack, sandbox);
		console.log(readyMessage(stack, sandbox.url, state, result, seconds));
	} catch (error) {
		console.error(`[dev:queue] ${(error as Error).message}`);
		await shutdown.stopAll(1);
	}
}
