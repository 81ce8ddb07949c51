import { describeValue, OttuInputError } from './errors';
import { SESSION_ID, segmentText } from './pathSegment';
import { optionalText } from './validation';

/** How a payment transaction is pointed at: Ottu accepts its session_id or the merchant's order_no. */
export interface TransactionSelector {
	session_id?: string;
	order_no?: string;
}

const MAX_LENGTH = 128;

/** Both identifiers as given (each optional here; which one is required depends on Identify By). */
function readIdentifiers(
	sessionId: unknown,
	orderNo: unknown,
): [string | undefined, string | undefined] {
	const session = optionalText(
		sessionId,
		'Session ID',
		MAX_LENGTH,
		'Use the session_id from the Create output or from an Ottu webhook',
	);
	const order = optionalText(
		orderNo,
		'Order No',
		MAX_LENGTH,
		'Use the order_no you gave when creating the transaction',
	);
	return [session, order];
}

/**
 * The `session_id` or `order_no` body fields for operations, inquiry and notifications. Exactly one
 * is sent: a second, different identifier would let Ottu pick another transaction than the user meant.
 */
export function selectTransaction(
	identifyBy: unknown,
	sessionId: unknown,
	orderNo: unknown,
): TransactionSelector {
	if (identifyBy !== 'sessionId' && identifyBy !== 'orderNo') {
		throw new OttuInputError(
			'identifyBy',
			`Identify By must be "Session ID" or "Order No", got ${describeValue(identifyBy)}`,
			'Choose how the transaction is identified',
		);
	}
	const [session, order] = readIdentifiers(sessionId, orderNo);
	if (session !== undefined && order !== undefined) {
		throw new OttuInputError(
			identifyBy === 'sessionId' ? 'orderNo' : 'sessionId',
			`Both a Session ID ("${session}") and an Order No ("${order}") were given`,
			`Give only one: Identify By is set to ${identifyBy === 'sessionId' ? 'Session ID, so clear Order No' : 'Order No, so clear Session ID'}`,
		);
	}
	if (identifyBy === 'sessionId') {
		if (session === undefined) {
			throw new OttuInputError(
				'sessionId',
				`Session ID is required, got ${describeValue(sessionId)}`,
				'Use the session_id from the Create output or an Ottu webhook, or set Identify By to Order No',
			);
		}
		return { session_id: segmentText(session, 'Session ID', SESSION_ID) };
	}
	if (order === undefined) {
		throw new OttuInputError(
			'orderNo',
			`Order No is required, got ${describeValue(orderNo)}`,
			'Use the order_no you gave when creating the transaction, or set Identify By to Session ID',
		);
	}
	return { order_no: order };
}
