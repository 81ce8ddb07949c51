import type { INodeProperties } from 'n8n-workflow';

import { describeValue, OttuInputError } from '../../helpers/errors';

export const cardCustomerProperties = (): INodeProperties[] => [
	{
		displayName: 'Customer ID',
		name: 'customerId',
		type: 'string',
		default: '',
		required: true,
		description:
			'The customer_id the cards were saved under (given when the payment transaction was created)',
	},
	{
		displayName: 'Environment',
		name: 'environment',
		type: 'options',
		options: [
			{
				name: 'Production',
				value: 'production',
				description: 'Real cards saved on live gateways',
			},
			{
				name: 'Sandbox',
				value: 'sandbox',
				description: 'Test cards saved on sandbox gateways',
			},
		],
		default: 'production',
		description:
			'Ottu keeps cards saved on test (sandbox) gateways apart from live ones. Production lists live cards only: while testing with sandbox gateways, choose Sandbox.',
	},
];

export function cardEnvironment(value: unknown): 'sandbox' | 'production' {
	if (value === 'sandbox' || value === 'production') return value;
	throw new OttuInputError(
		'environment',
		`Environment must be sandbox or production, got ${describeValue(value)}`,
		'Choose Sandbox or Production',
	);
}
