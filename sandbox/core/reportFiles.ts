import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';

import { isLoopbackHost } from '../http/guards';
import type { Report } from './store';

/**
 * Report files: seeding them, and their CSV content, generated on the fly in fixed-size chunks with
 * backpressure, so a gigabyte report streams with flat memory; and the S3-like storage origin some
 * are served from.
 */

export interface ReportSeed {
	report_name?: string;
	size_bytes?: number;
	interval?: Report['interval'];
	source?: Report['source'];
	status?: Report['status'];
	/** How many reports like this (default 1). */
	count?: number;
	/** Created this many days before now (sandbox clock; default 0). */
	days_ago?: number;
	/** `s3`: the download answers 302 to a pre-signed link on a separate storage origin (set-up route only). */
	storage?: 'local' | 's3';
	/** false: the download declares no Content-Length (the file is generated as it streams). */
	content_length?: boolean;
}

export const DEFAULT_REPORTS: ReportSeed[] = [
	{
		report_name: 'Daily transactions',
		interval: 'daily',
		source: 'auto',
		size_bytes: 64 * 1024,
		days_ago: 1,
	},
	{
		report_name: 'Weekly settlements',
		interval: 'weekly',
		source: 'auto',
		size_bytes: 256 * 1024,
		days_ago: 3,
	},
	{
		report_name: 'Refunds (manual export)',
		interval: 'monthly',
		source: 'manual',
		size_bytes: 16 * 1024,
		days_ago: 10,
	},
];

const DAY = 86_400_000;
export const CSV_HEADER =
	'session_id,order_no,state,amount,currency_code,pg_code,created_at,note\n';
const ROW_BYTES = 128;
/** The smallest report file: the header and one row. */
export const MIN_REPORT_BYTES = CSV_HEADER.length + ROW_BYTES;

/** Builds reports from seeds; the i-th of a batch is i seconds older, so the order is stable. */
export function seedReports(seeds: ReportSeed[], now: number): Report[] {
	const reports: Report[] = [];
	for (const seed of seeds) {
		const count = seed.count ?? 1;
		for (let i = 0; i < count; i++) {
			const created = now - (seed.days_ago ?? 0) * DAY - i * 1000 - 1000;
			reports.push({
				encrypted_id: randomBytes(18).toString('base64url'),
				report_name:
					count > 1
						? `${seed.report_name ?? 'Transactions report'} #${i + 1}`
						: (seed.report_name ?? 'Transactions report'),
				interval: seed.interval ?? 'daily',
				source: seed.source ?? 'auto',
				file_format: 'csv',
				status: seed.status ?? 'finished',
				size_bytes: Math.max(MIN_REPORT_BYTES, seed.size_bytes ?? 64 * 1024),
				created_at: created,
				generated_at: created + 500,
				...(seed.content_length === false ? { unsized: true } : {}),
			});
		}
	}
	return reports.sort((a, b) => b.created_at - a.created_at);
}

/** Rows in a report of this size: the header, then fixed-width rows; the first row absorbs the remainder. */
export function recordsAmount(sizeBytes: number): number {
	return Math.floor((sizeBytes - CSV_HEADER.length) / ROW_BYTES);
}

const SID_AT = 0; // 40 chars: "5b" + 38 hex digits of the row index
const ORD_AT = 45; // after "<sid>,ORD-": 10 decimal digits
const AMOUNT_AT = 61; // after ",paid,": "NN.NNN"
const ROW_TEMPLATE = (() => {
	const base = `5b${'0'.repeat(38)},ORD-${'0'.repeat(10)},paid,10.000,KWD,credit-card,2026-01-01 00:00:00,`;
	return Buffer.from(`${base}${'x'.repeat(ROW_BYTES - 1 - base.length)}\n`, 'latin1');
})();
const HEX = Buffer.from('0123456789abcdef', 'latin1');
const ROWS_PER_CHUNK = 512;

/**
 * Writes `value` right-aligned into `width` digits of base `radix` (the template holds zeros). Plain integer
 * arithmetic, no global lookups: under a vm context (jest) every `Math.*` in this loop costs ~100× more.
 */
function digits(buf: Buffer, at: number, width: number, value: number, radix: number): void {
	let v = value;
	for (let i = at + width - 1; i >= at && v > 0; i--) {
		const d = v % radix;
		buf[i] = HEX[d];
		v = (v - d) / radix;
	}
}

/** Row `index`, 128 bytes: copy the template, then stamp the index-derived fields in place. */
function writeRow(buf: Buffer, offset: number, index: number): void {
	ROW_TEMPLATE.copy(buf, offset);
	digits(buf, offset + SID_AT + 2, 38, index, 16);
	digits(buf, offset + ORD_AT, 10, index, 10);
	const mils = 10_000 + (index % 90_000);
	const frac = mils % 1000;
	digits(buf, offset + AMOUNT_AT, 2, (mils - frac) / 1000, 10);
	digits(buf, offset + AMOUNT_AT + 3, 3, frac, 10);
}

/** The CSV file, produced chunk by chunk as the client reads: exactly `sizeBytes` bytes. */
export class CsvReportStream extends Readable {
	private next = 0;
	private readonly rows: number;
	private readonly remainder: number;
	private headerSent = false;

	constructor(sizeBytes: number) {
		super({ highWaterMark: ROWS_PER_CHUNK * ROW_BYTES });
		this.rows = recordsAmount(sizeBytes);
		this.remainder = sizeBytes - CSV_HEADER.length - this.rows * ROW_BYTES;
	}

	override _read(): void {
		let more = true;
		while (more) {
			if (!this.headerSent) {
				this.headerSent = true;
				more = this.push(Buffer.from(CSV_HEADER, 'latin1'));
				continue;
			}
			if (this.next >= this.rows) {
				this.push(null);
				return;
			}
			const end = Math.min(this.rows, this.next + ROWS_PER_CHUNK);
			// The first row's note absorbs the bytes that do not make a whole row.
			const extra = this.next === 0 ? this.remainder : 0;
			const chunk = Buffer.allocUnsafe((end - this.next) * ROW_BYTES + extra);
			let off = 0;
			if (extra > 0) {
				writeRow(chunk, 0, this.next);
				chunk.fill(0x78, ROW_BYTES - 1, ROW_BYTES - 1 + extra);
				chunk[ROW_BYTES - 1 + extra] = 0x0a;
				off = ROW_BYTES + extra;
				this.next += 1;
			}
			for (let i = this.next; i < end; i++, off += ROW_BYTES) writeRow(chunk, off, i);
			this.next = end;
			more = this.push(chunk);
		}
	}
}

/** What reached the storage origin, for tests: never the credential. */
export interface StorageRequest {
	method: string;
	path: string;
	signed: boolean;
	authorization: boolean;
	status: number;
}

const PRESIGN_SECONDS = 300;

/**
 * The object storage Ottu serves report files from when it uses S3 (ottu-api §2.12: the download answers
 * 302 to a pre-signed S3 URL). A second listener on another port of 127.0.0.1, so another origin. As S3
 * does, it accepts a pre-signed query alone and answers 400 to a request that also carries an
 * Authorization header ("only one auth mechanism allowed"); the S3 behaviour is an **assumption** here.
 */
export class ReportStorage {
	private server?: Promise<{ server: Server; url: string }>;
	private readonly secret = randomBytes(32);
	readonly requests: StorageRequest[] = [];
	/**
	 * Reports whose file is kept here (seeded with storage "s3"): their download answers 302 to a
	 * link.
	 */
	readonly reports = new Set<string>();

	constructor(private readonly now: () => number) {}

	private sign(key: string, expires: number): string {
		return createHmac('sha256', this.secret).update(`${key}\n${expires}`).digest('hex');
	}

	private started(): Promise<{ server: Server; url: string }> {
		this.server ??= new Promise((resolve, reject) => {
			const server = createServer((req, res) => this.serve(req, res));
			server.once('error', reject);
			server.listen(0, '127.0.0.1', () =>
				resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
			);
		});
		return this.server;
	}

	/** A link to the file of `report` that works for PRESIGN_SECONDS without any credential. */
	async presign(report: Report, filename: string): Promise<string> {
		const { url } = await this.started();
		const key = `reports/${report.encrypted_id}/${encodeURIComponent(filename)}`;
		const expires = Math.floor(this.now() / 1000) + PRESIGN_SECONDS;
		this.files.set(key, report);
		return `${url}/${key}?X-Amz-Expires=${PRESIGN_SECONDS}&X-Amz-Date=${expires}&X-Amz-Signature=${this.sign(key, expires)}`;
	}

	private readonly files = new Map<string, Report>();

	private serve(req: IncomingMessage, res: ServerResponse): void {
		const url = new URL(req.url ?? '/', 'http://storage');
		const key = url.pathname.slice(1);
		const signature = url.searchParams.get('X-Amz-Signature') ?? '';
		const expires = Number(url.searchParams.get('X-Amz-Date'));
		const expected = Buffer.from(this.sign(key, expires));
		const signed =
			signature.length === expected.length && timingSafeEqual(Buffer.from(signature), expected);
		const answer = (status: number, code: string, message: string) => {
			this.log(req, url, signed, status);
			res
				.writeHead(status, { 'Content-Type': 'application/xml' })
				.end(
					`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
				);
		};
		// Like every sandbox route: a page reaching 127.0.0.1 through DNS rebinding gets nothing.
		if (!isLoopbackHost(req.headers.host))
			return answer(403, 'AccessDenied', 'Only requests addressed to 127.0.0.1 are served.');
		if (req.headers.authorization !== undefined)
			return answer(400, 'InvalidArgument', 'Only one auth mechanism allowed');
		if (!signed)
			return answer(
				403,
				'SignatureDoesNotMatch',
				'The request signature we calculated does not match the signature you provided.',
			);
		if (expires * 1000 < this.now()) return answer(403, 'AccessDenied', 'Request has expired');
		const report = this.files.get(key);
		if (!report || req.method !== 'GET')
			return answer(404, 'NoSuchKey', 'The specified key does not exist.');
		this.log(req, url, signed, 200);
		res.writeHead(200, {
			'Content-Type': 'text/csv; charset=utf-8',
			'Content-Disposition': `attachment; filename="${decodeURIComponent(key.slice(key.lastIndexOf('/') + 1))}"`,
			'Content-Length': String(report.size_bytes),
		});
		new CsvReportStream(report.size_bytes).pipe(res);
	}

	private log(req: IncomingMessage, url: URL, signed: boolean, status: number): void {
		if (this.requests.length >= 1000) this.requests.splice(0, 500);
		this.requests.push({
			method: req.method ?? '',
			path: url.pathname,
			signed,
			authorization: req.headers.authorization !== undefined,
			status,
		});
	}

	async close(): Promise<void> {
		if (!this.server) return;
		const { server } = await this.server;
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
