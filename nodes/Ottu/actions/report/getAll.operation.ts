import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { OttuInputError } from '../../helpers/errors';
import { REPORT_KIND_FILTERS } from '../../helpers/reports';
import { compact, optionalDate } from '../../helpers/validation';
import { ottuApiRequestAllItems } from '../../transport';
import { returnAllProperties, toItems } from '../common';
import type { OperationOption } from '../types';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the finished transaction reports (name, period, format, download link)',
	action: 'Get many reports',
};

export const description: INodeProperties[] = [
	...returnAllProperties(),
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description:
			'Without a date filter Ottu lists the finished reports of the last 30 days, newest first',
		options: [
			{
				displayName: 'Created After',
				name: 'createdAfter',
				type: 'dateTime',
				default: '',
				description: 'Only reports created on or after this date',
			},
			{
				displayName: 'Created Before',
				name: 'createdBefore',
				type: 'dateTime',
				default: '',
				description: 'Only reports created on or before this date',
			},
			...REPORT_KIND_FILTERS,
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const qs: IDataObject = compact({
		created_after: optionalDate(filters.createdAfter, 'Created After'),
		created_before: optionalDate(filters.createdBefore, 'Created Before'),
		interval: filters.interval as string | undefined,
		source: filters.source as string | undefined,
	});
	if (
		qs.created_after &&
		qs.created_before &&
		(qs.created_before as string) < (qs.created_after as string)
	) {
		throw new OttuInputError(
			'createdBefore',
			`Created Before (${qs.created_before as string}) is earlier than Created After (${qs.created_after as string})`,
			'Swap the two dates',
		);
	}
	const reports = await ottuApiRequestAllItems.call(this, {
		path: '/b/api/v1/reports/files/',
		qs,
		limit,
		itemIndex,
	});
	return toItems(reports);
}
