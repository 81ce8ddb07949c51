import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { chargeDescription, executeCharge } from './shared';

export const description = chargeDescription('googlePay');

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await executeCharge.call(this, 'googlePay', itemIndex);
}
