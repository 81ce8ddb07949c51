/**
 * Starts the queue-mode stack once for the queue suite, on a fresh database every run: Postgres and Redis
 * (installed with apt-get the first time when root), the Ottu sandbox, n8n main, two workers and two webhook
 * processes with the package installed in each user folder, then owner, API key, credential and the examples.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { QueueStack, QueueStackOptions } from '../../scripts/dev/queue';
import { startQueueStack, stopQueueStack } from '../../scripts/dev/queue';
import type { Service } from '../../scripts/dev/stack';
import { freePort, stopAllStarted, stopService } from '../../scripts/dev/stack';
import { setUpStack } from '../helpers/stackSetup';
import type { QueueE2eState } from './helpers/queueState';
import { QUEUE_E2E_DIR, QUEUE_STATE_FILE } from './helpers/queueState';

/** Handed to globalTeardown, which runs in the same process. */
export const shared = globalThis as {
	__OTTU_QUEUE_E2E__?: { stack: Partial<QueueStack>; sandbox?: Service };
};

export default async function globalSetup(): Promise<void> {
	const held: { stack: Partial<QueueStack>; sandbox?: Service } = { stack: {} };
	shared.__OTTU_QUEUE_E2E__ = held;
	let opts: Omit<QueueStackOptions, 'log'> | undefined;
	const setup = await setUpStack({
		label: 'e2e:queue',
		dir: QUEUE_E2E_DIR,
		apiKeyPrefix: 'sbx.e2eq',
		owner: { email: 'e2e-queue@n8n-nodes-ottu.dev', firstName: 'E2E', lastName: 'Queue' },
		// The package is installed into each process's user folder by startQueueStack.
		buildStep: 'build the package',
		onSandbox: (sandbox) => {
			held.sandbox = sandbox;
		},
		startN8n: async ({ runtime, mark, log }) => {
			const t = Date.now();
			opts = {
				runtime,
				dir: QUEUE_E2E_DIR,
				encryptionKey: randomBytes(24).toString('base64url'),
				dbPassword: randomBytes(16).toString('hex'),
				mainPort: await freePort(),
				webhookPort: await freePort(),
				workers: 2,
				webhooks: 2,
				concurrency: 5,
				readinessTimeoutMs: Number(process.env.E2E_N8N_READY_TIMEOUT_MS) || 240_000,
			};
			const stack = await startQueueStack({ ...opts, log }, () => undefined);
			Object.assign(held.stack, stack);
			mark('Postgres, Redis, main, 2 workers, 2 webhook processes (fresh database)', t);
			return stack.mainUrl;
		},
		cleanUp: async () => {
			await stopQueueStack(held.stack);
			if (held.sandbox) await stopService(held.sandbox);
			await stopAllStarted();
		},
	});
	const stack = held.stack as QueueStack;
	const sandbox = setup.sandbox;

	const processes = [stack.main, ...stack.workers, ...stack.webhooks].map((p) => ({
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
		webhookUrls: stack.webhooks.map((w) => w.url),
		sandboxUrl: sandbox.url,
		userFolder: stack.main.userFolder,
		n8nLog: stack.main.logFile,
		sandboxLog: sandbox.logFile,
		keys: setup.keys,
		owner: setup.owner,
		apiKey: setup.apiKey,
		credentialId: setup.credentialId,
		workflows: setup.workflows,
		skipped: setup.skipped,
		nodeBin: setup.runtime.nodeBin,
		n8nBin: setup.runtime.n8nBin,
		brokerPort: stack.main.brokerPort,
		n8nPort: stack.main.port,
		timings: setup.timings,
		processes,
		stack: {
			opts: opts!,
			postgres: {
				port: stack.postgres.port,
				database: stack.postgres.database,
				user: stack.postgres.user,
				password: stack.postgres.password,
				dir: stack.postgres.dir,
				pid: stack.postgres.child.pid!,
			},
			redis: {
				port: stack.redis.port,
				dir: path.dirname(stack.redis.logFile),
				pid: stack.redis.child.pid!,
			},
		},
	};
	fs.writeFileSync(QUEUE_STATE_FILE, JSON.stringify(state, null, 2), { mode: 0o600 });
	setup.log(
		`stack ready in ${setup.timings.total} s: main ${stack.mainUrl}, webhook process ${stack.webhookUrl}, sandbox ${sandbox.url}`,
	);
}
