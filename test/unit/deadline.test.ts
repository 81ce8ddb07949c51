/**
 * The Timeout as a deadline that does not depend on the stream: a body destroyed at the deadline that then
 * emits nothing (no 'close', no 'error') still ends the attempt, for a JSON answer and for a streamed file.
 */
import { PassThrough } from 'node:stream';

import { ottuApiRequest, storeWithinTimeout } from '../../nodes/Ottu/transport';
import type { OttuStreamResponse } from '../../nodes/Ottu/transport';
import { scripted } from '../helpers/scriptedTransport';

/** A body that sends a little, then stalls, and stays silent when destroyed (as the stream n8n hands over did). */
function silentStall(first: string): PassThrough & { destroyed: boolean } {
	const body = new PassThrough();
	body.write(first);
	let destroyed = false;
	Object.defineProperty(body, 'destroy', {
		value: () => {
			destroyed = true;
			return body;
		},
	});
	Object.defineProperty(body, 'destroyed', { get: () => destroyed });
	return body as PassThrough & { destroyed: boolean };
}

describe('the Timeout does not wait on a stream that stays silent', () => {
	it('fails a JSON answer that stalls midway at the deadline, saying it stalled', async () => {
		const body = silentStall('{"session_id": "');
		const { ctx } = scripted([
			{ statusCode: 200, headers: { 'content-type': 'application/json' }, body },
		]);
		await expect(
			ottuApiRequest.call(ctx, {
				method: 'POST',
				path: '/b/checkout/v1/pymt-txn/',
				body: {},
				timeout: 200,
			}),
		).rejects.toThrow(
			"Ottu's answer stalled midway: it had not arrived whole after 200 ms (the Timeout option)",
		);
		expect(body.destroyed).toBe(true);
	});

	it("ends a file's store (n8n's binary data) at the deadline although the body never ends", async () => {
		const body = silentStall('a,b\n');
		const { ctx } = scripted([{ statusCode: 200, headers: { 'content-type': 'text/csv' }, body }]);
		const response = (await ottuApiRequest.call(ctx, {
			method: 'GET',
			path: '/b/api/v1/reports/files/t/download/',
			stream: true,
			timeout: 200,
		})) as OttuStreamResponse;
		const store = async ({ body: file }: OttuStreamResponse) => {
			const chunks: Buffer[] = [];
			for await (const chunk of file as AsyncIterable<Buffer>) chunks.push(chunk);
			return Buffer.concat(chunks);
		};
		await expect(storeWithinTimeout(response, store)).rejects.toThrow(
			'The answer was still arriving after 200 ms',
		);
		expect(body.destroyed).toBe(true);
	});
});
