/**
 * Report downloads: the request (repeated like any read), then the caller's `store` reading the body within
 * `maxBytes` and the Timeout as a deadline for the whole file.
 */
import { sleep } from 'n8n-workflow';

import type { OttuStreamResponse } from './attempt';
import { networkCode, storeWithinTimeout } from './attempt';
import { BodyLimitError, formatBytes } from './body';
import { describeWait, nodeError } from './errors';
import type { OttuFunctions, OttuRequest } from './prepare';
import { nodeOf, timeoutOf } from './prepare';
import { nextDelay } from './retry';
import { ottuApiRequest } from './request';

/** Whether an error met while reading a body means the body stopped midway (and a repeat may bring it whole). */
function isCutOff(error: unknown): boolean {
	if (error instanceof BodyLimitError) return error.failure === 'cut off';
	const message = error instanceof Error ? error.message : '';
	return (
		networkCode(error) !== undefined || /aborted|premature close|socket hang up/i.test(message)
	);
}

function describeDownloadFailure(
	error: unknown,
	maxBytes: number,
	timeout: number,
	attempts: number,
): { message: string; description: string } {
	if (error instanceof BodyLimitError && error.failure === 'too large') {
		return {
			message: `The file is larger than the Max Download Size of ${formatBytes(maxBytes)}`,
			description:
				'Raise Max Download Size in the options, or download a report covering a shorter period.',
		};
	}
	if (error instanceof BodyLimitError && error.failure === 'deadline') {
		return {
			message: `The file did not arrive within ${describeWait(timeout)}`,
			description:
				'The Timeout option bounds the whole download. Raise it for large reports, or try again later.',
		};
	}
	if (isCutOff(error)) {
		return {
			message: 'The download was cut off before the end of the file',
			description: `Tried ${attempts} time${attempts === 1 ? '' : 's'}. The connection to Ottu or its file storage broke midway; try again later.`,
		};
	}
	return {
		message: `The file could not be stored: ${error instanceof Error ? error.message : String(error)}`,
		description: "Check the n8n instance's binary data storage.",
	};
}

/** A file download; a body cut off midway is fetched again, like any read. */
export async function ottuDownload<T>(
	this: OttuFunctions,
	request: OttuRequest & { maxBytes: number },
	store: (response: OttuStreamResponse) => Promise<T>,
): Promise<T> {
	const timeout = timeoutOf(this, request);
	let waited = 0;
	for (let attempt = 1; ; attempt++) {
		const response = (await ottuApiRequest.call(this, {
			...request,
			stream: true,
			retry: 'read',
		})) as OttuStreamResponse;
		try {
			return await storeWithinTimeout(response, store);
		} catch (error) {
			const delay = isCutOff(error) ? nextDelay(attempt, waited) : undefined;
			if (delay !== undefined) {
				waited += delay;
				await sleep(delay);
				continue;
			}
			const { message, description } = describeDownloadFailure(
				error,
				request.maxBytes,
				timeout,
				attempt,
			);
			throw nodeError(nodeOf(this), message, description, request.itemIndex);
		}
	}
}
