/**
 * The figures taken in a real n8n (the version the e2e suite runs), against what a user would pick instead of
 * this package: the HTTP Request node, the Webhook node, a hand-written signature check. Called by bench/run.ts
 * (`npm run bench`, or `npm run bench:n8n` for these alone).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { stopService } from '../../scripts/dev/stack';
import { median, round } from '../measure';
import type { Figure } from '../report';
import { summariseProfile } from './cpu';
import type { ProfileSummary } from './cpu';
import type { GetsPlan } from './gets';
import { benchVsHttpRequest, benchVsHttpRequestConcurrency } from './gets';
import { queueIngestFigure, queuePlan } from './queue';
import type { BenchStack } from './stack';
import {
	N8N_TMP,
	installPackageFrom,
	relogin,
	startBenchStack,
	startN8nProcess,
	stopBenchStack,
} from './stack';
import type { Delivery, ForgeryKind, SideRun } from './webhooks';
import {
	forgedDelivery,
	genuineDelivery,
	percentile,
	runForged,
	runGenuine,
	send,
	waitUntilIdle,
} from './webhooks';
import type { WebhookSide } from './workflows';
import {
	headerAuthWebhookSide,
	ottuTriggerSide,
	plainWebhookSide,
	webhookCodeSide,
} from './workflows';

export interface N8nPlan {
	gets: GetsPlan;
	/** `deliveries` per side in all, sent in `chunks` parts with the sides' order rotated from one part to the next. */
	webhooks: {
		deliveries: number;
		chunks: number;
		senders: number;
		forgedPerKind: number;
		profileDeliveries: number;
		diagnosticDeliveries: number;
	};
}

export function n8nPlan(quick: boolean): N8nPlan {
	const scale = (n: number) => (quick ? Math.max(1, Math.round(n / 10)) : n);
	return {
		gets: {
			calls: scale(1000),
			runs: quick ? 2 : 5,
			latencyMs: 25,
			concurrency: 8,
			concurrencyRuns: quick ? 1 : 3,
		},
		webhooks: {
			deliveries: scale(1000),
			chunks: quick ? 2 : 4,
			senders: 8,
			forgedPerKind: quick ? 30 : 200,
			profileDeliveries: quick ? 30 : 150,
			diagnosticDeliveries: quick ? 30 : 100,
		},
	};
}

type SideName = 'trigger' | 'header' | 'plain' | 'code';
type ActiveSide = WebhookSide & { id: string; headers?: Record<string, string> };

async function activeSides(stack: BenchStack): Promise<Record<SideName, ActiveSide>> {
	const defs: Record<SideName, WebhookSide & { headers?: Record<string, string> }> = {
		trigger: ottuTriggerSide(stack.credentials.ottu),
		header: {
			...headerAuthWebhookSide(stack),
			headers: { [stack.webhookAuth.name]: stack.webhookAuth.value },
		},
		plain: plainWebhookSide(),
		code: webhookCodeSide(stack),
	};
	const out = {} as Record<SideName, ActiveSide>;
	for (const [name, side] of Object.entries(defs) as Array<[SideName, (typeof defs)[SideName]]>) {
		const id = await stack.api.createWorkflow(side.workflow);
		// Production URLs (/webhook/...) only answer once the workflow is published (active).
		await stack.api.activateWorkflow(id);
		out[name] = { ...side, id };
	}
	return out;
}

let batch = 0;
const deliveriesFor = (stack: BenchStack, count: number) => {
	const tag = String(++batch).padStart(3, '0');
	return Array.from({ length: count }, (_, i) => genuineDelivery(stack.keys.hmacKey, tag, i));
};

async function webhookFigures(
	stack: BenchStack,
	plan: N8nPlan['webhooks'],
	sides: Record<SideName, ActiveSide>,
): Promise<Figure[]> {
	const names = Object.keys(sides) as SideName[];
	// Warm-up: a few deliveries to each side (module loading, JIT, the Code node's task runner).
	for (const name of names)
		await runGenuine(stack, sides[name], deliveriesFor(stack, 20), plan.senders);
	const runs = Object.fromEntries(names.map((n) => [n, [] as SideRun[]])) as Record<
		SideName,
		SideRun[]
	>;
	const perChunk = Math.round(plan.deliveries / plan.chunks);
	for (let run = 0; run < plan.chunks; run++) {
		const order = [...names.slice(run % names.length), ...names.slice(0, run % names.length)];
		const line: string[] = [];
		for (const name of order) {
			const r = await runGenuine(stack, sides[name], deliveriesFor(stack, perChunk), plan.senders);
			runs[name].push(r);
			line.push(
				`${name} ${r.perSecond.toFixed(1)}/s (p99 ${percentile(r.latenciesMs, 99).toFixed(0)} ms, n8n CPU ${(r.cpuMs / perChunk).toFixed(0)} ms each)`,
			);
		}
		console.log(
			`  webhooks part ${run + 1}/${plan.chunks}, ${perChunk} deliveries each: ${line.join(', ')}`,
		);
	}
	const ratio = (a: SideName, b: SideName) =>
		median(runs[a].map((r, i) => r.perSecond / runs[b][i].perSecond));
	const sideDetail = (name: SideName) => {
		const all = runs[name].flatMap((r) => r.latenciesMs);
		return {
			per_second: runs[name].map((r) => round(r.perSecond, 1)),
			p50_ms: round(percentile(all, 50), 1),
			p99_ms: round(percentile(all, 99), 1),
			n8n_cpu_ms_per_delivery: round(
				runs[name].reduce((a, r) => a + r.cpuMs, 0) / (perChunk * plan.chunks),
				2,
			),
			all_executions_finished_s: runs[name].map((r) => round(r.allFinishedMs / 1000, 1)),
		};
	};
	const detail = {
		deliveries: perChunk * plan.chunks,
		parts: plan.chunks,
		senders: plan.senders,
		ottu_trigger: sideDetail('trigger'),
		webhook_header_auth: sideDetail('header'),
		webhook_plain: sideDetail('plain'),
		webhook_code: sideDetail('code'),
		load_average: os.loadavg().map((x) => round(x, 1)),
	};
	const pooled = (name: SideName) =>
		percentile(
			runs[name].flatMap((r) => r.latenciesMs),
			99,
		);
	const trig = ratio('trigger', 'header');
	const plain = ratio('trigger', 'plain');
	const vsCode = ratio('trigger', 'code');
	const p99 = pooled('trigger');
	const headerP99 = pooled('header');
	const figures: Figure[] = [
		{
			key: 'trigger_vs_webhook_throughput',
			value: round(trig, 3),
			target: '>= 0.9',
			met: trig >= 0.9,
			detail,
		},
		{
			key: 'trigger_vs_plain_webhook_throughput',
			value: round(plain, 3),
			target: 'report',
			met: null,
			detail,
		},
		{
			key: 'trigger_vs_webhook_code_throughput',
			value: round(vsCode, 3),
			target: '>= 1.5',
			met: vsCode >= 1.5,
			detail,
		},
		{
			key: 'trigger_p99_ms',
			value: round(p99, 1),
			target: `<= 1.1 × Header Auth Webhook's p99 (${round(headerP99, 1)} ms)`,
			met: p99 <= 1.1 * headerP99,
			detail: { ...detail, ratio_to_header_auth_p99: round(p99 / headerP99, 3) },
		},
	];
	const genuineCpu = runs.trigger.reduce((a, r) => a + r.cpuMs, 0) / (perChunk * plan.chunks);
	figures.push(await forgedFigure(stack, sides.trigger, plan, genuineCpu));
	return figures;
}

async function forgedFigure(
	stack: BenchStack,
	trigger: ActiveSide,
	plan: N8nPlan['webhooks'],
	genuineCpuMs: number,
): Promise<Figure> {
	const kinds: ForgeryKind[] = ['wrong_signature', 'no_signature', 'not_json'];
	const perKind = {} as Record<ForgeryKind, number>;
	for (const kind of kinds) {
		const tag = String(++batch).padStart(3, '0');
		const forged = Array.from({ length: plan.forgedPerKind }, (_, i) =>
			forgedDelivery(stack.keys.hmacKey, kind, tag, i),
		);
		const r = await runForged(stack, trigger, forged, plan.senders);
		perKind[kind] = r.cpuMs / plan.forgedPerKind;
		console.log(
			`  forged (${kind}): ${plan.forgedPerKind} answered 401 in ${(r.ms / 1000).toFixed(1)} s, n8n CPU ${perKind[kind].toFixed(2)} ms each (genuine ${genuineCpuMs.toFixed(2)} ms)`,
		);
	}
	// An equal mix of the three kinds.
	const mixed = kinds.reduce((a, k) => a + perKind[k], 0) / kinds.length;
	const value = mixed / genuineCpuMs;
	return {
		key: 'forged_cost_ratio',
		value: round(value, 3),
		target: '<= 0.5',
		met: value <= 0.5,
		detail: {
			forged_per_kind: plan.forgedPerKind,
			genuine_cpu_ms: round(genuineCpuMs, 2),
			forged_cpu_ms: Object.fromEntries(kinds.map((k) => [k, round(perKind[k], 2)])),
			ratio_per_kind: Object.fromEntries(
				kinds.map((k) => [k, round(perKind[k] / genuineCpuMs, 3)]),
			),
			measured:
				"CPU (user + system) of n8n's process group from /proc, from the first delivery until n8n is idle again, per delivery; genuine = the Ottu Trigger runs of the throughput figure (answer + execution saved)",
		},
	};
}

/**
 * Where the webhook process's time goes, matched on the sampled stack "leaf < caller < … < (root)" (frames are
 * "function package/file:line"). Stacks end at the last await, so work resumed after one counts under (root).
 */
export const PROFILE_PATTERNS: Record<string, RegExp> = {
	'n8n: start node of typeVersion 1, so parseRequestBody evaluates {{$parameter.options.binaryData}} in an isolate':
		/parseRequestBody /,
	'n8n: expression isolate for the webhook phase (every start node but the Webhook node)':
		/(acquireIsolate|releaseIsolate) [^<]*< executeWebhook n8n\/live-webhooks/,
	'n8n: expression isolate for the credential (applyDefaultsAndOverwrites)':
		/(acquireIsolate|releaseIsolate) [^<]*< applyDefaultsAndOverwrites /,
	'n8n: credential properties and defaults (getNodeParameters over the credential type)':
		/getNodeParameters [^<]*< (?:[^<]*< )*?applyDefaultsAndOverwrites /,
	'n8n: credential decrypted': /decrypt[^<]*cipher/i,
	'n8n: credential loaded, synchronous parts (getCredentials, getDecrypted)':
		/getCredentials |getDecrypted /,
	'n8n: expression isolate for the execution':
		/(acquireIsolate|releaseIsolate) [^<]*< (initializeExecution|\(anonymous\) n8n-core\/workflow-execute)/,
	'n8n: expression runtime (isolates created, initialised, disposed; expressions run)':
		/^[^<]*@n8n\/expression-runtime\//,
	'n8n: database (sqlite3, typeorm)': /^[^<]*(sqlite3|@n8n\/typeorm)\//,
	'n8n: workflow static data saved': /saveStaticData /,
	'ours: any frame of n8n-nodes-ottu': /n8n-nodes-ottu\//,
	'ours: signature check (raw JSON reader, HMAC)':
		/verifyOttuSignature |n8n-nodes-ottu\/(signature|rawJson)\.js/,
	'ours: de-dup': /isRepeatDelivery |n8n-nodes-ottu\/dedup\.js/,
};

/**
 * Restarts n8n with `--cpu-prof` and sends the trigger genuine deliveries, then forgeries, then the Header Auth
 * and the plain webhook genuine deliveries, then genuine deliveries to the trigger in version 1 (as saved before
 * version 2) and to the trigger with de-dup off; summarises each window of the profile (n8n's start-up left out).
 */
async function profileWebhooks(
	stack: BenchStack,
	sides: Record<SideName, ActiveSide>,
	plan: N8nPlan['webhooks'],
): Promise<Record<string, ProfileSummary>> {
	const dir = path.join(N8N_TMP, 'profile');
	mkdirSync(dir, { recursive: true });
	// The trigger as saved before version 2 existed, for the difference the version makes.
	// And without de-dup (Ignore Repeated Deliveries off): what remembering deliveries in the workflow's
	// static data costs (n8n saves it with the workflow after each new delivery, and loads it with every request).
	const v1 = ottuTriggerSide(stack.credentials.ottu, 1);
	const noDedup = ottuTriggerSide(stack.credentials.ottu, 2, { ignoreRepeats: false });
	for (const extra of [v1, noDedup])
		await stack.api.activateWorkflow(await stack.api.createWorkflow(extra.workflow));
	await stopService(stack.n8n, 60_000);
	const spawnedAt = Date.now();
	stack.n8n = await startN8nProcess(
		stack,
		{ NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` },
		'n8n-profile.log',
	);
	await relogin(stack);
	const windows: Record<string, [number, number]> = {};
	const measure = async (
		name: string,
		url: string,
		deliveries: Delivery[],
		headers?: Record<string, string>,
	) => {
		await send(url, deliveries.slice(0, 10), plan.senders, headers);
		await waitUntilIdle(stack.n8n.child.pid!);
		const from = (Date.now() - spawnedAt) / 1000;
		await send(url, deliveries, plan.senders, headers);
		await waitUntilIdle(stack.n8n.child.pid!);
		windows[name] = [from, (Date.now() - spawnedAt) / 1000];
	};
	const n = plan.profileDeliveries;
	const base = `${stack.n8n.url}/webhook/`;
	await measure('ottu_trigger_genuine', base + sides.trigger.path, deliveriesFor(stack, n + 10));
	const tag = String(++batch).padStart(3, '0');
	await measure(
		'ottu_trigger_forged_wrong_signature',
		base + sides.trigger.path,
		Array.from({ length: n }, (_, i) =>
			forgedDelivery(stack.keys.hmacKey, 'wrong_signature', tag, i),
		),
	);
	await measure(
		'webhook_header_auth_genuine',
		base + sides.header.path,
		deliveriesFor(stack, n + 10),
		sides.header.headers,
	);
	await measure('webhook_plain_genuine', base + sides.plain.path, deliveriesFor(stack, n + 10));
	await measure('ottu_trigger_v1_genuine', base + v1.path, deliveriesFor(stack, n + 10));
	await measure(
		'ottu_trigger_dedup_off_genuine',
		base + noDedup.path,
		deliveriesFor(stack, n + 10),
	);
	const pid = stack.n8n.child.pid!;
	await stopService(stack.n8n, 60_000);
	// CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: thread 0 is the main thread.
	const file = readdirSync(dir).find((f) => f.includes(`.${pid}.0.`) && f.endsWith('.cpuprofile'));
	if (!file)
		throw new Error(
			`n8n wrote no CPU profile for process ${pid} (files: ${readdirSync(dir).join(', ')})`,
		);
	const summaries = Object.fromEntries(
		Object.entries(windows).map(([name, [from, to]]) => [
			name,
			summariseProfile(path.join(dir, file), from, to, PROFILE_PATTERNS),
		]),
	);
	writeFileSync(
		path.join(N8N_TMP, 'profile-summary.json'),
		`${JSON.stringify(summaries, null, '\t')}\n`,
	);
	return summaries;
}

/**
 * Diagnostic: the same trigger and Header Auth webhook with n8n's legacy expression engine (N8N_EXPRESSION_ENGINE=legacy)
 * instead of 2.41's default isolated-vm engine, which the profile shows creating an isolate several times per delivery.
 * One part per side, and n8n's CPU for genuine and wrong-signature deliveries to the trigger.
 */
async function legacyEngineDiagnostic(
	stack: BenchStack,
	sides: Record<SideName, ActiveSide>,
	plan: N8nPlan['webhooks'],
) {
	await stopService(stack.n8n, 60_000);
	stack.n8n = await startN8nProcess(
		stack,
		{ N8N_EXPRESSION_ENGINE: 'legacy' },
		'n8n-legacy-engine.log',
	);
	await relogin(stack);
	const count = plan.diagnosticDeliveries;
	for (const name of ['trigger', 'header', 'plain'] as const)
		await runGenuine(stack, sides[name], deliveriesFor(stack, 20), plan.senders);
	const out: Record<string, unknown> = { deliveries_per_side: count };
	const rate: Record<string, number> = {};
	for (const name of ['trigger', 'header', 'plain', 'trigger'] as const) {
		const r = await runGenuine(stack, sides[name], deliveriesFor(stack, count), plan.senders);
		rate[name] = (rate[name] ?? 0) + r.perSecond / (name === 'trigger' ? 2 : 1);
		out[`${name}_cpu_ms_per_delivery`] = round(r.cpuMs / count, 2);
	}
	const tag = String(++batch).padStart(3, '0');
	const forged = await runForged(
		stack,
		sides.trigger,
		Array.from({ length: count }, (_, i) =>
			forgedDelivery(stack.keys.hmacKey, 'wrong_signature', tag, i),
		),
		plan.senders,
	);
	out.per_second = Object.fromEntries(Object.entries(rate).map(([k, v]) => [k, round(v, 1)]));
	out.trigger_vs_header_auth = round(rate.trigger / rate.header, 3);
	out.trigger_vs_plain = round(rate.trigger / rate.plain, 3);
	out.forged_wrong_signature_cpu_ms = round(forged.cpuMs / count, 2);
	console.log(`  legacy expression engine: ${JSON.stringify(out)}`);
	return out;
}

/**
 * Optional diagnostic (BENCH_COMPARE_PACKAGE_DIR=<folder with another build of this package>): the trigger of
 * that build against the same Header Auth webhook, and its CPU per forgery of each kind, in the same n8n.
 */
async function otherBuildDiagnostic(
	stack: BenchStack,
	sides: Record<SideName, ActiveSide>,
	plan: N8nPlan['webhooks'],
	packageDir: string,
) {
	await stopService(stack.n8n, 60_000);
	installPackageFrom(stack.userFolder, packageDir);
	stack.n8n = await startN8nProcess(stack, {}, 'n8n-other-build.log');
	await relogin(stack);
	const count = plan.diagnosticDeliveries;
	for (const name of ['trigger', 'header'] as const)
		await runGenuine(stack, sides[name], deliveriesFor(stack, 20), plan.senders);
	const rate = { trigger: 0, header: 0 };
	const cpu = { trigger: 0, header: 0 };
	for (const name of ['trigger', 'header', 'header', 'trigger'] as const) {
		const r = await runGenuine(stack, sides[name], deliveriesFor(stack, count), plan.senders);
		rate[name] += r.perSecond / 2;
		cpu[name] += r.cpuMs / count / 2;
	}
	const forged: Record<string, number> = {};
	for (const kind of ['wrong_signature', 'no_signature', 'not_json'] as const) {
		const tag = String(++batch).padStart(3, '0');
		const r = await runForged(
			stack,
			sides.trigger,
			Array.from({ length: count }, (_, i) => forgedDelivery(stack.keys.hmacKey, kind, tag, i)),
			plan.senders,
		);
		forged[kind] = r.cpuMs / count;
	}
	const out = {
		build: process.env.BENCH_COMPARE_LABEL ?? 'another build of this package',
		deliveries_per_side: 2 * count,
		per_second: { trigger: round(rate.trigger, 1), header: round(rate.header, 1) },
		trigger_vs_header_auth: round(rate.trigger / rate.header, 3),
		genuine_cpu_ms: round(cpu.trigger, 2),
		header_auth_cpu_ms: round(cpu.header, 2),
		forged_cpu_ms: Object.fromEntries(Object.entries(forged).map(([k, v]) => [k, round(v, 2)])),
		forged_cost_ratio_per_kind: Object.fromEntries(
			Object.entries(forged).map(([k, v]) => [k, round(v / cpu.trigger, 3)]),
		),
		forged_cost_ratio: round(Object.values(forged).reduce((a, v) => a + v, 0) / 3 / cpu.trigger, 3),
	};
	console.log(`  other build: ${JSON.stringify(out)}`);
	return out;
}

/** Short per-window digest kept in results.json (the full summary is in bench/tmp/n8n/profile-summary.json). */
function digest(summary: ProfileSummary, deliveries: number) {
	return {
		busy_ms_per_delivery: round(summary.busy_ms / deliveries, 2),
		inclusive_share_percent: Object.fromEntries(
			Object.entries(summary.inclusive).map(([k, v]) => [k, v.share]),
		),
		top_self: summary.top_self.slice(0, 12).map((f) => `${f.share}% ${f.frame}`),
		by_package: summary.by_package.slice(0, 8).map((p) => `${p.share}% ${p.owner}`),
	};
}

export async function benchN8n(
	quick: boolean,
	wanted: (name: string) => boolean,
): Promise<{ figures: Figure[]; missing: string[] }> {
	const plan = n8nPlan(quick);
	const figures: Figure[] = [];
	const missing: string[] = [];
	const attempt = async (name: string, fn: () => Promise<Figure | Figure[]>) => {
		try {
			figures.push(...[await fn()].flat());
		} catch (error) {
			console.error(`  ${name} failed: ${(error as Error).message}`);
			missing.push(`${name}: ${(error as Error).message.split('\n')[0]}`);
		}
	};
	const stack = await startBenchStack((m) => console.log(`  ${m}`));
	try {
		if (wanted('n8n-gets')) {
			console.log(
				`n8n: ${plan.gets.calls} Payment Transaction Get in one workflow run, Ottu node vs HTTP Request node`,
			);
			await attempt('vs_http_request_ratio', () => benchVsHttpRequest(stack, plan.gets));
			console.log(
				`n8n: the same with ${plan.gets.latencyMs} ms latency, Ottu node at Concurrency ${plan.gets.concurrency} vs HTTP Request node batching`,
			);
			await attempt('vs_http_request_concurrency_ratio', () =>
				benchVsHttpRequestConcurrency(stack, plan.gets),
			);
		}
		if (wanted('n8n-webhooks')) {
			console.log(
				`n8n: ${plan.webhooks.deliveries} signed Ottu webhooks, ${plan.webhooks.senders} senders: Ottu Trigger vs Webhook node (Header Auth, plain, + Code node)`,
			);
			let sides: Record<SideName, ActiveSide> | undefined;
			await attempt('trigger_vs_webhook_throughput', async () => {
				sides = await activeSides(stack);
				return await webhookFigures(stack, plan.webhooks, sides);
			});
			// The profile and the diagnostics still run when a side's answers voided the figures (n8n
			// overloaded on a busy machine): they do not depend on every answer being right.
			if (sides) {
				const s = sides;
				console.log(
					`n8n: CPU profile of the webhook process, ${plan.webhooks.profileDeliveries} deliveries per window`,
				);
				try {
					const summaries = await profileWebhooks(stack, s, plan.webhooks);
					const plainFigure = figures.find((f) => f.key === 'trigger_vs_plain_webhook_throughput');
					const profile = Object.fromEntries(
						Object.entries(summaries).map(([k, v]) => [
							k,
							digest(v, plan.webhooks.profileDeliveries),
						]),
					);
					if (plainFigure) plainFigure.detail = { ...plainFigure.detail, profile };
					for (const [k, v] of Object.entries(profile))
						console.log(
							`  profile ${k}: ${v.busy_ms_per_delivery} ms busy per delivery; ${JSON.stringify(v.inclusive_share_percent)}`,
						);
				} catch (error) {
					console.error(`  profile failed: ${(error as Error).message}`);
					missing.push(`webhook profile: ${(error as Error).message.split('\n')[0]}`);
				}
				console.log("n8n: diagnostic, the same webhooks with n8n's legacy expression engine");
				try {
					const legacy = await legacyEngineDiagnostic(stack, s, plan.webhooks);
					for (const f of figures.filter(
						(x) => x.key.startsWith('trigger_') || x.key === 'forged_cost_ratio',
					))
						f.detail = { ...f.detail, diagnostic_legacy_expression_engine: legacy };
				} catch (error) {
					console.error(`  legacy engine diagnostic failed: ${(error as Error).message}`);
					missing.push(
						`legacy expression engine diagnostic: ${(error as Error).message.split('\n')[0]}`,
					);
				}
				const otherDir = process.env.BENCH_COMPARE_PACKAGE_DIR;
				if (otherDir) {
					console.log(
						`n8n: diagnostic, the trigger of another build (${process.env.BENCH_COMPARE_LABEL ?? otherDir})`,
					);
					try {
						const other = await otherBuildDiagnostic(stack, s, plan.webhooks, otherDir);
						for (const f of figures.filter(
							(x) => x.key.startsWith('trigger_') || x.key === 'forged_cost_ratio',
						))
							f.detail = { ...f.detail, diagnostic_other_build: other };
					} catch (error) {
						console.error(`  other build diagnostic failed: ${(error as Error).message}`);
						missing.push(`other build diagnostic: ${(error as Error).message.split('\n')[0]}`);
					}
				}
			}
		}
		if (wanted('n8n-queue')) {
			const plan = queuePlan(quick);
			console.log(
				`n8n: queue mode, ${plan.deliveries} signed Ottu webhooks + forgeries to the Ottu Trigger through a webhook process and ${plan.workers} workers vs regular mode`,
			);
			await attempt('queue_ingest_ratio', () =>
				queueIngestFigure(stack, plan, (m) => console.log(`  ${m}`)),
			);
		} else if (wanted('n8n-webhooks')) {
			missing.push(
				'queue_ingest_ratio: not in this run: it starts a queue-mode stack, so only `npm run bench -- --only=n8n-queue` takes it',
			);
		}
	} finally {
		await stopBenchStack(stack);
	}
	return { figures, missing };
}
