import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { Ottu } from '../../nodes/Ottu/Ottu.node';

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

	/** What n8n 2.41 sends an AI agent as the tool's description with "Set Automatically" (n8n-workflow's own function). */
	const toolDescription = (resource: string, operation: string) =>
		NodeHelpers.getToolDescriptionForNode(
			{
				id: '1',
				name: 'Ottu',
				type: 'n8n-nodes-ottu.ottuTool',
				typeVersion: 1,
				position: [0, 0],
				parameters: { resource, operation, descriptionType: 'auto' },
			},
			new Ottu(),
		);

	it('tells an AI agent which tools move money, which cannot be undone, and what identifies the payment', () => {
		for (const [resource, operation] of MONEY_MOVING)
			expect(toolDescription(resource, operation)).toMatch(/ (moving|releasing) money /);
		for (const operation of ['refund', 'capture', 'void', 'cancel', 'expire', 'delete']) {
			expect(toolDescription('paymentOperation', operation)).toMatch(
				/ irreversibly by session id or order no in Ottu$/,
			);
		}
		expect(toolDescription('paymentOperation', 'refund')).toBe(
			'Refund a paid payment moving money irreversibly by session id or order no in Ottu',
		);
		expect(toolDescription('nativePayment', 'autoDebit')).toBe(
			'Charge a saved card token moving money for a session id in Ottu',
		);
		expect(toolDescription('nativePayment', 'wallet')).toBe(
			'Charge a customer wallet moving money for a session id in Ottu',
		);
		for (const [resource, operation] of [
			['paymentTransaction', 'get'],
			['paymentStatus', 'check'],
			['paymentTransaction', 'create'],
		]) {
			expect(toolDescription(resource, operation)).not.toMatch(/ (moving|releasing) money /);
		}
		expect(toolDescription('paymentTransaction', 'get')).toBe(
			'Get a payment transaction by session id in Ottu',
		);
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
});
