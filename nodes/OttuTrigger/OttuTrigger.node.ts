import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import {
	fromFunction,
	NodeConnectionTypes,
	NodeOperationError,
	webhookDescriptionFields,
} from 'n8n-workflow';

import { UNVERIFIABLE_EVENTS } from './events';
import { NO_KEY_DESCRIPTION, NO_KEY_MESSAGE, readOptions } from './options';
import { receiveDelivery } from './receive';

/**
 * The code and body n8n answers an accepted delivery with. n8n 2.x resolves them without the expression
 * engine; n8n 1.x (no webhookDescriptionFields) gets the same as expressions, so the node still loads there.
 */
function answerFields(): Record<string, string> {
	if (typeof webhookDescriptionFields !== 'function' || typeof fromFunction !== 'function') {
		return {
			responseCode: '={{ ($parameter["options"] || {}).responseCode === 201 ? 201 : 200 }}',
			responseData: '={{ { "message": "Received" } }}',
		};
	}
	return webhookDescriptionFields({
		responseCode: fromFunction((parameters) => {
			const options = parameters.options as IDataObject | undefined;
			return options && options.responseCode === 201 ? 201 : 200;
		}),
		// The answer's body (without it n8n would answer the text "firstEntryJson").
		responseData: fromFunction(() => ({ message: 'Received' })),
	});
}

/** Canvas subtitle: the chosen events in words. */
const EVENT_WORDS: Record<string, string> = {
	'*': 'All events',
	'operation.*': 'Refunds, captures and voids',
	'payment.*': 'Payments in any state',
	'payment.attempted': 'Failed attempts',
	'payment.authorized': 'Authorized payments',
	'payment.canceled': 'Canceled payments',
	'payment.cod': 'Cash on delivery',
	'payment.expired': 'Expired payments',
	'payment.failed': 'Failed payments',
	'payment.paid': 'Paid payments',
	'payment.pending': 'Pending payments',
	save_card: 'Saved cards',
};

/**
 * Ottu has no API to register, look up or remove a webhook URL: the user pastes the node's URL into Ottu
 * (dashboard or a payment's webhook_url). So of the three webhook lifecycle hooks n8n calls, `create` and
 * `delete` have nothing to do, and `checkExists` registers nothing either: it answers true after checking
 * that the chosen events and the credential's Webhook HMAC Key let the trigger verify what arrives.
 */
export class OttuTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ottu Trigger',
		name: 'ottuTrigger',
		icon: {
			light: 'file:../../icons/ottu.svg',
			dark: 'file:../../icons/ottu.dark.svg',
		},
		group: ['trigger'],
		// Version 2 has the same parameters and behaviour as 1. n8n treats a webhook start node of version 1 as
		// its old Webhook node and evaluates an expression for an option this node never had on every request
		// (a fifth of a forged delivery's time); from version 2 it does not. Saved version-1 nodes keep working.
		version: [1, 2],
		defaultVersion: 2,
		subtitle: `={{ !($parameter["events"] || []).length || $parameter["events"].includes("*") ? "All events" : $parameter["events"].map((e) => (${JSON.stringify(EVENT_WORDS)})[e] || e).join(", ") }}`,
		// n8n's node panel merges this trigger into the Ottu node's entry ("ottuTrigger" minus "Trigger") and
		// shows this description for both, so it speaks of the actions as well as of the webhooks.
		description:
			"Ottu payments: create payment links; refund, capture or void payments; check their status; charge saved cards, Apple Pay, Google Pay and wallets; and start workflows on Ottu's signed webhooks",
		defaults: { name: 'Ottu Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'ottuApi',
				required: true,
			},
		],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// n8n answers an accepted delivery itself, once the execution is saved (and queued in queue
				// mode), with the chosen code; refusals and ignored deliveries are answered by the node.
				responseMode: 'onReceived',
				path: 'webhook',
				...answerFields(),
			},
		],
		triggerPanel: {
			header: 'Pull in a webhook from Ottu',
			executionsHelp: {
				inactive:
					"<b>While building:</b> paste the Test URL into Ottu, click <b>Execute step</b>, then make a payment (or a refund) in Ottu. The webhook shows up here; a webhook whose signature does not match the credential's Webhook HMAC Key shows up as an error.<br /><br /><b>Once it works:</b> paste the Production URL into Ottu and publish the workflow. Every signed webhook then runs it; see them in the executions list. Refused webhooks are answered 401 and run nothing.",
				active:
					"<b>While building:</b> paste the Test URL into Ottu, click <b>Execute step</b>, then make a payment (or a refund) in Ottu. The webhook shows up here; a webhook whose signature does not match the credential's Webhook HMAC Key shows up as an error.<br /><br /><b>This workflow is published:</b> every signed webhook to the Production URL runs it; see them in the executions list. Refused webhooks are answered 401 and run nothing.",
			},
			activationHint: {
				inactive:
					'Publish the workflow so that the Production URL listens; paste that URL into Ottu.',
				active:
					'The Production URL is listening: webhooks Ottu sends to it run this workflow (see them in the executions list, not here).',
			},
		},
		properties: [
			{
				displayName:
					"<b>Paste this node's URL into Ottu</b> (Ottu has no API to register it). For one payment: the Webhook URL field of Payment Transaction → Create. For all payments: Ottu dashboard → Webhook Config, in the plugin's webhook URL; refunds, captures and voids use the operations webhook URL under General.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['*'],
				description:
					'Which webhooks start the workflow; others are answered and ignored. Decided from the fields Ottu signs only: Ottu does not sign which operation (refund, capture or void) a webhook reports.',
				options: [
					{
						name: 'All Events',
						value: '*',
						action: 'When any Ottu webhook arrives',
						description: 'Every payment, operation and saved-card webhook',
					},
					{
						name: 'Operation: Refund, Capture or Void',
						value: 'operation.*',
						action: 'When a refund, capture or void is made',
						description:
							'Any operation webhook. Which one it was is not signed: confirm it with Payment Transaction → Get.',
					},
					{
						name: 'Payment: Any State',
						value: 'payment.*',
						action: 'When a payment changes state',
						description: 'Any payment webhook, whatever its state',
					},
					{
						name: 'Payment: Attempted',
						value: 'payment.attempted',
						action: 'When a payment attempt fails',
						description:
							'An attempt failed or the customer left the payment page, and the customer can still try again (Ottu state attempted, with multiple attempts on, its default). Not final: it may still become Paid.',
					},
					{
						name: 'Payment: Authorized',
						value: 'payment.authorized',
						action: 'When a payment is authorized',
						description: 'Funds reserved; capture or void them later',
					},
					{
						name: 'Payment: Canceled',
						value: 'payment.canceled',
						action: 'When a payment is canceled',
					},
					{
						name: 'Payment: Cash on Delivery',
						value: 'payment.cod',
						action: 'When a payment is set to cash on delivery',
					},
					{
						name: 'Payment: Expired',
						value: 'payment.expired',
						action: 'When a payment expires',
					},
					{
						name: 'Payment: Failed',
						value: 'payment.failed',
						action: 'When a payment fails',
						description:
							'The payment failed for good and the customer cannot try again (Ottu state failed: multiple attempts off, or the gateway could not start the payment). A late answer from the bank may still turn it into Paid.',
					},
					{
						name: 'Payment: Paid',
						value: 'payment.paid',
						action: 'When a payment is paid',
					},
					{
						name: 'Payment: Pending',
						value: 'payment.pending',
						action: 'When a payment is pending',
					},
					{
						name: 'Save Card',
						value: 'save_card',
						action: 'When a card is saved',
						description: 'A card saved (tokenised) without a payment',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Accept Previous Signature Scheme',
						name: 'acceptPreviousScheme',
						type: 'boolean',
						default: false,
						description:
							"Whether to also accept webhooks signed with Ottu's previous signature scheme (18 fields). It leaves session_id, payment_type, extra, the card token and the agreement unsigned, so a captured webhook could be replayed against another payment. Only for an Ottu instance not yet moved to the current scheme; off by default.",
					},
					{
						displayName: 'Ignore Repeated Deliveries',
						name: 'ignoreRepeats',
						type: 'boolean',
						default: true,
						description:
							'Whether to answer but not run the workflow again when Ottu re-sends a webhook already received (the same signed fields) within the window. On unless turned off.',
					},
					{
						displayName: 'Merchant ID',
						name: 'merchantId',
						type: 'string',
						default: '',
						placeholder: 'merchant.ottu.net',
						description:
							"The merchant ID Ottu signs in extra.merchant_id (your merchant domain). Leave empty to expect the host of the credential's Base URL. A webhook signed for another merchant is refused like a bad signature.",
					},
					{
						displayName: 'Operation Results',
						name: 'operationResults',
						type: 'multiOptions',
						default: [],
						description:
							'Only for operation webhooks: which results start the workflow. Leave empty for all.',
						options: [
							{
								name: 'Failed',
								value: 'failed',
							},
							{
								name: 'Queued',
								value: 'queued',
								description: 'Refund accepted and waiting at the gateway',
							},
							{
								name: 'Rejected',
								value: 'rejected',
								description: 'A queued refund the gateway refused',
							},
							{
								name: 'Success',
								value: 'success',
							},
						],
					},
					{
						displayName: 'Repeat Window (Minutes)',
						name: 'repeatWindowMinutes',
						type: 'number',
						typeOptions: {
							minValue: 1,
							maxValue: 10080,
						},
						default: 60,
						description: 'How long a received webhook is remembered to recognise repeats',
					},
					{
						displayName: 'Response Code',
						name: 'responseCode',
						type: 'options',
						default: 200,
						description: 'What Ottu does with the customer after a payment webhook is answered',
						options: [
							{
								name: '200 – Send Customer to Redirect URL',
								value: 200,
								description: "Ottu redirects the customer to the transaction's redirect_url",
							},
							{
								name: "201 – Keep Customer on Ottu's Summary Page",
								value: 201,
								description: 'Ottu shows its own payment summary page',
							},
						],
					},
					{
						displayName: 'Verify Signature',
						name: 'verifySignature',
						type: 'boolean',
						default: true,
						description:
							"Whether to check the webhook's signature with the Webhook HMAC Key of the credential and answer 401 without running the workflow when it does not match. WARNING: turning this off lets anyone who knows the URL start this workflow with fake payment data; the output then says signatureVerified: false. Only turn it off to debug.",
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Nothing to look up in Ottu (see the class comment): checks, when the workflow is published or
			// starts listening, that verification can work.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const events = this.getNodeParameter('events', []) as string[];
				const unverifiable = events.filter((event) => UNVERIFIABLE_EVENTS.includes(event));
				if (unverifiable.length) {
					throw new NodeOperationError(
						this.getNode(),
						`Events ${unverifiable.join(', ')} can no longer be told apart: choose "Operation: Refund, Capture or Void" in Events`,
						{
							description:
								'Ottu does not sign which operation a webhook reports, so the trigger cannot filter on it safely. Check the operation with Payment Transaction → Get after the trigger.',
						},
					);
				}
				const options = readOptions(this.getNodeParameter('options', {}) as IDataObject);
				if (options.verifySignature && options.acceptPreviousScheme) {
					this.logger.warn(
						"Ottu Trigger: Ottu's previous signature scheme is accepted; it leaves session_id unsigned",
						{
							node: this.getNode().name,
						},
					);
				}
				if (options.verifySignature) {
					const credentials = await this.getCredentials('ottuApi');
					if (typeof credentials.hmacSecret !== 'string' || credentials.hmacSecret.trim() === '') {
						throw new NodeOperationError(this.getNode(), NO_KEY_MESSAGE, {
							description: NO_KEY_DESCRIPTION,
						});
					}
				} else {
					this.logger.warn(
						'Ottu Trigger: signature verification is turned off; anyone who knows the URL can start this workflow',
						{
							node: this.getNode().name,
						},
					);
				}
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.logger.debug('Ottu Trigger: nothing to register with Ottu');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				this.logger.debug(
					'Ottu Trigger: nothing to unregister with Ottu; remove the URL in Ottu if it is no longer used',
				);
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}
}
