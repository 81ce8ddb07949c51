import {
	buildCheckoutFields,
	checkNewCheckout,
	readExtra,
} from '../../nodes/Ottu/actions/checkoutFields';

describe('Additional Fields → Ottu checkout fields', () => {
	it('maps every kind of field to the names and shapes Ottu expects', () => {
		const body = buildCheckoutFields(
			{
				customerEmail: ' buyer@example.com ',
				customerBirthdate: '1990-04-05T00:00:00.000+03:00',
				dueDatetime: '2026-12-31T18:30:00.000Z',
				emailRecipients: 'a@example.com, b@example.com',
				emailNotifications: ['paid', 'created'],
				whatsappNotifications: [],
				billingAddress: { address: { line1: 'Block 1', city: 'Kuwait City', country: 'kw' } },
				shippingAddress: {
					address: {
						firstName: 'Sara',
						lastName: 'Ali',
						email: 's@example.com',
						phone: '+96599999999',
						line1: 'Street 2',
						city: 'Salmiya',
						country: 'KW',
					},
				},
				agreement: {
					agreement: {
						id: 'AG-1',
						type: 'unscheduled',
						frequency: 'irregular',
						cycleIntervalDays: 0,
						totalCycles: 0,
						maxAmountPerCycle: '50',
						extraParams: '{}',
					},
				},
				cardAcceptanceCriteria: {
					criteria: { minExpiryTime: 30, excludeBins: '411111, 555555' },
				},
				loyalty: { loyalty: { enabled: true, reference: 'L-1', metadata: '{"tier":"gold"}' } },
				initiatorId: 0,
				generateQrCode: true,
				language: 'ar',
				expirationTime: '00:30:00',
			},
			'KWD',
		);
		expect(body).toEqual({
			customer_email: 'buyer@example.com',
			customer_birthdate: '1990-04-05',
			due_datetime: '31/12/2026 18:30',
			email_recipients: ['a@example.com', 'b@example.com'],
			notifications: { email: ['paid', 'created'] },
			billing_address: { line1: 'Block 1', city: 'Kuwait City', country: 'KW' },
			shipping_address: {
				first_name: 'Sara',
				last_name: 'Ali',
				email: 's@example.com',
				phone: '+96599999999',
				line1: 'Street 2',
				city: 'Salmiya',
				country: 'KW',
			},
			agreement: {
				id: 'AG-1',
				type: 'unscheduled',
				frequency: 'irregular',
				max_amount_per_cycle: '50.000',
			},
			card_acceptance_criteria: { min_expiry_time: 30, exclude_bins: ['411111', '555555'] },
			loyalty: { enabled: true, reference: 'L-1', metadata: { tier: 'gold' } },
			generate_qr_code: true,
			language: 'ar',
			expiration_time: '00:30:00',
		});
	});

	it.each([
		[
			{ billingAddress: { address: { line1: 'x', city: 'y', country: 'Kuwait' } } },
			/Billing Address Country.*not a two-letter country code/,
		],
		[
			{ agreement: { agreement: { id: 'A', type: 'recurring', frequency: 'monthly' } } },
			/A recurring agreement needs amount_variability, expiry_date, cycle_interval_days, total_cycles/,
		],
		[
			{ customerPhone: '+9659999999999999' },
			/Customer Phone is 17 characters long; Ottu allows at most 16/,
		],
		[{ expirationTime: 'tomorrow' }, /Expiration Time "tomorrow" is not a duration/],
		[{ emailRecipients: 'a@example.com, nope' }, /Email Recipients contains "nope"/],
		[
			{ whatsappNotifications: ['refunded'] },
			/whatsapp notifications cannot be sent for "refunded"/,
		],
		[{ paymentInstrument: '{"payload": {}}' }, /needs an "instrument_type"/],
		[{ webhookUrl: 'ftp://x.example.com' }, /must start with https:\/\//],
	])('refuses %p', (fields, message) => {
		expect(() => buildCheckoutFields(fields, 'KWD')).toThrow(message);
	});

	it("checks Ottu's cross-field rules of a new checkout", () => {
		expect(() =>
			checkNewCheckout({ amount: '1.000', payment_type: 'auto_debit', customer_id: 'c' }),
		).toThrow('needs an Agreement');
		expect(() =>
			checkNewCheckout({ amount: '1.000', payment_type: 'auto_debit', agreement: { id: 'a' } }),
		).toThrow('needs a Customer ID');
		expect(() =>
			checkNewCheckout({ amount: '1.000', payment_type: 'save_card', customer_id: 'c' }),
		).toThrow('Amount must be 0');
		expect(() =>
			checkNewCheckout({ amount: '0.000', payment_type: 'save_card', customer_id: 'c' }),
		).not.toThrow();
		expect(() => checkNewCheckout({ amount: '1.000', agreement: { id: 'a' } })).toThrow(
			'only allowed with Payment Type Auto-Debit',
		);
		expect(() => checkNewCheckout({ amount: '1.000', notifications: { sms: ['paid'] } })).toThrow(
			'SMS Notifications need a Customer Phone',
		);
		expect(() =>
			checkNewCheckout({
				amount: '1.000',
				pg_codes: ['a', 'b'],
				payment_instrument: { instrument_type: 'token' },
			}),
		).toThrow('exactly one gateway');
	});
});

describe('extra as key-value pairs or JSON', () => {
	it('reads either form, and nothing when the mode is None', () => {
		expect(
			readExtra(
				'keyValue',
				{
					field: [
						{ key: 'ref', value: 'A-17' },
						{ key: '', value: '' },
					],
				},
				'{}',
			),
		).toEqual({ ref: 'A-17' });
		expect(readExtra('json', {}, '{"ref": "A-17", "n": 2}')).toEqual({ ref: 'A-17', n: 2 });
		expect(readExtra('json', {}, { ref: 'from-expression' })).toEqual({ ref: 'from-expression' });
		expect(readExtra('none', { field: [{ key: 'ref', value: 'x' }] }, '{"a":1}')).toBeUndefined();
	});

	it('refuses bad JSON, duplicate keys and values without keys', () => {
		expect(() => readExtra('json', {}, '{ref: 1}')).toThrow(/Extra \(JSON\) is not valid JSON/);
		expect(() => readExtra('json', {}, '[1]')).toThrow(
			'Extra (JSON) must be a JSON object, got a list',
		);
		expect(() =>
			readExtra(
				'keyValue',
				{
					field: [
						{ key: 'a', value: '1' },
						{ key: 'a', value: '2' },
					],
				},
				'',
			),
		).toThrow('the key "a" twice');
		expect(() => readExtra('keyValue', { field: [{ key: '', value: '1' }] }, '')).toThrow(
			'has a value but no key',
		);
	});
});
