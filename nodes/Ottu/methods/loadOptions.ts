import type { IDataObject, ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

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
	// n8n 2.41's editor can ask for this list the moment a new node's panel opens, before it has selected the
	// credential, and then skips the reload that selecting it triggers (that request is still in flight). An error
	// would only show "Error fetching options"; this entry, shown in the open dropdown, says how to get the list.
	if (!this.getNode().credentials?.[CREDENTIAL_TYPE]) {
		return [
			{
				name: "Choose Refresh List in This Field's ⋮ Menu to Load the Gateways",
				value: '',
				disabled: true,
				description:
					'The editor asked for them before the Ottu credential was selected. The ⋮ menu is next to Fixed / Expression.',
			},
		];
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
