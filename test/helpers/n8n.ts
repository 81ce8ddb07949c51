/**
 * Runs real workflows in-process with n8n-core's WorkflowExecute: the real engine, the real request
 * helpers (httpRequestWithAuthentication over real HTTP) and the package's real credential class.
 * Only n8n's database-backed pieces (credential storage, execution hooks) are replaced.
 */
import { mock } from 'jest-mock-extended';
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IBinaryKeyData,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { Ottu } from '../../nodes/Ottu/Ottu.node';
import { TestCredentialsHelper } from './engine';
import { useProcessedDataStore } from './processedData';
import { unknownParameters } from './knownParameters';

export { TestCredentialsHelper, useDatabaseBinaryData, useFilesystemBinaryData } from './engine';

/** Emits the items given in its `items` parameter, like a Manual Trigger with pinned data. */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [
			{ displayName: 'Items', name: 'items', type: 'json', default: '[]' },
			{ displayName: 'Files', name: 'files', type: 'json', default: '[]' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		const files = JSON.parse(this.getNodeParameter('files', 0, '[]') as string) as Array<Record<
			string,
			TestFile
		> | null>;
		return [
			await Promise.all(
				items.map(async (json, i) => {
					const entries = Object.entries(files[i] ?? {});
					if (entries.length === 0) return { json };
					const binary: IBinaryKeyData = {};
					for (const [key, file] of entries) {
						binary[key] = await this.helpers.prepareBinaryData(
							Buffer.from(file.base64, 'base64'),
							file.fileName,
							file.mimeType,
						);
						// What a Code node may write into the metadata (n8n keeps only the base of a file path).
						Object.assign(binary[key], file.meta ?? {});
					}
					return { json, binary };
				}),
			),
		];
	}
}

export function nodeTypesWith(extra: Record<string, INodeType> = {}): INodeTypes {
	const types: Record<string, INodeType> = {
		'test.itemsSource': new ItemsSource(),
		'n8n-nodes-ottu.ottu': new Ottu(),
		...extra,
	};
	return {
		getByName: (name: string) => types[name] as INodeType | IVersionedNodeType,
		getByNameAndVersion: (name: string) => types[name],
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

export function additionalDataFor(
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const additionalData = mock<IWorkflowExecuteAdditionalData>({
		credentialsHelper: new TestCredentialsHelper(credentials),
		encryptedRunnerIdentity: undefined,
		executionId: undefined,
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		variables: {},
		evalLlmMockHandler: undefined,
	});
	return additionalData;
}

/** A file carried by a test input item, as n8n binary data. */
export interface TestFile {
	base64: string;
	fileName?: string;
	mimeType?: string;
	/** Metadata set after n8n prepared the file, as a Code node could (fileName, mimeType, ...). */
	meta?: Record<string, string>;
}

export interface OttuRunOptions {
	/** Parameters of the Ottu node. */
	parameters: IDataObject;
	/** Input items (json) fed to the Ottu node; default one empty item. */
	items?: IDataObject[];
	/** Binary properties of the input items, by item index. */
	files?: Array<Record<string, TestFile> | null>;
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	executionId?: string;
	/** The workflow's ID; by default each run is its own workflow (its processed-data marks its own). */
	workflowId?: string;
	/** n8n's Settings → Retry On Fail of the Ottu node (waitBetweenTries 0 keeps tests quick). */
	retry?: Pick<INode, 'retryOnFail' | 'maxTries' | 'waitBetweenTries'>;
}

export interface OttuRunResult {
	/** The Ottu node's output items (main output 0); empty when it failed. */
	items: INodeExecutionData[];
	/** The error the node raised, if the run failed. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
	/** What an execution Retry needs: the workflow and the credentials it ran with. */
	workflow: Workflow;
	credentials: ICredentialDataDecryptedObject;
}

let executionCounter = 0;

/** Builds Items Source → Ottu and runs it through n8n-core's WorkflowExecute. */
export async function runOttu(options: OttuRunOptions): Promise<OttuRunResult> {
	const unknown = unknownParameters(new Ottu().description.properties, options.parameters);
	if (unknown.length > 0)
		throw new Error(`The Ottu node has no parameter ${unknown.join(', ')} (check the name)`);
	const ottuNode: INode = {
		id: 'ottu-node-1',
		name: 'Ottu',
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } },
		continueOnFail: options.continueOnFail ?? false,
		...options.retry,
	};
	const sourceNode: INode = {
		id: 'source-1',
		name: 'Source',
		type: 'test.itemsSource',
		typeVersion: 1,
		position: [0, 0],
		parameters: {
			items: JSON.stringify(options.items ?? [{}]),
			files: JSON.stringify(options.files ?? []),
		},
	};
	await useProcessedDataStore();
	const workflow = new Workflow({
		id: options.workflowId ?? `wf-test-${executionCounter + 1}`,
		name: 'Ottu test',
		active: false,
		nodeTypes: nodeTypesWith(),
		nodes: [sourceNode, ottuNode],
		connections: {
			Source: { main: [[{ node: 'Ottu', type: NodeConnectionTypes.Main, index: 0 }]] },
		},
	});
	const executionId = options.executionId ?? `exec-${++executionCounter}`;
	const additionalData = additionalDataFor({ ottuApi: options.credentials });
	additionalData.executionId = executionId;
	additionalData.hooks = new ExecutionLifecycleHooks('manual', executionId, mock());
	const run = await new WorkflowExecute(additionalData, 'manual').run({
		workflow,
		startNode: workflow.getNode('Source')!,
	});
	return resultOf(run, workflow, options.credentials);
}

function resultOf(
	run: IRun,
	workflow: Workflow,
	credentials: ICredentialDataDecryptedObject,
): OttuRunResult {
	const error = run.data.resultData.error as OttuRunResult['error'];
	const runs = run.data.resultData.runData.Ottu ?? [];
	const items = runs[runs.length - 1]?.data?.main?.[0] ?? [];
	return { items, error, run, workflow, credentials };
}

/**
 * The Executions list's Retry of a failed run, as n8n's ExecutionService.retryExecution does it: a new
 * execution in mode "retry" that continues from the failed one's saved run data (its failed node's last
 * run removed), here after a JSON round trip like the database's. `crashed`: the node's context is gone too,
 * as when the worker died during the node (n8n saves an execution's data when a node ends): its journal is lost.
 */
export async function retryExecution(
	failed: OttuRunResult,
	opts: { crashed?: boolean } = {},
): Promise<OttuRunResult> {
	const data = JSON.parse(JSON.stringify(failed.run.data)) as IRun['data'];
	if (opts.crashed && data.executionData) data.executionData.contextData = {};
	const last = data.resultData.lastNodeExecuted;
	delete data.resultData.error;
	if (last) {
		const runs = data.resultData.runData[last];
		if (runs.length > 0 && runs[runs.length - 1].error !== undefined) runs.pop();
	}
	return await retryFrom(data, failed);
}

/**
 * The Retry of a run whose process died while the Ottu node was still running, after it had sent every
 * request: n8n saved the run as it stood when the node started (the node back on the stack with its input,
 * no run of it, no node context), so the retry runs the whole node again.
 */
export async function retryCrashedMidNode(finished: OttuRunResult): Promise<OttuRunResult> {
	const data = JSON.parse(JSON.stringify(finished.run.data)) as IRun['data'];
	const input = data.resultData.runData.Source[0].data!.main[0]!;
	delete data.resultData.runData.Ottu;
	delete data.resultData.error;
	data.resultData.lastNodeExecuted = 'Source';
	data.executionData = {
		...data.executionData!,
		contextData: {},
		nodeExecutionStack: [
			{
				node: finished.workflow.getNode('Ottu')!,
				data: { main: [input] },
				source: { main: [{ previousNode: 'Source' }] },
			},
		],
	};
	return await retryFrom(data, finished);
}

async function retryFrom(data: IRun['data'], earlier: OttuRunResult): Promise<OttuRunResult> {
	const executionId = `exec-${++executionCounter}`;
	const additionalData = additionalDataFor({ ottuApi: earlier.credentials });
	additionalData.executionId = executionId;
	additionalData.hooks = new ExecutionLifecycleHooks('retry', executionId, mock());
	const run = await new WorkflowExecute(additionalData, 'retry', data).processRunExecutionData(
		earlier.workflow,
	);
	return resultOf(run, earlier.workflow, earlier.credentials);
}
