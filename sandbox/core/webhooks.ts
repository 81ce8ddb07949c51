import axios from 'axios';
import type { AxiosError } from 'axios';

import type { WebhookSettings } from '../context';
import type { SandboxStore, WebhookAttempt } from './store';

/** Ottu's webhook client announces itself as a desktop Chrome. */
const USER_AGENT =
	'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

function isTimeout(error: unknown): boolean {
	const code = (error as AxiosError).code;
	return code === 'ECONNABORTED' || code === 'ETIMEDOUT';
}

/**
 * Delivers payment and operation webhooks as Ottu does (digest §4.2): JSON POST, success = 200/201, retries
 * only when the receiver timed out, with a pause between tries. Deliveries run in the background; every attempt
 * is recorded in the store for GET /__sandbox/webhooks.
 */
export class WebhookDispatcher {
	private readonly inFlight = new Set<Promise<WebhookAttempt>>();
	private readonly aborter = new AbortController();

	constructor(
		private readonly store: SandboxStore,
		private readonly settings: WebhookSettings,
	) {}

	/** Starts a delivery in the background; the promise resolves with the last attempt (never rejects). */
	send(
		url: string,
		kind: WebhookAttempt['kind'],
		sessionId: string,
		payload: Record<string, unknown>,
	): Promise<WebhookAttempt> {
		const delivery = this.deliver(url, kind, sessionId, payload);
		this.inFlight.add(delivery);
		void delivery.finally(() => this.inFlight.delete(delivery));
		return delivery;
	}

	private async deliver(
		url: string,
		kind: WebhookAttempt['kind'],
		sessionId: string,
		payload: Record<string, unknown>,
	): Promise<WebhookAttempt> {
		let last: WebhookAttempt | undefined;
		const generation = this.store.generation;
		for (let attempt = 1; attempt <= this.settings.attempts; attempt++) {
			const record: WebhookAttempt = {
				url,
				kind,
				session_id: sessionId,
				payload,
				status: null,
				attempt,
				at: new Date().toISOString(),
			};
			let retry = false;
			try {
				const res = await axios.post(url, payload, {
					timeout: this.settings.timeoutMs,
					signal: this.aborter.signal,
					validateStatus: () => true,
					headers: { 'Content-Type': 'application/json', 'User-Agent': USER_AGENT },
					maxRedirects: 0,
					responseType: 'text',
				});
				record.status = res.status;
			} catch (error) {
				record.error = isTimeout(error)
					? 'timeout'
					: ((error as AxiosError).code ?? (error as Error).message);
				retry = isTimeout(error) && !this.aborter.signal.aborted;
			}
			last = record;
			// The sandbox was reset meanwhile: this delivery belongs to the forgotten state.
			if (this.store.generation !== generation) break;
			this.store.webhooks.push(record);
			if (!retry || attempt >= this.settings.attempts) break;
			await new Promise((resolve) => setTimeout(resolve, this.settings.backoffMs).unref());
			if (this.aborter.signal.aborted || this.store.generation !== generation) break;
		}
		return last!;
	}

	/** Waits until no delivery is running (bounded). */
	async idle(maxMs = 30_000): Promise<void> {
		const until = Date.now() + maxMs;
		while (this.inFlight.size > 0 && Date.now() < until) {
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([
				Promise.allSettled([...this.inFlight]),
				new Promise((r) => (timer = setTimeout(r, Math.max(1, until - Date.now())).unref())),
			]);
			clearTimeout(timer);
		}
	}

	close(): void {
		this.aborter.abort();
	}
}

export function isDelivered(attempt: WebhookAttempt | undefined): boolean {
	return attempt?.status === 200 || attempt?.status === 201;
}
