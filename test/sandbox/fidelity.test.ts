import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FAULT_KINDS } from '../../sandbox/core/faults';
import { createSandbox } from '../../sandbox/server';

/**
 * sandbox/FIDELITY.md is checkable: every route the sandbox registers and every fault kind it offers has a
 * row, every row names a source in one of the documented forms or says **assumption**, and an assumption
 * says how the node stays safe. The row format is described at the top of FIDELITY.md.
 */

interface Row {
	line: number;
	keys: string[];
	behaviour: string;
	source: string;
	safe: string;
}

const HEADER = '| Key | Behaviour | Source | Node safe because… |';

/** Ottu's OpenAPI operation ids (the "Ottu API" document), so a mistyped citation is caught. */
const OPERATION_IDS = new Set([
	'apple_native_payment',
	'auto_debit',
	'auto_debit_2',
	'cash_payment_acknowledgement',
	'cash_payment_acknowledgement_2',
	'create_invoice',
	'create_payment_transaction_checkout',
	'delete_user_cards',
	'download_report',
	'full_update_payment_transaction_checkout',
	'get_payment_methods',
	'get_pre_payment_option',
	'get_user_cards',
	'google_native_payment',
	'inquiry',
	'list_reports',
	'message_notifications',
	'partial_update_payment_transaction_checkout',
	'public_operations',
	'retrieve_payment_transaction_checkout',
	'send_notification',
	'send_specific_notification',
	'upload_attachment',
	'wallet_accounts',
	'wallet_entries',
	'wallet_finalization_status',
	'wallet_native_payment',
	'wallet_operation_details',
]);

const DOCS_PATH = /`((?:docs|static)\/[^`\s]+)`/g;
const OPENAPI = /OpenAPI (schema )?`([^`]+)`/g;
const SEED = /Seed `[^`]+` § \S/;
const ASSUMPTION = /\*\*assumption\*\*/;
const ROUTE_KEY = /^(GET|POST|PUT|PATCH|DELETE|HEAD) \/\S*$/;
const FAULT_KEY = /^fault [a-z_]+$/;

function cellsOf(line: string): string[] {
	return line
		.replace(/^\|/, '')
		.replace(/\|$/, '')
		.split('|')
		.map((c) => c.trim());
}

/** Every data row of every table; a table whose header is not the four-column one is an error. */
function parse(markdown: string): { rows: Row[]; problems: string[] } {
	const rows: Row[] = [];
	const problems: string[] = [];
	const lines = markdown.split('\n');
	lines.forEach((text, index) => {
		const line = index + 1;
		if (!text.startsWith('|') || /^\|[-| ]+\|$/.test(text)) return;
		const previous = lines[index - 1] ?? '';
		if (!previous.startsWith('|')) {
			if (text !== HEADER) problems.push(`line ${line}: a table whose header is not "${HEADER}"`);
			return;
		}
		const cells = cellsOf(text);
		if (cells.length !== 4) {
			problems.push(`line ${line}: ${cells.length} cells instead of 4 (a stray "|"?)`);
			return;
		}
		const [key, behaviour, source, safe] = cells;
		const keys = key === '—' ? [] : [...key.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
		if (key !== '—' && keys.length === 0)
			problems.push(`line ${line}: the key "${key}" is neither — nor backticked keys`);
		rows.push({ line, keys, behaviour, source, safe });
	});
	return { rows, problems };
}

/** Why a row's source does not count, or undefined when it does. */
function sourceProblem(row: Row): string | undefined {
	const docs = [...row.source.matchAll(DOCS_PATH)].map((m) => m[1]);
	const badDocs = docs.find(
		(p) => !/^(docs\/(developers|business)|static)\/\S+\.(mdx?|json)$/.test(p),
	);
	if (badDocs) return `"${badDocs}" is not a path in ottuco/docs`;
	const openapi = [...row.source.matchAll(OPENAPI)].filter((m) => !m[1]);
	const unknown = openapi
		.map((m) => m[2])
		.find((id) => !ROUTE_KEY.test(id) && !OPERATION_IDS.has(id));
	if (unknown) return `OpenAPI "${unknown}" is not an operation id of Ottu's OpenAPI`;
	const cited =
		docs.length > 0 || [...row.source.matchAll(OPENAPI)].length > 0 || SEED.test(row.source);
	if (!cited && !ASSUMPTION.test(row.source))
		return 'no source (a docs path, an OpenAPI operation or schema, a seed section) and no **assumption**';
	if (ASSUMPTION.test(row.source) && (row.safe === '' || row.safe === '—'))
		return 'an **assumption** without how the node stays safe';
	return undefined;
}

describe('sandbox/FIDELITY.md', () => {
	const markdown = readFileSync(join(__dirname, '../../sandbox/FIDELITY.md'), 'utf8');
	const { rows, problems } = parse(markdown);
	let routes: string[];

	beforeAll(async () => {
		const sandbox = await createSandbox();
		routes = [...sandbox.routes];
		await sandbox.close();
	});

	it('is made of four-column tables only', () => {
		expect(problems).toEqual([]);
		expect(rows.length).toBeGreaterThan(100);
	});

	it('has a row for every route the sandbox registers', () => {
		expect(routes).toContain('POST /b/pbl/v2/operation/');
		expect(routes).toContain('POST /__sandbox/faults');
		const keyed = new Set(rows.flatMap((r) => r.keys));
		expect(routes.filter((route) => !keyed.has(route))).toEqual([]);
	});

	it('has a row for every fault kind', () => {
		const keyed = new Set(rows.flatMap((r) => r.keys));
		expect(FAULT_KINDS.map((k) => `fault ${k}`).filter((k) => !keyed.has(k))).toEqual([]);
	});

	it('keys only routes and faults that exist', () => {
		const known = new Set([...routes, ...FAULT_KINDS.map((k) => `fault ${k}`)]);
		const stale = rows.flatMap((r) =>
			r.keys
				.filter((k) => !known.has(k))
				.map((k) =>
					ROUTE_KEY.test(k) || FAULT_KEY.test(k)
						? `line ${r.line}: "${k}" is not registered by the sandbox`
						: `line ${r.line}: "${k}" is neither "METHOD /path" nor "fault <kind>"`,
				),
		);
		expect(stale).toEqual([]);
	});

	it('cites a source for every row, or says **assumption** and how the node stays safe', () => {
		const uncited = rows
			.map((r) => ({ row: r, problem: sourceProblem(r) }))
			.filter((r) => r.problem !== undefined)
			.map(({ row, problem }) => `line ${row.line} (${row.behaviour.slice(0, 60)}…): ${problem}`);
		expect(uncited).toEqual([]);
	});

	it('rejects the rows it is meant to reject', () => {
		const base = { line: 1, keys: [], behaviour: 'x' };
		expect(sourceProblem({ ...base, source: 'Docs: Operations', safe: '—' })).toMatch(/no source/);
		expect(sourceProblem({ ...base, source: '**assumption**', safe: '—' })).toMatch(/without how/);
		expect(sourceProblem({ ...base, source: 'OpenAPI `refund_it`', safe: '—' })).toMatch(
			/operation id/,
		);
		expect(sourceProblem({ ...base, source: '`docs/guide.md`', safe: '—' })).toMatch(/not a path/);
		expect(
			sourceProblem({ ...base, source: 'OpenAPI `POST /b/pbl/v2/operation/`', safe: '—' }),
		).toBeUndefined();
		expect(parse(`${HEADER}\n|---|---|---|---|\n| a | b | c |`).problems[0] ?? '').toMatch(
			/3 cells/,
		);
		expect(parse('| Behaviour | Source |\n|---|---|\n| a | b |').problems[0] ?? '').toMatch(
			/header/,
		);
	});
});
