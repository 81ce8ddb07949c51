/**
 * The sandbox in its own process, so its CPU and memory are not counted in the benchmarked process and both
 * sides of every comparison talk to the same server. Started by bench/run.ts over IPC.
 */
import { createSandbox } from '../sandbox/server';
import type { SandboxOptions } from '../sandbox/server';

async function main(): Promise<void> {
	const options: SandboxOptions = {
		apiKey: 'bench.4d1f0e2c3b5a69788796a5b4c3d2e1f0',
		// The benchmark sends tens of thousands of requests; Ottu's daily and download limits would cut it short.
		limits: { dailyRequests: 10_000_000, reportDownloadsPerHour: 10_000, inquiryPerMinute: 10_000 },
		...(JSON.parse(process.argv[2] ?? '{}') as SandboxOptions),
	};
	const sandbox = await createSandbox(options);
	process.send?.({ url: sandbox.url, apiKey: sandbox.config.apiKey });
	// The benchmark asks for the sandbox's CPU time around a measurement, to see whether the server was the limit.
	process.on('message', (m) => {
		if ((m as { type?: string }).type === 'cpu') {
			const cpu = process.cpuUsage();
			process.send?.({ type: 'cpu', ms: (cpu.user + cpu.system) / 1000 });
		}
	});
	const stop = () => {
		void sandbox.close().finally(() => process.exit(0));
	};
	process.on('disconnect', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
