import type {
	INodeParameters,
	INodeProperties,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Ottu } from '../../nodes/Ottu/Ottu.node';
import { OttuReportTrigger } from '../../nodes/OttuReportTrigger/OttuReportTrigger.node';
import { OttuTrigger } from '../../nodes/OttuTrigger/OttuTrigger.node';

const description = new Ottu().description;
const operationsOf = (resource: string) =>
	description.properties.find(
		(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(resource),
	)?.options as INodePropertyOptions[] | undefined;

/** The operations that move money (resource, operation). */
const MONEY_MOVING: Array<[string, string]> = [
	['paymentOperation', 'refund'],
	['paymentOperation', 'capture'],
	['paymentOperation', 'void'],
	['nativePayment', 'applePay'],
	['nativePayment', 'googlePay'],
	['nativePayment', 'autoDebit'],
	['nativePayment', 'wallet'],
];

describe('Ottu node description', () => {
	const table: Record<string, string[]> = {
		paymentTransaction: ['create', 'get', 'update', 'uploadAttachment'],
		paymentMethod: ['getAll'],
		paymentOperation: ['cancel', 'capture', 'delete', 'expire', 'refund', 'void'],
		paymentStatus: ['check'],
		nativePayment: ['applePay', 'autoDebit', 'googlePay', 'wallet'],
		card: ['delete', 'getAll'],
		invoice: ['create'],
		notification: ['resend', 'sendTemplate'],
		report: ['download', 'getAll'],
	};

	it('offers exactly the resources and operations of the merchant API, each with action text', () => {
		const resources = (
			description.properties.find((p) => p.name === 'resource')?.options as INodePropertyOptions[]
		).map((o) => o.value);
		expect(resources.sort()).toEqual(Object.keys(table).sort());
		for (const [resource, operations] of Object.entries(table)) {
			const options = operationsOf(resource)!;
			expect(options.map((o) => o.value).sort()).toEqual(operations);
			for (const option of options) {
				expect(option.action).toBeTruthy();
				expect(option.description).toBeTruthy();
			}
		}
	});

	it('says plainly which operations move money, and offers them no "None" Tracking-Key', () => {
		for (const [resource, operation] of MONEY_MOVING) {
			expect(operationsOf(resource)!.find((o) => o.value === operation)!.description).toMatch(
				/^Moves money/,
			);
			const mode = description.properties.find(
				(p) =>
					p.name === 'trackingKeyMode' &&
					p.displayOptions?.show?.resource?.includes(resource) &&
					p.displayOptions?.show?.operation?.includes(operation),
			) as INodeProperties;
			expect(mode).toBeDefined();
			expect((mode.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
				'automatic',
				'custom',
			]);
			expect((mode.options as INodePropertyOptions[])[0].description).toContain(
				'the amount and the operation',
			);
			expect((mode.options as INodePropertyOptions[])[0].description).toContain(
				'Not from the rest of the item, the workflow or the node',
			);
			if (resource === 'paymentOperation') {
				expect(mode.description).toContain(
					'answers a repeat with the original operation (output replayed: true, no new money moved)',
				);
				for (const edge of [
					'one key per transaction, operation, amount and options',
					'a copied workflow, Order No instead of Session ID or a webhook re-sent with other headers never moves money twice',
					'For a second refund of the same amount of the same transaction, use Custom',
				]) {
					expect(mode.description).toContain(edge);
				}
			} else {
				// Ottu documents no Tracking-Key protection for charges: the field must not promise one.
				expect(mode.description).toContain('does not stop a second charge');
				expect(mode.description).toContain(
					'Payment Transaction → Get or Payment Status → Check before charging again',
				);
				expect(mode.description).not.toMatch(/never moves money twice|only once per Tracking-Key/);
				const option = operationsOf(resource)!.find((o) => o.value === operation)!;
				expect(option.description).toContain('Never repeated automatically');
				expect(option.description).not.toContain('Protected by a Tracking-Key');
			}
		}
		for (const operation of ['cancel', 'expire', 'delete']) {
			expect(
				operationsOf('paymentOperation')!.find((o) => o.value === operation)!.description,
			).toContain('Moves no money');
		}
	});

	it('is usable as an AI tool and shows operation and resource in the subtitle', () => {
		expect(description.usableAsTool).toBeTruthy();
		const subtitle = (resource: string, operation: string) => {
			const node = {
				id: '1',
				name: 'Ottu',
				type: 'n8n-nodes-ottu.ottu',
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: { resource, operation },
			};
			const nodeTypes = {
				getByName: () => new Ottu(),
				getByNameAndVersion: () => new Ottu(),
				getKnownTypes: () => ({}),
			};
			const workflow = new Workflow({
				nodes: [node],
				connections: {},
				active: false,
				nodeTypes: nodeTypes as never,
			});
			return workflow.expression.getSimpleParameterValue(node, description.subtitle!, 'manual', {});
		};
		expect(subtitle('paymentOperation', 'refund')).toBe('Payment Operation: Refund');
		expect(subtitle('paymentTransaction', 'create')).toBe('Payment Transaction: Create');
		expect(subtitle('nativePayment', 'autoDebit')).toBe('Native Payment: Auto-Debit');
	});

	it('gives people short, natural action names (the node panel lists them; a new node is named after one)', () => {
		for (const resource of Object.keys(table)) {
			for (const option of operationsOf(resource)!) {
				// n8n's own style ("Refund a charge"): a verb, a short object, short enough for the canvas.
				expect(option.action!.length).toBeLessThanOrEqual(30);
				expect(option.action).toMatch(/^[A-Z][a-z]+ (a|an|many) [A-Za-z ]+$/);
				expect(option.action).not.toMatch(/money|irreversibl|session id|order no|by customer/i);
			}
		}
		expect(operationsOf('paymentOperation')!.find((o) => o.value === 'refund')!.action).toBe(
			'Refund a payment',
		);
		expect(operationsOf('nativePayment')!.find((o) => o.value === 'applePay')!.action).toBe(
			'Charge an Apple Pay token',
		);
		expect(operationsOf('card')!.find((o) => o.value === 'delete')!.action).toBe(
			'Delete a saved card',
		);
	});

	/**
	 * What an AI agent reads as the Ottu tool's description when the tool runs, as n8n 2.41 makes it: the tool's
	 * node type is the node's own description renamed "<name>Tool" with the same properties (n8n adds its own
	 * Tool Description parameters only to a node that has no toolDescription); the workflow fills in the
	 * parameters' defaults; n8n-workflow's getToolDescriptionForNode decides, evaluating an expression.
	 */
	const toolType = () => ({
		description: { ...description, name: 'ottuTool' } as INodeTypeDescription,
	});
	const toolDescription = (parameters: INodeParameters) => {
		const node = {
			id: '1',
			name: 'Ottu tool',
			type: 'n8n-nodes-ottu.ottuTool',
			typeVersion: 1,
			position: [0, 0] as [number, number],
			parameters,
		};
		const nodeTypes = {
			getByName: () => toolType(),
			getByNameAndVersion: () => toolType(),
			getKnownTypes: () => ({}),
		};
		const workflow = new Workflow({
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes: nodeTypes as never,
		});
		const filled = workflow.getNode(node.name)!;
		return NodeHelpers.getToolDescriptionForNode(filled, toolType() as never, () =>
			String(
				workflow.expression.getSimpleParameterValue(
					filled,
					filled.parameters.toolDescription as string,
					'manual',
					{},
				),
			),
		);
	};
	const op = (resource: string, operation: string) => toolDescription({ resource, operation });

	it('tells an AI agent, in the tool description it reads, which tools move money and which cannot be undone', () => {
		expect(description.properties.some((p) => p.name === 'toolDescription')).toBe(true);
		for (const [resource, operation] of MONEY_MOVING) {
			expect(op(resource, operation)).toMatch(
				/ in Ottu\. It (moves real money|releases the held money) and cannot be undone\.$/,
			);
		}
		for (const operation of ['cancel', 'expire', 'delete'])
			expect(op('paymentOperation', operation)).toMatch(/ in Ottu\. It cannot be undone\.$/);
		expect(op('card', 'delete')).toBe('Delete a saved card in Ottu. It cannot be undone.');
		expect(op('paymentOperation', 'refund')).toBe(
			'Refund a payment in Ottu. It moves real money and cannot be undone.',
		);
		expect(op('nativePayment', 'applePay')).toBe(
			'Charge an Apple Pay token in Ottu. It moves real money and cannot be undone.',
		);
		for (const [resource, operation] of [
			['paymentTransaction', 'get'],
			['paymentStatus', 'check'],
			['paymentTransaction', 'create'],
			['report', 'download'],
		])
			expect(op(resource, operation)).not.toMatch(/money|undone/);
		expect(op('paymentTransaction', 'get')).toBe('Get a payment transaction in Ottu.');
		// n8n's "Set Automatically" stays on offer (the action alone), and a description written by hand wins.
		expect(
			toolDescription({
				resource: 'paymentOperation',
				operation: 'refund',
				descriptionType: 'auto',
			}),
		).toBe('Refund a payment in Ottu');
		expect(
			toolDescription({
				resource: 'paymentOperation',
				operation: 'refund',
				descriptionType: 'manual',
			}),
		).toMatch(/move real money and cannot be undone/);
		expect(
			toolDescription({
				resource: 'paymentOperation',
				operation: 'refund',
				descriptionType: 'manual',
				toolDescription: 'Refunds; ask first.',
			}),
		).toBe('Refunds; ask first.');
		// The Ottu node itself (not a tool) shows none of this, and people keep the short name.
		const tool = description.properties.find((p) => p.name === 'descriptionType')!;
		expect(NodeHelpers.displayParameter({}, tool, null, description)).toBe(false);
		expect(NodeHelpers.displayParameter({}, tool, null, toolType().description)).toBe(true);
		expect(
			NodeHelpers.makeNodeName({ resource: 'paymentOperation', operation: 'refund' }, description),
		).toBe('Refund a payment');
	});

	it("gives the tool variant and n8n's workflow builder the money warning and the human review pairing", () => {
		const replacements = (description.usableAsTool as { replacements?: { description?: string } })
			.replacements;
		expect(replacements?.description).toMatch(/move real money and cannot be undone/);
		expect(replacements?.description).toMatch(/session_id/);
		expect(description.builderHint?.searchHint).toMatch(/Human review/);
		expect(description.builderHint?.relatedNodes?.map((n) => n.nodeType)).toEqual([
			'n8n-nodes-ottu.ottuTrigger',
			'@n8n/n8n-nodes-langchain.chatHitlTool',
		]);
	});

	it("describes the Ottu entry of n8n's node panel, which shows the Ottu Trigger's description", () => {
		// n8n 2.41's node panel merges a trigger into the node whose name is the trigger's minus "Trigger"
		// and gives the merged entry (its Node details too) the trigger's description.
		const trigger = new OttuTrigger().description;
		expect(trigger.name.replace('Trigger', '')).toBe(description.name);
		for (const words of [/payment links/, /refund, capture or void/, /Apple Pay/, /webhooks/])
			expect(trigger.description).toMatch(words);
		// The Report Trigger is not merged ("ottuReport" is no node), so it keeps its own description.
		expect(new OttuReportTrigger().description.name.replace('Trigger', '')).not.toBe(
			description.name,
		);
	});
});

describe('Ottu Trigger and Native Payment descriptions', () => {
	const trigger = new OttuTrigger().description;
	const events = trigger.properties.find((p) => p.name === 'events')!
		.options as INodePropertyOptions[];
	const event = (value: string) => events.find((o) => o.value === value)!;

	it('says how "a payment attempt fails" differs from "a payment fails"', () => {
		expect(event('payment.attempted').description).toMatch(/can still try again/);
		expect(event('payment.attempted').description).toMatch(/Not final/);
		expect(event('payment.failed').description).toMatch(/cannot try again/);
		expect(event('payment.failed').description).toMatch(/may still turn it into Paid/);
	});

	it('tells a published workflow that it listens, and an unpublished one to publish', () => {
		const hint = trigger.triggerPanel as { activationHint: { active: string; inactive: string } };
		expect(hint.activationHint.inactive).toMatch(/^Publish the workflow/);
		expect(hint.activationHint.active).not.toMatch(/Publish/i);
		expect(hint.activationHint.active).toMatch(/is listening/);
	});

	it('names every Native Payment charge, Wallet included', () => {
		const option = (
			new Ottu().description.properties.find((p) => p.name === 'resource')!
				.options as INodePropertyOptions[]
		).find((o) => o.value === 'nativePayment')!;
		for (const charge of ['Apple Pay', 'Google Pay', 'auto-debit', 'wallet'])
			expect(option.description).toContain(charge);
	});
});
