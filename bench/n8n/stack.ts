/**
 * The real n8n the e2e suite runs (the cached install from scripts/dev/runtime.ts), with this package installed
 * as a community package into a fresh user folder, an owner, an API key and the two credentials a user would
 * have: the Ottu API credential, and a Header Auth credential carrying the same key for the HTTP Request node
 * (and a second Header Auth credential for the Webhook node). The sandbox is the benchmark's own (bench/sandbox.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

import { N8nApi } from '../../scripts/dev/n8nApi';
import { credentialData } from '../../scripts/dev/provision';
import { ensureRuntime } from '../../scripts/dev/runtime';
import type { Runtime } from '../../scripts/dev/runtime';
import {
	PACKAGE_NAME,
	buildPackage,
	freePort,
	linkPackage,
	startN8n,
	stopService,
} from '../../scripts/dev/stack';
import type { SandboxKeys, Service } from '../../scripts/dev/stack';
import type { SandboxProcess } from '../workloads';
import { startSandbox, stopSandbox } from '../workloads';

export const N8N_TMP = path.join(
	process.env.BENCH_TMP ? path.resolve(process.env.BENCH_TMP) : path.join(__dirname, '..', 'tmp'),
	'n8n',
);

export interface BenchStack {
	runtime: Runtime;
	sandbox: SandboxProcess;
	keys: SandboxKeys;
	n8n: Service;
	api: N8nApi;
	userFolder: string;
	port: number;
	brokerPort: number;
	credentials: { ottu: string; httpHeader: string; webhookHeader: string };
	/** The header the Header Auth webhook expects, and its value. */
	webhookAuth: { name: string; value: string };
}

const OWNER = {
	email: 'bench@n8n-nodes-ottu.dev',
	password: `Bench-${randomBytes(6).toString('hex')}-Pw1`,
	firstName: 'Bench',
	lastName: 'Runner',
};

/** Environment for the n8n process: a user's Code node may use crypto only when the admin allows it. */
function n8nExtraEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return { NODE_FUNCTION_ALLOW_BUILTIN: 'crypto', N8N_LOG_LEVEL: 'warn', ...extra };
}

export async function startN8nProcess(
	stack: Pick<BenchStack, 'runtime' | 'userFolder' | 'port' | 'brokerPort'>,
	extraEnv: NodeJS.ProcessEnv = {},
	logName = 'n8n.log',
): Promise<Service> {
	return await startN8n({
		runtime: stack.runtime,
		userFolder: stack.userFolder,
		port: stack.port,
		brokerPort: stack.brokerPort,
		logFile: path.join(N8N_TMP, logName),
		extraEnv: n8nExtraEnv(extraEnv),
	});
}

export async function startBenchStack(log: (m: string) => void): Promise<BenchStack> {
	const runtime = await ensureRuntime(log);
	rmSync(N8N_TMP, { recursive: true, force: true });
	const userFolder = path.join(N8N_TMP, 'user');
	mkdirSync(userFolder, { recursive: true });
	// `npm run bench` has just built dist/; this only rebuilds when run on its own after a source change.
	buildPackage(log, path.join(N8N_TMP, '..', 'n8n-build-stamp'));
	linkPackage(userFolder);
	const keys: SandboxKeys = {
		apiKey: `bench.${randomBytes(12).toString('hex')}`,
		username: 'merchant',
		password: randomBytes(12).toString('hex'),
		hmacKey: randomBytes(16).toString('hex'),
	};
	const sandbox = await startSandbox({
		apiKey: keys.apiKey,
		username: keys.username,
		password: keys.password,
		hmacKey: keys.hmacKey,
	});
	try {
		const ports = { port: await freePort(), brokerPort: await freePort() };
		const started = Date.now();
		const n8n = await startN8nProcess({ runtime, userFolder, ...ports });
		log(`n8n started in ${Math.round((Date.now() - started) / 1000)} s at ${n8n.url}`);
		const api = new N8nApi(n8n.url);
		await api.ensureOwner(OWNER);
		await api.createApiKey(`bench ${new Date().toISOString()}`);
		const webhookAuth = { name: 'X-Webhook-Token', value: randomBytes(16).toString('hex') };
		const credentials = {
			ottu: await api.createCredential(
				'Ottu Sandbox',
				'ottuApi',
				credentialData(sandbox.url, keys),
			),
			httpHeader: await api.createCredential('Ottu key (Header Auth)', 'httpHeaderAuth', {
				name: 'Authorization',
				value: `Api-Key ${keys.apiKey}`,
			}),
			webhookHeader: await api.createCredential(
				'Webhook token (Header Auth)',
				'httpHeaderAuth',
				webhookAuth,
			),
		};
		return { runtime, sandbox, keys, n8n, api, userFolder, ...ports, credentials, webhookAuth };
	} catch (error) {
		await stopSandbox(sandbox);
		throw error;
	}
}

/**
 * Replaces the installed package with another build of it (a folder holding this package built, e.g. another
 * branch), packed and unpacked as linkPackage does; n8n picks it up when restarted.
 */
export function installPackageFrom(userFolder: string, packageDir: string): void {
	const target = path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	const packDir = path.join(userFolder, 'pack-other');
	rmSync(packDir, { recursive: true, force: true });
	mkdirSync(packDir, { recursive: true });
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], {
		cwd: packageDir,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const info = JSON.parse(out)[0] as { filename: string };
	rmSync(target, { recursive: true, force: true });
	mkdirSync(target, { recursive: true });
	execFileSync('tar', [
		'xzf',
		path.join(packDir, info.filename),
		'-C',
		target,
		'--strip-components=1',
	]);
}

/** Logs in again after a restart of n8n (the cookie is per process only if the secret changed; it does not). */
export async function relogin(stack: BenchStack): Promise<void> {
	stack.api = Object.assign(new N8nApi(stack.n8n.url), { apiKey: stack.api.apiKey });
	if (!(await stack.api.login(OWNER.email, OWNER.password)))
		throw new Error('owner login failed after restarting n8n');
}

export async function stopBenchStack(stack: BenchStack): Promise<void> {
	await stopService(stack.n8n);
	await stopSandbox(stack.sandbox);
}
