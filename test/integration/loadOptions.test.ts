import { LoadOptionsContext } from 'n8n-core';
import type { INode, INodeParameters } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { getGateways } from '../../nodes/Ottu/methods/loadOptions';
import type { Sandbox } from '../../sandbox/server';
import { Ottu } from '../../nodes/Ottu/Ottu.node';
import { unknownParameters } from '../helpers/knownParameters';
import { additionalDataFor, nodeTypesWith } from '../helpers/n8n';
import { apiKeyCredentials, requestLog, resetSandbox, startSandbox } from '../helpers/sandbox';

/** Runs the gateway dropdown loader through n8n-core's real LoadOptionsContext, as the editor does. */
async function loadGateways(
	sandbox: Sandbox,
	parameters: INodeParameters,
	credentials = apiKeyCredentials(sandbox),
	credentialSelected = true,
) {
	expect(unknownParameters(new Ottu().description.properties, parameters)).toEqual([]);
	const node: INode = {
		id: 'ottu-1',
		name: 'Ottu',
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		position: [0, 0],
		parameters,
		...(credentialSelected
			? { credentials: { ottuApi: { id: 'cred-1', name: 'Ottu Sandbox' } } }
			: {}),
	};
	const workflow = new Workflow({
		id: 'wf-lo',
		name: 'load options',
		active: false,
		nodeTypes: nodeTypesWith(),
		nodes: [node],
		connections: {},
	});
	const additionalData = additionalDataFor({ ottuApi: credentials });
	additionalData.currentNodeParameters = parameters;
	const ctx = new LoadOptionsContext(workflow, node, additionalData, 'parameters.pgCodes');
	return await getGateways.call(ctx);
}

describe('Gateways dropdown (loadOptions) against the sandbox', () => {
	let sandbox: Sandbox;
	beforeAll(async () => {
		sandbox = await startSandbox();
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(async () => {
		await resetSandbox(sandbox);
	});

	const base = { resource: 'paymentTransaction', operation: 'create', type: 'payment_request' };

	it('asked before the credential is selected (a node just added in the editor), says how to get the list', async () => {
		const options = await loadGateways(
			sandbox,
			{ ...base, currencyCode: 'KWD' },
			apiKeyCredentials(sandbox),
			false,
		);
		// One entry the user cannot pick, read in the open dropdown (n8n shows a failed list only as
		// "Error fetching options"), and no call to Ottu without a credential.
		expect(options).toEqual([
			{
				name: "Choose Refresh List in This Field's ⋮ Menu to Load the Gateways",
				value: '',
				disabled: true,
				description:
					'The editor asked for them before the Ottu credential was selected. The ⋮ menu is next to Fixed / Expression.',
			},
		]);
		expect(await requestLog(sandbox)).toEqual([]);
	});

	it('lists the gateways that accept the chosen currency', async () => {
		const sar = await loadGateways(sandbox, { ...base, currencyCode: 'SAR' });
		const codes = sar.map((o) => o.value);
		expect(codes).toContain('stcpay');
		expect(codes).not.toContain('knet-test');
		expect(sar.find((o) => o.value === 'stcpay')?.name).toBe('STC Pay (stcpay) - sandbox');
	});

	it('lists every gateway when the currency is an expression the editor cannot resolve yet', async () => {
		const options = await loadGateways(sandbox, {
			...base,
			currencyCode: '={{ $json.body.currency_code }}',
		});
		const codes = options.map((o) => o.value);
		expect(codes).toEqual(
			expect.arrayContaining(['knet-test', 'credit-card', 'stcpay', 'benefit']),
		);
	});

	it('explains a refused credential without revealing it', async () => {
		const error = await loadGateways(
			sandbox,
			{ ...base, currencyCode: 'KWD' },
			apiKeyCredentials(sandbox, { apiKey: 'wrong.key-123456' }),
		).then(
			() => undefined,
			(e: Error & { description?: string }) => e,
		);
		expect(error?.message).toBe('Ottu refused the request (HTTP 401): Invalid API key.');
		expect(JSON.stringify({ m: error?.message, d: error?.description })).not.toContain(
			'wrong.key-123456',
		);
		expect((await requestLog(sandbox)).map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'POST /b/pbl/v2/payment-methods/ 401',
		]);
	});
});
