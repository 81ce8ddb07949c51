/**
 * Starts the e2e stack once for all test files: Chromium (installed with apt when missing), the pinned n8n
 * (installed into the per-user cache the first time), the package built and installed as a community
 * package into a fresh n8n user folder, the Ottu sandbox, and n8n itself, then owner, API key, credential
 * and the example workflows. Ports are picked free so a running `npm run dev` does not get in the way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Service } from '../scripts/dev/stack';
import { freePort, linkPackage, startN8n, stopService } from '../scripts/dev/stack';
import { setUpStack } from './helpers/stackSetup';
import type { E2eState } from './helpers/state';
import { E2E_DIR, STATE_FILE } from './helpers/state';

/** Handed to globalTeardown, which runs in the same process. */
export const shared = globalThis as { __OTTU_E2E_SERVICES__?: Service[] };

export default async function globalSetup(): Promise<void> {
	const userFolder = path.join(E2E_DIR, 'n8n');
	const services: Service[] = [];
	shared.__OTTU_E2E_SERVICES__ = services;
	let ports = { n8nPort: 0, brokerPort: 0 };
	let n8nLog = '';
	const stack = await setUpStack({
		label: 'e2e',
		dir: E2E_DIR,
		apiKeyPrefix: 'sbx.e2e',
		owner: { email: 'e2e@n8n-nodes-ottu.dev', firstName: 'E2E', lastName: 'Runner' },
		buildStep: 'build and install the package',
		afterBuild: () => {
			fs.mkdirSync(userFolder, { recursive: true });
			linkPackage(userFolder);
		},
		onSandbox: (sandbox) => services.push(sandbox),
		startN8n: async ({ runtime, mark }) => {
			ports = { n8nPort: await freePort(), brokerPort: await freePort() };
			const t = Date.now();
			const n8n = await startN8n({
				runtime,
				userFolder,
				port: ports.n8nPort,
				brokerPort: ports.brokerPort,
				logFile: path.join(E2E_DIR, 'n8n.log'),
				readinessTimeoutMs: Number(process.env.E2E_N8N_READY_TIMEOUT_MS) || 180_000,
			});
			services.push(n8n);
			n8nLog = n8n.logFile;
			mark('n8n start (fresh database)', t);
			return n8n.url;
		},
		cleanUp: async () => {
			await Promise.all(services.map((s) => stopService(s)));
		},
	});

	const state: E2eState = {
		n8nUrl: stack.n8nUrl,
		sandboxUrl: stack.sandbox.url,
		userFolder,
		n8nLog,
		sandboxLog: stack.sandbox.logFile,
		keys: stack.keys,
		owner: stack.owner,
		apiKey: stack.apiKey,
		credentialId: stack.credentialId,
		workflows: stack.workflows,
		skipped: stack.skipped,
		nodeBin: stack.runtime.nodeBin,
		n8nBin: stack.runtime.n8nBin,
		brokerPort: ports.brokerPort,
		n8nPort: ports.n8nPort,
		timings: stack.timings,
	};
	fs.writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));
	stack.log(
		`stack ready in ${stack.timings.total} s: n8n ${stack.n8nUrl}, sandbox ${stack.sandbox.url}`,
	);
}
