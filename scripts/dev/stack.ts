/**
 * Starts and stops the local stack shared by `npm run dev` and the e2e suite: the package built and
 * installed as a community package, the Ottu sandbox and a real n8n, all on 127.0.0.1, each in its own
 * process group so that stopping kills everything they started.
 */
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

import { SandboxClient } from '../../sandbox/client';
import type { Log, Runtime } from './runtime';
import { N8N_VERSION, REPO_ROOT, tail } from './runtime';

export const PACKAGE_NAME = 'n8n-nodes-ottu';
/** Type names under the community-package route (`~/.n8n/nodes`), the same as for users who install the package. */
export const NODE_TYPES = {
	ottu: `${PACKAGE_NAME}.ottu`,
	ottuTrigger: `${PACKAGE_NAME}.ottuTrigger`,
};

export interface SandboxKeys {
	apiKey: string;
	username: string;
	password: string;
	hmacKey: string;
}

export interface Service {
	name: string;
	child: ChildProcess;
	logFile: string;
	url: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const port = (server.address() as net.AddressInfo).port;
			server.close(() => resolve(port));
		});
	});
}

export async function portInUse(port: number): Promise<boolean> {
	return await new Promise((resolve) => {
		const socket = net.connect({ host: '127.0.0.1', port });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

function newestMtime(
	dir: string,
	skip: (name: string) => boolean,
): { mtime: number; count: number } {
	let mtime = 0;
	let count = 0;
	if (!fs.existsSync(dir)) return { mtime, count };
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		if (skip(entry.name)) continue;
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) {
			const sub = newestMtime(full, skip);
			mtime = Math.max(mtime, sub.mtime);
			count += sub.count;
		} else {
			mtime = Math.max(mtime, fs.statSync(full).mtimeMs);
			count++;
		}
	}
	return { mtime, count };
}

/** Changes to anything that goes into dist/: sources, icons, build configuration. */
export function sourceFingerprint(): string {
	const parts = ['nodes', 'credentials', 'icons'].map((d) =>
		newestMtime(path.join(REPO_ROOT, d), () => false),
	);
	const files = ['package.json', 'gulpfile.js', 'tsconfig.json'].map(
		(f) => fs.statSync(path.join(REPO_ROOT, f)).mtimeMs,
	);
	return JSON.stringify([parts, files]);
}

/** `npm run build` unless dist/ was built from exactly the current sources (stamp kept in stampFile). */
export function buildPackage(log: Log, stampFile: string, force = false): boolean {
	const fingerprint = sourceFingerprint();
	const distOk = fs.existsSync(path.join(REPO_ROOT, 'dist', 'nodes', 'Ottu', 'Ottu.node.js'));
	if (
		!force &&
		distOk &&
		fs.existsSync(stampFile) &&
		fs.readFileSync(stampFile, 'utf8') === fingerprint
	)
		return false;
	log('building the package (npm run build)');
	try {
		execFileSync('npm', ['run', 'build'], {
			cwd: REPO_ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
			encoding: 'utf8',
		});
	} catch (error) {
		const e = error as { stdout?: string; stderr?: string };
		throw new Error(
			`npm run build failed:\n${(e.stdout ?? '').slice(-3000)}${(e.stderr ?? '').slice(-3000)}`,
		);
	}
	fs.mkdirSync(path.dirname(stampFile), { recursive: true });
	fs.writeFileSync(stampFile, fingerprint);
	return true;
}

/**
 * Installs the package as n8n installs a community package: `npm pack` (only what is published), unpacked
 * into `<userFolder>/.n8n/nodes/node_modules/n8n-nodes-ottu`. The package has no runtime dependencies, so
 * unpacking is all `npm install <tarball>` would do. Returns the tarball's file list.
 */
export function linkPackage(userFolder: string): string[] {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const target = path.join(nodesDir, 'node_modules', PACKAGE_NAME);
	const packDir = path.join(userFolder, 'pack');
	fs.rmSync(packDir, { recursive: true, force: true });
	fs.mkdirSync(packDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
		cwd: REPO_ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const info = JSON.parse(out)[0] as {
		filename: string;
		version: string;
		files: Array<{ path: string }>;
	};
	fs.rmSync(target, { recursive: true, force: true });
	fs.mkdirSync(target, { recursive: true });
	execFileSync('tar', [
		'xzf',
		path.join(packDir, info.filename),
		'-C',
		target,
		'--strip-components=1',
	]);
	fs.writeFileSync(
		path.join(nodesDir, 'package.json'),
		JSON.stringify(
			{ name: 'installed-nodes', private: true, dependencies: { [PACKAGE_NAME]: info.version } },
			null,
			2,
		),
	);
	return info.files.map((f) => f.path);
}

/** Every process group started here and still running, so an interrupt mid-start stops them too. */
const started = new Set<ChildProcess>();

export function spawnGroup(
	command: string,
	args: string[],
	env: NodeJS.ProcessEnv,
	logFile: string,
	cwd: string,
	/** Append to the log (a restarted process keeps what its predecessor wrote). */
	appendLog = false,
): ChildProcess {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const out = fs.openSync(logFile, appendLog ? 'a' : 'w');
	// detached: its own process group, so a stop reaches its children (n8n's task runner) too.
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', out, out] });
	fs.closeSync(out);
	started.add(child);
	child.once('exit', () => started.delete(child));
	return child;
}

/** Stops every process group this module started that is still running (also those still starting). */
export async function stopAllStarted(): Promise<void> {
	await Promise.all([...started].map((child) => stopService({ child })));
}

export async function waitForHttp(
	service: { name: string; child: ChildProcess; logFile: string },
	url: string,
	timeoutMs: number,
	isReady: () => Promise<boolean> = async () =>
		(await fetch(url, { signal: AbortSignal.timeout(2000) })).ok,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let exited: string | undefined;
	const onExit = (code: number | null, signal: string | null) => {
		exited = signal ?? `exit code ${code}`;
	};
	service.child.once('exit', onExit);
	try {
		while (Date.now() < deadline) {
			if (exited) {
				throw new Error(
					`${service.name} stopped while starting (${exited}). Last lines of ${service.logFile}:\n${tail(service.logFile, 40)}`,
				);
			}
			try {
				if (await isReady()) return;
			} catch {
				// not listening yet
			}
			await sleep(250);
		}
		throw new Error(
			`${service.name} was not ready within ${Math.round(timeoutMs / 1000)} s (${url}). Last lines of ${service.logFile}:\n${tail(service.logFile, 40)}`,
		);
	} finally {
		service.child.off('exit', onExit);
	}
}

export async function startSandbox(opts: {
	port: number;
	keys: SandboxKeys;
	logFile: string;
	timeoutMs?: number;
}): Promise<Service> {
	if (await portInUse(opts.port)) {
		throw new Error(
			`port ${opts.port} is already in use on 127.0.0.1; set OTTU_SANDBOX_PORT to a free port`,
		);
	}
	const env = {
		...process.env,
		OTTU_SANDBOX_PORT: String(opts.port),
		OTTU_SANDBOX_API_KEY: opts.keys.apiKey,
		OTTU_SANDBOX_USERNAME: opts.keys.username,
		OTTU_SANDBOX_PASSWORD: opts.keys.password,
		OTTU_SANDBOX_HMAC_KEY: opts.keys.hmacKey,
	};
	const child = spawnGroup(
		process.execPath,
		[require.resolve('tsx/cli'), path.join('sandbox', 'cli.ts')],
		env,
		opts.logFile,
		REPO_ROOT,
	);
	const service: Service = {
		name: 'Ottu sandbox',
		child,
		logFile: opts.logFile,
		url: `http://127.0.0.1:${opts.port}`,
	};
	try {
		const client = new SandboxClient(service.url, undefined, { timeoutMs: 2000 });
		await waitForHttp(
			service,
			`${service.url}/__sandbox/requests`,
			opts.timeoutMs ?? 60_000,
			async () => Array.isArray(await client.requests()),
		);
	} catch (error) {
		await stopService(service);
		throw error;
	}
	return service;
}

export interface N8nOptions {
	runtime: Runtime;
	userFolder: string;
	port: number;
	brokerPort: number;
	logFile: string;
	readinessTimeoutMs?: number;
	extraEnv?: NodeJS.ProcessEnv;
}

export function n8nEnv(
	opts: Pick<N8nOptions, 'runtime' | 'userFolder' | 'port' | 'brokerPort' | 'extraEnv'>,
): NodeJS.ProcessEnv {
	const base = `http://127.0.0.1:${opts.port}/`;
	return {
		...process.env,
		// Under jest NODE_ENV is "test", which makes n8n's start command exit silently.
		NODE_ENV: 'production',
		PATH: `${path.dirname(opts.runtime.nodeBin)}${path.delimiter}${process.env.PATH ?? ''}`,
		N8N_USER_FOLDER: opts.userFolder,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(opts.port),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: base,
		N8N_WEBHOOK_URL: base,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_PUBLIC_API_DISABLED: 'false',
		// n8n 1.x has no such module and refuses to start when it is named.
		...(N8N_VERSION.startsWith('1.') ? {} : { N8N_DISABLED_MODULES: 'mcp-registry' }),
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// Two n8n on one machine (dev + e2e) must not share the task broker port.
		N8N_RUNNERS_BROKER_PORT: String(opts.brokerPort),
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// The Read/Write Files example writes here; n8n refuses paths outside allowed folders.
		N8N_RESTRICT_FILE_ACCESS_TO: path.join(opts.userFolder, 'files'),
		DB_SQLITE_POOL_SIZE: '2',
		...opts.extraEnv,
	};
}

export async function startN8n(opts: N8nOptions): Promise<Service> {
	for (const port of [opts.port, opts.brokerPort]) {
		if (await portInUse(port)) {
			throw new Error(
				`port ${port} is already in use on 127.0.0.1 (another n8n?); set N8N_DEV_PORT / N8N_DEV_BROKER_PORT to free ports`,
			);
		}
	}
	const filesDir = path.join(opts.userFolder, 'files');
	fs.mkdirSync(filesDir, { recursive: true });
	// Working folder = the one folder n8n may write files to, so relative paths in file nodes land there.
	const child = spawnGroup(
		opts.runtime.nodeBin,
		[opts.runtime.n8nBin, 'start'],
		n8nEnv(opts),
		opts.logFile,
		filesDir,
	);
	const service: Service = {
		name: 'n8n',
		child,
		logFile: opts.logFile,
		url: `http://127.0.0.1:${opts.port}`,
	};
	try {
		// /healthz answers before the database migrations finish; readiness waits for them. n8n 1.x is
		// ready before its REST API is mounted: /rest/login then answers 404 instead of 401.
		await waitForHttp(
			service,
			`${service.url}/healthz/readiness`,
			opts.readinessTimeoutMs ?? 180_000,
			async () =>
				(await fetch(`${service.url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) }))
					.ok &&
				(await fetch(`${service.url}/rest/login`, { signal: AbortSignal.timeout(2000) })).status !==
					404,
		);
	} catch (error) {
		await stopService(service);
		throw error;
	}
	return service;
}

/** `signal` (SIGTERM unless the service wants another) to the whole process group, SIGKILL after graceMs. */
export async function stopService(
	service: Pick<Service, 'child'>,
	graceMs = 15_000,
	signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
	const { child } = service;
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	const signalGroup = (signal: NodeJS.Signals) => {
		try {
			process.kill(-child.pid!, signal);
		} catch {
			// already gone
		}
	};
	signalGroup(signal);
	const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
	// Children that outlived their parent (task runner) still belong to the group.
	signalGroup('SIGKILL');
	await groupGone(child.pid, 5000);
}

/** Waits (bounded) until no process of the group is left: a SIGKILL is delivered, not yet done. */
async function groupGone(pgid: number, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		try {
			process.kill(-pgid, 0);
		} catch {
			return;
		}
		await sleep(50);
	}
}
