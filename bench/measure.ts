/** Timing and memory sampling shared by the benchmark and its download worker. */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export const MB = 1024 * 1024;

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function round(value: number, digits = 2): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

export function collectGarbage(): void {
	(globalThis as { gc?: () => void }).gc?.();
}

/** The kernel's peak RSS of this process (VmHWM), in bytes; undefined off Linux. */
function kernelPeakRss(): number | undefined {
	try {
		const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
		return m ? Number(m[1]) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

/** Resets VmHWM to the current RSS (Linux clear_refs "5"); false when not allowed. */
function resetKernelPeakRss(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

export interface MemoryPeak {
	/** RSS when the measurement started, bytes. */
	baselineRss: number;
	/** Highest RSS seen by sampling every `intervalMs`, bytes. */
	sampledPeakRss: number;
	/** Highest RSS according to the kernel (exact, Linux only), bytes. */
	kernelPeakRss?: number;
	/** Highest V8 heap in use seen by sampling, bytes. */
	peakHeapUsed: number;
	samples: number;
}

/** Samples RSS and heap every few milliseconds (and asks the kernel for the exact peak) while a measurement runs. */
export class MemorySampler {
	private timer?: NodeJS.Timeout;
	private peak: MemoryPeak;
	private readonly kernel: boolean;

	constructor(private readonly intervalMs = 2) {
		this.kernel = resetKernelPeakRss();
		const rss = process.memoryUsage.rss();
		this.peak = {
			baselineRss: rss,
			sampledPeakRss: rss,
			peakHeapUsed: process.memoryUsage().heapUsed,
			samples: 0,
		};
	}

	start(): this {
		this.timer = setInterval(() => this.sample(), this.intervalMs);
		return this;
	}

	private sample(): void {
		const usage = process.memoryUsage();
		this.peak.samples++;
		if (usage.rss > this.peak.sampledPeakRss) this.peak.sampledPeakRss = usage.rss;
		if (usage.heapUsed > this.peak.peakHeapUsed) this.peak.peakHeapUsed = usage.heapUsed;
	}

	stop(): MemoryPeak {
		if (this.timer) clearInterval(this.timer);
		this.sample();
		if (this.kernel) this.peak.kernelPeakRss = kernelPeakRss();
		return this.peak;
	}
}

/** Peak RSS growth in MB: the kernel's exact peak when available, else the sampled one (whichever is higher). */
export function peakGrowthMb(peak: MemoryPeak): number {
	return Math.max(peak.sampledPeakRss, peak.kernelPeakRss ?? 0) / MB - peak.baselineRss / MB;
}

export interface Timed<T> {
	ms: number;
	/** CPU time (user + system) this process spent, ms: far less sensitive than wall time to other load on the machine. */
	cpuMs: number;
	value: T;
	memory: MemoryPeak;
}

/** Runs `fn` after a garbage collection, timing it and sampling memory. */
export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
	collectGarbage();
	const sampler = new MemorySampler().start();
	const cpu = process.cpuUsage();
	const start = performance.now();
	const value = await fn();
	const ms = performance.now() - start;
	const used = process.cpuUsage(cpu);
	return { ms, cpuMs: (used.user + used.system) / 1000, value, memory: sampler.stop() };
}
