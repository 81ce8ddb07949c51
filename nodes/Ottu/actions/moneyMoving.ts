import type { IExecuteFunctions } from 'n8n-workflow';

import type { TransactionSelector } from '../helpers/identifier';
import { customTrackingKey, deriveTrackingKey } from '../helpers/trackingKey';

/** The Tracking-Key for one item of a money-moving operation: the user's own, or the automatic one. */
export function trackingKeyFor(
	ctx: IExecuteFunctions,
	itemIndex: number,
	operation: string,
	transaction: TransactionSelector,
	amount?: string,
): string {
	const mode = ctx.getNodeParameter('trackingKeyMode', itemIndex, 'automatic') as string;
	if (mode === 'custom') return customTrackingKey(ctx.getNodeParameter('trackingKey', itemIndex, ''));
	const node = ctx.getNode();
	return deriveTrackingKey({
		workflowId: String(ctx.getWorkflow().id ?? ''),
		nodeId: node.id ?? node.name,
		operation,
		transaction,
		amount,
		itemIndex,
	});
}
