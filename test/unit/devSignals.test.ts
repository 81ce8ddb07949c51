import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'devStack.ts');

/** Whether a process is still there (signal 0 only asks). */
function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 25_000): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = probe();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

/**
 * `npm run dev` as a supervisor or a container stop sees it: the package's own dev script, run by npm, with
 * the stand-in for scripts/dev.ts (the dev stack's spawn, stop and shutdown functions, one detached service).
 */
describe('npm run dev stops what it started when npm is told to stop', () => {
	const script = (
		JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
			scripts: Record<string, string>;
		}
	).scripts.dev;
	let dir: string;
	const leftovers: number[] = [];

	beforeEach(() => {
		// Inside the repository (git-ignored .dev/) so that node finds tsx in its node_modules.
		fs.mkdirSync(path.join(ROOT, '.dev'), { recursive: true });
		dir = fs.mkdtempSync(path.join(ROOT, '.dev', 'signals-'));
		const report = path.join(dir, 'report.txt');
		fs.writeFileSync(
			path.join(dir, 'package.json'),
			JSON.stringify({
				name: 'dev-signals',
				private: true,
				scripts: { dev: script.replace('scripts/dev.ts', `${FIXTURE} ${report}`) },
			}),
		);
	});

	afterEach(() => {
		for (const pid of leftovers.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
		fs.rmSync(dir, { recursive: true, force: true });
	});

	async function startDev(): Promise<{ npmPid: number; servicePid: number; report: string }> {
		expect(script).toContain('scripts/dev.ts');
		const npm = spawn('npm', ['run', '--silent', 'dev'], { cwd: dir, stdio: 'ignore' });
		leftovers.push(npm.pid!);
		const report = path.join(dir, 'report.txt');
		const servicePid = await until('the dev stack to start its service', () => {
			const found = fs.existsSync(report) && /service (\d+)/.exec(fs.readFileSync(report, 'utf8'));
			return found ? Number(found[1]) : undefined;
		});
		leftovers.push(servicePid);
		return { npmPid: npm.pid!, servicePid, report };
	}

	it.each(['SIGTERM', 'SIGINT'] as const)(
		'%s sent to npm stops the service and exits',
		async (signal) => {
			const { npmPid, servicePid, report } = await startDev();
			process.kill(npmPid, signal);
			await until('the dev stack to stop', () =>
				fs.readFileSync(report, 'utf8').includes('stopped 0') ? true : undefined,
			);
			await until('the service to end', () => (alive(servicePid) ? undefined : true));
			await until('npm to exit', () => (alive(npmPid) ? undefined : true));
		},
		40_000,
	);

	it('npm killed outright (SIGKILL) still stops the service', async () => {
		const { npmPid, servicePid, report } = await startDev();
		process.kill(npmPid, 'SIGKILL');
		await until('the dev stack to stop', () =>
			fs.readFileSync(report, 'utf8').includes('stopped 1') ? true : undefined,
		);
		await until('the service to end', () => (alive(servicePid) ? undefined : true));
	}, 40_000);
});
