import type { Gateway } from './gateways';
import { SandboxClock } from './clock';

export type ParentState =
	| 'created' | 'pending' | 'attempted' | 'authorized' | 'paid' | 'failed' | 'canceled' | 'expired'
	| 'invalided' | 'refunded' | 'cod';

export interface Transaction {
	session_id: string;
	order_no?: string;
	type: 'e_commerce' | 'payment_request';
	amount: string;
	currency_code: string;
	pg_codes: string[];
	state: ParentState;
	/** Every writable field as last accepted (create/PATCH/PUT), echoed in responses. */
	fields: Record<string, unknown>;
	created_at: number;
	updated_at: number;
	deleted?: 'soft' | 'hard';
	[key: string]: unknown;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	status: number;
	at: string;
}

/** All the sandbox remembers; `reset()` forgets it. */
export class SandboxStore {
	readonly clock = new SandboxClock();
	transactions = new Map<string, Transaction>();
	requests: RequestLogEntry[] = [];

	constructor(readonly gateways: Gateway[]) {}

	gateway(code: string): Gateway | undefined {
		return this.gateways.find((g) => g.code === code);
	}

	findByOrderNo(orderNo: string): Transaction | undefined {
		let found: Transaction | undefined;
		for (const txn of this.transactions.values()) if (txn.order_no === orderNo && !txn.deleted) found = txn;
		return found;
	}

	reset(): void {
		this.transactions.clear();
		this.requests = [];
		this.clock.reset();
	}
}
