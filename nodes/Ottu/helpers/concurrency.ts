import { sleep } from 'n8n-workflow';

/**
 * Runs `task(0)` … `task(count - 1)`, at most `limit` at a time, each index once. After the first failure no
 * new task starts; the tasks already running finish (their effects are real) and then that failure is raised.
 *
 * `letOthersRun`: with more than one task in flight, each task first lets pending network events run, for tasks
 * with CPU work of their own (the node's items: expressions, request set-up) that would otherwise hold up the
 * responses and new connections of the others.
 */
export async function runAtMost(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
	letOthersRun = false,
): Promise<void> {
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, count));
	let next = 0;
	let failure: { error: unknown } | undefined;
	const worker = async () => {
		while (failure === undefined && next < count) {
			if (letOthersRun && workers > 1) {
				await sleep(0);
				if (failure !== undefined || next >= count) break;
			}
			const index = next++;
			try {
				await task(index);
			} catch (error) {
				failure ??= { error };
			}
		}
	};
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure) throw failure.error;
}
