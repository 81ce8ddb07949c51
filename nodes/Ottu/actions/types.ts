import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/** One operation of one resource: its parameters and what it does for a single input item. */
export interface OttuOperation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export interface OttuResource {
	/** The operation dropdown for this resource. */
	operationProperty: INodeProperties;
	operations: Record<string, OttuOperation>;
}
