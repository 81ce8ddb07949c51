import * as fs from 'node:fs';

import { stopQueueStack } from '../../scripts/dev/queue';
import { stopAllStarted, stopService } from '../../scripts/dev/stack';
import type { shared as Shared } from './globalSetup';
import { EXTRA_PIDS_FILE, killGroup } from './helpers/queueState';

export default async function globalTeardown(): Promise<void> {
	const shared = globalThis as typeof Shared;
	const held = shared.__OTTU_QUEUE_E2E__;
	// Replacement workers a failed test may have left running.
	if (fs.existsSync(EXTRA_PIDS_FILE)) {
		for (const pid of fs
			.readFileSync(EXTRA_PIDS_FILE, 'utf8')
			.split('\n')
			.map(Number)
			.filter((p) => p > 0))
			killGroup(pid);
	}
	if (held) {
		await stopQueueStack(held.stack);
		if (held.sandbox) await stopService(held.sandbox);
	}
	await stopAllStarted();
	shared.__OTTU_QUEUE_E2E__ = undefined;
}
