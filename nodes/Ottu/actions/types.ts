import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

/** An operation's entry in its resource's Operation dropdown (and its AI tool description). */
export interface OperationOption {
	name: string;
	value: string;
	description: string;
	action: string;
}

/**
 * One operation of one resource, in its own `<value>.operation.ts`: its dropdown entry, its parameters
 * (shown only for this resource and operation) and what it does for one input item.
 */
export interface OttuOperation {
	option: OperationOption;
	description: INodeProperties[];
	/** What an AI agent must know before using this operation ("moves real money and cannot be undone"). */
	toolNote?: string;
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

/** A resource's entry in the Resource dropdown. */
export interface ResourceOption {
	name: string;
	value: string;
	description: string;
}

export interface OttuResource {
	option: ResourceOption;
	/** The Operation dropdown, made from the operations' own options. */
	operationProperty: INodeProperties;
	/** The operations by value, their parameters shown only for themselves. */
	operations: Record<string, OttuOperation>;
}

export const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

/**
 * A resource from the one list of its operations: the dropdown and the operations map both come from it,
 * and each operation's parameters get the display options of its resource and operation.
 */
export function defineResource(
	option: ResourceOption,
	defaultOperation: string,
	operations: OttuOperation[],
): OttuResource {
	const resource = option.value;
	const operationProperty: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: operations.map((o) => o.option as INodePropertyOptions).sort(byName),
		default: defaultOperation,
	};
	const byValue: Record<string, OttuOperation> = {};
	for (const operation of operations) {
		const show = { resource: [resource], operation: [operation.option.value] };
		byValue[operation.option.value] = {
			...operation,
			description: updateDisplayOptions({ show }, operation.description),
		};
	}
	return { option, operationProperty, operations: byValue };
}
