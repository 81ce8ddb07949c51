/**
 * Starts the e2e stack once for all test files: Chromium (installed with apt when missing), the pinned n8n
 * (installed into the per-user cache the first time), the package built and installed as a community
 * package into a fresh n8n user folder, the Ottu sandbox, and n8n itself, then owner, API key, credential
 * and the example workflows. Ports are picked free so a running `npm run dev` does not get in the way.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { provision } from '../scripts/dev/provision';
import { ensureRuntime } from '../scripts/dev/runtime';
import type { Service } from '../scripts/dev/stack';
import {
	buildPackage,
	freePort,
	linkPackage,
	startN8n,
	startSandbox,
	stopService,
} from '../scripts/dev/stack';
import { ensureChromium } from './helpers/browser';
import type { E2eState } from './helpers/state';
import { E2E_DIR, STATE_FILE } from './helpers/state';

/** Handed to globalTeardown, which runs in the same process. */
export const shared = globalThis as { __OTTU_E2E_SERVICES__?: Service[] };

const log = (m: string) => console.log(`[e2e] ${m}`);

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const timings: Record<string, number> = {};
	const mark = (name: string, since: number) => {
		timings[name] = Math.round((Date.now() - since) / 100) / 10;
		log(`${name}: ${timings[name]} s`);
	};
	console.log('');

	let t = Date.now();
	ensureChromium(log);
	mark('chromium', t);

	t = Date.now();
	const runtime = await ensureRuntime(log);
	mark('n8n install (0 when cached)', t);

	fs.rmSync(E2E_DIR, { recursive: true, force: true });
	const userFolder = path.join(E2E_DIR, 'n8n');
	fs.mkdirSync(userFolder, { recursive: true });
	t = Date.now();
	buildPackage(log, path.join(E2E_DIR, '..', 'e2e-build-stamp'));
	linkPackage(userFolder);
	mark('build and install the package', t);

	const services: Service[] = [];
	shared.__OTTU_E2E_SERVICES__ = services;
	try {
		const keys = {
			apiKey: `sbx.e2e.${randomBytes(12).toString('hex')}`,
			username: 'merchant',
			password: randomBytes(12).toString('hex'),
			hmacKey: randomBytes(16).toString('hex'),
		};
		t = Date.now();
		const sandbox = await startSandbox({
			port: await freePort(),
			keys,
			logFile: path.join(E2E_DIR, 'sandbox.log'),
		});
		services.push(sandbox);
		mark('sandbox start', t);

		const n8nPort = await freePort();
		const brokerPort = await freePort();
		t = Date.now();
		const n8n = await startN8n({
			runtime,
			userFolder,
			port: n8nPort,
			brokerPort,
			logFile: path.join(E2E_DIR, 'n8n.log'),
			readinessTimeoutMs: Number(process.env.E2E_N8N_READY_TIMEOUT_MS) || 180_000,
		});
		services.push(n8n);
		mark('n8n start (fresh database)', t);

		const owner = {
			email: 'e2e@n8n-nodes-ottu.dev',
			password: `E2e-${randomBytes(6).toString('hex')}-Pw1`,
			firstName: 'E2E',
			lastName: 'Runner',
		};
		t = Date.now();
		const provisionState: {
			apiKey?: string;
			credentialId?: string;
			workflows?: Record<string, string>;
		} = {};
		const result = await provision({
			n8nUrl: n8n.url,
			owner,
			sandboxUrl: sandbox.url,
			keys,
			state: provisionState,
			log,
		});
		mark('owner, API key, credential, examples', t);
		for (const s of result.skipped) log(`examples/${s.file} not imported: ${s.reason}`);
		timings.total = Math.round((Date.now() - t0) / 100) / 10;

		const state: E2eState = {
			n8nUrl: n8n.url,
			sandboxUrl: sandbox.url,
			userFolder,
			n8nLog: n8n.logFile,
			sandboxLog: sandbox.logFile,
			keys,
			owner,
			apiKey: provisionState.apiKey!,
			credentialId: result.credentialId,
			workflows: Object.fromEntries(result.workflows.map((w) => [w.file, w.id])),
			skipped: result.skipped,
			nodeBin: runtime.nodeBin,
			n8nBin: runtime.n8nBin,
			brokerPort,
			n8nPort,
			timings,
		};
		fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
		log(`stack ready in ${timings.total} s: n8n ${n8n.url}, sandbox ${sandbox.url}`);
	} catch (error) {
		await Promise.all(services.map((s) => stopService(s)));
		throw error;
	}
}
