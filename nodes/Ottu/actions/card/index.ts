import { defineResource } from '../types';
import * as deleteCard from './delete.operation';
import * as getAll from './getAll.operation';

export const card = defineResource(
	{
		name: 'Card',
		value: 'card',
		description: "A customer's saved cards (tokens)",
	},
	'getAll',
	[deleteCard, getAll],
);
