/**
 * The Ottu Report Trigger catching up a backlog in queue mode: the poll runs in main, which downloads each file
 * into n8n's database binary data mode, and the executions run on the workers. 24 reports over three days under
 * Ottu's quota of 25 downloads per window (shortened to WINDOW_S seconds): most small, two of tens of MB, and two
 * of 600 MB, over the Max Download Size of 400 MB set here (database mode refuses files over 512 MiB), one
 * announced by Content-Length and one streamed without it. Main is killed (SIGKILL) between polls and started
 * again. Checked: each report emitted once, oldest first; each file under the limit byte-exact as the workflow
 * reads it on the worker (a Crypto node hashes it from n8n's store); the two large ones emitted without their
 * file, saying why, and not read whole (the sandbox's count of bytes sent); no 429; main's memory bounded.
 * Figures go to test-results/queue-report-backlog.json.
 *
 * It runs its own sandbox (for the short quota window) and a credential of its own on the shared queue stack.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { N8nApi, WorkflowFile } from '../../scripts/dev/n8nApi';
import { credentialData } from '../../scripts/dev/provision';
import type { QueueProcess } from '../../scripts/dev/queue';
import { REPO_ROOT } from '../../scripts/dev/runtime';
import type { Service } from '../../scripts/dev/stack';
import { stopService } from '../../scripts/dev/stack';
import { SandboxClient } from '../../sandbox/client';
import { getExecution, nodeOutput } from '../helpers/n8n';
import type { Emitted } from '../helpers/reportBacklog';
import {
	backlogKeys,
	backlogWorkflow,
	csvSha256,
	daysPerRun,
	emittedReports,
	MemorySampler,
	seedBacklog,
	sleep,
	TRIGGER,
	startBacklogSandbox,
	until,
} from '../helpers/reportBacklog';
import {
	killGroup,
	QUEUE_E2E_DIR,
	queueOwnerApi,
	readQueueState,
	recordExtraPid,
	startExtraProcess,
	waitUntilGone,
	workersThatStarted,
} from './helpers/queueState';

const state = readQueueState();
const DIR = path.join(QUEUE_E2E_DIR, 'report-backlog');
const WINDOW_S = 45;
const MB = 1024 * 1024;
const MAX_MB = 400;
const BIG = 600 * MB;
const LIST_PATH = '/b/api/v1/reports/files/';

/** 8 reports a day over 3 days; the first poll takes the 20 oldest, the next window the last 4. */
function backlog() {
	return [3, 2, 1].flatMap((days) =>
		Array.from({ length: 8 }, (_, i) => {
			const name = `Day -${days} report ${i}`;
			if (days === 3 && i === 2) return { name, daysAgo: days, size: 30 * MB };
			if (days === 2 && i === 4) return { name, daysAgo: days, size: BIG };
			if (days === 1 && i === 5) return { name, daysAgo: days, size: 45 * MB };
			if (days === 1 && i === 6) return { name, daysAgo: days, size: BIG, contentLength: false };
			return { name, daysAgo: days, size: 10_000 + days * 1000 + i * 37 };
		}),
	);
}

const HASH = 'File hash';

/** The trigger, then n8n's Crypto node hashing each file as the worker reads it from n8n's binary data. */
function withFileHash(workflow: WorkflowFile): WorkflowFile {
	workflow.nodes.push({
		name: HASH,
		type: 'n8n-nodes-base.crypto',
		typeVersion: 1,
		position: [260, 0],
		// A report without its file has nothing to hash: its item goes on with the error.
		onError: 'continueRegularOutput',
		parameters: {
			action: 'hash',
			type: 'SHA256',
			binaryData: true,
			binaryPropertyName: 'data',
			dataPropertyName: 'sha256',
			encoding: 'hex',
		},
	});
	workflow.connections[TRIGGER] = { main: [[{ node: HASH, type: 'main', index: 0 }]] };
	return workflow;
}

/** report name -> the SHA-256 the Crypto node computed on the worker. */
async function hashesOnWorkers(api: N8nApi, all: Emitted[]): Promise<Map<string, unknown>> {
	const hashes = new Map<string, unknown>();
	for (const id of new Set(all.map((e) => e.execution)))
		for (const item of nodeOutput(await getExecution(api, id), HASH))
			hashes.set(String(item.report_name), item.sha256);
	return hashes;
}

/** The status main's REST API answers for a stored file, as the editor asks for it. */
async function editorDownloadStatus(api: N8nApi, id: string): Promise<number> {
	const res = await fetch(
		`${state.mainUrl}/rest/binary-data?id=${encodeURIComponent(id)}&action=download`,
		{ headers: { cookie: api.cookie } },
	);
	await res.arrayBuffer();
	return res.status;
}

describe('Ottu Report Trigger in queue mode: a backlog of 24 reports, two over Max Download Size', () => {
	const keys = backlogKeys();
	const figures: Record<string, unknown> = { at: new Date().toISOString() };
	let sandbox: Service | undefined;
	let api: N8nApi;

	beforeAll(async () => {
		fs.rmSync(DIR, { recursive: true, force: true });
		fs.mkdirSync(DIR, { recursive: true });
		sandbox = await startBacklogSandbox(DIR, WINDOW_S, keys);
		recordExtraPid(sandbox.child.pid!);
		api = await queueOwnerApi(state);
	});

	afterAll(async () => {
		if (sandbox) await stopService(sandbox);
		const dir = path.join(REPO_ROOT, 'test-results');
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(
			path.join(dir, 'queue-report-backlog.json'),
			JSON.stringify(figures, null, 2) + '\n',
		);
		process.stdout.write(`\n[e2e:queue] report backlog: ${JSON.stringify(figures)}\n`);
	});

	/** SIGKILL to main (with its task runner), then main again on its port and folder, as a supervisor would. */
	async function restartMain(): Promise<QueueProcess> {
		const main = state.processes.find((p) => p.role === 'main')!;
		killGroup(main.pid);
		await waitUntilGone(main.pid);
		const next = await startExtraProcess(state, 'main', main.name, {
			port: main.port,
			userFolder: main.userFolder,
			logFile: main.logFile,
			appendLog: true,
		});
		main.pid = next.child.pid!;
		return next;
	}

	it('emits each report once, oldest first, each file under the limit byte-exact, across a kill of main', async () => {
		const client = new SandboxClient(sandbox!.url, keys.apiKey);
		await client.reset();
		const seeded = backlog();
		const sizes = await seedBacklog(client, seeded);
		const credential = { id: '', name: 'Ottu backlog sandbox (queue)' };
		credential.id = await api.createCredential(
			credential.name,
			'ottuApi',
			credentialData(sandbox!.url, keys),
		);
		const workflowId = await api.createWorkflow(
			withFileHash(
				backlogWorkflow(credential, { maxSizeMb: MAX_MB, quotaWindowSeconds: WINDOW_S }),
			),
		);
		const mainPid = () => state.processes.find((p) => p.role === 'main')!.pid;
		const memory = new MemorySampler(mainPid);
		const emitted = async () => await emittedReports(api, workflowId);
		let all: Emitted[];
		try {
			// Activation polls at once: the trigger's 20 of the window, the 20 oldest reports.
			await api.activateWorkflow(workflowId);
			await until('the first 20 reports', 180_000, async () => (await emitted()).length >= 20);
			expect((await emitted()).map((e) => e.report_name).sort()).toEqual(
				seeded
					.slice(0, 20)
					.map((r) => r.name)
					.sort(),
			);
			// Between polls: main killed and started again (its first poll finds the quota used up).
			await restartMain();
			memory.fromNow();
			await until('all 24 reports', 240_000, async () => (await emitted()).length >= 24);
			// One more poll after the last report: nothing comes twice.
			const lists = async () =>
				(await client.requests()).filter((r) => r.path === LIST_PATH).length;
			const listed = await lists();
			await until('one more poll', 90_000, async () => (await lists()) > listed);
			await sleep(5000);
			all = await emitted();
		} finally {
			memory.stop();
		}
		figures.mainMemory = memory.processes;
		figures.mainGrowthMb = Math.round(memory.growth() / MB);

		expect(all.map((e) => e.report_name).sort()).toEqual([...sizes.keys()].sort());
		expect(new Set(all.map((e) => e.encrypted_id)).size).toBe(24);
		for (const days of daysPerRun(all)) expect(days).toEqual([...days].sort((a, b) => b - a));
		for (const e of all) expect(workersThatStarted(e.execution)).toHaveLength(1);

		const over = all.filter((e) => sizes.get(e.report_name)! > MAX_MB * MB);
		expect(over.map((e) => e.report_name).sort()).toEqual(['Day -1 report 6', 'Day -2 report 4']);
		for (const e of over) {
			expect(e.file).toBeUndefined();
			expect(e.file_missing).toBe(
				`The file is larger than the Max Download Size of ${MAX_MB} MB; raise it in Download Options to get the file`,
			);
		}
		const hashes = await hashesOnWorkers(api, all);
		const withFile = all.filter((r) => !over.includes(r));
		for (const e of withFile) {
			expect(e.file_missing).toBeUndefined();
			expect(e.file?.id).toMatch(/^database:/);
			expect([e.report_name, hashes.get(e.report_name)]).toEqual([
				e.report_name,
				await csvSha256(sizes.get(e.report_name)!),
			]);
		}
		// n8n keeps a poll's files without an execution, and its REST API serves such a file to nobody.
		figures.editorDownloadStatus = await editorDownloadStatus(api, withFile[0].file!.id!);

		// Ottu's side: one download per report, no 429, the large files not sent whole.
		const requests = await client.requests();
		expect(requests.filter((r) => r.status === 429)).toEqual([]);
		const served = await client.reportDownloads();
		expect(served.map((d) => d.encrypted_id).sort()).toEqual(all.map((e) => e.encrypted_id).sort());
		const large = served.filter((d) => d.size_bytes > MAX_MB * MB);
		figures.largeFilesSentMb = large.map((d) => Math.round((d.sent_bytes / MB) * 10) / 10);
		figures.polls = requests.filter((r) => r.path === LIST_PATH).length;
		for (const d of served.filter((s) => !large.includes(s)))
			expect(d.sent_bytes).toBe(d.size_bytes);
		// Announced too large: refused before reading; unannounced: read up to the limit, then dropped.
		expect(large.map((d) => d.sent_bytes < 64 * MB)).toEqual([true, false]);
		for (const d of large) expect(d.sent_bytes).toBeLessThan(MAX_MB * MB + 64 * MB);

		// Database mode holds each file in main's memory, and the unannounced one up to the limit (in socket-sized
		// chunks; measured 231 to 920 MB over runs): bounded by Max Download Size, not by the file.
		expect(memory.growth()).toBeLessThan(3 * MAX_MB * MB);
	}, 600_000);
});
