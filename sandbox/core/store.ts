import type { Gateway } from './gateways';
import { SandboxClock } from './clock';
import type { SignatureScheme } from './signature';
import type { Ledger, Outcome, ParentState } from './stateMachine';

export type { ParentState } from './stateMachine';

/** A payment transaction: what the merchant sent plus its ledger (state, money, attempts, children). */
export interface Transaction extends Ledger {
	session_id: string;
	order_no?: string;
	type: 'e_commerce' | 'payment_request';
	pg_codes: string[];
	state: ParentState;
	/** Every writable field as last accepted (create/PATCH/PUT), echoed in responses. */
	fields: Record<string, unknown>;
	created_at: number;
	updated_at: number;
	/** Successful inquiry times (sandbox clock), for Ottu's per-transaction throttling. */
	inquiries: number[];
	/** Token saved by a save_card / auto_debit payment, echoed in webhooks. */
	token?: string;
	/** Username of the Basic-auth user who created it (Ottu's `initiator`). */
	initiator?: string;
	/** An outcome the gateway knows but Ottu has not heard yet; the next inquiry picks it up. */
	pg_pending?: Outcome;
}

export interface RequestLogEntry {
	method: string;
	path: string;
	status: number;
	at: string;
}

export interface Card {
	token: string;
	customer_id: string;
	pg_code: string;
	pg_name: string;
	brand: string | null;
	number: string;
	name_on_card: string | null;
	expiry_month: string;
	expiry_year: string;
	cvv_required: boolean;
	is_preferred: boolean;
	is_sandbox: boolean;
	agreements: string[];
	created_at: number;
}

export interface AgreementRecord {
	agreement: Record<string, unknown>;
	customer_id: string;
	/** Amount of the customer-initiated payment (fixed agreements charge exactly this). */
	amount: string;
	/** Merchant-initiated charges made so far. */
	charges: number;
}

export interface Report {
	encrypted_id: string;
	report_name: string;
	interval: 'daily' | 'weekly' | 'monthly' | 'yearly';
	source: 'auto' | 'manual';
	file_format: 'csv';
	status: 'in_progress' | 'finished' | 'expired';
	size_bytes: number;
	created_at: number;
	generated_at: number;
	/** Served without Content-Length (seeded with `content_length: false`). */
	unsized?: boolean;
}

/** A report download as the sandbox served it (GET /__sandbox/reports/downloads). */
export interface ReportDownload {
	encrypted_id: string;
	size_bytes: number;
	/** Bytes of the file handed to the connection; less than size_bytes when the client stopped reading. */
	sent_bytes: number;
}

export interface ReportToken {
	token: string;
	report: string;
	user: string;
	expires_at: number;
}

export interface NotificationRecord {
	/** resend: a transaction's own notification; template: a template message to any address. */
	kind: 'resend' | 'template';
	session_id?: string;
	order_no?: string | null;
	channels: string[];
	state?: string;
	template_id?: string;
	to?: string;
	language?: string;
	context?: Record<string, unknown>;
	unit_config?: number;
	cc?: string[];
	bcc?: string[];
	subject?: string;
	/** Template email attachments as received (decoded size of base64 content). */
	attachments?: Array<{ filename?: string; content_type?: string; bytes?: number; url?: string }>;
	at: string;
}

export interface StoredAttachment {
	/** The relative storage path Ottu answers as file_url. */
	file_url: string;
	original_filename: string;
	content_type: string;
	data: Buffer;
	session_id?: string;
}

export interface WebhookAttempt {
	url: string;
	kind: 'payment' | 'operation';
	session_id: string;
	payload: Record<string, unknown>;
	/** HTTP status of the receiver's answer; null when it timed out or could not be reached. */
	status: number | null;
	error?: string;
	attempt: number;
	at: string;
}

export interface Fault {
	id: number;
	method: string;
	pattern: RegExp;
	route: string;
	kind:
		'latency' | 'status' | 'reset' | 'rate_limit' | 'drop_after_commit' | 'malformed' | 'slow_work';
	remaining: number | null;
	params: Record<string, unknown>;
}

/** The merchant's signing setting: the scheme, and a merchant ID other than the sandbox's host name. */
export interface SigningSetting {
	scheme: SignatureScheme;
	merchantId?: string;
}

/** All the sandbox remembers; `reset()` forgets it. */
export class SandboxStore {
	readonly clock = new SandboxClock();
	transactions = new Map<string, Transaction>();
	/** Child transactions by their own session_id → parent session_id. */
	children = new Map<string, string>();
	requests: RequestLogEntry[] = [];
	cards = new Map<string, Card>();
	reports: Report[] = [];
	reportTokens = new Map<string, ReportToken>();
	/** `${user}|${report}` → token, so listing again reuses a valid link. */
	reportTokenIndex = new Map<string, string>();
	reportDownloads: ReportDownload[] = [];
	notifications: NotificationRecord[] = [];
	/** Uploaded attachments by file_url. */
	attachments = new Map<string, StoredAttachment>();
	/** Short attachment links: code → file_url. */
	shortLinks = new Map<string, string>();
	webhooks: WebhookAttempt[] = [];
	faults: Fault[] = [];
	/** Tracking-Keys of operations initiated and not finished yet, as "<session_id> <key>". */
	keysInFlight = new Set<string>();
	/** Auto-debit agreements as first agreed (the customer-initiated payment), by agreement id. */
	agreements = new Map<string, AgreementRecord>();
	/** Bumped by reset(), so background work started before it (webhook retries) leaves no trace after it. */
	generation = 0;
	/** Rate-limit windows: key → hit times (sandbox clock, ms). */
	hits = new Map<string, number[]>();
	/** How this merchant's Ottu signs (control API): the current scheme unless set; merchant ID default the host. */
	signing: SigningSetting = { scheme: 'current' };

	constructor(
		readonly gateways: Gateway[],
		private readonly seedReports: (now: number) => Report[] = () => [],
	) {
		this.reports = this.seedReports(this.clock.now());
	}

	gateway(code: string): Gateway | undefined {
		return this.gateways.find((g) => g.code === code);
	}

	findByOrderNo(orderNo: string): Transaction | undefined {
		let found: Transaction | undefined;
		for (const txn of this.transactions.values())
			if (txn.order_no === orderNo && txn.deleted !== 'hard') found = txn;
		return found;
	}

	reset(): void {
		this.generation += 1;
		this.transactions.clear();
		this.children.clear();
		this.requests = [];
		this.cards.clear();
		this.reports = this.seedReports(this.clock.now());
		this.reportTokens.clear();
		this.reportTokenIndex.clear();
		this.reportDownloads = [];
		this.notifications = [];
		this.attachments.clear();
		this.shortLinks.clear();
		this.webhooks = [];
		this.faults = [];
		this.keysInFlight = new Set();
		this.hits.clear();
		this.agreements.clear();
		this.signing = { scheme: 'current' };
		this.clock.reset();
		this.reports = this.seedReports(this.clock.now());
	}
}
