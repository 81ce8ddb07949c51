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

/** Standard scheme: the documentation example. */
export const DOC_STANDARD_VECTOR: SignatureVector = {
	key: 'pu9MpX3yPR',
	payload: {
		amount: '86.000',
		currency_code: 'KWD',
		customer_first_name: 'example-customer',
	},
	message: 'amount86.000currency_codeKWDcustomer_first_nameexample-customer',
	signature: '6143b8ad4bd283540721ab000f6de746e722231aaaa90bc38f639081d3ff9f67',
};

/** Extended scheme (ottu-py: subscription scheme): empty state skipped, nested token.token signed. */
export const SDK_EXTENDED_VECTOR: SignatureVector = {
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

/** Standard scheme, SDK fixture: customer_id and session_id are not signed; order by key name. */
export const SDK_STANDARD_VECTOR: SignatureVector = {
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
