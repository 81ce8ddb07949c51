/**
 * Runs real workflows in-process with n8n-core's WorkflowExecute: the real engine, the real request
 * helpers (httpRequestWithAuthentication over real HTTP) and the package's real credential class.
 * Only n8n's database-backed pieces (credential storage, execution hooks) are replaced.
 */
import type { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { mock } from 'jest-mock-extended';
import type { BinaryDataConfig, ErrorReporter } from 'n8n-core';
import { BinaryDataService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	IVersionedNodeType,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeConnectionTypes, Workflow } from 'n8n-workflow';

import { OttuApi } from '../../credentials/OttuApi.credentials';
import { Ottu } from '../../nodes/Ottu/Ottu.node';

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
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

const credentialTypes: Record<string, ICredentialType> = { ottuApi: new OttuApi() };

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** What n8n's CredentialsHelper.authenticate does for a function-style `authenticate`. */
	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		throw new Error(`Test harness supports function-style authenticate only (${typeName})`);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(_a: unknown, _n: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
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

export function additionalDataFor(credentials: Record<string, ICredentialDataDecryptedObject>): IWorkflowExecuteAdditionalData {
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

export interface OttuRunOptions {
	/** Parameters of the Ottu node. */
	parameters: IDataObject;
	/** Input items (json) fed to the Ottu node; default one empty item. */
	items?: IDataObject[];
	credentials: ICredentialDataDecryptedObject;
	continueOnFail?: boolean;
	executionId?: string;
}

export interface OttuRunResult {
	/** The Ottu node's output items (main output 0); empty when it failed. */
	items: INodeExecutionData[];
	/** The error the node raised, if the run failed. */
	error?: Error & { description?: string; httpCode?: string; context?: IDataObject };
	run: IRun;
}

let executionCounter = 0;

/** Builds Items Source → Ottu and runs it through n8n-core's WorkflowExecute. */
export async function runOttu(options: OttuRunOptions): Promise<OttuRunResult> {
	const ottuNode: INode = {
		id: 'ottu-node-1',
		name: 'Ottu',
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		position: [200, 0],
		parameters: options.parameters as INode['parameters'],
		credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } },
		continueOnFail: options.continueOnFail ?? false,
	};
	const sourceNode: INode = {
		id: 'source-1',
		name: 'Source',
		type: 'test.itemsSource',
		typeVersion: 1,
		position: [0, 0],
		parameters: { items: JSON.stringify(options.items ?? [{}]) },
	};
	const workflow = new Workflow({
		id: 'wf-test',
		name: 'Ottu test',
		active: false,
		nodeTypes: nodeTypesWith(),
		nodes: [sourceNode, ottuNode],
		connections: { Source: { main: [[{ node: 'Ottu', type: NodeConnectionTypes.Main, index: 0 }]] } },
	});
	const executionId = options.executionId ?? `exec-${++executionCounter}`;
	const additionalData = additionalDataFor({ ottuApi: options.credentials });
	additionalData.executionId = executionId;
	additionalData.hooks = new ExecutionLifecycleHooks('manual', executionId, mock());
	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: workflow.getNode('Source')! });
	const error = run.data.resultData.error as OttuRunResult['error'];
	const items = run.data.resultData.runData.Ottu?.[0]?.data?.main?.[0] ?? [];
	return { items, error, run };
}

/**
 * Switches n8n's binary data to filesystem mode in `directory`, as a self-hosted n8n runs by default:
 * prepareBinaryData then streams files to disk instead of keeping them in memory as base64. Uses
 * n8n-core's own BinaryDataService, registered in the container n8n-core's helpers read it from.
 */
export async function useFilesystemBinaryData(directory: string): Promise<BinaryDataService> {
	const config = { mode: 'filesystem', availableModes: ['filesystem'], localStoragePath: directory, signingSecret: 'test-signing-secret', dbMaxFileSize: 512 };
	const service = new BinaryDataService(config as unknown as BinaryDataConfig, mock<ErrorReporter>(), mock<Logger>());
	await service.init();
	Container.set(BinaryDataService, service);
	return service;
}
