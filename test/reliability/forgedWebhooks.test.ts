/**
 * Forged webhooks: well over a thousand generated mutations of genuinely signed Ottu payloads, each POSTed
 * over real HTTP to the Ottu Trigger running in n8n-core's WebhookContext. Every forgery must be answered
 * 401 without starting the workflow; every mutation that leaves Ottu's signed content unchanged (re-ordered
 * keys, formatting, JSON escapes, empty optional fields, upper-case signature hex) must be accepted and
 * start the workflow with exactly the payload sent.
 *
 * Whether a mutation is a forgery is decided by construction here, from Ottu's signing rules (which
 * fields, which text), not by asking the node's own signature module.
 */
import { createHmac } from 'crypto';

import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import type { TriggerListener } from '../helpers/webhook';
import {
	paidPayment,
	post,
	refundOperation,
	signed,
	SIGNED_FIELDS,
	startTriggerListener,
	triggerCredentials,
} from '../helpers/webhook';
import type { CapturedLogs } from './support';
import { captureLogs, Figures } from './support';

const KEY = 'hmac-forgery-7c1f0e9d8b6a';
const credentials = triggerCredentials(KEY);

type Scheme = 'previous' | 'current';
type Expected = 'forged' | 'genuine';

interface Mutation {
	base: string;
	category: string;
	body: string;
	expected: Expected;
	contentType?: string;
}

interface Base {
	name: string;
	payload: IDataObject;
	scheme: Scheme;
	/** Fields outside the signed set that Ottu sends; changing them is not a forgery. */
	unsigned: string[];
}

const BASES: Base[] = [
	{
		name: 'payment (current signature)',
		payload: paidPayment({
			customer_first_name: 'José',
			customer_address_city: 'Kuwait City',
			customer_address_country: 'KW',
			extra: { basket: 'B-7', merchant_id: '127.0.0.1' },
		}),
		scheme: 'current',
		unsigned: ['paid_amount', 'fee', 'timestamp_utc', 'is_sandbox'],
	},
	{
		name: 'refund operation (current signature)',
		payload: refundOperation(),
		scheme: 'current',
		unsigned: ['operation', 'timestamp_utc', 'source'],
	},
	{
		name: 'auto-debit payment (current signature)',
		payload: paidPayment({
			session_id: '5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f',
			payment_type: 'auto_debit',
			gateway_name: 'mpgs',
			gateway_account: 'credit-card',
			customer_first_name: 'فاطمة',
			agreement: { id: 'AGR-2026-17', frequency: 'monthly' },
			token: {
				customer_id: 'cust-17',
				pg_code: 'credit-card',
				token: '9922334455667788',
				brand: 'VISA',
			},
			extra: { merchant_id: '127.0.0.1', autopay: { subscription_id: 'SUB-9' } },
		}),
		scheme: 'current',
		unsigned: ['paid_amount', 'timestamp_utc', 'is_sandbox', 'token.brand', 'agreement.frequency'],
	},
	{
		name: 'payment (previous signature, opted in)',
		payload: paidPayment({
			customer_first_name: 'José',
			customer_address_city: 'Kuwait City',
			customer_address_country: 'KW',
		}),
		scheme: 'previous',
		unsigned: ['paid_amount', 'fee', 'timestamp_utc', 'is_sandbox', 'session_id'],
	},
];

/** The trigger's options here: the previous scheme accepted, so that its forgeries are tried too. */
const OPTED_IN = { acceptPreviousScheme: true };

// ---- helpers on plain objects ------------------------------------------------------------------------

function clone<T>(value: T): T {
	return JSON.parse(JSON.stringify(value)) as T;
}

function getAt(obj: IDataObject, path: string): unknown {
	return path
		.split('.')
		.reduce<unknown>(
			(o, k) => (o && typeof o === 'object' ? (o as IDataObject)[k] : undefined),
			obj,
		);
}

function setAt(obj: IDataObject, path: string, value: unknown, remove = false): IDataObject {
	const copy = clone(obj);
	const keys = path.split('.');
	let cur = copy;
	for (const k of keys.slice(0, -1)) {
		if (typeof cur[k] !== 'object' || cur[k] === null) cur[k] = {};
		cur = cur[k] as IDataObject;
	}
	const last = keys[keys.length - 1];
	if (remove) delete cur[last];
	else cur[last] = value as IDataObject[string];
	return copy;
}

const present = (v: unknown) => v !== undefined && v !== null && v !== '';

function shuffle<T>(list: T[], rnd: () => number): T[] {
	const out = [...list];
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rnd() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

function reorderDeep(value: unknown, rnd: () => number): unknown {
	if (Array.isArray(value)) return value.map((v) => reorderDeep(v, rnd));
	if (value && typeof value === 'object') {
		const out: IDataObject = {};
		for (const key of shuffle(Object.keys(value), rnd))
			out[key] = reorderDeep((value as IDataObject)[key], rnd) as IDataObject[string];
		return out;
	}
	return value;
}

/** Deterministic pseudo-random numbers, so that the generated set is the same on every run. */
function seeded(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const LOOKALIKES: Record<string, string> = {
	a: 'а',
	e: 'е',
	o: 'о',
	p: 'р',
	c: 'с',
	K: 'К',
	W: 'Ԝ',
	'0': 'О',
	'1': 'l',
};

/** The raw JSON text of `obj` with the string value at top-level key `key` written as a bare number. */
function withRawNumber(obj: IDataObject, key: string, numberText: string): string {
	const text = JSON.stringify(obj);
	const needle = `${JSON.stringify(key)}:${JSON.stringify(obj[key])}`;
	if (!text.includes(needle)) throw new Error(`cannot find ${needle}`);
	return text.replace(needle, `${JSON.stringify(key)}:${numberText}`);
}

/** The raw JSON text with every character of one string value written as a \u escape (same value). */
function withEscapes(obj: IDataObject, key: string): string {
	const text = JSON.stringify(obj);
	const value = obj[key] as string;
	const needle = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
	const escaped = [...value]
		.map((ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
		.join('');
	return text.replace(needle, `${JSON.stringify(key)}:"${escaped}"`);
}

function generate(): Mutation[] {
	const out: Mutation[] = [];
	for (const base of BASES) {
		const genuine: IDataObject = signed(base.payload, KEY, base.scheme);
		const add = (
			category: string,
			body: string | IDataObject,
			expected: Expected,
			contentType?: string,
		) =>
			out.push({
				base: base.name,
				category,
				body: typeof body === 'string' ? body : JSON.stringify(body),
				expected,
				contentType,
			});
		const paths = SIGNED_FIELDS[base.scheme];

		add('unchanged', genuine, 'genuine');

		// ---- each signed field: changed, removed, re-typed, unicode; absent ones added ----
		for (const path of paths) {
			const value = getAt(genuine, path);
			const topLevel = !path.includes('.');
			if (!present(value)) {
				add('signed field added', setAt(genuine, path, 'injected'), 'forged');
				add('signed field added as a number', setAt(genuine, path, 7), 'forged');
				add('absent signed field added empty', setAt(genuine, path, ''), 'genuine');
				add('absent signed field added as null', setAt(genuine, path, null), 'genuine');
				// The current scheme skips every falsy value; the previous one signs 0 and false.
				const falsy = base.scheme === 'current' ? 'genuine' : 'forged';
				add('absent signed field added as 0', setAt(genuine, path, 0), falsy);
				add('absent signed field added as false', setAt(genuine, path, false), falsy);
				if (base.scheme === 'current') {
					add('absent signed field added as []', setAt(genuine, path, []), 'genuine');
					add('absent signed field added as {}', setAt(genuine, path, {}), 'genuine');
				}
				continue;
			}
			const text = String(value);
			add('signed field changed (appended)', setAt(genuine, path, `${text}0`), 'forged');
			add(
				'signed field changed (last character)',
				setAt(
					genuine,
					path,
					`${text.slice(0, -1)}${String.fromCharCode(text.charCodeAt(text.length - 1) + 1)}`,
				),
				'forged',
			);
			add('signed field changed (prefixed)', setAt(genuine, path, `-${text}`), 'forged');
			const cased = text.toUpperCase() !== text ? text.toUpperCase() : text.toLowerCase();
			if (cased !== text)
				add('signed field changed (letter case)', setAt(genuine, path, cased), 'forged');
			add('signed field changed (surrounding space)', setAt(genuine, path, ` ${text}`), 'forged');
			add('signed field changed (trailing newline)', setAt(genuine, path, `${text}\n`), 'forged');
			add('signed field removed', setAt(genuine, path, undefined, true), 'forged');
			add('signed field emptied', setAt(genuine, path, ''), 'forged');
			add('signed field set to null', setAt(genuine, path, null), 'forged');
			add('signed field re-typed (boolean)', setAt(genuine, path, true), 'forged');
			add('signed field re-typed (list)', setAt(genuine, path, [text]), 'forged');
			add('signed field re-typed (object)', setAt(genuine, path, { value: text }), 'forged');
			if (/^\d+(\.\d+)?$/.test(text) && topLevel) {
				// A bare number with exactly the same text is what Ottu signs: still genuine.
				add(
					'signed field re-typed to a number with the same text',
					withRawNumber(genuine, path, text),
					'genuine',
				);
				if (String(Number(text)) !== text)
					add(
						'signed field re-typed to a number with other text',
						withRawNumber(genuine, path, String(Number(text))),
						'forged',
					);
			} else {
				add('signed field re-typed (number)', setAt(genuine, path, 1), 'forged');
			}
			const lookalike = [...text].findIndex((ch) => LOOKALIKES[ch] !== undefined);
			if (lookalike >= 0) {
				add(
					'unicode look-alike character',
					setAt(
						genuine,
						path,
						`${text.slice(0, lookalike)}${LOOKALIKES[text[lookalike]]}${text.slice(lookalike + 1)}`,
					),
					'forged',
				);
			}
			add(
				'unicode zero-width space',
				setAt(genuine, path, `${text.slice(0, 1)}\u200b${text.slice(1)}`),
				'forged',
			);
			const fullWidth = text.replace(/[0-9A-Za-z]/, (ch) =>
				String.fromCharCode(ch.charCodeAt(0) + 0xfee0),
			);
			if (fullWidth !== text)
				add('unicode full-width form', setAt(genuine, path, fullWidth), 'forged');
			if (text.normalize('NFD') !== text)
				add('unicode decomposed (NFD)', setAt(genuine, path, text.normalize('NFD')), 'forged');
			if (topLevel)
				add('same value written with \\u escapes', withEscapes(genuine, path), 'genuine');
		}

		// ---- unsigned fields: outside Ottu's signature, so changing them is not a forgery ----
		for (const path of base.unsigned)
			add('unsigned field changed', setAt(genuine, path, 'changed'), 'genuine');

		// ---- the whole payload ----
		const rnd = seeded(base.name.length * 7919);
		for (let i = 0; i < 12; i++)
			add('keys re-ordered', reorderDeep(genuine, rnd) as IDataObject, 'genuine');
		add('pretty-printed', JSON.stringify(genuine, null, 2), 'genuine');
		add('byte order mark before the JSON', `\ufeff${JSON.stringify(genuine)}`, 'genuine');
		add('sent as text/plain', genuine, 'genuine', 'text/plain');
		add('sent as form content type', genuine, 'genuine', 'application/x-www-form-urlencoded');
		// A Content-Type n8n does not parse: from the trigger's version 2 n8n leaves the body for it to read.
		add('sent as application/octet-stream', genuine, 'genuine', 'application/octet-stream');
		const amount = genuine.amount as string;
		add(
			'duplicate key appended with an altered amount',
			JSON.stringify(genuine).replace(/}$/, ',"amount":"0.001"}'),
			'forged',
		);
		add(
			'duplicate key placed first (the signed value wins)',
			`{"amount":"0.001",${JSON.stringify(genuine).slice(1)}`,
			'genuine',
		);
		add('payload wrapped in a list', `[${JSON.stringify(genuine)}]`, 'forged');
		add('payload cut off', JSON.stringify(genuine).slice(0, -10), 'forged');
		add('not JSON', `amount=${amount}&signature=${genuine.signature as string}`, 'forged');
		add(
			'not JSON, sent as application/octet-stream',
			`amount=${amount}&signature=${genuine.signature as string}`,
			'forged',
			'application/octet-stream',
		);
		add('empty body', '', 'forged');

		// ---- the signature itself ----
		const sig = genuine.signature as string;
		add('signature in upper-case hex', { ...genuine, signature: sig.toUpperCase() }, 'genuine');
		for (let i = 0; i < 8; i++) {
			const pos = Math.floor(rnd() * 64);
			const flipped = `${sig.slice(0, pos)}${((parseInt(sig[pos], 16) + 1) % 16).toString(16)}${sig.slice(pos + 1)}`;
			add('signature with one hex digit changed', { ...genuine, signature: flipped }, 'forged');
		}
		add('signature truncated', { ...genuine, signature: sig.slice(0, 63) }, 'forged');
		add('signature with an extra digit', { ...genuine, signature: `${sig}0` }, 'forged');
		add('signature removed', setAt(genuine, 'signature', undefined, true), 'forged');
		add('signature empty', { ...genuine, signature: '' }, 'forged');
		add('signature null', { ...genuine, signature: null }, 'forged');
		add('signature as a number', { ...genuine, signature: 123 }, 'forged');
		add('signature as a list', { ...genuine, signature: [sig] }, 'forged');
		add(
			'signature as base64',
			{ ...genuine, signature: Buffer.from(sig, 'hex').toString('base64') },
			'forged',
		);
		add('signed with another key', signed(base.payload, `${KEY}x`, base.scheme), 'forged');
		add('signed with an empty key', signed(base.payload, '', base.scheme), 'forged');
		add(
			'signed with the key as SHA-1',
			{
				...genuine,
				signature: createHmac('sha1', KEY).update(amount).digest('hex').padEnd(64, '0'),
			},
			'forged',
		);

		// ---- replays of the genuine signature with altered amounts (fast-check, seeded) ----
		const amounts = fc.sample(
			fc
				.tuple(fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }), fc.integer({ min: 0, max: 3 }))
				.map(([minor, decimals]) => {
					const digits = minor.toString().padStart(decimals + 1, '0');
					return decimals === 0
						? digits
						: `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
				})
				.filter((a) => a !== amount),
			{ numRuns: 150, seed: 20261122 + base.name.length },
		);
		for (const a of amounts) {
			const replay: IDataObject = { ...genuine, amount: a };
			if (genuine.paid_amount !== undefined) replay.paid_amount = a;
			if (genuine.amount_details !== undefined)
				replay.amount_details = { ...(genuine.amount_details as IDataObject), amount: a, total: a };
			add('replay with an altered amount', replay, 'forged');
		}

		// ---- random unicode values in random signed fields (fast-check, seeded) ----
		const presentPaths = paths.filter((p) => present(getAt(genuine, p)));
		const randomValues = fc.sample(
			fc.tuple(
				fc.constantFrom(...presentPaths),
				fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
			),
			{ numRuns: 100, seed: 977 + base.name.length },
		);
		for (const [path, value] of randomValues) {
			if (value === String(getAt(genuine, path))) continue;
			add('random unicode value in a signed field', setAt(genuine, path, value), 'forged');
		}
	}
	return out;
}

const MUTATIONS = generate();
const figures = new Figures('forged-webhooks');

describe('forged Ottu webhooks are refused, genuine ones accepted', () => {
	let listener: TriggerListener;
	let logs: CapturedLogs;
	beforeAll(async () => {
		logs = captureLogs();
		// Repeats are not ignored here, so that every genuine delivery must start the workflow.
		listener = await startTriggerListener({
			parameters: { options: { ignoreRepeats: false, ...OPTED_IN } },
			credentials,
		});
	});
	afterAll(async () => {
		logs.restore();
		await listener.close();
		figures.save();
	});

	it('generates at least 1,000 forgeries and a set of genuine variants', () => {
		const forged = MUTATIONS.filter((m) => m.expected === 'forged').length;
		expect(forged).toBeGreaterThanOrEqual(1000);
		expect(MUTATIONS.length - forged).toBeGreaterThanOrEqual(50);
	});

	it('answers each one as expected, starting the workflow only for genuine payloads', async () => {
		const wrong: string[] = [];
		const byCategory: Record<
			string,
			{ expected: Expected; sent: number; refused: number; started: number }
		> = {};
		const tally = (m: Mutation, status: number, started: number) => {
			const row = (byCategory[m.category] ??= {
				expected: m.expected,
				sent: 0,
				refused: 0,
				started: 0,
			});
			row.sent += 1;
			if (status === 401) row.refused += 1;
			row.started += started;
		};

		// Genuine variants one at a time: each must start the workflow once, with exactly the payload sent.
		for (const m of MUTATIONS.filter((x) => x.expected === 'genuine')) {
			const startedBefore = listener.started.length;
			const deliveriesBefore = listener.deliveries.length;
			const res = await post(listener.url, m.body, m.contentType ?? 'application/json');
			await listener.waitForDeliveries(deliveriesBefore + 1);
			const started = listener.started.length - startedBefore;
			tally(m, res.status, started);
			figures.count('genuine sent');
			const item = listener.started[listener.started.length - 1]?.[0];
			const sentJson = JSON.parse(m.body.replace(/^\ufeff/, '')) as IDataObject;
			const { _ottu: derived, ...received } = (item?.json ?? {}) as IDataObject;
			if (
				res.status === 200 &&
				started === 1 &&
				JSON.stringify(received) === JSON.stringify(sentJson) &&
				(derived as IDataObject)?.signatureVerified === true
			) {
				figures.count('genuine accepted and run once');
			} else {
				wrong.push(`${m.base} / ${m.category}: genuine answered ${res.status}, started ${started}`);
			}
		}

		// Forgeries in concurrent batches: each must be answered 401, and the batch must start nothing.
		const forged = MUTATIONS.filter((x) => x.expected === 'forged');
		const warningsBefore = logs.lines.filter((l) => l.includes('webhook refused with 401')).length;
		for (let i = 0; i < forged.length; i += 25) {
			const batch = forged.slice(i, i + 25);
			const startedBefore = listener.started.length;
			const deliveriesBefore = listener.deliveries.length;
			const answers = await Promise.all(
				batch.map((m) => post(listener.url, m.body, m.contentType ?? 'application/json')),
			);
			await listener.waitForDeliveries(deliveriesBefore + batch.length);
			const started = listener.started.length - startedBefore;
			batch.forEach((m, j) => {
				const res = answers[j];
				tally(m, res.status, 0);
				figures.count('forged sent');
				const message = (res.body as IDataObject | undefined)?.message;
				if (
					res.status === 401 &&
					message === 'Unauthorized: the webhook signature could not be verified'
				)
					figures.count('forged refused with 401');
				else
					wrong.push(
						`${m.base} / ${m.category}: forged answered ${res.status} ${res.text} (${m.body.slice(0, 300)})`,
					);
			});
			if (started !== 0) wrong.push(`a batch of forgeries started ${started} executions`);
			else figures.count('forged refused with 401, no execution', batch.length);
		}
		// Each refusal is logged with its reason, for the n8n operator.
		const warnings =
			logs.lines.filter((l) => l.includes('webhook refused with 401')).length - warningsBefore;
		figures.set('categories', byCategory);
		expect(wrong).toEqual([]);
		expect(warnings).toBe(forged.length);
		expect(logs.lines.filter((l) => l.includes(KEY))).toEqual([]);
		expect(figures.get('forged refused with 401')).toBe(forged.length);
		expect(figures.get('forged refused with 401, no execution')).toBe(forged.length);
		expect(figures.get('genuine accepted and run once')).toBe(figures.get('genuine sent'));
	}, 120_000);
});

/**
 * Relabel attacks: a genuine signed payload re-sent with fields outside Ottu's signature changed. The
 * signature still matches, so the trigger accepts it; what it must not do is let those fields change a
 * decision (event, kind, result, isPaid, isSuccess, the events filter) or get past de-duplication.
 */
interface Relabel {
	base: string;
	name: string;
	change: (genuine: IDataObject) => IDataObject;
}

const RELABELS: Relabel[] = [
	...[
		[
			"another customer's session_id",
			(p: IDataObject) => ({ ...p, session_id: 'ffffffffffffffffffffffffffffffffffffffff' }),
		],
		[
			'payment_type save_card (unsigned by the previous scheme)',
			(p: IDataObject) => ({ ...p, payment_type: 'save_card' }),
		],
		['operation refund on a payment', (p: IDataObject) => ({ ...p, operation: 'refund' })],
	].map(([name, change]) => ({
		base: 'payment (previous signature, opted in)',
		name: name as string,
		change: change as Relabel['change'],
	})),
	...[
		['operation refund on a payment', (p: IDataObject) => ({ ...p, operation: 'refund' })],
		[
			'txn/source/pg_response added to look like an operation',
			(p: IDataObject) => ({
				...p,
				txn: { state: 'refunded' },
				source: 'pg',
				pg_response: {},
				success: true,
			}),
		],
		[
			'paid_amount and amount_details changed',
			(p: IDataObject) => ({
				...p,
				paid_amount: '9999.000',
				amount_details: { amount: '9999.000' },
			}),
		],
	].map(([name, change]) => ({
		base: 'payment (current signature)',
		name: name as string,
		change: change as Relabel['change'],
	})),
	...[
		[
			'operation capture on a refund',
			(p: IDataObject) => ({
				...p,
				operation: 'capture',
				txn: { ...(p.txn as IDataObject), state: 'paid' },
			}),
		],
		['operation void on a refund', (p: IDataObject) => ({ ...p, operation: 'void' })],
		[
			'operation null with child state voided',
			(p: IDataObject) => ({
				...p,
				operation: null,
				txn: { ...(p.txn as IDataObject), state: 'voided' },
			}),
		],
		['success false on a successful refund', (p: IDataObject) => ({ ...p, success: false })],
		[
			'state-less operation given a top-level txn state only',
			(p: IDataObject) => ({ ...p, txn: { state: 'refund_rejected' } }),
		],
	].map(([name, change]) => ({
		base: 'refund operation (current signature)',
		name: name as string,
		change: change as Relabel['change'],
	})),
	...[
		[
			'token brand changed',
			(p: IDataObject) => ({ ...p, token: { ...(p.token as IDataObject), brand: 'AMEX' } }),
		],
		[
			'operation refund on an auto-debit payment',
			(p: IDataObject) => ({ ...p, operation: 'refund', success: false }),
		],
	].map(([name, change]) => ({
		base: 'auto-debit payment (current signature)',
		name: name as string,
		change: change as Relabel['change'],
	})),
];

const relabelFigures = new Figures('relabel-attacks');

describe('relabel attacks: unsigned fields of a genuine payload decide nothing', () => {
	let logs: CapturedLogs;
	const opened: TriggerListener[] = [];
	beforeAll(() => {
		logs = captureLogs();
	});
	afterAll(async () => {
		logs.restore();
		await Promise.all(opened.map((l) => l.close()));
		relabelFigures.set(
			'cases',
			RELABELS.map((r) => `${r.base} / ${r.name}`),
		);
		relabelFigures.save();
	});

	const decisions = (json: IDataObject) => {
		const { event, kind, result, isPaid, isSuccess, signatureVerified } = json._ottu as IDataObject;
		return { event, kind, result, isPaid, isSuccess, signatureVerified };
	};

	it.each(BASES.map((b) => [b.name, b] as const))('%s', async (_name, base) => {
		const cases = RELABELS.filter((r) => r.base === base.name);
		expect(cases.length).toBeGreaterThan(0);
		const genuine = signed(base.payload, KEY, base.scheme);
		// Without de-duplication every relabelled copy runs: its decisions must equal the genuine one's.
		const all = await startTriggerListener({
			parameters: { options: { ignoreRepeats: false, ...OPTED_IN } },
			credentials,
		});
		// With it (the default), a relabelled copy of a delivery already received must not run again.
		const dedup = await startTriggerListener({
			parameters: { options: OPTED_IN },
			credentials,
		});
		opened.push(all, dedup);
		await post(all.url, genuine);
		await post(dedup.url, genuine);
		await all.waitForDeliveries(1);
		const expected = decisions(all.started[0][0].json);
		const wrong: string[] = [];
		for (const relabel of cases) {
			relabelFigures.count('relabel attacks sent');
			const body = relabel.change(genuine);
			const before = all.deliveries.length;
			const ran = await post(all.url, body);
			const repeat = await post(dedup.url, body);
			await all.waitForDeliveries(before + 1);
			const got = decisions(all.started[all.started.length - 1][0].json);
			if (ran.status !== 200 || JSON.stringify(got) !== JSON.stringify(expected))
				wrong.push(`${relabel.name}: ${JSON.stringify(got)}`);
			else relabelFigures.count('relabel attacks with every decision unchanged');
			if ((repeat.body as IDataObject).message !== 'Received; repeated delivery ignored')
				wrong.push(`${relabel.name}: passed de-duplication`);
			else relabelFigures.count('relabel attacks caught by de-duplication');
		}
		expect(wrong).toEqual([]);
		expect(dedup.started).toHaveLength(1);
	});
});
