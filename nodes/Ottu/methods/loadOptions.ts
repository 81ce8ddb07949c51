import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CREDENTIAL_TYPE, ottuApiRequest } from '../transport';

interface PaymentMethod {
	code?: string;
	name?: string;
	is_sandbox?: boolean;
	operation?: string;
	accepted_currencies?: string[];
	default_currency?: string;
}

/**
 * A sibling parameter's value, or undefined when it is an expression the editor cannot resolve yet
 * (e.g. `{{ $json.currency_code }}` before any input exists): the list then simply is not narrowed.
 */
function siblingValue(ctx: ILoadOptionsFunctions, name: string): unknown {
	let value: unknown;
	try {
		value = ctx.getCurrentNodeParameter(name);
	} catch {
		return undefined;
	}
	return typeof value === 'string' && value.startsWith('=') ? undefined : value;
}

/** The merchant's gateways (pg_codes) from the Payment Methods API, for the current type and currency. */
export async function getGateways(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	// n8n 2.41's editor asks for this list the moment a new node's panel opens, while it is still selecting the
	// credential, and skips asking again once it is selected: say how to get the list instead of a bare n8n error.
	if (!this.getNode().credentials?.[CREDENTIAL_TYPE]) {
		throw new NodeOperationError(
			this.getNode(),
			'The gateway list was requested before the Ottu credential was selected. Choose "Refresh List" in this field\'s menu, or close and reopen the node.',
		);
	}
	const body: IDataObject = { plugin: 'e_commerce' };
	const type = siblingValue(this, 'type');
	if (type === 'payment_request' || type === 'e_commerce') body.plugin = type;
	const currency = siblingValue(this, 'currencyCode');
	if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency)) body.currencies = [currency];

	const response = (await ottuApiRequest.call(this, {
		method: 'POST',
		path: '/b/pbl/v2/payment-methods/',
		body,
		retry: 'read',
	})) as { payment_methods?: PaymentMethod[] };

	return (response.payment_methods ?? [])
		.filter((m) => typeof m.code === 'string')
		.map((m) => ({
			name: `${m.name ?? m.code} (${m.code})${m.is_sandbox ? ' - sandbox' : ''}`,
			value: m.code as string,
			description: [
				m.operation === 'authorize' ? 'Authorize, then capture' : 'Purchase',
				m.accepted_currencies?.length
					? `currencies: ${m.accepted_currencies.join(', ')}`
					: undefined,
			]
				.filter(Boolean)
				.join('; '),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export { getCurrencies } from './currencies';
