import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	UsableAsToolDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceOptions, resources } from './actions/resources';
import { router } from './actions/router';
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

/**
 * Gives the AI tool variant its own Operation dropdowns, whose actions carry each operation's tool note: n8n
 * describes a tool to an agent by its operation's action alone ("<action> in Ottu"), while people read the
 * same action in the node panel and as the node's name. n8n 2.41 spreads `usableAsTool.replacements` over
 * the tool variant's description, properties included.
 */
function withToolOperations(description: INodeTypeDescription): INodeTypeDescription {
	const toolVariant = new Map(
		Object.values(resources).map((r) => [r.operationProperty, r.toolOperationProperty]),
	);
	const properties = description.properties.map((p) => toolVariant.get(p) ?? p);
	const usableAsTool = description.usableAsTool as UsableAsToolDescription;
	return {
		...description,
		usableAsTool: { replacements: { ...usableAsTool.replacements, ...({ properties } as object) } },
	};
}

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
				description:
					'Ottu payments. Refund, capture, void and the Native Payment charges move real money and cannot be undone; cancel, expire and delete cannot be undone either. A payment is identified by its session_id (or your order_no). Get a payment transaction and Check a payment status only read.',
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

	constructor() {
		this.description = withToolOperations(this.description);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
