/**
 * `npm run dev -- --queue` (or `npm run dev:queue`): the package in n8n's queue mode, as merchants run it at
 * scale: Postgres, Redis, a main process, two workers and a webhook process, next to the Ottu sandbox, with the
 * owner, the credential and the examples provisioned. Data lives in .dev/queue/ and survives restarts (delete
 * that folder to start afresh). Ctrl-C stops everything this started.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Owner, ProvisionState } from './provision';
import { CREDENTIAL_NAME, loadExamples, provision } from './provision';
import type { QueueStack } from './queue';
import { startQueueStack, stopQueueStack } from './queue';
import { stopPostgres } from './services';
import { ensureRuntime, N8N_VERSION, REPO_ROOT } from './runtime';
import type { SandboxKeys, Service } from './stack';
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

function readState(): QueueDevState {
	try {
		return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as QueueDevState;
	} catch {
		return {};
	}
}

function writeState(state: QueueDevState): void {
	fs.mkdirSync(QUEUE_DEV_DIR, { recursive: true });
	fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
}

function envNumber(name: string, fallback: number): number {
	const raw = process.env[name];
	if (!raw) return fallback;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1 || value > 65535) throw new Error(`${name}=${raw} is not a whole number from 1 to 65535`);
	return value;
}

/** Production URLs of an example's webhook nodes, on the webhook process. */
function webhookUrls(file: string, webhookUrl: string): string[] {
	const example = loadExamples().find((e) => e.file === file);
	return (example?.workflow.nodes ?? []).flatMap((node) => {
		if (node.type === 'n8n-nodes-base.webhook') return [`POST ${webhookUrl}/webhook/${String(node.parameters.path)}`];
		if (node.type.endsWith('.ottuTrigger') && node.webhookId) return [`Ottu Trigger URL: ${webhookUrl}/webhook/${node.webhookId}/webhook`];
		return [];
	});
}

function initialState(): QueueDevState {
	const state = readState();
	state.owner ??= {
		email: process.env.N8N_DEV_EMAIL || 'dev@n8n-nodes-ottu.dev',
		password: process.env.N8N_DEV_PASSWORD || `Ottu-${randomBytes(4).toString('hex')}-Dev1`,
		firstName: 'Ottu',
		lastName: 'Developer',
	};
	state.sandboxKeys ??= {
		apiKey: `sbx.${randomBytes(16).toString('hex')}`,
		username: 'merchant',
		password: randomBytes(12).toString('hex'),
		hmacKey: randomBytes(16).toString('hex'),
	};
	// Kept: the database's credentials are encrypted with it, and every process must use the same one.
	state.encryptionKey ??= randomBytes(24).toString('base64url');
	state.dbPassword ??= randomBytes(16).toString('hex');
	writeState(state);
	return state;
}

export async function runQueueDev(): Promise<void> {
	const t0 = Date.now();
	const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
	const state = initialState();
	const runtime = await ensureRuntime(log);
	if (!buildPackage(log, path.join(QUEUE_DEV_DIR, 'build-stamp'))) log('dist/ is up to date');

	const services: Service[] = [];
	const stack: Partial<QueueStack> = {};
	let stopping = false;
	const stopAll = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping…');
		await stopQueueStack(stack);
		await Promise.all(services.filter((s) => s.name === 'Ottu sandbox').map((s) => stopService(s)));
		// Whatever was still starting; Postgres gets its fast shutdown rather than a wait for clients.
		await Promise.all(services.filter((s) => s.name === 'Postgres').map((s) => stopPostgres(s)));
		await stopAllStarted();
		log('stopped (data kept in .dev/queue for next time)');
		process.exit(code);
	};
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));
	process.on('SIGHUP', () => void stopAll(0));

	try {
		const sandbox = await startSandbox({ port: envNumber('OTTU_SANDBOX_PORT', 8787), keys: state.sandboxKeys!, logFile: path.join(QUEUE_DEV_DIR, 'sandbox.log') });
		services.push(sandbox);
		log(`Ottu sandbox ready on ${sandbox.url} (${seconds()})`);
		Object.assign(
			stack,
			await startQueueStack(
				{
					runtime,
					dir: QUEUE_DEV_DIR,
					encryptionKey: state.encryptionKey!,
					dbPassword: state.dbPassword!,
					mainPort: envNumber('N8N_DEV_PORT', 5678),
					webhookPort: envNumber('N8N_DEV_WEBHOOK_PORT', 5690),
					workers: envNumber('N8N_DEV_WORKERS', 2),
					concurrency: envNumber('N8N_DEV_CONCURRENCY', 5),
					log,
				},
				(s) => services.push(s),
			),
		);
		const full = stack as QueueStack;
		const result = await provision({ n8nUrl: full.mainUrl, owner: state.owner!, sandboxUrl: sandbox.url, keys: state.sandboxKeys!, state, log });
		writeState(state);

		for (const s of services) {
			s.child.once('exit', (code, signal) => {
				if (stopping) return;
				console.error(`[dev:queue] ${s.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${path.relative(REPO_ROOT, s.logFile)}`);
				void stopAll(1);
			});
		}
		const rel = (f: string) => path.relative(REPO_ROOT, f);
		console.log(
			[
				'',
				`  n8n ${N8N_VERSION} in queue mode with n8n-nodes-ottu is running (${seconds()}).`,
				'',
				`  Editor (main):     ${full.mainUrl}/`,
				`  Login:             ${state.owner!.email}`,
				`  Password:          ${state.owner!.password}`,
				`  Production webhooks (webhook process): ${full.webhookUrl}/webhook/…   test webhooks stay on main: ${full.mainUrl}/webhook-test/…`,
				`  Workers:           ${full.workers.map((w) => `${w.name} (health ${w.url}/healthz)`).join(', ')}`,
				`  Postgres:          127.0.0.1:${full.postgres.port}, database ${full.postgres.database}, user ${full.postgres.user}`,
				`  Redis:             127.0.0.1:${full.redis.port} (no persistence)`,
				'',
				`  Ottu sandbox: ${sandbox.url}  (credential "${CREDENTIAL_NAME}" points here)`,
				`    API key ${state.sandboxKeys!.apiKey}, webhook HMAC key ${state.sandboxKeys!.hmacKey}`,
				'',
				'  Example workflows:',
				...result.workflows.flatMap((w) => [
					`    ${w.active ? '●' : '○'} ${w.name}  ${full.mainUrl}/workflow/${w.id}`,
					...webhookUrls(w.file, full.webhookUrl).map((u) => `        ${u}`),
				]),
				...result.skipped.map((s) => `    – examples/${s.file} not imported: ${s.reason}`),
				'',
				`  Logs: ${rel(QUEUE_DEV_DIR)}/{main,worker-1,worker-2,webhook-1}.log, postgres/postgres.log, redis/redis.log, sandbox.log.`,
				'  Ctrl-C stops everything; the data stays in .dev/queue for next time (delete that folder to start afresh).',
				'',
			].join('\n'),
		);
	} catch (error) {
		console.error(`[dev:queue] ${(error as Error).message}`);
		await stopAll(1);
	}
}
