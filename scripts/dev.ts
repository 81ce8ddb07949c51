/**
 * `npm run dev`: a real n8n with this package installed, next to the Ottu sandbox, ready to use.
 * The first run installs Node 24 and n8n into a per-user cache (minutes, once); later runs start in seconds.
 * Data (owner, credential, workflows, executions) lives in .n8n-dev/ and survives restarts; delete that
 * folder to start afresh. Ctrl-C stops everything this started.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Owner, ProvisionResult, ProvisionState } from './dev/provision';
import { runQueueDev } from './dev/queueDev';
import { onShutdown } from './dev/shutdown';
import { CREDENTIAL_NAME, provision } from './dev/provision';
import {
	devOwner,
	envNumber,
	exampleWebhookUrls,
	readJsonState,
	writeJsonState,
} from './dev/devState';
import type { Runtime } from './dev/runtime';
import {
	ensureRuntime,
	isInstalled,
	N8N_VERSION,
	REPO_ROOT,
	runtimePaths,
	withProgress,
} from './dev/runtime';
import type { SandboxKeys, Service } from './dev/stack';
import {
	buildPackage,
	linkPackage,
	startN8n,
	startSandbox,
	stopAllStarted,
	stopService,
} from './dev/stack';

const DEV_DIR = path.join(REPO_ROOT, '.n8n-dev');
const STATE_FILE = path.join(DEV_DIR, 'state.json');

interface DevState extends ProvisionState {
	owner?: Owner;
	sandboxKeys?: SandboxKeys;
}

const log = (message: string) => console.log(`[dev] ${message}`);

/** Reads .n8n-dev/state.json, filling in the owner and the sandbox keys, and saves it. */
function loadState(): DevState & { owner: Owner; sandboxKeys: SandboxKeys } {
	const state = readJsonState<DevState>(STATE_FILE);
	state.owner ??= devOwner();
	// Sandbox keys stay the same across runs so the saved credential keeps working.
	const previousKeys = state.sandboxKeys;
	state.sandboxKeys = {
		apiKey:
			process.env.OTTU_SANDBOX_API_KEY ||
			previousKeys?.apiKey ||
			`sbx.${randomBytes(16).toString('hex')}`,
		username: process.env.OTTU_SANDBOX_USERNAME || previousKeys?.username || 'merchant',
		password:
			process.env.OTTU_SANDBOX_PASSWORD ||
			previousKeys?.password ||
			randomBytes(12).toString('hex'),
		hmacKey:
			process.env.OTTU_SANDBOX_HMAC_KEY || previousKeys?.hmacKey || randomBytes(16).toString('hex'),
	};
	writeJsonState(STATE_FILE, state);
	return state as DevState & { owner: Owner; sandboxKeys: SandboxKeys };
}

/** Installs n8n if needed, builds the package and links it into n8n's nodes folder. */
async function prepareRuntime(seconds: () => string): Promise<Runtime> {
	if (!isInstalled()) log(`n8n ${N8N_VERSION} is not installed yet`);
	const runtime = await ensureRuntime(log);
	const link = path.join(DEV_DIR, 'runtime');
	if (!fs.existsSync(link)) fs.symlinkSync(runtimePaths().dir, link, 'dir');

	const built = buildPackage(log, path.join(DEV_DIR, 'build-stamp'));
	if (!built) log('dist/ is up to date');
	linkPackage(DEV_DIR);
	log(`package installed into .n8n-dev/.n8n/nodes (${seconds()})`);
	return runtime;
}

interface Shutdown {
	/** Everything started so far, stopped on the way out. */
	services: Service[];
	stopping: boolean;
	stopAll: (code: number) => Promise<void>;
}

/** Ctrl-C, SIGTERM or SIGHUP (to this process or to npm's) stop every service once, then exit. */
function stopOnSignals(): Shutdown {
	const shutdown: Shutdown = {
		services: [],
		stopping: false,
		stopAll: async (code: number) => {
			if (shutdown.stopping) return;
			shutdown.stopping = true;
			log('stopping…');
			// Also what is still starting (Ctrl-C during n8n's start).
			await Promise.all([...shutdown.services.map((s) => stopService(s)), stopAllStarted()]);
			log('stopped');
			process.exit(code);
		},
	};
	onShutdown(shutdown.stopAll);
	return shutdown;
}

/** One service dying on its own takes the others down, saying which one and where its log is. */
function stopAllWhenOneExits(shutdown: Shutdown): void {
	for (const s of shutdown.services) {
		s.child.once('exit', (code, signal) => {
			if (shutdown.stopping) return;
			console.error(
				`[dev] ${s.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${path.relative(REPO_ROOT, s.logFile)}`,
			);
			void shutdown.stopAll(1);
		});
	}
}

interface Ports {
	n8n: number;
	broker: number;
	sandbox: number;
}

/** Read before anything else so a bad port variable fails before any work is done. */
function portsFromEnv(): Ports {
	const n8n = envNumber('N8N_DEV_PORT', 5678);
	const broker = envNumber('N8N_DEV_BROKER_PORT', n8n + 1);
	const sandbox = envNumber('OTTU_SANDBOX_PORT', 8787);
	return { n8n, broker, sandbox };
}

async function startServices(
	runtime: Runtime,
	ports: Ports,
	keys: SandboxKeys,
	shutdown: Shutdown,
	seconds: () => string,
): Promise<{ sandbox: Service; n8n: Service }> {
	const sandbox = await startSandbox({
		port: ports.sandbox,
		keys,
		logFile: path.join(DEV_DIR, 'sandbox.log'),
	});
	shutdown.services.push(sandbox);
	log(`Ottu sandbox ready on ${sandbox.url} (${seconds()})`);
	const n8n = await withProgress(log, 'starting n8n (database migrations on the first start)', () =>
		startN8n({
			runtime,
			userFolder: DEV_DIR,
			port: ports.n8n,
			brokerPort: ports.broker,
			logFile: path.join(DEV_DIR, 'n8n.log'),
			readinessTimeoutMs: Number(process.env.N8N_DEV_READY_TIMEOUT_MS) || 180_000,
		}),
	);
	shutdown.services.push(n8n);
	log(`n8n ready on ${n8n.url} (${seconds()})`);
	return { sandbox, n8n };
}

function readyMessage(
	urls: { n8n: string; sandbox: string },
	state: { owner: Owner; sandboxKeys: SandboxKeys },
	result: ProvisionResult,
	seconds: () => string,
): string {
	return [
		'',
		`  n8n ${N8N_VERSION} with n8n-nodes-ottu is running (${seconds()}).`,
		'',
		`  Editor:    ${urls.n8n}/`,
		`  Login:     ${state.owner.email}`,
		`  Password:  ${state.owner.password}`,
		'',
		`  Ottu sandbox: ${urls.sandbox}  (credential "${CREDENTIAL_NAME}" points here)`,
		`    API key ${state.sandboxKeys.apiKey}, webhook HMAC key ${state.sandboxKeys.hmacKey}`,
		'',
		'  Example workflows:',
		...result.workflows.flatMap((w) => [
			`    ${w.active ? '●' : '○'} ${w.name}  ${urls.n8n}/workflow/${w.id}`,
			...exampleWebhookUrls(w.file, urls.n8n).map((u) => `        ${u}`),
		]),
		...result.skipped.map((s) => `    – examples/${s.file} not imported: ${s.reason}`),
		'',
		'  Logs: .n8n-dev/n8n.log, .n8n-dev/sandbox.log. After changing the nodes, stop and run `npm run dev` again.',
		'  Ctrl-C stops n8n and the sandbox.',
		'',
	].join('\n');
}

async function main(): Promise<void> {
	const t0 = Date.now();
	const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
	const ports = portsFromEnv();
	const state = loadState();
	// Before the install and the build, so that a stop then ends them too (runtime.ts).
	const shutdown = stopOnSignals();
	const runtime = await prepareRuntime(seconds);
	try {
		const { sandbox, n8n } = await startServices(
			runtime,
			ports,
			state.sandboxKeys,
			shutdown,
			seconds,
		);
		const result = await provision({
			n8nUrl: n8n.url,
			owner: state.owner,
			sandboxUrl: sandbox.url,
			keys: state.sandboxKeys,
			state,
			log,
		});
		writeJsonState(STATE_FILE, state);
		stopAllWhenOneExits(shutdown);
		console.log(readyMessage({ n8n: n8n.url, sandbox: sandbox.url }, state, result, seconds));
	} catch (error) {
		console.error(`[dev] ${(error as Error).message}`);
		await shutdown.stopAll(1);
	}
}

// `npm run dev -- --queue`: the same, in n8n's queue mode (scripts/dev/queueDev.ts).
(process.argv.includes('--queue') ? runQueueDev() : main()).catch((error) => {
	console.error(`[dev] ${(error as Error).stack ?? error}`);
	process.exit(1);
});
