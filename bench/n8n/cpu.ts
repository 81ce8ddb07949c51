/** CPU time of the n8n process (and its task runner) from /proc, and a summary of a V8 CPU profile. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TICKS_PER_SECOND = 100;

function statFields(pid: string): string[] | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command name is in parentheses and may hold spaces; the fields after it are space-separated.
		return text.slice(text.lastIndexOf(')') + 2).split(' ');
	} catch {
		return undefined;
	}
}

/**
 * User + system CPU, ms, of one process (`pid`) or of every process in its process group (`group`): n8n is
 * started in its own group, so the group is n8n and the task runner that runs Code nodes.
 */
export function cpuMs(pid: number, scope: 'process' | 'group'): number {
	const pids =
		scope === 'process' ? [String(pid)] : readdirSync('/proc').filter((p) => /^\d+$/.test(p));
	let ticks = 0;
	for (const p of pids) {
		const f = statFields(p);
		// After the name: state(0) ppid(1) pgrp(2) … utime(11) stime(12).
		if (!f || (scope === 'group' && Number(f[2]) !== pid)) continue;
		ticks += Number(f[11]) + Number(f[12]);
	}
	return (ticks * 1000) / TICKS_PER_SECOND;
}

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileSummary {
	window_s: [number, number];
	busy_ms: number;
	/** Functions by self time (ms, share of busy time). */
	top_self: Array<{ frame: string; ms: number; share: number }>;
	/** Time (ms, share of busy time) in samples whose stack ("leaf < caller < … < (root)") matches each pattern. */
	inclusive: Record<string, { ms: number; share: number }>;
	/** Self time summed by package. */
	by_package: Array<{ owner: string; ms: number; share: number }>;
}

function owner(url: string): string {
	if (!url) return '(native)';
	if (url.startsWith('node:')) return 'node: core';
	const nm = url.lastIndexOf('node_modules/');
	// Never a machine path in the results: outside node_modules, the file name only.
	if (nm < 0) return path.basename(url);
	const rest = url.slice(nm + 'node_modules/'.length).split('/');
	return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
}

function frameName(node: ProfileNode): string {
	const { functionName, url, lineNumber } = node.callFrame;
	const file = url ? `${owner(url)}/${path.basename(url)}:${lineNumber + 1}` : '';
	return `${functionName || '(anonymous)'} ${file}`.trim();
}

/**
 * Sums a .cpuprofile over the samples between `fromS` and `toS` seconds after the profile started (the measured
 * deliveries, not n8n's start-up): top functions by self time, packages, and the time under given frames.
 */
export function summariseProfile(
	file: string,
	fromS: number,
	toS: number,
	patterns: Record<string, RegExp>,
	top = 25,
): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map(profile.nodes.map((n) => [n.id, n]));
	const parent = new Map<number, number>();
	for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
	const self = new Map<number, number>();
	let t = 0;
	profile.samples.forEach((id, i) => {
		t += profile.timeDeltas[i];
		const s = t / 1e6;
		if (s < fromS || s > toS) return;
		self.set(id, (self.get(id) ?? 0) + profile.timeDeltas[i] / 1000);
	});
	const idle = new Set(['(idle)', '(program)', '(garbage collector)']);
	let busy = 0;
	const selfByFrame = new Map<string, number>();
	const byPackage = new Map<string, number>();
	const inclusive: Record<string, number> = Object.fromEntries(
		Object.keys(patterns).map((k) => [k, 0]),
	);
	for (const [id, ms] of self) {
		const node = byId.get(id)!;
		const name = node.callFrame.functionName;
		if (name === '(idle)') continue;
		busy += ms;
		selfByFrame.set(frameName(node), (selfByFrame.get(frameName(node)) ?? 0) + ms);
		const who = idle.has(name) ? name : owner(node.callFrame.url);
		byPackage.set(who, (byPackage.get(who) ?? 0) + ms);
		const frames: string[] = [];
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur))
			frames.push(frameName(byId.get(cur)!));
		// Leaf first, callers after: "leaf < caller < … < (root)".
		const stack = frames.join(' < ');
		for (const [key, re] of Object.entries(patterns)) if (re.test(stack)) inclusive[key] += ms;
	}
	const share = (ms: number) => Math.round((ms / busy) * 1000) / 10;
	const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top);
	return {
		window_s: [fromS, toS],
		busy_ms: Math.round(busy),
		top_self: sorted(selfByFrame).map(([frame, ms]) => ({
			frame,
			ms: Math.round(ms),
			share: share(ms),
		})),
		inclusive: Object.fromEntries(
			Object.entries(inclusive).map(([k, ms]) => [k, { ms: Math.round(ms), share: share(ms) }]),
		),
		by_package: sorted(byPackage).map(([who, ms]) => ({
			owner: who,
			ms: Math.round(ms),
			share: share(ms),
		})),
	};
}
