/**
 * Ottu's published webhook signature vectors (the documentation example and the ottu-py SDK's golden
 * vectors), one copy for the sandbox's signer tests and the node's verifier tests.
 */
export interface SignatureVector {
	/** The merchant's webhook HMAC key. */
	key: string;
	/** The webhook body, without its signature. */
	payload: Record<string, unknown>;
	/** The text that is signed. */
	message: string;
	/** HMAC-SHA256 of the message, lowercase hex. */
	signature: string;
}

/** Previous scheme: the documentation example of the page's earlier version. */
export const DOC_PREVIOUS_VECTOR: SignatureVector = {
	key: 'pu9MpX3yPR',
	payload: {
		amount: '86.000',
		currency_code: 'KWD',
		customer_first_name: 'example-customer',
	},
	message: 'amount86.000currency_codeKWDcustomer_first_nameexample-customer',
	signature: '6143b8ad4bd283540721ab000f6de746e722231aaaa90bc38f639081d3ff9f67',
};

/** Current scheme, ottu-py's golden vector: empty state skipped, nested token.token signed. */
export const SDK_CURRENT_VECTOR: SignatureVector = {
	key: 'test-key',
	payload: {
		amount: '100.000',
		result: 'success',
		session_id: 'sess-1',
		token: { token: 'tok-1', brand: 'VISA' },
		state: '',
	},
	message: 'amount=100.000\nresult=success\nsession_id=sess-1\ntoken.token=tok-1',
	signature: '46ba93a62680c8750567583bb8074e37ccaadc6f374268b78a0c574c8424baff',
};

/** Previous scheme, SDK fixture: customer_id and session_id are not signed; order by key name. */
export const SDK_PREVIOUS_VECTOR: SignatureVector = {
	key: 'test-key',
	payload: {
		amount: '50.000',
		currency_code: 'KWD',
		gateway_name: 'knet',
		gateway_account: 'default',
		order_no: 'ord-1',
		reference_number: 'ref-1',
		result: 'success',
		state: 'paid',
		customer_id: 'cust-top',
		session_id: 'sess-1',
	},
	message:
		'amount50.000currency_codeKWDgateway_accountdefaultgateway_nameknetorder_noord-1reference_numberref-1resultsuccessstatepaid',
	signature: '5768ccbefbfc7a3872827d727567b75e6b3ce2cc24c64509dab2d09596def8c9',
};

/**
 * Current scheme: the example of Ottu's "Verify Signatures" page (customer_last_name "" skipped,
 * token.brand and token.number unsigned, nested agreement, extra and token paths signed).
 */
export const DOC_CURRENT_VECTOR: SignatureVector = {
	key: 'pu9MpX3yPR',
	payload: {
		amount: '49.990',
		currency_code: 'KWD',
		customer_email: 'customer@example.com',
		customer_first_name: 'Jane',
		customer_last_name: '',
		gateway_account: 'credit-card',
		gateway_name: 'mpgs',
		order_no: 'ORD-1001',
		payment_type: 'auto_pay',
		reference_number: 'betabulkAQ5DJ',
		result: 'success',
		session_id: 'a12f71075a834a34d692736ac43a212fcebfb6ec',
		state: 'paid',
		agreement: { id: 'AGR-abc123' },
		extra: {
			merchant_id: 'merchant.ottu.net',
			autopay: { subscription_id: 'sub_abc123' },
		},
		token: {
			token: '9491500736137502',
			pg_code: 'credit-card',
			customer_id: 'cust_12345',
			brand: 'MASTERCARD',
			number: '**** 0008',
		},
	},
	message: [
		'agreement.id=AGR-abc123',
		'amount=49.990',
		'currency_code=KWD',
		'customer_email=customer@example.com',
		'customer_first_name=Jane',
		'extra.autopay.subscription_id=sub_abc123',
		'extra.merchant_id=merchant.ottu.net',
		'gateway_account=credit-card',
		'gateway_name=mpgs',
		'order_no=ORD-1001',
		'payment_type=auto_pay',
		'reference_number=betabulkAQ5DJ',
		'result=success',
		'session_id=a12f71075a834a34d692736ac43a212fcebfb6ec',
		'state=paid',
		'token.customer_id=cust_12345',
		'token.pg_code=credit-card',
		'token.token=9491500736137502',
	].join('\n'),
	signature: '4ea44c61554e6b64feeb82e6bfc724dc1c46bf183596f5375f5cb12cca14b7ef',
};
