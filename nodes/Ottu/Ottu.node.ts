import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceOptions, resources } from './actions/resources';
import { router } from './actions/router';
import { toolDescriptionProperties } from './actions/toolDescription';
import { loadOptions } from './methods';

/** Canvas subtitle per resource:operation, in the words of the Resource and Operation dropdowns. */
function subtitles(): Record<string, string> {
	const out: Record<string, string> = {};
	for (const resource of Object.values(resources)) {
		for (const operation of Object.values(resource.operations)) {
			out[`${resource.option.value}:${operation.option.value}`] =
				`${resource.option.name}: ${operation.option.name}`;
		}
	}
	return out;
}

/** What an AI agent needs before it acts: the start of a tool description written by hand. */
const TOOL_DESCRIPTION_MANUAL =
	'Ottu payments. Refund, capture, void and the Native Payment charges move real money and cannot be undone; cancel, expire and delete cannot be undone either. A payment is identified by its session_id (or your order_no). Get a payment transaction and Check a payment status only read.';

export class Ottu implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ottu',
		name: 'ottu',
		icon: {
			light: 'file:../../icons/ottu.svg',
			dark: 'file:../../icons/ottu.dark.svg',
		},
		group: ['transform'],
		version: 1,
		// "Payment Operation: Refund" on the canvas instead of the raw "refund: paymentOperation".
		subtitle: `={{ ${JSON.stringify(subtitles())}[$parameter["resource"] + ":" + $parameter["operation"]] }}`,
		description:
			'Create Ottu payment links, checkouts and invoices; refund, capture or void payments; check payment status; charge saved cards, Apple Pay and Google Pay; manage saved cards; resend notifications; download reports',
		defaults: { name: 'Ottu' },
		usableAsTool: {
			replacements: {
				// The tool's default "Description" when set manually: what an AI agent needs before it acts.
				description: TOOL_DESCRIPTION_MANUAL,
			},
		},
		builderHint: {
			searchHint:
				'Ottu payment gateway (Kuwait, GCC): payment links, refunds, captures, voids, status checks, saved cards, Apple Pay and Google Pay charges, invoices, reports. Refund, capture, void and charges move money irreversibly: when an AI Agent uses them as tools, put a Human review step in front. Use the Ottu Trigger to react to payment webhooks.',
			relatedNodes: [
				{
					nodeType: 'n8n-nodes-ottu.ottuTrigger',
					relationHint: 'Starts a workflow on verified Ottu payment and operation webhooks',
				},
				{
					nodeType: '@n8n/n8n-nodes-langchain.chatHitlTool',
					relationHint: 'Human review before an agent refunds, captures, voids or charges',
				},
			],
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'ottuApi',
				required: true,
			},
		],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resourceOptions,
				default: 'paymentTransaction',
			},
			...toolDescriptionProperties(TOOL_DESCRIPTION_MANUAL),
			...Object.values(resources).flatMap((r) => [
				r.operationProperty,
				...Object.values(r.operations).flatMap((op) => op.description),
			]),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Concurrency',
						name: 'concurrency',
						type: 'number',
						typeOptions: {
							minValue: 1,
							maxValue: 32,
						},
						default: 1,
						description:
							'How many items to send to Ottu at the same time. Output keeps the input order. Keep it low for money-moving operations and rate-limited accounts.',
					},
					{
						displayName: 'Timeout',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 60000,
						description:
							'Milliseconds to wait for Ottu to answer each request before giving up on it (reads, refunds, captures and voids are then tried again; other requests, charges included, are not)',
					},
				],
			},
		],
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
