import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { optionalUrl } from '../../helpers/validation';
import { OttuInputError } from '../../helpers/errors';
import { ottuApiRequest } from '../../transport';
import { readTransaction, toItems, transactionSelectorProperties } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Check',
	value: 'check',
	description:
		'Ask Ottu for the latest payment status (state, result, amounts), querying the gateway if still unpaid. Throttled per transaction: none in the first 10 minutes, then one per 30 minutes, at most three. Payment Transaction → Get is not throttled.',
	action: 'Check a payment status',
};

export const description: INodeProperties[] = [
	...transactionSelectorProperties(),
	{
		displayName: 'Status Check Options',
		name: 'inquiryOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Notify Webhook URL',
				name: 'notifyWebhookUrl',
				type: 'boolean',
				default: false,
				description:
					"Whether Ottu should also POST the result to the transaction's webhook URL (or to Webhook URL below)",
			},
			{
				displayName: 'Webhook URL',
				name: 'webhookUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://n8n.example.com/webhook/ottu',
				description: 'Another address for that notification (max 200 characters)',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const transaction = readTransaction(this, itemIndex);
	const options = this.getNodeParameter('inquiryOptions', itemIndex, {}) as IDataObject;
	const body: IDataObject = { ...transaction };
	if (options.notifyWebhookUrl === true) body.notify_webhook_url = true;
	const webhookUrl = optionalUrl(options.webhookUrl, 'Webhook URL');
	if (webhookUrl !== undefined) {
		if (webhookUrl.length > 200) {
			throw new OttuInputError(
				'inquiryOptions.webhookUrl',
				`Webhook URL is ${webhookUrl.length} characters long; Ottu allows at most 200 here`,
				'Use a shorter address',
			);
		}
		body.webhook_url = webhookUrl;
	}
	const response = (await ottuApiRequest
		.call(this, {
			method: 'POST',
			path: '/b/pbl/v2/inquiry/',
			body,
			// Asking Ottu to notify the webhook has an effect outside this node: not repeated blindly.
			retry: body.notify_webhook_url === true ? 'once' : 'read',
			itemIndex,
		})
		.catch((error: unknown) => {
			throw explainRefusal(this, explainThrottle(this, error, itemIndex), itemIndex);
		})) as IDataObject;
	return toItems(response);
}

/** Ottu's per-transaction inquiry rules (Check Status-Inquiry), in the words the error shows. */
export const INQUIRY_RULES =
	'Ottu allows no status check in the first 10 minutes after a payment is created, then one check per 30 minutes, at most three per transaction.';

/** When the throttle lifts, from Retry-After (as "in 24 minutes (at 04:31 UTC)"), or undefined. */
export function nextCheckAllowed(retryAfterMs: unknown, now: Date): string | undefined {
	if (typeof retryAfterMs !== 'number' || !Number.isFinite(retryAfterMs) || retryAfterMs <= 0)
		return undefined;
	const at = new Date(now.getTime() + retryAfterMs).toISOString();
	const minutes = Math.ceil(retryAfterMs / 60_000);
	let within = `${minutes} minute${minutes === 1 ? '' : 's'}`;
	if (retryAfterMs < 60_000) within = `${Math.ceil(retryAfterMs / 1000)} seconds`;
	else if (minutes >= 120) within = `about ${Math.round(minutes / 60)} hours`;
	const sameDay = at.slice(0, 10) === now.toISOString().slice(0, 10);
	return `in ${within} (at ${sameDay ? '' : `${at.slice(0, 10)} `}${at.slice(11, 16)} UTC)`;
}

/** The transport's " Tried 5 times over 7 s." when it retried, so the explanation keeps it. */
function tries(description: string | null | undefined): string {
	const found = /Tried \d+ times[^.]*\./.exec(description ?? '');
	return found ? ` ${found[0]}` : '';
}

/** A 429 on inquiry is Ottu's per-transaction throttle: said as such, with the unthrottled alternative. */
function explainThrottle(ctx: IExecuteFunctions, error: unknown, itemIndex: number): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '429') return error;
	const next = nextCheckAllowed(error.context.retryAfterMs, new Date());
	const message = `Ottu is throttling status checks of this transaction (HTTP 429): the next check is allowed ${next ?? 'later (Ottu did not say when)'}`;
	return new NodeApiError(
		ctx.getNode(),
		{
			httpCode: '429',
			message,
		} as JsonObject,
		{
			message: `${message} [item ${itemIndex}]`,
			description: `${INQUIRY_RULES} To read the transaction's current state now, use Payment Transaction → Get, which is not throttled; the Ottu Trigger receives state changes as they happen.${tries(error.description)}`,
			httpCode: '429',
			itemIndex,
		},
	);
}

/**
 * Ottu inquires only pending, attempted, failed and expired transactions (paid and authorized are answered at
 * once), so it refuses others with a 400 whose wording it does not document: the rule and the way out are said
 * whatever the wording.
 */
function explainRefusal(ctx: IExecuteFunctions, error: unknown, itemIndex: number): unknown {
	if (!(error instanceof NodeApiError) || error.httpCode !== '400') return error;
	return new NodeApiError(ctx.getNode(), (error.cause ?? {}) as JsonObject, {
		message: error.message,
		description:
			'Ottu checks the status only of a transaction that is pending, attempted, failed or expired (paid and authorized are answered at once), so it refuses one nobody has tried to pay yet (created) or a canceled one. ' +
			"Read such a transaction's state with Payment Transaction → Get. If Ottu named a field above, correct it and run the step again.",
		httpCode: '400',
		itemIndex,
	});
}
