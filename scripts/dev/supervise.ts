/**
 * What a deployment's supervisor (systemd, Docker's restart policy, Kubernetes) does for the queue-mode stack:
 * a process that dies on its own is started again, the same way (n8n processes on the same port and user
 * folder, Postgres on its data, Redis on its append-only file), so the crash scenarios of the README can be
 * tried with `npm run dev -- --queue`. A process that keeps dying (5 times in a minute) stops the stack.
 */
import * as path from 'node:path';

import type { QueueBase, QueueProcess, QueueStack } from './queue';
import { restartQueueProcess } from './queue';
import type { Log } from './runtime';
import type { PostgresService } from './services';
import { startPostgres, startRedis } from './services';
import type { Service } from './stack';

const WINDOW_MS = 60_000;
const MAX_RESTARTS = 5;

export interface Supervision {
	/** Set before stopping the stack on purpose, so that exits are not restarted. */
	stopping: boolean;
}

type Slot = { get: () => Service; set: (s: Service) => void; restart: () => Promise<Service> };

function slots(stack: QueueStack): Slot[] {
	const base: QueueBase = stack;
	const n8n = (list: QueueProcess[], i: number): Slot => ({
		get: () => list[i],
		set: (s) => {
			list[i] = s as QueueProcess;
		},
		restart: async () => await restartQueueProcess(base, list[i]),
	});
	const mains = [stack.main];
	return [
		{ ...n8n(mains, 0), set: (s) => (stack.main = s as QueueProcess) },
		...stack.workers.map((_, i) => n8n(stack.workers, i)),
		...stack.webhooks.map((_, i) => ({
			...n8n(stack.webhooks, i),
			set: (s: Service) => {
				stack.webhooks[i] = s as QueueProcess;
				if (i === 0) stack.webhook = s as QueueProcess;
			},
		})),
		{
			get: () => stack.postgres,
			set: (s) => (stack.postgres = s as PostgresService),
			restart: async () => await startPostgres(stack.postgres, () => undefined),
		},
		{
			get: () => stack.redis,
			set: (s) => (stack.redis = s as Service & { port: number }),
			restart: async () =>
				await startRedis({
					dir: path.dirname(stack.redis.logFile),
					port: stack.redis.port,
					appendLog: true,
				}),
		},
	];
}

/**
 * Watches every process of the stack; `giveUp` is called (once) when one cannot be kept running.
 * The stack object is updated in place with each restarted process.
 */
export function superviseStack(
	stack: QueueStack,
	supervision: Supervision,
	log: Log,
	giveUp: (reason: string) => void,
): void {
	for (const slot of slots(stack)) watch(slot, supervision, log, giveUp, []);
}

function watch(
	slot: Slot,
	supervision: Supervision,
	log: Log,
	giveUp: (reason: string) => void,
	restarts: number[],
): void {
	const service = slot.get();
	service.child.once('exit', (code, signal) => {
		if (supervision.stopping) return;
		const now = Date.now();
		const recent = [...restarts.filter((t) => now - t < WINDOW_MS), now];
		const how = signal ?? `exit code ${code}`;
		if (recent.length > MAX_RESTARTS) {
			giveUp(`${service.name} stopped ${recent.length} times within a minute (${how})`);
			return;
		}
		log(`${service.name} stopped unexpectedly (${how}); starting it again, as a supervisor would`);
		void slot
			.restart()
			.then((next) => {
				if (supervision.stopping) return;
				slot.set(next);
				log(`${next.name} is running again`);
				watch(slot, supervision, log, giveUp, recent);
			})
			.catch((error: Error) => giveUp(`${service.name} could not be restarted: ${error.message}`));
	});
}
