import type { INodeProperties } from 'n8n-workflow';

import type { OttuResource } from '../types';
import * as download from './download.operation';
import * as getAll from './getAll.operation';

const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['report'] } },
	options: [
		{
			name: 'Download',
			value: 'download',
			description:
				'Download a report file (CSV or XLSX) as binary data. Ottu allows 25 downloads per hour.',
			action: 'Download a report',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			description: 'List the finished transaction reports (name, period, format, download link)',
			action: 'Get many reports',
		},
	],
	default: 'getAll',
};

export const report: OttuResource = {
	operationProperty,
	operations: {
		download,
		getAll,
	},
};
