/**
 * Where the node's time goes: CPU-profiles one measured side of a figure (after a warm-up) with the inspector
 * and sums self time by package and by function.
 *
 *   node --expose-gc --import tsx bench/profile.ts overhead     2,000 Payment Transaction Get through n8n
 *   node --expose-gc --import tsx bench/profile.ts axios        the same 2,000 requests with axios
 *   node --expose-gc --import tsx bench/profile.ts pagination   Report Get Many, Return All
 *
 * The raw profile is written to bench/tmp/<scenario>.cpuprofile (open it in Chrome DevTools).
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { scenarios } from './workloads';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
	return new Promise((resolve, reject) =>
		session.post(method, params ?? {}, (error, result) =>
			error ? reject(error) : resolve(result as T),
		),
	);
}

/** Which package (or part of this repository) a script URL belongs to. */
function owner(url: string): string {
	if (!url) return '(native / idle / gc)';
	if (url.startsWith('node:')) return 'node: core';
	const nm = url.lastIndexOf('node_modules/');
	if (nm >= 0) {
		const rest = url.slice(nm + 'node_modules/'.length).split('/');
		return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
	}
	const root = path.resolve(__dirname, '..');
	const local = url.replace('file://', '');
	return local.startsWith(root)
		? `repo: ${path.relative(root, local).split('/').slice(0, 2).join('/')}`
		: url;
}

/** Coarse kinds of work, to say what bounds a figure. */
function category(who: string): string {
	if (
		[
			'(connect)',
			'(writeLatin1String)',
			'(close)',
			'(TCP)',
			'(setKeepAlive)',
			'(writev)',
			'(shutdown)',
		].includes(who)
	) {
		return 'sockets: connect, first write, close (kernel work on loopback, counted in the caller)';
	}
	if (who === '((idle))') return 'idle: waiting for the sandbox';
	if (who === '((garbage collector))') return 'garbage collection';
	if (
		who.startsWith('repo: nodes/') ||
		who.startsWith('repo: credentials/') ||
		who.startsWith('repo: dist/')
	)
		return 'the Ottu node and credential';
	if (
		[
			'n8n-workflow',
			'n8n-core',
			'luxon',
			'lodash',
			'@n8n/tournament',
			'@n8n/expression-runtime',
			'jmespath',
			'esprima-next',
			'recast',
		].includes(who)
	) {
		return 'n8n engine and expressions';
	}
	if (
		[
			'axios',
			'follow-redirects',
			'proxy-from-env',
			'@n8n/backend-network',
			'form-data',
			'node: core',
			'(parse)',
			'qs',
		].includes(who)
	) {
		return 'HTTP client (axios, follow-redirects, n8n request helper, Node http)';
	}
	return 'other';
}

function summarize(profile: Profile): string {
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const self = new Map<number, number>();
	profile.samples.forEach((id, i) =>
		self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)),
	);
	const total = [...self.entries()]
		.filter(
			([id]) =>
				!(byId.get(id)!.callFrame.functionName === 'dispatch' && !byId.get(id)!.callFrame.url),
		)
		.reduce((a, [, us]) => a + us, 0);
	const byOwner = new Map<string, number>();
	const byFunction = new Map<string, number>();
	for (const [id, us] of self) {
		const frame = byId.get(id)!.callFrame;
		// `dispatch` is the inspector handing the profile back when it stops: the profiler's own time.
		if (!frame.url && frame.functionName === 'dispatch') continue;
		const who = frame.url
			? owner(frame.url)
			: frame.functionName
				? `(${frame.functionName})`
				: '(native)';
		byOwner.set(who, (byOwner.get(who) ?? 0) + us);
		const fn = `${frame.functionName || '(anonymous)'}  ${owner(frame.url)}:${frame.lineNumber + 1}`;
		byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
	}
	const pct = (us: number) =>
		`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms`;
	const top = (m: Map<string, number>, n: number) =>
		[...m.entries()]
			.sort((a, b) => b[1] - a[1])
			.slice(0, n)
			.map(([k, v]) => `${pct(v)}  ${k}`)
			.join('\n');
	const byCategory = new Map<string, number>();
	for (const [who, us] of byOwner)
		byCategory.set(category(who), (byCategory.get(category(who)) ?? 0) + us);
	return `total sampled ${(total / 1000).toFixed(0)} ms\n\nself time by kind of work:\n${top(byCategory, 10)}\n\nself time by package:\n${top(byOwner, 25)}\n\nself time by function:\n${top(byFunction, 40)}\n`;
}

async function main(): Promise<void> {
	const name = process.argv[2] ?? 'overhead';
	const scenario = scenarios[name];
	if (!scenario)
		throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
	const { run, close } = await scenario();
	try {
		await run(); // warm-up
		const session = new Session();
		session.connect();
		await post(session, 'Profiler.enable');
		await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
		await post(session, 'Profiler.start');
		const started = Date.now();
		await run();
		const ms = Date.now() - started;
		const { profile } = await post<{ profile: Profile }>(session, 'Profiler.stop');
		session.disconnect();
		const dir = path.join(__dirname, 'tmp');
		mkdirSync(dir, { recursive: true });
		writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
		console.log(`${name}: measured run took ${ms} ms\n`);
		console.log(summarize(profile));
	} finally {
		await close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
