/**
 * A stand-in for n8n's execute context whose HTTP layer answers from a script, for unit tests of the
 * transport: the transport's own logic (building, attempts, back-off, error mapping, paging) runs for real.
 */
import type { IExecuteFunctions, IHttpRequestOptions, INode } from 'n8n-workflow';

export type Reply =
	{ statusCode: number; body?: unknown; headers?: Record<string, string> } | Error;

export interface Scripted {
	ctx: IExecuteFunctions;
	/** The options of every request the transport handed to n8n's request helper. */
	calls: IHttpRequestOptions[];
	/** The item index of every credential read. */
	reads: Array<number | undefined>;
	/** The third argument (additional credential options) of every request. */
	extras: unknown[];
}

/** A stream body is handed over as n8n would hand over its response stream. */
function isStream(body: unknown): boolean {
	return typeof (body as { pipe?: unknown } | null)?.pipe === 'function';
}

export function scripted(
	replies: Reply[] | ((options: IHttpRequestOptions) => Reply),
	options: {
		credentials?: (itemIndex?: number) => Record<string, unknown>;
		node?: Partial<INode>;
	} = {},
): Scripted {
	const calls: IHttpRequestOptions[] = [];
	const reads: Array<number | undefined> = [];
	const extras: unknown[] = [];
	const node = {
		name: 'Ottu',
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		parameters: {},
		id: 'n',
		position: [0, 0],
		...options.node,
	} as INode;
	const credentials =
		options.credentials ??
		(() => ({
			baseUrl: 'https://merchant.ottu.net/',
			authentication: 'apiKey',
			apiKey: 'key.secret-value',
		}));
	const ctx = {
		getNode: () => node,
		getCredentials: async (_type: string, itemIndex?: number) => {
			reads.push(itemIndex);
			return credentials(itemIndex);
		},
		helpers: {
			httpRequestWithAuthentication: async (
				_type: string,
				request: IHttpRequestOptions,
				extra?: unknown,
			) => {
				calls.push(request);
				extras.push(extra);
				const reply = typeof replies === 'function' ? replies(request) : replies.shift();
				if (!reply) throw new Error('no scripted reply left');
				if (reply instanceof Error) throw reply;
				return {
					statusCode: reply.statusCode,
					headers: reply.headers ?? {},
					body:
						typeof reply.body === 'string' || reply.body === undefined || isStream(reply.body)
							? reply.body
							: JSON.stringify(reply.body),
				};
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, calls, reads, extras };
}
