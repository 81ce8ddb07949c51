/** The machine the figures were taken on, and the generated part of BENCHMARKS.md. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';

import { median as medianOf } from './measure';

const median = (values: number[] | undefined) =>
	values && values.length ? Math.round(medianOf(values) * 10) / 10 : '–';

export type FigureKey =
	| 'overhead_ratio'
	| 'node_vs_request_helper_ratio'
	| 'concurrency_speedup'
	| 'download_rss_growth_mb'
	| 'download_throughput_ratio'
	| 'pagination_ratio'
	| 'vs_http_request_ratio'
	| 'vs_http_request_concurrency_ratio'
	| 'trigger_vs_webhook_throughput'
	| 'trigger_vs_plain_webhook_throughput'
	| 'trigger_vs_webhook_code_throughput'
	| 'trigger_p99_ms'
	| 'forged_cost_ratio'
	| 'queue_ingest_ratio';

export interface Figure {
	key: FigureKey;
	value: number;
	target: string;
	/** null: a diagnostic or reported figure, with no target to meet. */
	met: boolean | null;
	detail: Record<string, unknown>;
}

export interface Machine {
	cpu_model: string;
	cores: number;
	memory_gb: number;
	os: string;
	node: string;
	n8n_core: string;
	n8n_workflow: string;
	/** 1, 5 and 15 minute load averages: other work on the machine while the figures were taken. */
	load_average_at_start?: number[];
	load_average_at_end?: number[];
}

/** One run of the harness that contributed figures to the published results. */
export interface BenchRun {
	generated_at: string;
	/** The `--only=` parts, or 'all' for a full `npm run bench`. */
	only: string[] | 'all';
	duration_s: number;
	load_average_at_start?: number[];
	load_average_at_end?: number[];
	figures: FigureKey[];
}

export interface BenchResults {
	generated_at: string;
	quick: boolean;
	duration_s: number;
	machine: Machine;
	figures: Figure[];
	/** Figures that could not be taken in this run, and why. */
	missing: string[];
	/** The runs the figures come from, when a partial run (`--only=`) replaced some of a full run's figures. */
	runs?: BenchRun[];
}

function packageVersion(name: string): string {
	try {
		const file = require.resolve(`${name}/package.json`);
		return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
	} catch {
		return 'unknown';
	}
}

export function machineInfo(): Machine {
	const cpus = os.cpus();
	return {
		cpu_model: cpus[0]?.model.trim() ?? 'unknown',
		cores: cpus.length,
		memory_gb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
		node: process.version,
		n8n_core: packageVersion('n8n-core'),
		n8n_workflow: packageVersion('n8n-workflow'),
	};
}

/** results.json: one number per figure at the top, with the sides and memory behind it. */
export function resultsJson(results: BenchResults): Record<string, unknown> {
	const summary = Object.fromEntries(Object.keys(LABELS).map((key) => [key, null])) as Record<
		string,
		number | null
	>;
	const figures: Record<string, Omit<Figure, 'key'>> = {};
	for (const { key, ...rest } of results.figures) {
		summary[key] = rest.value;
		figures[key] = rest;
	}
	return {
		...summary,
		generated_at: results.generated_at,
		quick: results.quick,
		duration_s: results.duration_s,
		machine: results.machine,
		figures,
		missing: results.missing,
		...(results.runs ? { runs: results.runs } : {}),
	};
}

/** Reads back what resultsJson wrote. */
export function readResultsJson(file: string): BenchResults | undefined {
	if (!existsSync(file)) return undefined;
	const json = JSON.parse(readFileSync(file, 'utf8')) as {
		generated_at: string;
		quick: boolean;
		duration_s: number;
		machine: Machine;
		figures: Record<string, Omit<Figure, 'key'>>;
		missing: string[];
		runs?: BenchRun[];
	};
	return {
		generated_at: json.generated_at,
		quick: json.quick,
		duration_s: json.duration_s,
		machine: json.machine,
		figures: Object.entries(json.figures).map(([key, f]) => ({ key: key as FigureKey, ...f })),
		missing: json.missing,
		runs: json.runs,
	};
}

const runOf = (r: BenchResults, only: string[] | 'all'): BenchRun => ({
	generated_at: r.generated_at,
	only,
	duration_s: r.duration_s,
	load_average_at_start: r.machine.load_average_at_start,
	load_average_at_end: r.machine.load_average_at_end,
	figures: r.figures.map((f) => f.key),
});

/**
 * A partial run's figures replace the same figures of the published results; the others, and the record of
 * the runs they come from, are kept. A missing entry stays unless this run took or missed that figure.
 */
export function mergeResults(
	published: BenchResults,
	partial: BenchResults,
	only: string[],
): BenchResults {
	const taken = new Set(partial.figures.map((f) => f.key));
	const keyOf = (reason: string) => reason.split(/[: ]/)[0];
	const missedNow = new Set(partial.missing.map(keyOf));
	const earlierRuns = (published.runs ?? [runOf(published, 'all')])
		.map((run) => ({ ...run, figures: run.figures.filter((k) => !taken.has(k)) }))
		.filter((run) => run.figures.length > 0);
	const kept = published.figures.filter((f) => !taken.has(f.key));
	const keptKeys = new Set<string>(kept.map((f) => f.key));
	return {
		...partial,
		machine: { ...partial.machine },
		figures: [...kept, ...partial.figures],
		missing: [
			...published.missing.filter(
				(m) => !taken.has(keyOf(m) as FigureKey) && !missedNow.has(keyOf(m)),
			),
			// Not taken this time but taken by an earlier run: the earlier figure stands.
			...partial.missing.filter((m) => !keptKeys.has(keyOf(m))),
		],
		runs: [...earlierRuns, runOf(partial, only)],
	};
}

const LABELS: Record<FigureKey, string> = {
	vs_http_request_ratio:
		"Real n8n: 1,000 Payment Transaction Get in one run, Ottu node ÷ HTTP Request node (n8n's execution time)",
	vs_http_request_concurrency_ratio:
		'Real n8n, 25 ms latency: Ottu node at Concurrency 8 ÷ HTTP Request node batching 8 every 25 ms',
	trigger_vs_webhook_throughput:
		'Real n8n: signed webhooks answered per second, 8 senders, Ottu Trigger ÷ Webhook node with Header Auth',
	trigger_vs_plain_webhook_throughput: 'The same ÷ plain Webhook node (no authentication)',
	trigger_vs_webhook_code_throughput: 'The same ÷ Webhook node + Code node verifying the signature',
	trigger_p99_ms: 'Ottu Trigger p99 time to the 2xx answer, ms (8 senders)',
	forged_cost_ratio:
		'n8n CPU per forged delivery answered 401 ÷ per genuine delivery (Ottu Trigger)',
	node_vs_request_helper_ratio:
		"In-process: Ottu node, Session ID typed in ÷ n8n's request helper alone (2,000 Get)",
	overhead_ratio:
		'Diagnostic, in-process: 2,000 Payment Transaction Get through n8n ÷ axios direct (median of runs)',
	concurrency_speedup: 'Concurrency: 1,000 Get at 25 ms latency, Concurrency 1 ÷ Concurrency 8',
	download_rss_growth_mb: 'Download 512 MB report to binary data (filesystem): peak RSS growth, MB',
	download_throughput_ratio: 'Same download: node time ÷ axios stream-to-file time',
	pagination_ratio: 'Report Get Many, Return All over 5,000 reports ÷ axios paging',
	queue_ingest_ratio:
		'Real n8n: the trigger burst through a webhook process + 2 workers (queue mode) ÷ the same burst in regular mode (genuine deliveries answered per second)',
};

function perItem(figure: Figure): string {
	const d = figure.detail;
	const us = (v: unknown) => (typeof v === 'number' ? `${v.toLocaleString('en-US')} µs` : '–');
	const mb = (v: unknown) => {
		if (!v || typeof v !== 'object' || !('peak_rss_mb' in v)) return '–';
		const m = v as { peak_rss_mb: number; rss_growth_mb: number };
		return `${m.peak_rss_mb} MB (+${m.rss_growth_mb})`;
	};
	const side = (v: unknown) => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});
	switch (figure.key) {
		case 'vs_http_request_ratio':
		case 'vs_http_request_concurrency_ratio':
			return `Ottu node ${us(side(d.ottu_node).us_per_call)}, HTTP Request node ${us(side(d.http_request_node).us_per_call)} per call (execution time ÷ calls)`;
		case 'trigger_vs_webhook_throughput':
		case 'trigger_vs_plain_webhook_throughput':
		case 'trigger_vs_webhook_code_throughput':
		case 'trigger_p99_ms': {
			const rate = (v: unknown) =>
				`${median(side(v).per_second as number[] | undefined)}/s (p99 ${side(v).p99_ms ?? '–'} ms)`;
			return `Ottu Trigger ${rate(d.ottu_trigger)}; Webhook: Header Auth ${rate(d.webhook_header_auth)}, plain ${rate(d.webhook_plain)}, + Code ${rate(d.webhook_code)}`;
		}
		case 'forged_cost_ratio':
			return `genuine ${d.genuine_cpu_ms ?? '–'} ms CPU; forged ${Object.entries(
				side(d.forged_cpu_ms),
			)
				.map(([k, v]) => `${k.replace(/_/g, ' ')} ${v} ms`)
				.join(', ')}`;
		case 'node_vs_request_helper_ratio':
			return `node ${us(d.node_without_expression_us_per_item)}, request helper ${us(d.n8n_request_helper_us_per_item)} per call`;
		case 'overhead_ratio':
			return `node ${us(d.node_us_per_item)}, axios ${us(d.axios_us_per_item)} per call; peak RSS node ${mb(d.node_memory)}, axios ${mb(d.axios_memory)}`;
		case 'concurrency_speedup':
			return `C1 ${us(d.sequential_us_per_item)}, C8 ${us(d.parallel_us_per_item)} per call; peak RSS C1 ${mb(d.sequential_memory)}, C8 ${mb(d.parallel_memory)}`;
		case 'pagination_ratio':
			return `node ${us(d.node_us_per_report)}, axios ${us(d.axios_us_per_report)} per report; peak RSS node ${mb(d.node_memory)}, axios ${mb(d.axios_memory)}`;
		case 'queue_ingest_ratio': {
			const q = side(d.queue);
			const r = side(d.regular);
			const finished = (v: Record<string, unknown>) =>
				`${median(v.all_executions_finished_s as number[] | undefined)} s`;
			return `queue ${median(q.per_second as number[] | undefined)}/s (p99 ${q.p99_ms ?? '–'} ms, all run after ${finished(q)}), regular ${median(r.per_second as number[] | undefined)}/s (p99 ${r.p99_ms ?? '–'} ms, all run after ${finished(r)}); no delivery lost`;
		}
		case 'download_rss_growth_mb':
		case 'download_throughput_ratio':
			return `node ${d.node_mb_per_s ?? '–'} MB/s, axios ${d.axios_mb_per_s ?? '–'} MB/s; peak RSS node ${mb(d.node_memory)}, axios ${mb(d.axios_memory)}`;
	}
}

export const START =
	'<!-- bench:results:start (generated by npm run bench; edits here are overwritten) -->';
export const END = '<!-- bench:results:end -->';

export function renderResults(results: BenchResults): string {
	const m = results.machine;
	const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
	const load = (start?: number[], end?: number[]) =>
		start
			? `load average (1/5/15 min) ${start.join(' / ')} at the start, ${end?.join(' / ')} at the end`
			: 'load average not recorded';
	const machine = `Machine: ${m.cpu_model}, ${m.cores} cores, ${m.memory_gb} GB memory, ${m.os}; Node ${m.node}, n8n-core ${m.n8n_core}, n8n-workflow ${m.n8n_workflow}.`;
	const header = results.runs
		? [
				'The figures come from these runs (a later partial run replaces the figures it took); the machine was shared with other work:',
				'',
				...results.runs.map(
					(r) =>
						`- ${when(r.generated_at)}, ${r.only === 'all' ? 'full run' : `\`--only=${r.only.join(',')}\``}, ${r.duration_s} s, ${load(r.load_average_at_start, r.load_average_at_end)}: ${r.figures.map((k) => `\`${k}\``).join(', ')}`,
				),
				'',
				machine,
			]
		: [
				`Last full run: ${when(results.generated_at)}, ${results.duration_s} s in all.`,
				'',
				machine +
					(m.load_average_at_start
						? ` Load average (1/5/15 min) ${m.load_average_at_start.join(' / ')} at the start, ${m.load_average_at_end?.join(' / ')} at the end: the machine was shared with other work.`
						: ''),
			];
	const lines = [
		START,
		'',
		...header,
		'',
		'| figure | key | result | target | met | each side: time per item or rate; peak RSS (growth) |',
		'|---|---|---|---|---|---|',
	];
	const order = Object.keys(LABELS) as FigureKey[];
	const sorted = [...results.figures].sort((a, b) => order.indexOf(a.key) - order.indexOf(b.key));
	for (const figure of sorted) {
		const met = figure.met === null ? '–' : figure.met ? 'yes' : '**no**';
		lines.push(
			`| ${LABELS[figure.key]} | \`${figure.key}\` | **${figure.value}** | ${figure.target} | ${met} | ${perItem(figure)} |`,
		);
	}
	for (const reason of results.missing) lines.push(`| ${reason} | | not measured | | | |`);
	lines.push('', 'Every side and run is in `bench/results.json`.', '', END);
	return lines.join('\n');
}

/** Replaces the generated section of BENCHMARKS.md, keeping the hand-written text around it. */
export function writeBenchmarksMarkdown(file: string, results: BenchResults): void {
	const section = renderResults(results);
	const current = existsSync(file)
		? readFileSync(file, 'utf8')
		: `# Benchmarks\n\n${START}\n${END}\n`;
	const start = current.indexOf(START.slice(0, 26));
	const end = current.indexOf(END);
	const next =
		start >= 0 && end > start
			? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
			: `${current.trimEnd()}\n\n${section}\n`;
	writeFileSync(file, next);
}
