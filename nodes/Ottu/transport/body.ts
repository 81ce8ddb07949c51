/**
 * Bounds on what one answer may bring, so a broken or hostile server cannot hold a run forever or fill
 * memory or disk: a byte limit and a total deadline for the whole body, checked as the bytes arrive.
 */

const MB = 1024 * 1024;

export const BODY_LIMITS = {
	/** JSON answers are read whole; Ottu's largest (a page of 200 reports) is a few hundred KB. */
	maxJsonBytes: 16 * MB,
	/** Report → Download's Max Download Size when not set. */
	defaultDownloadMb: 512,
};

export type BodyFailure = 'too large' | 'deadline' | 'cut off';

/** Why reading an answer stopped; `code` lets the retry logic treat a cut-off like a reset connection. */
export class BodyLimitError extends Error {
	readonly code: string | undefined;

	constructor(
		readonly failure: BodyFailure,
		message: string,
	) {
		super(message);
		this.code =
			failure === 'cut off' ? 'ECONNRESET' : failure === 'deadline' ? 'ETIMEDOUT' : undefined;
	}
}

export interface BodyBounds {
	maxBytes: number;
	/** Epoch milliseconds by which the whole body must have arrived. */
	deadlineAt: number;
	/** Milliseconds of the deadline, for the message. */
	timeout: number;
}

export function formatBytes(bytes: number): string {
	return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function formatDuration(ms: number): string {
	return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} seconds`;
}

type Body = NodeJS.ReadableStream & {
	destroy?: (error?: Error) => void;
	headers?: Record<string, string | string[] | undefined>;
	readableEnded?: boolean;
};

type Headers = Record<string, string | string[] | undefined>;

function declaredLength(headers: Headers | undefined): number | undefined {
	const value = headers?.['content-length'] ?? headers?.['Content-Length'];
	const n = Number(Array.isArray(value) ? value[0] : value);
	return value !== undefined && Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Makes `body` fail with a BodyLimitError when it brings more than `maxBytes` or is still arriving at the
 * deadline, whoever reads it (n8n's binary store or readBodyText). Paused first, so that no byte flows before
 * its reader is attached (pipe, read() or a 'data' listener); our 'data' listener sees every chunk either way.
 */
export function guardBody(body: Body, bounds: BodyBounds, headers?: Headers): void {
	const fail = (error: BodyLimitError) => {
		if (typeof body.destroy === 'function') body.destroy(error);
		else body.emit('error', error);
	};
	const tooLarge = () =>
		new BodyLimitError(
			'too large',
			`The answer is larger than the limit of ${formatBytes(bounds.maxBytes)}`,
		);
	body.pause();
	const length = declaredLength(body.headers);
	if (length !== undefined && length > bounds.maxBytes) {
		fail(tooLarge());
		return;
	}
	// n8n may hand the body over as a stream of its own, without headers: the answer's headers then say the
	// length, and the body is refused at its first chunk (destroyed unread, such a stream can keep its socket).
	const announced = declaredLength(headers);
	const limit = announced !== undefined && announced > bounds.maxBytes ? 0 : bounds.maxBytes;
	let size = 0;
	body.on('data', (chunk: Buffer | string) => {
		size += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
		if (size > limit) fail(tooLarge());
	});
	// A reader that only listens for 'data' would wait forever on a paused stream: its listener starts the flow.
	const onListener = (event: string | symbol) => {
		if (event !== 'data') return;
		body.removeListener('newListener', onListener);
		body.resume();
	};
	body.on('newListener', onListener);
	const remaining = Math.max(1, bounds.deadlineAt - Date.now());
	// AbortSignal.timeout's timer does not keep n8n's process alive and needs no clean-up.
	const signal = AbortSignal.timeout(remaining);
	const onDeadline = () => {
		if (!body.readableEnded) fail(bodyDeadline(bounds.timeout));
	};
	signal.addEventListener('abort', onDeadline, { once: true });
	body.once('close', () => signal.removeEventListener('abort', onDeadline));
}

/** The error of a body that stopped in the middle, in the transport's terms. */
export function asBodyFailure(error: unknown): BodyLimitError {
	if (error instanceof BodyLimitError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new BodyLimitError('cut off', `The answer was cut off before its end (${message})`);
}

/**
 * Settles as `work` does, or rejects with `expired()` at `deadlineAt`, whichever comes first. Nothing waits
 * on a stream or socket to react to being destroyed: once the deadline has passed, the caller has its error.
 * `onLate` gets what `work` brings after the deadline (to destroy a late answer); a late failure is ignored.
 */
export async function beforeDeadline<T>(
	work: Promise<T>,
	deadlineAt: number,
	expired: () => Error,
	onLate?: (value: T) => void,
): Promise<T> {
	// AbortSignal.timeout's timer does not keep n8n's process alive and needs no clean-up.
	const signal = AbortSignal.timeout(Math.max(1, deadlineAt - Date.now()));
	let onAbort: (() => void) | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(expired());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	work.then(
		(value) => {
			if (signal.aborted) onLate?.(value);
		},
		() => undefined,
	);
	try {
		return await Promise.race([work, deadline]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

/** The error of a body still arriving at the deadline. */
export function bodyDeadline(timeout: number): BodyLimitError {
	return new BodyLimitError(
		'deadline',
		`The answer was still arriving after ${formatDuration(timeout)}`,
	);
}

/** Destroys a stream nobody will read any more (a late or abandoned answer), so its socket is let go. */
export function discard(body: unknown): void {
	const stream = body as Body | undefined;
	if (stream && typeof stream.destroy === 'function') stream.destroy();
}

async function collect(stream: Body): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream as AsyncIterable<Buffer | string>)
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	return Buffer.concat(chunks);
}

/**
 * Reads an answer as text within its bounds (a string or Buffer body is checked the same way). The reader is
 * raced against the deadline: a destroyed stream that never emits 'close' or 'error' cannot hold the run.
 */
export async function readBodyText(body: unknown, bounds: BodyBounds): Promise<string> {
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		const text = typeof body === 'string' ? body : body.toString('utf8');
		if (Buffer.byteLength(text) > bounds.maxBytes)
			throw new BodyLimitError(
				'too large',
				`The answer is larger than the limit of ${formatBytes(bounds.maxBytes)}`,
			);
		return text;
	}
	if (!body || typeof (body as Body).on !== 'function')
		return body === undefined || body === null ? '' : JSON.stringify(body);
	const stream = body as Body;
	guardBody(stream, bounds);
	try {
		const data = await beforeDeadline(collect(stream), bounds.deadlineAt, () =>
			bodyDeadline(bounds.timeout),
		);
		return data.toString('utf8');
	} catch (error) {
		discard(stream);
		throw asBodyFailure(error);
	}
}
