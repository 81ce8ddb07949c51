/**
 * When `npm run dev` must stop. A terminal's Ctrl-C reaches every process of the foreground group, but a
 * supervisor or a container stop signals only npm's process: npm passes SIGINT and SIGTERM on to its
 * script's process alone (the package.json script `exec`s node, so that is this one). If npm itself is
 * killed outright, this process is left with another parent: that stops it too.
 */
export function onShutdown(
	stop: (exitCode: number) => Promise<void>,
	parentPid: number = process.ppid,
	checkEveryMs = 1000,
): void {
	let stopping = false;
	const once = (exitCode: number) => {
		if (stopping) return;
		stopping = true;
		void stop(exitCode);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => once(0));
	const orphaned = setInterval(() => {
		if (process.ppid !== parentPid) once(1);
	}, checkEveryMs);
	orphaned.unref();
}
