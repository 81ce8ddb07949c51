import { getCurrencies, getGateways } from './loadOptions';

export const loadOptions = {
	getGateways,
	getCurrencies,
};
