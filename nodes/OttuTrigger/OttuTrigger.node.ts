import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { isRepeatDelivery } from './dedup';
import { classifyOttuEvent, deliveryKey, eventSelected, operationResultSelected } from './events';
import { verifyOttuSignature } from './signature';

/** Said to anyone whose payload fails verification; deliberately says nothing about the key. */
const UNAUTHORIZED_BODY = { message: 'Unauthorized: the webhook signature could not be verified' };

interface TriggerOptions {
	verifySignature: boolean;
	responseCode: number;
	ignoreRepeats: boolean;
	repeatWindowMinutes: number;
	operationResults: string[];
}

function readOptions(raw: IDataObject): TriggerOptions {
	const code = Number(raw.responseCode ?? 200);
	const window = Number(raw.repeatWindowMinutes ?? 60);
	return {
		verifySignature: raw.verifySignature !== false,
		responseCode: code === 201 ? 201 : 200,
		ignoreRepeats: raw.ignoreRepeats !== false,
		repeatWindowMinutes: Number.isFinite(window) && window > 0 ? window : 60,
		operationResults: Array.isArray(raw.operationResults) ? (raw.operationResults as string[]) : [],
	};
}

function rawBodyText(body: unknown): string | undefined {
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (typeof body === 'string') return body;
	return undefined;
}

export class OttuTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ottu Trigger',
		name: 'ottuTrigger',
		icon: { light: 'file:../../icons/ottu.svg', dark: 'file:../../icons/ottu.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ !$parameter["events"] || !$parameter["events"].length || $parameter["events"].includes("*") ? "All events" : $parameter["events"].join(", ") }}',
		description: 'Starts the workflow when Ottu sends a signed payment, operation or save-card webhook',
		defaults: { name: 'Ottu Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'ottuApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Ottu has no API to register webhooks: copy this node\'s URL (above) into Ottu yourself. Either put it in the <b>Webhook URL</b> field of the Ottu node\'s Payment Transaction → Create (per payment), or in the Ottu dashboard → Administration → Webhook → Webhook Config (plugin URL for payment events; operations webhook URL for refund, capture and void). Use the <b>Test URL</b> while building: it only listens after you click "Listen for test event". Use the <b>Production URL</b> once the workflow is active.',
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
				description: 'Which webhooks start the workflow. Others are answered and ignored.',
				options: [
					{ name: 'All Events', value: '*', description: 'Every payment, operation and save-card webhook' },
					{ name: 'Operation: Any', value: 'operation.*', description: 'Any refund, capture or void' },
					{ name: 'Operation: Capture', value: 'operation.capture' },
					{ name: 'Operation: Refund', value: 'operation.refund' },
					{ name: 'Operation: Void', value: 'operation.void' },
					{ name: 'Payment: Any State', value: 'payment.*', description: 'Any payment webhook, whatever its state' },
					{ name: 'Payment: Attempted', value: 'payment.attempted', description: 'An attempt failed; the customer can still retry' },
					{ name: 'Payment: Authorized', value: 'payment.authorized', description: 'Funds reserved; capture or void them later' },
					{ name: 'Payment: Canceled', value: 'payment.canceled' },
					{ name: 'Payment: Cash on Delivery', value: 'payment.cod' },
					{ name: 'Payment: Expired', value: 'payment.expired' },
					{ name: 'Payment: Failed', value: 'payment.failed', description: 'May still turn into Paid later' },
					{ name: 'Payment: Paid', value: 'payment.paid' },
					{ name: 'Payment: Pending', value: 'payment.pending' },
					{ name: 'Save Card', value: 'save_card', description: 'A card saved (tokenised) without a payment' },
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
						displayName: 'Ignore Repeated Deliveries',
						name: 'ignoreRepeats',
						type: 'boolean',
						default: true,
						description:
							'Whether to answer but not run the workflow again when Ottu re-sends a webhook already received (same session ID, state or operation, result and reference number) within the window. On unless turned off.',
					},
					{
						displayName: 'Operation Results',
						name: 'operationResults',
						type: 'multiOptions',
						default: [],
						description: 'Only for operation webhooks: which results start the workflow. Leave empty for all.',
						options: [
							{ name: 'Failed', value: 'failed' },
							{ name: 'Queued', value: 'queued', description: 'Refund accepted and waiting at the gateway' },
							{ name: 'Rejected', value: 'rejected', description: 'A queued refund the gateway refused' },
							{ name: 'Success', value: 'success' },
						],
					},
					{
						displayName: 'Repeat Window (Minutes)',
						name: 'repeatWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10080 },
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
								description: 'Ottu redirects the customer to the transaction\'s redirect_url',
							},
							{
								name: '201 – Keep Customer on Ottu\'s Summary Page',
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
							'Whether to check the webhook\'s signature with the Webhook HMAC Key of the credential and answer 401 without running the workflow when it does not match. WARNING: turning this off lets anyone who knows the URL start this workflow with fake payment data. Only turn it off to debug.',
					},
				],
			},
		],
	};

	webhookMethods = {
		default: {
			// Ottu has no webhook registration API: the URL is pasted into Ottu by hand. These hooks only
			// check, when the workflow is activated or starts listening, that verification can work.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const options = readOptions(this.getNodeParameter('options', {}) as IDataObject);
				if (options.verifySignature) {
					const credentials = await this.getCredentials('ottuApi');
					if (typeof credentials.hmacSecret !== 'string' || credentials.hmacSecret.trim() === '') {
						throw new NodeOperationError(
							this.getNode(),
							'The Ottu API credential has no Webhook HMAC Key, so no webhook could be verified',
							{
								description:
									'Copy the HMAC key from Ottu dashboard → Webhook Config → General into the credential\'s "Webhook HMAC Key" field, or turn off "Verify Signature" in this node\'s options (not recommended).',
							},
						);
					}
				} else {
					this.logger.warn('Ottu Trigger: signature verification is turned off; anyone who knows the URL can start this workflow', {
						node: this.getNode().name,
					});
				}
				this.logger.debug('Ottu Trigger: Ottu has no webhook registration API; the URL is pasted into Ottu by hand', {
					url: this.getNodeWebhookUrl('default'),
				});
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				this.logger.debug('Ottu Trigger: nothing to register with Ottu');
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				this.logger.debug('Ottu Trigger: nothing to unregister with Ottu; remove the URL in Ottu if it is no longer used');
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const options = readOptions(this.getNodeParameter('options', {}) as IDataObject);
		const events = this.getNodeParameter('events', ['*']) as string[];
		const nodeName = this.getNode().name;

		if (!Buffer.isBuffer(req.rawBody) && typeof req.readRawBody === 'function') await req.readRawBody();
		const raw = rawBodyText(req.rawBody);

		if (options.verifySignature) {
			let key = '';
			try {
				const credentials = await this.getCredentials('ottuApi');
				key = typeof credentials.hmacSecret === 'string' ? credentials.hmacSecret : '';
			} catch (error) {
				this.logger.error('Ottu Trigger: could not read the Ottu API credential; webhook refused', {
					node: nodeName,
					error: (error as Error).message,
				});
			}
			const check = raw === undefined ? ({ valid: false, reason: 'unreadable-body' } as const) : verifyOttuSignature(raw, key);
			if (!check.valid) {
				this.logger.warn(`Ottu Trigger: webhook refused with 401 (${check.reason})`, { node: nodeName });
				res.status(401).json(UNAUTHORIZED_BODY);
				return { noWebhookResponse: true };
			}
		}

		// The workflow gets exactly the bytes that were verified, parsed as JSON; n8n's own body parsing
		// (which follows the sender's Content-Type) is only used when verification is off.
		let payload: unknown;
		if (raw !== undefined && raw.trim() !== '') {
			try {
				payload = JSON.parse(raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw);
			} catch {
				payload = undefined;
			}
		}
		if (payload === undefined && !options.verifySignature) payload = this.getBodyData();
		if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
			res.status(400).json({ message: 'Expected a JSON object' });
			return { noWebhookResponse: true };
		}

		const body = payload as IDataObject;
		const info = classifyOttuEvent(body);
		if (!eventSelected(events, info) || !operationResultSelected(options.operationResults, info)) {
			res.status(options.responseCode).json({ message: 'Received; this event is not selected in the Ottu Trigger' });
			return { noWebhookResponse: true };
		}

		if (options.ignoreRepeats) {
			const key = deliveryKey(body, info);
			const staticData = this.getWorkflowStaticData('node');
			if (key !== undefined && isRepeatDelivery(staticData, key, Date.now(), options.repeatWindowMinutes * 60_000)) {
				this.logger.info('Ottu Trigger: repeated delivery answered without running the workflow', { node: nodeName });
				res.status(options.responseCode).json({ message: 'Received; repeated delivery ignored' });
				return { noWebhookResponse: true };
			}
		}

		res.status(options.responseCode).json({ message: 'Received' });
		const derived: IDataObject = {
			event: info.event,
			kind: info.kind,
			result: info.result,
			isPaid: info.isPaid,
			isSuccess: info.isSuccess,
			signatureVerified: options.verifySignature,
		};
		return {
			noWebhookResponse: true,
			workflowData: [[{ json: { ...body, _ottu: derived } }]],
		};
	}
}
