/**
 * Sliding-window rate limits on the sandbox clock. `take` records a hit when allowed; when the window is full
 * it answers how many seconds until the oldest hit leaves it (Ottu's 429 Retry-After).
 */
export function take(
	hits: Map<string, number[]>,
	key: string,
	limit: number,
	windowMs: number,
	now: number,
): { ok: true } | { ok: false; retryAfter: number } {
	let times = hits.get(key);
	if (!times) {
		times = [];
		hits.set(key, times);
	}
	const since = now - windowMs;
	let drop = 0;
	while (drop < times.length && times[drop] <= since) drop++;
	if (drop > 0) times.splice(0, drop);
	if (times.length >= limit)
		return { ok: false, retryAfter: Math.max(1, Math.ceil((times[0] + windowMs - now) / 1000)) };
	times.push(now);
	return { ok: true };
}
