import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { runAtMost } from '../helpers/concurrency';
import { OttuInputError } from '../helpers/errors';
import { resources } from './resources';

/** Turns whatever an operation threw into an n8n error that names the item. */
function toNodeError(
	ctx: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof OttuInputError) {
		return new NodeOperationError(ctx.getNode(), `${error.message} [item ${itemIndex}]`, {
			itemIndex,
			description: error.hint
				? `${error.hint}. Nothing was sent to Ottu.`
				: 'Nothing was sent to Ottu.',
		});
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * The output item for a failed input item under Continue On Fail: `error` (what went wrong, with the item) and
 * `message` (the fix), nothing else. n8n 1.x sends an item to the error output ("Continue (using error
 * output)") only when its JSON has just these keys; an error set on the item would be routed everywhere, but
 * n8n then replaces its JSON with the message alone and the fix is lost.
 */
function errorItem(
	error: NodeApiError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error.description) json.message = error.description;
	return {
		json,
		pairedItem: { item: itemIndex },
	};
}

/**
 * Runs the chosen operation for every input item, at most `concurrency` at a time, and returns the
 * results in input order with pairedItem set. On a failure without Continue On Fail, items already
 * in flight are allowed to finish (their effects are real) before the error is raised.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resourceName = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = resources[resourceName]?.operations[operationName];
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resourceName}" is not supported`,
		);
	}

	// runAtMost treats anything below 1 (or not a number) as 1.
	const concurrency = Number(this.getNodeParameter('options.concurrency', 0, 1));
	const results: INodeExecutionData[][] = new Array(items.length);
	// Items let each other's network events run between them: see runAtMost.
	await runAtMost(
		items.length,
		concurrency,
		async (i) => {
			try {
				const output = await operation.execute.call(this, i);
				// Operations return fresh items, so pairedItem is set in place: no copy of each item (Return All can bring thousands).
				for (const item of output) item.pairedItem = { item: i };
				results[i] = output;
			} catch (error) {
				const nodeError = toNodeError(this, error, i);
				if (!this.continueOnFail()) throw nodeError;
				results[i] = [errorItem(nodeError, i)];
			}
		},
		true,
	);
	return [results.flat()];
}
