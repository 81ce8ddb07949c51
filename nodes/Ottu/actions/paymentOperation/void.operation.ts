import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { executeOperation, operationDescription } from './shared';

export const description = operationDescription('void');

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	return await executeOperation.call(this, 'void', itemIndex);
}
