import type { INodePropertyOptions } from 'n8n-workflow';

import { currencyOptions } from '../helpers/currencies';

export async function getCurrencies(): Promise<INodePropertyOptions[]> {
	return currencyOptions();
}
