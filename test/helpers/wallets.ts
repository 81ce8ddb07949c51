/** Wallet payloads as the customer's device hands them over, for the native payment tests. */

/** An Apple Pay token (PKPaymentToken); `data` is the encrypted payment data. */
export const applePayToken = (data = 'encrypted-apple-pay-data') => ({
	paymentData: {
		version: 'EC_v1',
		data,
		signature: 'c2lnbmF0dXJl',
		header: { ephemeralPublicKey: 'a2V5', publicKeyHash: 'aGFzaA==', transactionId: 'f00d' },
	},
	paymentMethod: { displayName: 'Visa 0008', network: 'Visa', type: 'debit' },
	transactionIdentifier: 'F00D',
});

/** Google Pay PaymentData; `token` is the gateway token. */
export const googlePayData = (token = 'google-pay-token') => ({
	apiVersion: 2,
	apiVersionMinor: 0,
	paymentMethodData: {
		type: 'CARD',
		description: 'Visa •••• 1111',
		info: { cardNetwork: 'VISA', cardDetails: '1111' },
		tokenizationData: { type: 'PAYMENT_GATEWAY', token },
	},
});
