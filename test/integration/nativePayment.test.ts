import { runOttu } from '../helpers/n8n';
import { apiKeyCredentials, sandboxClient } from '../helpers/sandbox';
import { applePayToken, googlePayData } from '../helpers/wallets';
import {
	addFault,
	apiRequests,
	createTransaction,
	ledger,
	pendingFaults,
	seedCard,
	useSandbox,
} from './support';

describe('Native Payment through the real n8n engine and the sandbox', () => {
	const harness = useSandbox();

	const run = harness.runner({ resource: 'nativePayment' });

	it('charges an Apple Pay token; a re-run reads the paid transaction and does not charge again', async () => {
		const txn = await createTransaction(harness.sandbox, {
			amount: '9.750',
			pg_codes: ['apple-pay', 'knet-test'],
		});
		const params = {
			operation: 'applePay',
			sessionId: txn.session_id,
			payload: '={{ $json.token }}',
		};
		const first = await run(params, { items: [{ token: applePayToken() }], executionId: 'ap-1' });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			session_id: txn.session_id,
			state: 'paid',
			result: 'success',
			tracking_key_source: 'automatic',
			signature_verified: true,
			signature_scheme: 'current',
		});
		expect(first.items[0].json.tracking_key).toMatch(/^n8n-[0-9a-f]{40}$/);
		// A re-run reads the transaction first: already paid, so it is not charged again.
		const again = await run(params, { items: [{ token: applePayToken() }], executionId: 'ap-2' });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({
			session_id: txn.session_id,
			state: 'paid',
			outcome_settled_by: 'lookup',
		});
		expect(again.items[0].json.outcome_note).toContain('Nothing was charged now.');
		expect((await ledger(harness.sandbox, txn.session_id as string)).attempts).toHaveLength(1);
		expect(
			(await apiRequests(harness.sandbox)).filter((r) => r === 'POST /b/pbl/v2/payment/apple-pay/'),
		).toHaveLength(1);
	});

	it('charges Google Pay, reports a 3-D Secure challenge as requires_3ds, and a decline as a failed result', async () => {
		const paid = await createTransaction(harness.sandbox, { pg_codes: ['google-pay'] });
		const ok = await run({
			operation: 'googlePay',
			sessionId: paid.session_id,
			payload: JSON.stringify(googlePayData()),
			pgCode: 'google-pay',
		});
		expect(ok.error).toBeUndefined();
		expect(ok.items[0].json).toMatchObject({
			state: 'paid',
			result: 'success',
			signature_verified: true,
		});

		const challenged = await createTransaction(harness.sandbox, { pg_codes: ['google-pay'] });
		const threeDs = await run({
			operation: 'googlePay',
			sessionId: challenged.session_id,
			payload: JSON.stringify(googlePayData('3DS')),
		});
		expect(threeDs.items[0].json).toMatchObject({
			status: '3DS',
			requires_3ds: true,
			method: 'redirect',
			// A challenge carries no payment result and no signature.
			signature_verified: false,
		});
		expect(threeDs.items[0].json.redirect_url).toContain(challenged.session_id as string);

		const declined = await createTransaction(harness.sandbox, { pg_codes: ['google-pay'] });
		const no = await run({
			operation: 'googlePay',
			sessionId: declined.session_id,
			payload: JSON.stringify(googlePayData('DECLINE')),
		});
		expect(no.error).toBeUndefined();
		expect(no.items[0].json).toMatchObject({ result: 'failed' });
		expect(no.items[0].json.state).not.toBe('paid');
	});

	it('charges a saved card under its agreement (auto-debit); a second run of the paid session is not charged again', async () => {
		const card = await seedCard(harness.sandbox, {
			customer_id: 'cust-ad',
			pg_code: 'credit-card',
			agreements: ['AG-AD'],
		});
		const txn = await createTransaction(harness.sandbox, {
			amount: '4.500',
			pg_codes: ['credit-card'],
			payment_type: 'auto_debit',
			customer_id: 'cust-ad',
			agreement: { id: 'AG-AD', type: 'unscheduled', frequency: 'irregular' },
		});
		const params = { operation: 'autoDebit', sessionId: txn.session_id, token: card.token };
		const first = await run(params);
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			state: 'paid',
			result: 'success',
			amount: '4.500',
			signature_verified: true,
		});
		const second = await run(params);
		expect(second.error).toBeUndefined();
		expect(second.items[0].json).toMatchObject({ state: 'paid', outcome_settled_by: 'lookup' });
		const book = await ledger(harness.sandbox, txn.session_id as string);
		expect(book.attempts).toHaveLength(1);
		expect(book.paid).toBe('4.500');
	});

	it("fails the item when the answer is not signed with the credential's key, saying the charge may have happened", async () => {
		const txn = await createTransaction(harness.sandbox, {
			amount: '3.000',
			pg_codes: ['credit-card'],
			customer_id: 'cust-sig',
		});
		const params = { operation: 'wallet', sessionId: txn.session_id };
		const credentials = { ...apiKeyCredentials(harness.sandbox), hmacSecret: 'not-this-ottu-key' };
		const out = await runOttu({
			parameters: { resource: 'nativePayment', ...params },
			credentials,
		});
		expect(out.error?.message).toBe(
			"Ottu's answer to this charge cannot be trusted: its signature does not match the credential's Webhook HMAC Key [item 0]",
		);
		expect(out.error?.description).toContain(
			`The charge may have happened: check it with Payment Transaction → Get (session_id ${String(txn.session_id)}) before charging again.`,
		);
		expect(`${out.error?.message} ${out.error?.description}`).not.toContain('not-this-ottu-key');
		// Ottu did charge: the item failed because its answer could not be trusted, not because nothing happened.
		expect((await ledger(harness.sandbox, txn.session_id)).paid).toBe('3.000');
	});

	it('without a Webhook HMAC Key in the credential, says the answer was not verified', async () => {
		const txn = await createTransaction(harness.sandbox, {
			amount: '3.000',
			pg_codes: ['credit-card'],
			customer_id: 'cust-sig',
		});
		const credentials = { ...apiKeyCredentials(harness.sandbox), hmacSecret: '' };
		const out = await runOttu({
			parameters: { resource: 'nativePayment', operation: 'wallet', sessionId: txn.session_id },
			credentials,
		});
		expect(out.error).toBeUndefined();
		expect(out.items[0].json).toMatchObject({ state: 'paid', signature_verified: false });
	});

	it('verifies an answer signed with the previous scheme by an Ottu that has not moved yet', async () => {
		await sandboxClient(harness.sandbox).setSigning({ scheme: 'previous' });
		const txn = await createTransaction(harness.sandbox, {
			amount: '3.000',
			pg_codes: ['credit-card'],
			customer_id: 'cust-sig',
		});
		const out = await run({ operation: 'wallet', sessionId: txn.session_id });
		expect(out.items[0].json).toMatchObject({
			signature_verified: true,
			signature_scheme: 'previous',
		});
	});

	it("surfaces Ottu's refusal of a card that belongs to another customer", async () => {
		const card = await seedCard(harness.sandbox, {
			customer_id: 'other',
			pg_code: 'credit-card',
			agreements: ['AG-X'],
		});
		const txn = await createTransaction(harness.sandbox, {
			pg_codes: ['credit-card'],
			payment_type: 'auto_debit',
			customer_id: 'me',
			agreement: { id: 'AG-X', type: 'unscheduled', frequency: 'irregular' },
		});
		const { error } = await run({
			operation: 'autoDebit',
			sessionId: txn.session_id,
			token: card.token,
		});
		expect(error?.message).toBe(
			'Ottu refused the request (HTTP 400): The card token does not belong to this customer_id. [item 0]',
		);
	});

	it('stops a wallet payload that is not one before anything is sent', async () => {
		const { error } = await run({
			operation: 'applePay',
			sessionId: 'abc',
			payload: '{"version": "EC_v1"}',
		});
		expect(error?.message).toBe(
			'Apple Pay Token (JSON) is missing paymentData, paymentMethod, transactionIdentifier [item 0]',
		);
		const google = await run({ operation: 'googlePay', sessionId: 'abc', payload: 'not json' });
		expect(google.error?.message).toMatch(/^Google Pay Payment Data \(JSON\) is not valid JSON/);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
	});

	it("charges the customer's wallet once; a second run reads the paid transaction and does not charge again", async () => {
		const txn = await createTransaction(harness.sandbox, {
			amount: '6.250',
			pg_codes: ['credit-card'],
			customer_id: 'cust-w',
		});
		const params = { operation: 'wallet', sessionId: txn.session_id };
		const first = await run(params, { executionId: 'w-1' });
		expect(first.error).toBeUndefined();
		expect(first.items[0].json).toMatchObject({
			session_id: txn.session_id,
			state: 'paid',
			result: 'success',
			amount: '6.250',
			tracking_key_source: 'automatic',
			signature_verified: true,
		});
		const again = await run(params, { executionId: 'w-2', continueOnFail: true });
		expect(again.error).toBeUndefined();
		expect(again.items[0].json).toMatchObject({
			session_id: txn.session_id,
			state: 'paid',
			outcome_settled_by: 'lookup',
		});
		expect(
			(await apiRequests(harness.sandbox)).filter((r) => r === 'POST /b/pbl/v2/payment/wallet/'),
		).toHaveLength(1);
		const book = await ledger(harness.sandbox, txn.session_id);
		expect(book.attempts).toHaveLength(1);
		expect(book.paid).toBe('6.250');
	});

	it('a wallet charge whose answer is lost after Ottu charged is sent once and settled by reading the transaction', async () => {
		const txn = await createTransaction(harness.sandbox, {
			pg_codes: ['credit-card'],
			customer_id: 'cust-w',
		});
		await addFault(harness.sandbox, {
			route: 'POST /b/pbl/v2/payment/wallet/',
			kind: 'drop_after_commit',
			count: 3,
		});
		const { items, error } = await run({ operation: 'wallet', sessionId: txn.session_id });
		expect(error).toBeUndefined();
		expect(items[0].json).toMatchObject({
			session_id: txn.session_id,
			state: 'paid',
			outcome_settled_by: 'lookup',
			tracking_key_source: 'automatic',
		});
		// One charge reached the sandbox (and was carried out): the two other lost answers are still waiting.
		expect((await pendingFaults(harness.sandbox))[0]?.remaining).toBe(2);
		expect((await ledger(harness.sandbox, txn.session_id)).attempts).toHaveLength(1);
		expect(await apiRequests(harness.sandbox)).toContain(
			`GET /b/checkout/v1/pymt-txn/${txn.session_id}/`,
		);
	});

	it('a wallet charge that failed with a 5xx before Ottu did anything: the read shows it unpaid, so it fails saying it may have gone through', async () => {
		const txn = await createTransaction(harness.sandbox, {
			pg_codes: ['credit-card'],
			customer_id: 'cust-w',
		});
		await addFault(harness.sandbox, {
			route: 'POST /b/pbl/v2/payment/wallet/',
			kind: 'status',
			status: 502,
			count: 1,
		});
		const { items, error } = await run({ operation: 'wallet', sessionId: txn.session_id });
		expect(items).toHaveLength(0);
		expect(error?.message).toMatch(/^Ottu refused the request \(HTTP 502\)/);
		expect(error?.description).toContain(
			`The charge may have gone through. Check with Payment Transaction → Get or Payment Status → Check (session_id ${txn.session_id}) before charging again.`,
		);
		expect((await ledger(harness.sandbox, txn.session_id)).attempts).toHaveLength(0);
	});

	it("stops a wallet charge with a bad session id or payload before anything is sent; surfaces Ottu's refusal without a customer", async () => {
		const bad = await run(
			{ operation: 'wallet', sessionId: '={{ $json.sid }}' },
			{ items: [{ sid: 'x/../refund' }], continueOnFail: true },
		);
		expect(bad.items[0].json.error).toBe(
			'Session ID "x/../refund" is not valid: Ottu expects only letters, digits, - and _ [item 0]',
		);
		expect(bad.items[0].json.message).toContain('Nothing was sent to Ottu');
		const payload = await run({ operation: 'wallet', sessionId: 'a'.repeat(40), payload: '[1]' });
		expect(payload.error?.message).toBe(
			'Wallet Payload (JSON) must be a JSON object, got a list [item 0]',
		);
		expect(await apiRequests(harness.sandbox)).toEqual([]);
		const anonymous = await createTransaction(harness.sandbox, { pg_codes: ['credit-card'] });
		const refused = await run({ operation: 'wallet', sessionId: anonymous.session_id });
		expect(refused.error?.message).toBe(
			'Ottu refused the request (HTTP 400): A wallet charge needs a payment transaction with a customer_id. [item 0]',
		);
	});
});
