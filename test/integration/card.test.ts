import { apiRequests, seedCard, useSandbox } from './support';

describe('Card through the real n8n engine and the sandbox', () => {
	const harness = useSandbox();

	const run = harness.runner({ resource: 'card' });

	it("lists a customer's saved cards of one environment, one item per card", async () => {
		const a = await seedCard(harness.sandbox, {
			customer_id: 'cust-1',
			pg_code: 'credit-card',
			number: '**** 0008',
		});
		const b = await seedCard(harness.sandbox, {
			customer_id: 'cust-1',
			pg_code: 'stcpay',
			is_preferred: true,
		});
		await seedCard(harness.sandbox, { customer_id: 'someone-else', pg_code: 'credit-card' });
		await seedCard(harness.sandbox, { customer_id: 'cust-1', pg_code: 'knet' });
		const { items, error } = await run({
			operation: 'getAll',
			customerId: 'cust-1',
			environment: 'sandbox',
			returnAll: true,
		});
		expect(error).toBeUndefined();
		expect(items.map((i) => i.json.token).sort()).toEqual([a.token, b.token].sort());
		expect(items[0].json.token).toBe(b.token);
		const filtered = await run({
			operation: 'getAll',
			customerId: 'cust-1',
			environment: 'sandbox',
			returnAll: true,
			filters: { pgCodes: ['credit-card'] },
		});
		expect(filtered.items.map((i) => i.json.number)).toEqual(['**** 0008']);
		const live = await run({
			operation: 'getAll',
			customerId: 'cust-1',
			environment: 'production',
			returnAll: false,
			limit: 50,
		});
		expect(live.items.map((i) => i.json.pg_code)).toEqual(['knet']);
	});

	it('when no card is listed, the output says the other Environment may hold them', async () => {
		await seedCard(harness.sandbox, { customer_id: 'cust-9', pg_code: 'credit-card' });
		const { items, run: result } = await run({
			operation: 'getAll',
			customerId: 'cust-9',
			environment: 'production',
			returnAll: true,
		});
		expect(items).toEqual([]);
		expect(result.data.resultData.runData.Ottu[0].hints).toEqual([
			{
				message:
					'No production cards for this customer. Cards saved on sandbox gateways are listed with Environment: Sandbox.',
				location: 'outputPane',
			},
		]);
	});

	it('finds the card of an agreement and honours Limit', async () => {
		await seedCard(harness.sandbox, { customer_id: 'cust-2', pg_code: 'credit-card' });
		const linked = await seedCard(harness.sandbox, {
			customer_id: 'cust-2',
			pg_code: 'credit-card',
			agreements: ['AG-7'],
		});
		const byAgreement = await run({
			operation: 'getAll',
			customerId: 'cust-2',
			environment: 'sandbox',
			returnAll: true,
			filters: { agreementId: 'AG-7' },
		});
		expect(byAgreement.items.map((i) => i.json.token)).toEqual([linked.token]);
		const limited = await run({
			operation: 'getAll',
			customerId: 'cust-2',
			environment: 'sandbox',
			returnAll: false,
			limit: 1,
		});
		expect(limited.items).toHaveLength(1);
	});

	it('deletes a card and says so; a card locked to an agreement is refused readably', async () => {
		const free = await seedCard(harness.sandbox, { customer_id: 'cust-3', pg_code: 'credit-card' });
		const locked = await seedCard(harness.sandbox, {
			customer_id: 'cust-3',
			pg_code: 'credit-card',
			agreements: ['AG-1'],
		});
		const { items, error } = await run({
			operation: 'delete',
			token: free.token,
			customerId: 'cust-3',
			environment: 'sandbox',
		});
		expect(error).toBeUndefined();
		expect(items[0].json).toEqual({ deleted: true, token: free.token });
		const refused = await run({
			operation: 'delete',
			token: locked.token,
			customerId: 'cust-3',
			environment: 'sandbox',
		});
		expect(refused.error?.message).toMatch(
			/^Ottu refused the request \(HTTP 400\): This card is linked to the active auto-debit agreement\(s\) AG-1.* \[item 0\]$/,
		);
		const left = await run({
			operation: 'getAll',
			customerId: 'cust-3',
			environment: 'sandbox',
			returnAll: true,
		});
		expect(left.items.map((i) => i.json.token)).toEqual([locked.token]);
	});

	it('stops a missing customer before sending, and gives error items with Continue On Fail', async () => {
		const { error } = await run(
			{
				operation: 'getAll',
				customerId: '={{ $json.customer }}',
				environment: 'sandbox',
				returnAll: true,
			},
			{ items: [{ customer: '' }] },
		);
		expect(error?.message).toBe('Customer ID is required, got an empty value [item 0]');
		expect(await apiRequests(harness.sandbox)).toEqual([]);
		const card = await seedCard(harness.sandbox, { customer_id: 'cust-4', pg_code: 'credit-card' });
		const many = await run(
			{
				operation: 'delete',
				token: '={{ $json.token }}',
				customerId: 'cust-4',
				environment: 'sandbox',
			},
			{ items: [{ token: 'no-such-token' }, { token: card.token }], continueOnFail: true },
		);
		expect(many.items.map((i) => i.json)).toEqual([
			{
				error: 'Ottu refused the request (HTTP 404): Not found. [item 0]',
				message:
					'Ottu has no such record. Check the identifier (session_id, order_no, card token or report token) and that the credential points at the right Ottu instance.',
			},
			{ deleted: true, token: card.token },
		]);
		expect(many.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});
});
