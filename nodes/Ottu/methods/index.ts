import { getGateways } from './loadOptions';

export const loadOptions = {
	getGateways,
};
