import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { formatElapsed, installDetail, withProgress } from '../../scripts/dev/runtime';

describe('progress of slow dev steps (npm run dev, e2e set-up)', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	it('logs a line at least every 15 s with the elapsed time and detail when not on a terminal', async () => {
		const lines: string[] = [];
		let finish!: () => void;
		const done = withProgress(
			(m) => lines.push(m),
			'installing n8n',
			() => new Promise<void>((r) => (finish = r)),
			{
				tty: undefined,
				detail: () => '12 packages unpacked',
			},
		);
		await jest.advanceTimersByTimeAsync(14_000);
		expect(lines).toEqual([]);
		await jest.advanceTimersByTimeAsync(76_000);
		expect(lines).toEqual([
			'installing n8n… 15 s (12 packages unpacked)',
			'installing n8n… 30 s (12 packages unpacked)',
			'installing n8n… 45 s (12 packages unpacked)',
			'installing n8n… 1 min 00 s (12 packages unpacked)',
			'installing n8n… 1 min 15 s (12 packages unpacked)',
			'installing n8n… 1 min 30 s (12 packages unpacked)',
		]);
		finish();
		await done;
		await jest.advanceTimersByTimeAsync(60_000);
		expect(lines).toHaveLength(6);
	});

	it('updates a single line every second on a terminal and clears it at the end', async () => {
		const writes: string[] = [];
		const logged: string[] = [];
		const done = withProgress(
			(m) => logged.push(m),
			'building',
			() => new Promise<void>((r) => setTimeout(r, 3500)),
			{
				tty: { write: (t: string) => writes.push(t) },
			},
		);
		await jest.advanceTimersByTimeAsync(4000);
		await done;
		expect(logged).toEqual([]);
		expect(writes).toEqual([
			'\r\x1b[Kbuilding… 1 s',
			'\r\x1b[Kbuilding… 2 s',
			'\r\x1b[Kbuilding… 3 s',
			'\r\x1b[K',
		]);
	});

	it('passes on the step result and its failure', async () => {
		await expect(
			withProgress(
				() => undefined,
				'x',
				async () => 42,
				{ tty: undefined },
			),
		).resolves.toBe(42);
		await expect(
			withProgress(
				() => undefined,
				'x',
				async () => Promise.reject(new Error('npm failed')),
				{ tty: undefined },
			),
		).rejects.toThrow('npm failed');
	});

	it('says how far npm install got', () => {
		jest.useRealTimers();
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-'));
		try {
			expect(installDetail(dir)()).toBe('resolving dependencies');
			fs.mkdirSync(path.join(dir, 'node_modules', '@n8n', 'core'), { recursive: true });
			fs.mkdirSync(path.join(dir, 'node_modules', '@n8n', 'workflow'), { recursive: true });
			fs.mkdirSync(path.join(dir, 'node_modules', 'express'), { recursive: true });
			fs.mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
			expect(installDetail(dir)()).toBe('3 packages unpacked');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		expect(formatElapsed(479_000)).toBe('7 min 59 s');
	});

	it('names the packages whose install scripts are running, while the count stands still', () => {
		jest.useRealTimers();
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'progress-'));
		try {
			const modules = path.join(dir, 'node_modules');
			for (const pkg of ['sqlite3/build', 'isolated-vm', '@parcel/watcher', 'express'])
				fs.mkdirSync(path.join(modules, pkg), { recursive: true });
			// A stand-in for /proc: each process's working folder as its cwd link.
			const proc = path.join(dir, 'proc');
			const processIn = (pid: string, cwd: string) => {
				fs.mkdirSync(path.join(proc, pid), { recursive: true });
				fs.symlinkSync(cwd, path.join(proc, pid, 'cwd'));
			};
			processIn('101', path.join(modules, 'sqlite3', 'build'));
			processIn('102', path.join(modules, '@parcel', 'watcher'));
			processIn('103', os.tmpdir());
			fs.mkdirSync(path.join(proc, 'self'));
			expect(installDetail(dir, proc)()).toBe(
				'4 packages unpacked; running the install scripts of @parcel/watcher, sqlite3 (compiling can take minutes)',
			);
			expect(installDetail(dir, path.join(dir, 'no-proc'))()).toBe('4 packages unpacked');
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});
});
