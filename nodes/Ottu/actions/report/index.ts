import { defineResource } from '../types';
import * as download from './download.operation';
import * as getAll from './getAll.operation';

export const report = defineResource(
	{
		name: 'Report',
		value: 'report',
		description: 'Transaction report files',
	},
	'getAll',
	[download, getAll],
);
