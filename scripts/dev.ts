/**
 * `npm run dev`: a real n8n with this package installed, next to the Ottu sandbox, ready to use.
 * The first run installs Node 24 and n8n into a per-user cache (minutes, once); later runs start in seconds.
 * Data (owner, credential, workflows, executions) lives in .n8n-dev/ and survives restarts; delete that
 * folder to start afresh. Ctrl-C stops everything this started.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Owner, ProvisionState } from './dev/provision';
import { runQueueDev } from './dev/queueDev';
import { CREDENTIAL_NAME, provision } from './dev/provision';
import {
	devOwner,
	envNumber,
	exampleWebhookUrls,
	readJsonState,
	writeJsonState,
} from './dev/devState';
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

async function main(): Promise<void> {
	const t0 = Date.now();
	const seconds = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
	const n8nPort = envNumber('N8N_DEV_PORT', 5678);
	const brokerPort = envNumber('N8N_DEV_BROKER_PORT', n8nPort + 1);
	const sandboxPort = envNumber('OTTU_SANDBOX_PORT', 8787);

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

	if (!isInstalled()) log(`n8n ${N8N_VERSION} is not installed yet`);
	const runtime = await ensureRuntime(log);
	const link = path.join(DEV_DIR, 'runtime');
	if (!fs.existsSync(link)) fs.symlinkSync(runtimePaths().dir, link, 'dir');

	const built = buildPackage(log, path.join(DEV_DIR, 'build-stamp'));
	if (!built) log('dist/ is up to date');
	linkPackage(DEV_DIR);
	log(`package installed into .n8n-dev/.n8n/nodes (${seconds()})`);

	const services: Service[] = [];
	let stopping = false;
	const stopAll = async (code: number) => {
		if (stopping) return;
		stopping = true;
		log('stopping…');
		// Also what is still starting (Ctrl-C during n8n's start).
		await Promise.all([...services.map((s) => stopService(s)), stopAllStarted()]);
		log('stopped');
		process.exit(code);
	};
	process.on('SIGINT', () => void stopAll(0));
	process.on('SIGTERM', () => void stopAll(0));
	process.on('SIGHUP', () => void stopAll(0));

	try {
		const sandbox = await startSandbox({
			port: sandboxPort,
			keys: state.sandboxKeys,
			logFile: path.join(DEV_DIR, 'sandbox.log'),
		});
		services.push(sandbox);
		log(`Ottu sandbox ready on ${sandbox.url} (${seconds()})`);
		const n8n = await withProgress(
			log,
			'starting n8n (database migrations on the first start)',
			() =>
				startN8n({
					runtime,
					userFolder: DEV_DIR,
					port: n8nPort,
					brokerPort,
					logFile: path.join(DEV_DIR, 'n8n.log'),
					readinessTimeoutMs: Number(process.env.N8N_DEV_READY_TIMEOUT_MS) || 180_000,
				}),
		);
		services.push(n8n);
		log(`n8n ready on ${n8n.url} (${seconds()})`);

		const result = await provision({
			n8nUrl: n8n.url,
			owner: state.owner,
			sandboxUrl: sandbox.url,
			keys: state.sandboxKeys,
			state,
			log,
		});
		writeJsonState(STATE_FILE, state);

		for (const s of services) {
			s.child.once('exit', (code, signal) => {
				if (stopping) return;
				console.error(
					`[dev] ${s.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); see ${path.relative(REPO_ROOT, s.logFile)}`,
				);
				void stopAll(1);
			});
		}

		const lines = [
			'',
			`  n8n ${N8N_VERSION} with n8n-nodes-ottu is running (${seconds()}).`,
			'',
			`  Editor:    ${n8n.url}/`,
			`  Login:     ${state.owner.email}`,
			`  Password:  ${state.owner.password}`,
			'',
			`  Ottu sandbox: ${sandbox.url}  (credential "${CREDENTIAL_NAME}" points here)`,
			`    API key ${state.sandboxKeys.apiKey}, webhook HMAC key ${state.sandboxKeys.hmacKey}`,
			'',
			'  Example workflows:',
			...result.workflows.flatMap((w) => [
				`    ${w.active ? '●' : '○'} ${w.name}  ${n8n.url}/workflow/${w.id}`,
				...exampleWebhookUrls(w.file, n8n.url).map((u) => `        ${u}`),
			]),
			...result.skipped.map((s) => `    – examples/${s.file} not imported: ${s.reason}`),
			'',
			'  Logs: .n8n-dev/n8n.log, .n8n-dev/sandbox.log. After changing the nodes, stop and run `npm run dev` again.',
			'  Ctrl-C stops n8n and the sandbox.',
			'',
		];
		console.log(lines.join('\n'));
	} catch (error) {
		console.error(`[dev] ${(error as Error).message}`);
		await stopAll(1);
	}
}

// `npm run dev -- --queue`: the same, in n8n's queue mode (scripts/dev/queueDev.ts).
(process.argv.includes('--queue') ? runQueueDev() : main()).catch((error) => {
	console.error(`[dev] ${(error as Error).stack ?? error}`);
	process.exit(1);
});
