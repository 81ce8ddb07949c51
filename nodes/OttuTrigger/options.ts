/** The trigger's options and the user-facing texts shared by its webhook and its activation checks. */
import type { IDataObject } from 'n8n-workflow';

export interface TriggerOptions {
	verifySignature: boolean;
	responseCode: number;
	ignoreRepeats: boolean;
	repeatWindowMinutes: number;
	operationResults: string[];
	/** Accept a genuine signature of Ottu's previous scheme (session_id, extra, token unsigned). */
	acceptPreviousScheme: boolean;
	/** The merchant ID expected in the signed extra.merchant_id; empty: the credential's Ottu host. */
	merchantId: string;
}

export function readOptions(raw: IDataObject): TriggerOptions {
	const code = Number(raw.responseCode ?? 200);
	const window = Number(raw.repeatWindowMinutes ?? 60);
	return {
		verifySignature: raw.verifySignature !== false,
		responseCode: code === 201 ? 201 : 200,
		ignoreRepeats: raw.ignoreRepeats !== false,
		repeatWindowMinutes: Number.isFinite(window) && window > 0 ? window : 60,
		operationResults: Array.isArray(raw.operationResults) ? (raw.operationResults as string[]) : [],
		acceptPreviousScheme: raw.acceptPreviousScheme === true,
		merchantId: typeof raw.merchantId === 'string' ? raw.merchantId.trim() : '',
	};
}

/** Where the HMAC key is, named as in the credential's own field description. */
export const KEY_LOCATION = 'Ottu dashboard → Webhook Config → General';

export const NO_KEY_MESSAGE = `The Ottu API credential has no Webhook HMAC Key: copy the HMAC key from ${KEY_LOCATION} into the credential's Webhook HMAC Key field, or turn off Verify Signature in this node's options (not recommended)`;

export const NO_KEY_DESCRIPTION = `Without the key no webhook can be verified, so every webhook would be answered 401. The key is Ottu's webhook HMAC key (not the API key), shown in ${KEY_LOCATION}.`;

/** Where the previous-scheme opt-in is, for the messages that mention it. */
export const PREVIOUS_SCHEME_LOCATION = "this node's Options → Accept Previous Signature Scheme";

/** Where the expected merchant is set, for the messages that mention it. */
export const MERCHANT_ID_LOCATION = "this node's Options → Merchant ID";
