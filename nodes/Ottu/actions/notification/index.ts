import { defineResource } from '../types';
import * as resend from './resend.operation';
import * as sendTemplate from './sendTemplate.operation';

export const notification = defineResource(
	{
		name: 'Notification',
		value: 'notification',
		description: 'Payment messages to the customer',
	},
	'resend',
	[resend, sendTemplate],
);
