import { NodeApiError } from 'n8n-workflow';

import { networkCode } from '../../nodes/Ottu/transport/attempt';

describe('networkCode: a connection failure as n8n 1.x reports it', () => {
	const node = {
		id: 'n',
		name: 'Ottu',
		type: 'n8n-nodes-ottu.ottu',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};

	// n8n 1.x's request helper throws its own words for the code, with no code or cause left on the error.
	it.each([
		[
			'The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.',
			'ECONNRESET',
		],
		['The service refused the connection - perhaps it is offline', 'ECONNREFUSED'],
		['The connection was aborted, perhaps the server is offline', 'ECONNABORTED'],
		['The DNS server returned an error, perhaps the server is offline', 'EAI_AGAIN'],
	])('finds the code in "%s"', (message, code) => {
		expect(networkCode(new NodeApiError(node, { message }, { message }))).toBe(code);
		expect(networkCode(new Error(message))).toBe(code);
	});

	it('finds none in an error that is not about the connection', () => {
		expect(
			networkCode(new Error('The resource you are requesting could not be found')),
		).toBeUndefined();
		expect(
			networkCode(new Error('Ottu answered: the connection to the server was closed')),
		).toBeUndefined();
	});
});
