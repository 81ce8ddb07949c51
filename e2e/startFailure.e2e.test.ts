/**
 * When n8n cannot start, `npm run dev` and this suite stop with a clear message and n8n's last log lines
 * instead of hanging, and leave no n8n process behind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runtimePaths } from '../scripts/dev/runtime';
import { freePort, startN8n } from '../scripts/dev/stack';
import { E2E_DIR } from './helpers/state';

/** Processes whose working folder is `dir` (n8n runs in its files folder): Linux /proc, empty elsewhere. */
function processesIn(dir: string): number[] {
	if (!fs.existsSync('/proc/self/cwd')) return [];
	const found: number[] = [];
	for (const entry of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			if (fs.readlinkSync(`/proc/${entry}/cwd`) === dir) found.push(Number(entry));
		} catch {
			// gone or not ours
		}
	}
	return found;
}

describe('n8n that cannot start', () => {
	const runtime = runtimePaths();

	async function start(
		name: string,
		readinessTimeoutMs: number,
		prepare?: (userFolder: string) => void,
	) {
		const userFolder = path.join(E2E_DIR, name);
		fs.rmSync(userFolder, { recursive: true, force: true });
		fs.mkdirSync(path.join(userFolder, '.n8n'), { recursive: true });
		prepare?.(userFolder);
		const started = Date.now();
		const error = await startN8n({
			runtime,
			userFolder,
			port: await freePort(),
			brokerPort: await freePort(),
			logFile: path.join(userFolder, 'n8n.log'),
			readinessTimeoutMs,
		}).then(
			() => undefined,
			(e: Error) => e,
		);
		return {
			error,
			seconds: (Date.now() - started) / 1000,
			filesDir: fs.realpathSync(path.join(userFolder, 'files')),
		};
	}

	it('reports that n8n stopped, with its log, when its database is unreadable', async () => {
		const { error, filesDir } = await start('broken-database', 120_000, (userFolder) => {
			fs.writeFileSync(
				path.join(userFolder, '.n8n', 'database.sqlite'),
				'this is not an SQLite database '.repeat(200),
			);
		});
		expect(error).toBeInstanceOf(Error);
		expect(error!.message).toMatch(
			/^n8n stopped while starting \(exit code \d+\)\. Last lines of .*n8n\.log:\n/,
		);
		expect(error!.message).toMatch(/SQLITE|database/i);
		expect(processesIn(filesDir)).toEqual([]);
	}, 150_000);

	it('gives up after the readiness timeout with a clear message and stops the n8n it started', async () => {
		const { error, seconds, filesDir } = await start('too-slow', 1_500);
		expect(error).toBeInstanceOf(Error);
		expect(error!.message).toMatch(
			/^n8n was not ready within 2 s \(http:\/\/127\.0\.0\.1:\d+\/healthz\/readiness\)\. Last lines of/,
		);
		// Bounded: the timeout plus the stop, not a hang.
		expect(seconds).toBeLessThan(30);
		expect(processesIn(filesDir)).toEqual([]);
	}, 60_000);
});
