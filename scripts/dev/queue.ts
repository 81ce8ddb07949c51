/**
 * n8n in queue mode on one machine: Postgres and Redis (see services.ts), a main process (editor, REST API,
 * timers, test webhooks), workers that run executions taken from the Redis queue, and webhook processes that
 * receive production webhooks. Every process gets the same encryption key and database, its own user folder
 * with the package installed in it, its own port and its own task-runner broker port, all on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Log, Runtime } from './runtime';
import type { PostgresService } from './services';
import { ensureServicePackages, startPostgres, startRedis, stopPostgres } from './services';
import type { Service } from './stack';
import {
	freePort,
	linkPackage,
	n8nEnv,
	portInUse,
	spawnGroup,
	stopService,
	waitForHttp,
} from './stack';

export type QueueRole = 'main' | 'worker' | 'webhook';

export interface QueueProcess extends Service {
	role: QueueRole;
	userFolder: string;
	/** HTTP port: the editor/webhook server, or the worker's health server. */
	port: number;
	brokerPort: number;
}

export interface QueueStackOptions {
	runtime: Runtime;
	/** Holds postgres/, redis/ and one user folder per n8n process. */
	dir: string;
	encryptionKey: string;
	dbPassword: string;
	mainPort: number;
	webhookPort: number;
	workers: number;
	/** Webhook processes (default 1); the first listens on webhookPort, the others on free ports. */
	webhooks?: number;
	concurrency: number;
	log: Log;
	readinessTimeoutMs?: number;
	extraEnv?: NodeJS.ProcessEnv;
}

export interface QueueStack {
	opts: QueueStackOptions;
	postgres: PostgresService;
	redis: Service & { port: number };
	main: QueueProcess;
	workers: QueueProcess[];
	/** The first webhook process (webhooks[0]). */
	webhook: QueueProcess;
	webhooks: QueueProcess[];
	mainUrl: string;
	webhookUrl: string;
}

/** What starting another process of a running stack needs. */
export interface QueueBase {
	opts: QueueStackOptions;
	postgres: Pick<PostgresService, 'port' | 'database' | 'user' | 'password'>;
	redis: { port: number };
}

export const DB_NAME = 'n8n';
export const DB_USER = 'n8n';

/** The environment every process of the stack shares. */
function sharedEnv(
	opts: QueueStackOptions,
	postgres: QueueBase['postgres'],
	redisPort: number,
): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		N8N_ENCRYPTION_KEY: opts.encryptionKey,
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// n8n's default pool of 2 connections starves its own health ping under a burst of webhooks; the process
		// then takes the database for lost and answers 503 until a ping succeeds again.
		DB_POSTGRESDB_POOL_SIZE: '10',
		DB_PING_TIMEOUT_MS: '15000',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redisPort),
		// Workers write binary data where main can read it: the shared database (filesystem mode would leave a
		// worker's file on its own disk).
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		// Production URLs point at the webhook process; test URLs (only main serves them) stay on main.
		N8N_WEBHOOK_URL: '',
		WEBHOOK_URL: `http://127.0.0.1:${opts.webhookPort}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${opts.mainPort}/`,
		// "Execute workflow" in the editor also runs on a worker, as in production queue setups.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
		...opts.extraEnv,
	};
}

const COMMANDS: Record<QueueRole, (concurrency: number) => string[]> = {
	main: () => ['start'],
	worker: (concurrency) => ['worker', `--concurrency=${concurrency}`],
	webhook: () => ['webhook'],
};

/** Starts one n8n process of the stack and waits until it is ready. */
export async function startQueueProcess(
	stack: QueueBase,
	role: QueueRole,
	name: string,
	opts: { port?: number; userFolder?: string; logFile?: string; appendLog?: boolean } = {},
): Promise<QueueProcess> {
	const { runtime, dir } = stack.opts;
	const port = opts.port ?? (await freePort());
	const brokerPort = await freePort();
	for (const p of [port, brokerPort]) {
		if (await portInUse(p))
			throw new Error(`port ${p} is already in use on 127.0.0.1 (for the ${name} process)`);
	}
	const userFolder = opts.userFolder ?? path.join(dir, name);
	const env = {
		...n8nEnv({ runtime, userFolder, port, brokerPort }),
		...sharedEnv(stack.opts, stack.postgres, stack.redis.port),
		...(role === 'worker'
			? {
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(port),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
				}
			: {}),
	};
	const filesDir = path.join(userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	const logFile = opts.logFile ?? path.join(dir, `${name}.log`);
	const child = spawnGroup(
		runtime.nodeBin,
		[runtime.n8nBin, ...COMMANDS[role](stack.opts.concurrency)],
		env,
		logFile,
		filesDir,
		opts.appendLog,
	);
	const service: QueueProcess = {
		name: `n8n ${name}`,
		child,
		logFile,
		url: `http://127.0.0.1:${port}`,
		role,
		userFolder,
		port,
		brokerPort,
	};
	try {
		await waitForHttp(
			service,
			`${service.url}/healthz/readiness`,
			stack.opts.readinessTimeoutMs ?? 240_000,
		);
	} catch (error) {
		await stopService(service);
		throw error;
	}
	return service;
}

/** The package as a community package in every process's user folder: packed once, copied to the others. */
export function installPackageEverywhere(userFolders: string[]): void {
	const [first, ...rest] = userFolders;
	linkPackage(first);
	const nodes = path.join(first, '.n8n', 'nodes');
	for (const folder of rest) {
		const target = path.join(folder, '.n8n', 'nodes');
		fs.rmSync(target, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(target), { recursive: true });
		fs.cpSync(nodes, target, { recursive: true });
	}
}

export function workerName(index: number): string {
	return `worker-${index}`;
}

export function webhookName(index: number): string {
	return `webhook-${index}`;
}

/** The same process again (role, name, port, user folder), appending to its log: what a supervisor does. */
export async function restartQueueProcess(
	stack: QueueBase,
	proc: QueueProcess,
): Promise<QueueProcess> {
	const name = proc.name.replace(/^n8n /, '');
	return await startQueueProcess(stack, proc.role, name, {
		port: proc.port,
		userFolder: proc.userFolder,
		logFile: proc.logFile,
		appendLog: true,
	});
}

/**
 * Postgres and Redis first, then main (it runs the database migrations), then the workers and the webhook
 * process together. `onStarted` sees each service as soon as it runs, so an interrupt can stop it.
 */
export async function startQueueStack(
	opts: QueueStackOptions,
	onStarted: (s: Service) => void,
): Promise<QueueStack> {
	const { log } = opts;
	ensureServicePackages(log);
	const webhookCount = Math.max(1, opts.webhooks ?? 1);
	const names = [
		'main',
		...Array.from({ length: opts.workers }, (_, i) => workerName(i + 1)),
		...Array.from({ length: webhookCount }, (_, i) => webhookName(i + 1)),
	];
	installPackageEverywhere(names.map((n) => path.join(opts.dir, n)));

	let t = Date.now();
	const [postgres, redis] = await Promise.all([
		startPostgres(
			{
				dir: path.join(opts.dir, 'postgres'),
				port: await freePort(),
				database: DB_NAME,
				user: DB_USER,
				password: opts.dbPassword,
			},
			log,
		).then((s) => {
			onStarted(s);
			return s;
		}),
		startRedis({ dir: path.join(opts.dir, 'redis'), port: await freePort() }).then((s) => {
			onStarted(s);
			return s;
		}),
	]);
	log(
		`Postgres on 127.0.0.1:${postgres.port} and Redis on 127.0.0.1:${redis.port} ready (${elapsed(t)})`,
	);
	const base = { opts, postgres, redis };
	t = Date.now();
	const main = await startQueueProcess(base, 'main', 'main', { port: opts.mainPort });
	onStarted(main);
	log(`n8n main ready on ${main.url} (${elapsed(t)})`);
	t = Date.now();
	const started = await Promise.all([
		...Array.from({ length: opts.workers }, (_, i) =>
			startQueueProcess(base, 'worker', workerName(i + 1)),
		),
		...Array.from({ length: webhookCount }, (_, i) =>
			startQueueProcess(base, 'webhook', webhookName(i + 1), {
				port: i === 0 ? opts.webhookPort : undefined,
			}),
		),
	]).then((list) => {
		list.forEach(onStarted);
		return list;
	});
	const webhooks = started.splice(opts.workers);
	log(`${opts.workers} workers and ${webhookCount} webhook process(es) ready (${elapsed(t)})`);
	return {
		opts,
		postgres,
		redis,
		main,
		workers: started,
		webhook: webhooks[0],
		webhooks,
		mainUrl: main.url,
		webhookUrl: webhooks[0].url,
	};
}

function elapsed(since: number): string {
	return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

/** n8n processes first (they hold database and Redis connections), then Redis and Postgres. */
export async function stopQueueStack(
	stack: Partial<
		Pick<QueueStack, 'postgres' | 'redis' | 'main' | 'workers' | 'webhook' | 'webhooks'>
	>,
): Promise<void> {
	const n8n = [
		...new Set([stack.webhook, ...(stack.webhooks ?? []), ...(stack.workers ?? []), stack.main]),
	].filter((s): s is QueueProcess => s !== undefined);
	await Promise.all(n8n.map((s) => stopService(s)));
	await Promise.all([
		stack.redis ? stopService(stack.redis) : undefined,
		stack.postgres ? stopPostgres(stack.postgres) : undefined,
	]);
}
