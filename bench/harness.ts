/**
 * The smallest n8n host the benchmark needs: n8n-core's real WorkflowExecute, real request helpers and real
 * binary-data service (filesystem mode), with plain objects where n8n has its database. Unlike the test
 * harness it uses no jest mocks, whose proxies would add cost the node does not have in n8n.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
	TestCredentialsHelper,
	useCredentialTypes,
	useFilesystemBinaryData as initFilesystemBinaryData,
} from '../test/helpers/engine';

/** Emits the items it is given, like a trigger with pinned data. */
class ItemsSource implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Items Source',
		name: 'itemsSource',
		group: ['input'],
		version: 1,
		description: 'Emits benchmark items',
		defaults: { name: 'Items Source' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	static items: IDataObject[] = [];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [ItemsSource.items.map((json) => ({ json }))];
	}
}

const types: Record<string, INodeType> = { 'bench.itemsSource': new ItemsSource() };

const DIST = path.join(__dirname, '..', 'dist');

/**
 * The node and credential as n8n loads them: the compiled package in dist/ (`npm run bench` builds it first),
 * not the TypeScript sources, whose on-the-fly transpilation adds helpers the published code does not have.
 */
async function loadOttu(): Promise<void> {
	if (types['n8n-nodes-ottu.ottu']) return;
	const nodeFile = path.join(DIST, 'nodes', 'Ottu', 'Ottu.node.js');
	const credentialFile = path.join(DIST, 'credentials', 'OttuApi.credentials.js');
	if (!existsSync(nodeFile) || !existsSync(credentialFile))
		throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
	const { Ottu } = (await import(nodeFile)) as typeof import('../nodes/Ottu/Ottu.node');
	const { OttuApi } = (await import(
		credentialFile
	)) as typeof import('../credentials/OttuApi.credentials');
	types['n8n-nodes-ottu.ottu'] = new Ottu();
	useCredentialTypes({ ottuApi: new OttuApi() });
}
const nodeTypes = {
	getByName: (name: string) => types[name] as INodeType | IVersionedNodeType,
	getByNameAndVersion: (name: string) => types[name],
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

let binaryDataReady: Promise<unknown> | undefined;

/** n8n's binary data in filesystem mode (N8N_DEFAULT_BINARY_DATA_MODE=filesystem), stored under `storagePath`. */
export async function useFilesystemBinaryData(storagePath: string): Promise<void> {
	binaryDataReady ??= initFilesystemBinaryData(storagePath);
	await binaryDataReady;
}

function additionalDataFor(
	credentials: ICredentialDataDecryptedObject,
	executionId: string,
	workflowData: IWorkflowBase,
): IWorkflowExecuteAdditionalData {
	const data = {
		credentialsHelper: new TestCredentialsHelper({ ottuApi: credentials }),
		executionId,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formBaseUrl: 'http://127.0.0.1/form',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1/form-test',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		mcpBaseUrl: 'http://127.0.0.1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1/mcp-test',
		variables: {},
		logAiEvent: () => {},
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflowData),
	};
	return data as unknown as IWorkflowExecuteAdditionalData;
}

export interface EngineRun {
	items: INodeExecutionData[];
	error?: Error;
	run: IRun;
}

let executionCounter = 0;

/** Runs Items Source → Ottu (with `parameters`) through n8n-core's WorkflowExecute, as n8n runs a manual execution. */
export async function runOttu(
	parameters: IDataObject,
	items: IDataObject[],
	credentials: ICredentialDataDecryptedObject,
): Promise<EngineRun> {
	await loadOttu();
	const ottuNode: INode = {
		id: 'ottu-node-1',
		name: 'Ottu',
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		position: [200, 0],
		parameters: parameters as INode['parameters'],
		credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } },
	};
	const sourceNode: INode = {
		id: 'source-1',
		name: 'Source',
		type: 'bench.itemsSource',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const connections = {
		Source: { main: [[{ node: 'Ottu', type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	const workflow = new Workflow({
		id: 'wf-bench',
		name: 'Ottu bench',
		active: false,
		nodeTypes,
		nodes: [sourceNode, ottuNode],
		connections,
	});
	const executionId = `bench-${++executionCounter}`;
	const workflowData = {
		id: 'wf-bench',
		name: 'Ottu bench',
		active: false,
		nodes: [sourceNode, ottuNode],
		connections,
		settings: {},
	} as unknown as IWorkflowBase;
	ItemsSource.items = items;
	const run = await new WorkflowExecute(
		additionalDataFor(credentials, executionId, workflowData),
		'manual',
	).run({
		workflow,
		startNode: workflow.getNode('Source')!,
	});
	ItemsSource.items = [];
	const error = run.data.resultData.error as Error | undefined;
	return { items: run.data.resultData.runData.Ottu?.[0]?.data?.main?.[0] ?? [], error, run };
}
