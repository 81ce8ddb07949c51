/**
 * Starts the queue-mode stack once for the queue suite, on a fresh database every run: Postgres and Redis
 * (installed with apt-get the first time when root), the Ottu sandbox, n8n main, two workers and a webhook
 * process with the package installed in each user folder, then owner, API key, credential and the examples.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { provision } from '../../scripts/dev/provision';
import type { QueueStack } from '../../scripts/dev/queue';
import { startQueueStack, stopQueueStack } from '../../scripts/dev/queue';
import { ensureRuntime } from '../../scripts/dev/runtime';
import type { Service } from '../../scripts/dev/stack';
import {
	buildPackage,
	freePort,
	startSandbox,
	stopAllStarted,
	stopService,
} from '../../scripts/dev/stack';
import { ensureChromium } from '../helpers/browser';
import type { QueueE2eState } from './helpers/queueState';
import { QUEUE_E2E_DIR, QUEUE_STATE_FILE } from './helpers/queueState';

/** Handed to globalTeardown, which runs in the same process. */
export const shared = globalThis as {
	__OTTU_QUEUE_E2E__?: { stack: Partial<QueueStack>; sandbox?: Service };
};

const log = (m: string) => console.log(`[e2e:queue] ${m}`);

export default async function globalSetup(): Promise<void> {
	const t0 = Date.now();
	const timings: Record<string, number> = {};
	const mark = (name: string, since: number) => {
		timings[name] = Math.round((Date.now() - since) / 100) / 10;
		log(`${name}: ${timings[name]} s`);
	};
	console.log('');
	let t = Date.now();
	const runtime = await ensureRuntime(log);
	mark('n8n install (0 when cached)', t);
	// The trigger test pays on the sandbox's hosted page in Chromium: fail early with the fix when it is missing.
	t = Date.now();
	ensureChromium(log);
	mark('chromium', t);

	fs.rmSync(QUEUE_E2E_DIR, { recursive: true, force: true });
	fs.mkdirSync(QUEUE_E2E_DIR, { recursive: true });
	t = Date.now();
	buildPackage(log, path.join(QUEUE_E2E_DIR, '..', 'e2e-build-stamp'));
	mark('build the package', t);

	const held: { stack: Partial<QueueStack>; sandbox?: Service } = { stack: {} };
	shared.__OTTU_QUEUE_E2E__ = held;
	try {
		const keys = {
			apiKey: `sbx.e2eq.${randomBytes(12).toString('hex')}`,
			username: 'merchant',
			password: randomBytes(12).toString('hex'),
			hmacKey: randomBytes(16).toString('hex'),
		};
		t = Date.now();
		held.sandbox = await startSandbox({
			port: await freePort(),
			keys,
			logFile: path.join(QUEUE_E2E_DIR, 'sandbox.log'),
		});
		mark('sandbox start', t);

		t = Date.now();
		const opts = {
			runtime,
			dir: QUEUE_E2E_DIR,
			encryptionKey: randomBytes(24).toString('base64url'),
			dbPassword: randomBytes(16).toString('hex'),
			mainPort: await freePort(),
			webhookPort: await freePort(),
			workers: 2,
			concurrency: 5,
			readinessTimeoutMs: Number(process.env.E2E_N8N_READY_TIMEOUT_MS) || 240_000,
		};
		const stack = await startQueueStack({ ...opts, log }, () => undefined);
		Object.assign(held.stack, stack);
		mark('Postgres, Redis, main, 2 workers, webhook process (fresh database)', t);

		const owner = {
			email: 'e2e-queue@n8n-nodes-ottu.dev',
			password: `E2e-${randomBytes(6).toString('hex')}-Pw1`,
			firstName: 'E2E',
			lastName: 'Queue',
		};
		t = Date.now();
		const provisionState: {
			apiKey?: string;
			credentialId?: string;
			workflows?: Record<string, string>;
		} = {};
		const result = await provision({
			n8nUrl: stack.mainUrl,
			owner,
			sandboxUrl: held.sandbox.url,
			keys,
			state: provisionState,
			log,
		});
		mark('owner, API key, credential, examples', t);
		for (const s of result.skipped) log(`examples/${s.file} not imported: ${s.reason}`);
		timings.total = Math.round((Date.now() - t0) / 100) / 10;

		const processes = [stack.main, ...stack.workers, stack.webhook].map((p) => ({
			name: p.name.replace(/^n8n /, ''),
			role: p.role,
			pid: p.child.pid!,
			logFile: p.logFile,
			userFolder: p.userFolder,
			port: p.port,
			url: p.url,
		}));
		const state: QueueE2eState = {
			n8nUrl: stack.mainUrl,
			mainUrl: stack.mainUrl,
			webhookUrl: stack.webhookUrl,
			sandboxUrl: held.sandbox.url,
			userFolder: stack.main.userFolder,
			n8nLog: stack.main.logFile,
			sandboxLog: held.sandbox.logFile,
			keys,
			owner,
			apiKey: provisionState.apiKey!,
			credentialId: result.credentialId,
			workflows: Object.fromEntries(result.workflows.map((w) => [w.file, w.id])),
			skipped: result.skipped,
			nodeBin: runtime.nodeBin,
			n8nBin: runtime.n8nBin,
			brokerPort: stack.main.brokerPort,
			n8nPort: stack.main.port,
			timings,
			processes,
			stack: {
				opts,
				postgres: {
					port: stack.postgres.port,
					database: stack.postgres.database,
					user: stack.postgres.user,
					password: stack.postgres.password,
				},
				redis: { port: stack.redis.port },
			},
		};
		fs.writeFileSync(QUEUE_STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
		log(
			`stack ready in ${timings.total} s: main ${stack.mainUrl}, webhook process ${stack.webhookUrl}, sandbox ${held.sandbox.url}`,
		);
	} catch (error) {
		await stopQueueStack(held.stack);
		if (held.sandbox) await stopService(held.sandbox);
		await stopAllStarted();
		throw error;
	}
}
