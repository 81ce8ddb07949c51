/**
 * Renders RELIABILITY.md from the figures the reliability suite measured in its last run
 * (test-results/reliability/*.json, written by test/reliability/*.test.ts).
 *
 *   npx jest test/reliability && npx tsx scripts/reliability-report.ts
 *
 * Fails when a suite's figures are missing, so the document never shows numbers that were not measured.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..');
const RESULTS = join(ROOT, 'test-results', 'reliability');

type Json = Record<string, unknown>;

function load(
	suite: string,
): Json & { counters: Record<string, number>; recorded_at: string; duration_ms: number } {
	const file = join(RESULTS, `${suite}.json`);
	if (!existsSync(file))
		throw new Error(`No figures for "${suite}": run npx jest test/reliability first`);
	return JSON.parse(readFileSync(file, 'utf8'));
}

const n = (value: number | undefined) => (value ?? 0).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

interface FaultRow {
	operation: string;
	policy: 'read' | 'tracked' | 'once';
	/** A native charge (Apple Pay, Google Pay, Auto-Debit, Wallet): moves money, sent once. */
	charge: boolean;
	fault: string;
	outcome: 'recovered' | 'clear error';
	effects: number;
}

type FaultFigures = ReturnType<typeof load>;

const POLICIES = ['read', 'tracked', 'once'] as const;

const POLICY_LABEL: Record<FaultRow['policy'], string> = {
	read: 'read (retried)',
	tracked:
		'refund, capture, void: Tracking-Key on /b/pbl/v2/operation/ (retried with the same key)',
	once: 'sent once (never repeated; native charges and file uploads included)',
};

function faultsSection(): string {
	const f = load('faults');
	const rows = f.rows as FaultRow[];
	const operations = f.operations as string[];
	const faults = f.faults as string[];
	const lines: string[] = [];
	lines.push('## Faults: every operation under every injected fault');
	lines.push('');
	lines.push(
		`${operations.length} operations × ${faults.length} faults = **${n(rows.length)} runs** through n8n's real engine against the sandbox, ` +
			`with the node's Options → Timeout at ${n(f.timeout_ms as number)} ms. Suite time ${seconds(f.duration_ms)}.`,
	);
	lines.push('');
	lines.push(...faultFiguresTable(f, rows));
	lines.push('');
	lines.push(...outcomePerFaultTable(rows, faults));
	lines.push('');
	lines.push(...operationsByPolicy(rows, operations));
	lines.push('');
	lines.push(
		'Only refund, capture and void are repeated after an unknown outcome: Ottu documents the Tracking-Key for /b/pbl/v2/operation/ ' +
			'alone. One that runs out of attempts without a readable answer says: "Ottu may have carried it out: running it again with the ' +
			'same Tracking-Key (<key>) is safe, because Ottu answers a repeated Tracking-Key with the original operation instead of doing it twice." ' +
			'A native charge whose outcome is unknown (timeout, reset, 5xx, garbled answer) is never repeated and says: "The charge may have ' +
			'gone through. Check with Payment Transaction → Get or Payment Status → Check (session_id <id>) before charging again." ' +
			'A file upload says "The file may or may not have been uploaded (and attached): check the transaction\'s attachment in Ottu before ' +
			'running it again, or a second copy may be stored." ' +
			'Any other request that is sent once says "The request may or may not have been carried out: check in Ottu before running it again." ' +
			'The suite checks that it was sent exactly once and had at most one effect. A 429 is refused before Ottu does anything, so every kind of request retries it.',
	);
	return lines.join('\n');
}

/** The "Figure | Value" table: run counts, then the storm and the named checks. */
function faultFiguresTable(f: FaultFigures, rows: FaultRow[]): string[] {
	const tracked = rows.filter((r) => r.policy === 'tracked');
	const charges = rows.filter((r) => r.charge);
	const double = rows.filter((r) => r.effects > 1).length;
	const trackedOnce = tracked.filter((r) => r.outcome === 'recovered' && r.effects === 1).length;
	const lines: string[] = [];
	lines.push('| Figure | Value |');
	lines.push('|---|---|');
	lines.push(`| Runs under injected faults | ${n(rows.length)} |`);
	lines.push(
		`| Recovered by retrying, with the right output | ${n(rows.filter((r) => r.outcome === 'recovered').length)} |`,
	);
	lines.push(
		`| Failed with a clear error (exact text asserted) | ${n(rows.filter((r) => r.outcome === 'clear error').length)} |`,
	);
	lines.push(`| Refund, capture and void runs (Tracking-Key, retried) | ${n(tracked.length)} |`);
	lines.push(
		`| … ending with exactly one effect in the ledger | ${n(trackedOnce)} of ${n(tracked.filter((r) => r.outcome === 'recovered').length)} that recovered; ${n(tracked.filter((r) => r.outcome === 'clear error' && r.effects === 0).length)} refused with nothing done |`,
	);
	lines.push(
		`| … recovered through Ottu's replay of the original operation (output \`replayed: true\`) | ${n(f.counters["recovered through Ottu's replay of the original operation"])} |`,
	);
	lines.push(
		`| Native charge runs (Apple Pay, Google Pay, Auto-Debit, Wallet: sent once) | ${n(charges.length)}: ${n(charges.filter((r) => r.outcome === 'recovered').length)} recovered (${n(f.counters['charges settled by reading the transaction'])} settled by reading the transaction after a lost answer, the rest 429 waited out), ` +
			`${n(charges.filter((r) => r.outcome === 'clear error').length)} failed saying the charge may have gone through (${n(charges.filter((r) => r.outcome === 'clear error' && r.effects === 1).length)} of them had charged) |`,
	);
	lines.push(`| Double refunds / captures / voids / charges / creates | **${n(double)}** |`);
	lines.push(
		`| Lost results (work done, no output and no error saying so) | **${n(f.counters['lost results'])}** |`,
	);
	lines.push(stormRow(f));
	lines.push(
		`| A refund whose answer is lost 5 times in a row | fails saying a re-run is safe; the re-run replays it (refunds in the ledger: 1; checked ${n(f.counters['sustained-fault refunds re-run without a second refund'])}×) |`,
	);
	lines.push(...namedCheckRows(f));
	return lines;
}

function stormRow(f: FaultFigures): string {
	const storm = f.storm as
		| {
				refunds: number;
				concurrency: number;
				faults_injected: number;
				failed_first_run: number;
				unknown_outcome: number;
				throttled: number;
		  }
		| undefined;
	if (!storm) throw new Error('No storm figures: run the whole fault suite');
	return (
		`| Storm: ${storm.refunds} refunds at Concurrency ${storm.concurrency} through ${storm.faults_injected} mixed faults | ` +
		`${storm.refunds - storm.failed_first_run} done in the first run; ${storm.unknown_outcome} failed saying a re-run is safe and ${storm.throttled} were throttled on every attempt (nothing done); ` +
		`after the re-run ${n(f.counters['storm refunds, each exactly once after the re-run'])} refunded exactly once, output in input order |`
	);
}

/** Single scenarios the suite checks, keyed by the counter it records. */
function namedCheckRows(f: FaultFigures): string[] {
	const named: Array<[string, string]> = [
		[
			'native charges with a lost answer: sent once, settled by one read',
			'A native charge whose answer is lost (Apple Pay, Google Pay, Auto-Debit, Wallet) | one attempt reached the sandbox; the node reads the transaction, finds it paid and reports the charge with `outcome_settled_by: "lookup"`',
		],
		[
			'charges throttled, then lost: 429 retried, the charge sent once',
			'A charge throttled twice (429), then its answer lost | the 429s are waited out; the charge is sent once, not repeated, and settled by reading the transaction',
		],
		[
			'lost refund re-run with the item at another position: one refund, output says replay',
			'A refund whose answer was lost, re-run with another item inserted before it and a field changed | the same automatic Tracking-Key (operation, transaction, amount, options): one refund in the ledger; the output says `replayed: true`',
		],
		[
			'same amount and transaction: Automatic replays, Custom keys refund again',
			'Two refunds of the same amount of one transaction | Automatic: the second is a replay whose note says to use Custom; Custom keys of their own: two refunds',
		],
	];
	return named.map(([counter, text]) => `| ${text} (checked ${n(f.counters[counter])}×) |`);
}

function outcomePerFaultTable(rows: FaultRow[], faults: string[]): string[] {
	const lines: string[] = [];
	lines.push('Outcome per fault and kind of request (recovered / clear error):');
	lines.push('');
	lines.push(`| Fault | ${POLICIES.map((p) => POLICY_LABEL[p]).join(' | ')} |`);
	lines.push(`|---|${POLICIES.map(() => '---|').join('')}`);
	for (const fault of faults) {
		const cells = POLICIES.map((policy) => {
			const mine = rows.filter((r) => r.fault === fault && r.policy === policy);
			const ok = mine.filter((r) => r.outcome === 'recovered').length;
			const err = mine.length - ok;
			const effects =
				policy === 'read'
					? ''
					: `, effects ${[...new Set(mine.map((r) => r.effects))].sort().join('/')}`;
			return `${ok} / ${err}${effects}`;
		});
		lines.push(`| ${cell(fault)} | ${cells.join(' | ')} |`);
	}
	return lines;
}

function operationsByPolicy(rows: FaultRow[], operations: string[]): string[] {
	const lines: string[] = [];
	lines.push('Operations covered, by how they may be repeated:');
	lines.push('');
	for (const policy of POLICIES) {
		const names = operations.filter(
			(op) => rows.find((r) => r.operation === op)?.policy === policy,
		);
		lines.push(`- ${POLICY_LABEL[policy]}: ${names.join(', ')}`);
	}
	return lines;
}

interface RetryPathRow {
	operation: string;
	path: string;
	fault: string;
	duplicates: number;
	lost: number;
}

const RETRY_PATHS = [
	'node Retry On Fail',
	'execution Retry',
	're-run with a changed item',
	'queue-mode worker killed mid-request',
];

/**
 * The queue-mode column: refund and capture from `e2e/queue/6-crash.queue.test.ts` (a real worker killed), the
 * writes sent once from `test/reliability/crashRetry.test.ts` (the crashed run's data without the node's journal,
 * retried through the engine) and, for the charge and Create measured there too, the queue e2e.
 */
function workerKilledCell(operation: string, mine: RetryPathRow[]): string {
	const e2e = /→ (Refund|Capture)$/.test(operation)
		? '; queue e2e `6-crash`: crashed execution retried, request re-sent with another header'
		: /→ (Create|Apple Pay)$/.test(operation) && !operation.startsWith('Invoice')
			? '; queue e2e `6-crash`: crashed execution retried'
			: '';
	if (mine.length === 0) return 'not measured';
	const dup = mine.reduce((sum, r) => sum + r.duplicates, 0);
	const lost = mine.reduce((sum, r) => sum + r.lost, 0);
	const how = operation.startsWith('Native Payment')
		? 'settled by reading the transaction'
		: /→ (Refund|Capture|Void)$/.test(operation)
			? 'repeated with its Tracking-Key'
			: 'not sent: "check first"';
	return `**${dup} / ${lost}** (${how}${e2e})`;
}

/** Every write × every retry path: duplicates and lost results, from test/reliability/retryOnFail, rerunKeys, inFlight. */
function retryPathsSection(): string {
	const rows = [
		...(load('retry-paths').rows as RetryPathRow[]),
		...(load('rerun-keys').rows as RetryPathRow[]),
		...(load('in-flight').rows as RetryPathRow[]),
		...(load('crash-retry').rows as RetryPathRow[]),
	];
	const operations = [...new Set(rows.map((r) => r.operation))];
	const lines = [
		'## Retry paths: Retry On Fail, execution Retry, re-runs',
		'',
		"Every write the node sends, through n8n's real engine against the sandbox, on each way a user or n8n runs it again. " +
			'A cell gives duplicates / lost results over the faults measured (in brackets); the target is 0 / 0. ' +
			"Duplicates are counted in the sandbox's records (ledger, notifications, transactions, cards), not in the output.",
		'',
		`| Operation | ${RETRY_PATHS.join(' | ')} |`,
		`|---|${RETRY_PATHS.map(() => '---').join('|')}|`,
	];
	for (const operation of operations) {
		const cells = RETRY_PATHS.map((path) => {
			const mine = rows.filter((r) => r.operation === operation && r.path === path);
			if (path === RETRY_PATHS[3]) return workerKilledCell(operation, mine);
			if (mine.length === 0) return path === RETRY_PATHS[2] ? 'not protected: check first' : '—';
			const dup = mine.reduce((sum, r) => sum + r.duplicates, 0);
			const lost = mine.reduce((sum, r) => sum + r.lost, 0);
			return `**${dup} / ${lost}** (${[...new Set(mine.map((r) => r.fault))].join('; ')})`;
		});
		lines.push(`| ${cell(operation)} | ${cells.join(' | ')} |`);
	}
	lines.push('');
	lines.push(
		'"Not protected: check first": a new execution starts a new journal, and Ottu documents no idempotency for these writes, so ' +
			"the first run's error says to check in Ottu before running again. " +
			"A queue-mode worker killed mid-request loses the journal with the process (n8n saves a node's context when the node ends). " +
			"So each write sent once is also recorded, before it leaves, in n8n's processed-data store (its database, written at once; " +
			'the last 1,000 writes per node). The Retry of a crashed execution then refuses a write an earlier execution sent ' +
			'("Not sent: an earlier execution of this node already sent this same request to Ottu, and this is a retry", with the check to make), ' +
			'a refused write is taken off the record, and a charge is preceded by a read of the transaction: one already paid or authorized ' +
			'is reported as charged (`outcome_settled_by: "lookup"`) and not charged again, whatever the run. ' +
			'`test/reliability/crashRetry.test.ts` retries, through the engine, a failed run whose node context was removed as a crash removes it, ' +
			'and two executions of one workflow that sent at the same time, each retried as if its process died before the node ended. ' +
			"n8n reads and writes a node's record as one database row, without a lock: in one process (regular mode, or one worker) " +
			'every execution of the node takes its turn with that row, so none loses its record; two workers recording for the same node ' +
			'within the same few milliseconds can still lose one record, and a crash of that very execution mid-request would then leave ' +
			'its Retry unprotected (check first, as for a new execution). ' +
			'Refunds and captures are protected by their Tracking-Key: `npm run test:e2e:queue` (`6-crash`) kills a ' +
			'worker while a refund, a capture, an Apple Pay charge and a Create wait for Ottu, then retries the crashed executions (worker back on the same folder) ' +
			'or re-sends the refund and capture with an extra header (fresh folder): one of each, every time. ' +
			'A re-sent request for a Create or a message is a new execution: it is sent (check first). ' +
			"The journal across Retry On Fail and the Executions list's Retry is also checked in a real n8n 2.41.1 " +
			'(`e2e/retry.e2e.test.ts`: two template messages, the second refused on both tries, then the execution retried: ' +
			'each message sent once).',
	);
	return lines.join('\n');
}

function badInputSection(): string {
	const f = load('bad-input');
	const cases = f.cases as Array<{ what: string; operation: string; message: string }>;
	const lines: string[] = [];
	lines.push('## Bad input: refused before anything is sent');
	lines.push('');
	lines.push(
		`**${n(f.counters.cases)} invalid inputs** across ${new Set(cases.map((c) => c.operation)).size} operations, each run with two items and Continue On Fail: ` +
			`${n(f.counters['items refused'])} items refused, each error naming the field, the item (\`[item N]\`) and the fix, ending with ` +
			`"Nothing was sent to Ottu."; the sandbox's request log was empty after every case (**0 requests sent**). Suite time ${seconds(f.duration_ms)}.`,
	);
	lines.push('');
	lines.push(
		`Mistakes the node cannot know without asking Ottu are refused by Ottu with nothing created and the reason shown in Ottu's words ` +
			`(${n(f.counters['ottu-side refusals'])} checked): an **unknown gateway** code and a gateway that does not take the currency. ` +
			"The node does not look up the instance's gateways before each create (the gateway list in the editor comes from Ottu); " +
			'a gateway given by an expression is therefore checked by Ottu, not locally.',
	);
	lines.push('');
	lines.push('| Invalid input | Operation | Error (item 0) |');
	lines.push('|---|---|---|');
	for (const c of cases) lines.push(`| ${cell(c.what)} | ${c.operation} | ${cell(c.message)} |`);
	return lines.join('\n');
}

function forgedSection(): string {
	const f = load('forged-webhooks');
	const c = f.counters;
	const categories = f.categories as Record<
		string,
		{ expected: string; sent: number; refused: number; started: number }
	>;
	const lines: string[] = [];
	lines.push('## Forged webhooks');
	lines.push('');
	lines.push(
		`Generated mutations of genuinely signed payment, refund and auto-debit webhooks (Ottu's current signature scheme), and of a payment signed with the previous scheme (accepted by opt-in), POSTed over HTTP to the Ottu Trigger ` +
			`running in n8n-core's WebhookContext. Suite time ${seconds(f.duration_ms)}.`,
	);
	lines.push('');
	lines.push('| Figure | Value |');
	lines.push('|---|---|');
	lines.push(`| Forged payloads sent | ${n(c['forged sent'])} |`);
	lines.push(
		`| … refused with 401 and no workflow execution | **${n(c['forged refused with 401, no execution'])}** |`,
	);
	lines.push(`| Genuine variants sent (same signed content) | ${n(c['genuine sent'])} |`);
	lines.push(
		`| … accepted, workflow run once with exactly the payload sent | **${n(c['genuine accepted and run once'])}** |`,
	);
	lines.push('');
	lines.push('| Mutation | Expected | Sent | Answered 401 | Executions |');
	lines.push('|---|---|---|---|---|');
	const sorted = Object.entries(categories).sort(([a, x], [b, y]) =>
		x.expected === y.expected ? a.localeCompare(b) : x.expected === 'forged' ? -1 : 1,
	);
	for (const [name, row] of sorted)
		lines.push(
			`| ${cell(name)} | ${row.expected} | ${row.sent} | ${row.refused} | ${row.started} |`,
		);
	lines.push('');
	lines.push(
		"Genuine variants are mutations that leave the signed content unchanged under Ottu's rules: re-ordered keys, formatting, " +
			'`\\u` escapes, a byte order mark, the Content-Type, an absent signed field added as `""` or `null` (under the current scheme also `0`, `false`, `[]` or `{}`), a number written with the same text, ' +
			'upper-case signature hex, and changes to fields Ottu does not sign. The last are accepted (they may carry no meaning), but ' +
			'the trigger decides nothing from them and lists them under `_ottu.unsignedFields`: see Relabel attacks.',
	);
	return lines.join('\n');
}

function relabelSection(): string {
	const f = load('relabel-attacks');
	const c = f.counters;
	const cases = f.cases as string[];
	const lines: string[] = [];
	lines.push('## Relabel attacks: unsigned fields of a genuine webhook decide nothing');
	lines.push('');
	lines.push(
		'A genuinely signed webhook with a field Ottu does not sign changed (the operation, `success`, `txn`; `session_id` and `payment_type` ' +
			'under the previous scheme, …) is still accepted, since its signature is valid. What the trigger decides from it (the event, ' +
			"`_ottu.kind`, `result`, `isPaid`, `isSuccess`) must equal the genuine delivery's, and with de-duplication on, the relabelled " +
			`copy must count as a repeat. Suite time ${seconds(f.duration_ms)}.`,
	);
	lines.push('');
	lines.push('| Figure | Value |');
	lines.push('|---|---|');
	lines.push(`| Relabelled copies sent | ${n(c['relabel attacks sent'])} |`);
	lines.push(
		`| … every decision unchanged | **${n(c['relabel attacks with every decision unchanged'])}** |`,
	);
	lines.push(
		`| … caught by de-duplication | **${n(c['relabel attacks caught by de-duplication'])}** |`,
	);
	lines.push('');
	lines.push('Cases: ' + cases.map((name) => cell(name)).join('; ') + '.');
	return lines.join('\n');
}

const ELSEWHERE = `## Proven by other suites of \`npm test\`

These cases run through n8n's real engine over HTTP too, in their own test files; each fails on the code before its fix.

| What | Where |
|---|---|
| A redirect never carries the API key or password: GET with an API key and with Basic auth redirected to another origin, a refund POST answered 307 (not re-sent), a report download redirected to storage (followed without credentials), a redirect loop, the sandbox's S3 302 variant; https to plain http is refused (unit level) | \`test/integration/redirects.test.ts\`, \`test/unit/redirects.test.ts\` |
| Bounds against a hostile server: a \`next\` that never ends, full pages forever, a \`count\` of ten million, pages passing the listing's byte limit together, a 17 MB JSON answer, a download past Max Download Size or past the Timeout, a download cut off (retried, then named with its item) | \`test/integration/bounds.test.ts\` |
| Timeouts against a stalling server (see Timeouts) | \`test/integration/stalls.test.ts\` |
| Untrusted inputs refused with nothing sent: a MIME type or file name with a line break (header injection into the upload), a file name with folder segments, an empty file, a file over the limit refused from n8n's stored size without being read, Send Template attachments over 7.5 MB together, a report link with a broken %-escape; Upload Attachment sent once after a lost answer (one stored copy) | \`test/integration/untrustedInputs.test.ts\` |
| \`.\` and \`..\` as a session_id or card token never reach another endpoint (Card → Delete, Payment Operation → Delete): refused, nothing sent | \`test/integration/pathIdentifiers.test.ts\`, \`test/unit/pathSegment.test.ts\` |
| Replays: the same refund re-run at another item position is one refund and says \`replayed: true\`; identical items at Concurrency 2 are one refund | \`test/integration/paymentOperation.test.ts\` |
| De-duplication on one process: concurrent identical deliveries run once, every key of a burst is kept; malformed deliveries are refused before the credential is loaded | \`test/unit/trigger.webhook.test.ts\` |
| The sandbox's control API refuses form and text/plain posts, requests without its header and foreign Host names | \`test/sandbox/controlGuard.test.ts\` |
| Queue mode (real n8n, Postgres, Redis, 2 workers, 2 webhook processes): a worker killed during a refund or capture, then the execution retried or the request re-sent, ends with exactly one refund and one capture; killed during an Apple Pay charge and a Create, then retried: the charge settled by reading the transaction, the Create not sent again ("check first"); faults under load (see Webhooks in queue mode); the Report Trigger catching up 24 reports (two over Max Download Size) with main killed between polls: each once, oldest first, files byte-exact, the large ones not read whole, no 429 | \`npm run test:e2e:queue\` (\`e2e/queue/\`) |
| Report Trigger with n8n's database binary data mode (queue mode): a file n8n refuses as too large is emitted at once without it, saying why, not fetched again; a file announced over Max Download Size is refused at its first chunk | \`test/integration/reportTrigger.test.ts\` |`;

function secretsSection(): string {
	const f = load('secrets');
	const c = f.counters;
	const lines: string[] = [];
	lines.push('## Secrets');
	lines.push('');
	lines.push(
		`Every operation's failure paths (${(f.scenarios as string[]).join('; ')}), each with and without Continue On Fail: ` +
			`**${n(c['failing runs scanned'])} failing runs**. Scanned: output items, the error (message, description, context, all properties, stack), ` +
			`the whole execution data n8n would store, and everything logged (n8n's logger at every level, LoggerProxy, console); ` +
			`${n(c['characters scanned'])} characters of output and errors and ${n(c['log characters scanned'])} of logs. ` +
			`The Ottu Trigger's refusals (${n(c['trigger refusals scanned'])}) were scanned the same way. Suite time ${seconds(f.duration_ms)}.`,
	);
	lines.push('');
	lines.push(`Looked for: ${(f.secrets as string[]).join(', ')}. **Occurrences found: 0.**`);
	lines.push('');
	lines.push(
		'The echo scenarios make the sandbox answer with the secrets in the error body, the HTML page and the headers it reflects; ' +
			'the node keeps the explanation and replaces each secret with `***` (asserted).',
	);
	return lines.join('\n');
}

function moneySection(): string {
	const f = load('money');
	const c = f.counters;
	const lines: string[] = [];
	lines.push('## Money (property tests, fast-check)');
	lines.push('');
	lines.push(
		`Compared with an independent exact reference in BigInt minor units (no floats). Suite time ${seconds(f.duration_ms)}.`,
	);
	lines.push('');
	lines.push('| Property | Cases |');
	lines.push('|---|---|');
	lines.push(
		`| Normalisation round-trips in every ISO 4217 currency (trailing/leading zeros, +, spaces give the same amount and the same Tracking-Key material) | ${n(c['normalisation round-trips'])} |`,
	);
	lines.push(
		`| More decimals than the currency allows: refused, never rounded | ${n(c['precision refusals'])} |`,
	);
	lines.push(`| 13 integer digits accepted, 14 refused | ${n(c['size checks'])} |`);
	lines.push(
		`| Numbers from expressions taken exactly as printed, or refused | ${n(c['expression numbers'])} |`,
	);
	lines.push(
		`| Operation amounts without a currency (Ottu's pattern) | ${n(c['operation amounts'])} |`,
	);
	lines.push(
		`| Invoices equal to the reference to the last minor unit (every line and total) | ${n(c['invoices equal to the reference'])} (${n(c['line items checked'])} line items) |`,
	);
	lines.push(
		`| Invoices refused before sending (discount above the items, zero total) | ${n(c['invoices refused as expected'])} |`,
	);
	return lines.join('\n');
}

const QUEUE_WEBHOOKS = `## Webhooks in queue mode: faults and two webhook processes

Measured by \`npm run test:e2e:queue\` (\`e2e/queue/5-faults.queue.test.ts\`, figures in \`test-results/queue-faults.json\`;
last run 2026-12-07):
real n8n 2.41.1 in queue mode, main, 2 workers (concurrency 5), **two webhook processes** with deliveries spread
over both as a load balancer would, Postgres, Redis with its append-only file; distinct genuine signed payment
webhooks from 6 concurrent senders. A delivery not answered 2xx is sent again (what Ottu's retry after a timeout,
or a re-send from Ottu's dashboard, does); then every delivery is counted in n8n's executions.

| Fault | Deliveries | 2xx at first | Other first answers | Sent again | Ran once | Ran twice | Never ran |
|---|---|---|---|---|---|---|---|
| A webhook process killed (SIGKILL) after 50, restarted after the burst | 150 | 142 | 8 × no answer | 8 | **150** | **0** | **0** |
| Postgres stopped for 10 s after 40 | 150 | 36 | 4 × 500, 110 × 503 | 114 | **146** | **0** | **4** |
| Redis restarted with 40 executions queued (workers paused) | 40 | 40 | none | 0 | **40** | **0** | **0** |

In the kill case, a delivery cut off with no answer may already have been saved and queued when its process
died; sent again, it then runs twice (0 of the 8 cut off in the run in the table, 2 of 25 in three later runs the same day; 1 of 5 and 0 of 6 in earlier runs,
before the trigger's record was saved with n8n's answer: now such a re-send is caught when n8n had also saved the
static data, which it does after saving the execution and before answering). No other delivery ran twice: none answered 2xx, none refused 5xx. n8n's own Webhook node has the same window.
No genuine delivery was answered 401 in any of them. During the outage the answers were 503 (from the trigger when
it could not read its credential, or from n8n when its database check failed) and 500 (n8n could not save the
execution); none of those deliveries was remembered, so each ran when sent again. A 2xx is given only once n8n has
saved and queued the execution: no delivery answered 2xx was lost by the trigger. In the Postgres case n8n itself
left executions it had saved and queued unfinished (its workers lost the database mid-job): 4 (2 \`new\`, 2 \`running\`)
in the run in the table; 0, 2 and 2 in three earlier runs. After a database outage, look in the executions list for
executions left \`new\` or \`running\`: a re-send within the Repeat Window counts as a repeat (the delivery was
accepted), so let the reconciliation catch those payments up, or handle them by hand.

Copies of one delivery sent to **both** webhook processes, measured by \`e2e/queue/3-dedup.queue.test.ts\` (figures in
\`test-results/queue-copies.json\`; last run 2026-12-07), 20 pairs each, with the trigger before and after the fix
below on the same set-up:

| Copies | Sent | Ran twice before | Ran twice now |
|---|---|---|---|
| One after the other (the second sent when the first was answered), nothing else arriving | 20 pairs | 19 | **0** |
| One after the other while 2 other senders keep both processes busy | 20 pairs | 20 | 5 (2–5 in three runs) |
| Those other deliveries, each sent again seconds later to the process it did not reach | 101 (120 before) | 120 | **0** |
| Together | 20 pairs | 20 | 20 |

The cause, found by logging every write to the workflow's row in Postgres: n8n 2.41 saved the trigger's static
data only for the first delivery of a workflow. Its webhook handler (\`LiveWebhooks.executeWebhook\`) builds the
workflow with the static data it loaded for the request and saves it, before answering, only if the node changed
it (\`WorkflowStaticDataService.saveStaticData\` checks \`__dataChanged\`). But while it creates the execution,
\`WorkflowRunner.establishContextForPersistence\` (\`workflow-runner.js\`) builds a second \`Workflow\` over the same
static data object, and n8n-workflow's \`ObservableObject.create\` resets \`__dataChanged\` to false on it. The mark
survived only when the stored static data was empty (the handler then used an object of its own), so the first
key was saved and no other: the database held one key for good, and every copy at the other process ran. Workers
and main wrote nothing (no node of these workflows changes static data on a worker). The trigger now writes its
record again, every millisecond, until n8n has answered, so n8n saves it before the 2xx.

What is left is n8n's whole-object save: each request saves the copy it loaded plus what the trigger adds, with no
lock or merge (\`WorkflowStaticDataService.saveStaticDataById\`, a plain \`UPDATE\`), so a request that loaded the
static data before another process saved a key drops that key when it saves after it (of the 224 times a save
dropped a key in one logged run, 223 were saves by the other process). The trigger limits the damage: a save
carries every key this process ran or read in earlier loads, and keys confirmed meanwhile, so a dropped key comes
back with the next save of a process that ran or read it; another request's pending key is left out of a save (if its execution then fails, a re-send to
the other process must run). Copies arriving together both load the static data before either saves: both run.
If another node of the workflow writes static data (a Code node with \`$getWorkflowStaticData\`), the worker saves,
when the execution ends, the copy read when the execution was created, which drops keys saved meanwhile.

So with two or more webhook processes, what must not happen twice needs a once-only step downstream: a
Tracking-Key before a refund or capture, a Data Table claim before a notification
(\`examples/payment-paid-notify.json\`: 20 deliveries, each sent to both processes at once, started 40 executions and
notified 20 of the 20 payments exactly once, \`e2e/queue/5-faults.queue.test.ts\`), an upsert for records. Or route
the trigger's webhook path to one webhook process in the load balancer (another only when that one is down): on one
process every copy runs once (\`3-dedup\`: 10 identical deliveries at once ran once; the burst's 300 deliveries sent
again ran none, \`4-burst\`).`;

const FOUND = `## Found and fixed by this suite

- **Garbled or empty 2xx answers were taken as results.** An empty body became \`{}\` and a cut-off or HTML body became a string, so
  a refund whose answer was garbled output only its Tracking-Key, and Card → Get Many / Payment Method → Get Many output an empty
  list: a lost result. Now the request helper treats an empty (except 204), cut-off or HTML 2xx answer as unknown: reads and
  Tracking-Key requests are retried (the same key replays the original answer), others fail saying the outcome is unknown.
  Run against the helper without the fix, 54 of the fault suite's 198 runs at the time failed.
- **A report download that brought back a page or a JSON message was saved as the report file.** It is now retried, or refused clearly.
- **A 5xx on a request that is never repeated** now says the outcome is unknown, as a timeout or reset already did; a
  money-moving request that runs out of attempts says that it may have been carried out and that a re-run is safe (same Tracking-Key).
- **Latency past the timeout could not be tested quickly:** the Ottu node now has Options → Timeout (milliseconds, default 60,000).
  The message reads "within 250 ms" below a second instead of "within 0 seconds", and "1 second", not "1 seconds".
- **The sandbox's latency fault dropped the request once the client gave up** (its body was never read), unlike a slow server
  that still does the work. The delay now comes after the body is read, so "committed after the timeout" is tested too: the retry with the same
  Tracking-Key and the late original both reach the sandbox, and the ledger shows one refund.
- **A money-moving request whose first answer was lost and whose retries were then throttled to the limit** ended with a plain
  429 error, as if nothing had happened, although the refund had been made (found by the 24-refund storm). The final error now
  says the request may have been carried out whenever any attempt left that open.
- **Native charges were repeated after a lost answer** (retried with the same Tracking-Key, which Ottu documents only for
  refund, capture and void; the sandbox's invented replay hid it). Now a charge is sent once: after a timeout, reset, 5xx or
  garbled answer it fails saying the charge may have gone through and how to check; only a 429 is waited out and retried.
- **The automatic Tracking-Key depended on the item's position**: a lost refund re-run with an item inserted before it was
  refunded twice, and a second, different refund of the same amount was swallowed. The key now comes from the workflow, node,
  operation, transaction, amount and the item's data (canonical JSON); the output says \`tracking_key_source\` and, for Ottu's
  replay of an earlier operation (a payment-webhook-shaped status, not the operation answer), \`replayed: true\`.
- **A stalled answer held the execution for ever** (issue 21): the body guard destroyed the stream at the deadline, but no
  'close' or 'error' followed, so the reader waited. The reader, the wait for the answer's head and the binary store of a
  download are now raced against the deadline (see Timeouts).
- **Untrusted inputs went through** (issue 21): a MIME type with a line break wrote its own header into the upload; a file was
  read whole before the 2.5 MB check; Send Template attachments had no bound; an empty file and a file name with a folder path
  or a line break were uploaded (the name silently rewritten); a broken %-escape in a report link threw a raw URIError. Each is
  now refused with its field, item and fix, nothing sent. Upload Attachment was repeated after a lost answer, storing a second
  copy; it is now sent once.
- **"ten" was reported as "uses exponent notation"** (any "e" matched); now only numbers in exponent form are, and "ten" "is not a number".
- **Some input errors said what was wrong but not how to fix it** (text too long, not text, gateway and channel lists of the wrong type);
  they now always carry a hint.`;

const TIMEOUTS = `## Timeouts: a stalled answer cannot hold a run

Options → Timeout bounds each attempt as a whole, from connecting to the last byte of the answer, for every request, listing
page and download (and the Ottu Report Trigger's polls: 60 s for a page, 5 minutes for a file). n8n's own timeout only notices a
socket that goes quiet, and a body destroyed at the deadline may never say so; so the reader is raced against the deadline and
the attempt ends when it runs out, whatever the stream does. \`test/integration/stalls.test.ts\` runs each case through n8n's real
engine against a raw TCP server on 127.0.0.1, with Timeout at 500 ms (2 s for the byte-a-second cases):

| The server | The item fails with |
|---|---|
| accepts the request and never answers | "Ottu did not answer within 500 ms" (a read: after 5 attempts) |
| stops in the middle of its headers | "Ottu did not answer within 500 ms" (a read: after 5 attempts) |
| trickles its headers a byte at a time | "Ottu did not answer within 500 ms" (a read: after 5 attempts) |
| stops in the middle of a JSON answer (a read, a listing page) | "Ottu's answer stalled midway: it had not arrived whole after 500 ms (the Timeout option)" (after 5 attempts) |
| trickles a JSON answer a byte a second | the same, after 2 seconds |
| stops in the middle of a file (Report → Download) | "The file did not arrive within 500 ms" |
| trickles a file a byte a second | "The file did not arrive within 2 seconds" |
| stops in the middle of the answer to a create (sent once) | the stalled-answer message, sent once, saying it may have been carried out |

Before the fix, a body that stalled midway kept the execution running for ever (past 40, 83 and 115 s, when the test gave up),
and trickled headers took 12.6 s to end. A read is still repeated after a timeout like after any lost answer (up to 5 attempts
and the back-off), so its worst case is about 5 × Timeout + 7.5 s; a request sent once ends at the first Timeout.`;

const LIMITS = `## What this does not prove, and how it was measured

- The suite shortens the request helper's first back-off step from 500 ms to 1 ms while it runs (\`RETRY_LIMITS\` is exported for
  this); the number of attempts and the limits are unchanged, and the real schedule is unit-tested in \`test/unit/transport.test.ts\`.
  The sandbox sends \`Retry-After: 0\` in the 429 storms.
- A required parameter left literally empty is refused by n8n itself before the node runs (also with nothing sent); the table
  therefore uses expressions that resolve to empty values, which only the node can catch.
- With Continue On Fail, a failed item's JSON is \`{ error, message }\` only (the message is the fix): n8n 1.x routes nothing else to the error output, so Ottu's HTTP status is kept in the error's text, not a field of its own.
- A Session ID and an Order No can never both be sent: n8n drops the parameter that Identify By hides.
- Unknown gateway codes are refused by Ottu, not locally (see Bad input).
- Fields outside Ottu's webhook signature cannot be protected by it: the trigger decides nothing from them and lists them under
  \`_ottu.unsignedFields\` (see Relabel attacks).
- Copies of a delivery that reach two webhook processes at the same time both run, and one sent right after the first was answered can
  run again while other deliveries are being saved (n8n saves static data whole, last writer wins; see Webhooks in queue mode).`;

function main(): void {
	const recorded = [
		'faults',
		'retry-paths',
		'rerun-keys',
		'in-flight',
		'crash-retry',
		'bad-input',
		'forged-webhooks',
		'relabel-attacks',
		'secrets',
		'money',
	]
		.map((s) => load(s).recorded_at)
		.sort();
	const doc = [
		'# Reliability and security',
		'',
		'<!-- Generated by scripts/reliability-report.ts from the figures of the last run of test/reliability. Do not edit by hand. -->',
		'',
		`What the reliability suite (\`test/reliability/\`, part of \`npm test\`) proves about the Ottu node and the Ottu Trigger, with the ` +
			`figures measured in its last run (${recorded[0].slice(0, 16).replace('T', ' ')} to ${recorded[recorded.length - 1].slice(0, 16).replace('T', ' ')} UTC). ` +
			'Every figure below is counted by the tests while they run; to reproduce: `npx jest test/reliability && npx tsx scripts/reliability-report.ts`.',
		'',
		faultsSection(),
		'',
		retryPathsSection(),
		'',
		TIMEOUTS,
		'',
		badInputSection(),
		'',
		forgedSection(),
		'',
		relabelSection(),
		'',
		secretsSection(),
		'',
		moneySection(),
		'',
		ELSEWHERE,
		'',
		QUEUE_WEBHOOKS,
		'',
		FOUND,
		'',
		LIMITS,
		'',
	].join('\n');
	writeFileSync(join(ROOT, 'RELIABILITY.md'), doc);
	process.stdout.write(`RELIABILITY.md written from ${RESULTS}\n`);
}

main();
