/** Listings: Ottu's limit/offset pages, fetched within LISTING_LIMITS. */
import type { IDataObject, NodeApiError } from 'n8n-workflow';

import { runAtMost } from '../helpers/concurrency';
import { formatBytes } from './body';
import { nodeError } from './errors';
import type { OttuFunctions } from './prepare';
import { nodeOf } from './prepare';
import { ottuApiRequest } from './request';

export interface PageOptions {
	path: string;
	qs?: IDataObject;
	/** Stop after this many results; undefined means all. */
	limit?: number;
	pageSize?: number;
	itemIndex?: number;
}

/** Pages requested at the same time once the first page has said how many results there are. */
export const PAGES_AT_ONCE = 3;

/** Bounds of one listing, so a server whose `next` never ends or whose `count` is absurd cannot run forever. */
export const LISTING_LIMITS = {
	maxPages: 1000,
	maxItems: 100_000,
	/** All pages' answers together (each is also held to BODY_LIMITS.maxJsonBytes); a listed report is ~0.5 KB. */
	maxTotalBytes: 64 * 1024 * 1024,
};

function listingTooLong(
	ctx: OttuFunctions,
	itemIndex: number | undefined,
	what: string,
): NodeApiError {
	return nodeError(
		nodeOf(ctx),
		`The listing is too long: ${what}, more than one run fetches (at most ${LISTING_LIMITS.maxItems} results in ${LISTING_LIMITS.maxPages} pages and ${formatBytes(LISTING_LIMITS.maxTotalBytes)})`,
		'Narrow it with the filters (for example a date range), or turn off Return All and set a Limit.',
		itemIndex,
	);
}

/** Refuses, before fetching the rest, a listing whose announced size is beyond LISTING_LIMITS. */
function checkAnnouncedSize(
	ctx: OttuFunctions,
	itemIndex: number | undefined,
	total: number,
	step: number,
): void {
	if (!Number.isSafeInteger(total) || total < 0)
		throw listingTooLong(ctx, itemIndex, `Ottu announced a count of ${String(total)}`);
	if (total > LISTING_LIMITS.maxItems)
		throw listingTooLong(ctx, itemIndex, `Ottu announced ${total} results`);
	if (Math.ceil(total / step) > LISTING_LIMITS.maxPages)
		throw listingTooLong(
			ctx,
			itemIndex,
			`${total} results in pages of ${step} make ${Math.ceil(total / step)} pages`,
		);
}

type Page = { results?: IDataObject[]; next?: string | null; count?: number };

type FetchPage = (
	offset: number,
	size: number,
) => Promise<{ batch: IDataObject[]; response: Page }>;

/**
 * Follows Ottu's limit/offset pages (`{count, next, previous, results}`) until done or `limit` results.
 * The first page gives the total and the page size Ottu really uses; the other pages are then fetched up to
 * PAGES_AT_ONCE at a time (a long listing waits for one round trip per three pages instead of one per
 * page) and put back in Ottu's order. Without a count it follows `next` one page at a time.
 */
export async function ottuApiRequestAllItems(
	this: OttuFunctions,
	page: PageOptions,
): Promise<IDataObject[]> {
	const wanted = page.limit ?? Infinity;
	const pageSize = Math.max(1, Math.min(page.pageSize ?? 200, wanted));
	let bytes = 0;
	const fetchPage: FetchPage = async (offset, size) => {
		const response = (await ottuApiRequest.call(this, {
			onAnswerBytes: (n) => {
				bytes += n;
				if (bytes > LISTING_LIMITS.maxTotalBytes)
					throw listingTooLong(
						this,
						page.itemIndex,
						`its pages passed ${formatBytes(LISTING_LIMITS.maxTotalBytes)} together`,
					);
			},
			method: 'GET',
			path: page.path,
			qs: {
				...(page.qs ?? {}),
				limit: size,
				offset,
			},
			itemIndex: page.itemIndex,
		})) as Page;
		return {
			batch: Array.isArray(response.results) ? response.results : [],
			response,
		};
	};

	const first = await fetchPage(0, pageSize);
	let results = first.batch;
	const step = first.batch.length;
	const total =
		typeof first.response.count === 'number' ? Math.min(first.response.count, wanted) : undefined;

	if (step > 0 && first.response.next && total !== undefined) {
		checkAnnouncedSize(this, page.itemIndex, total, step);
		results = results.concat(...(await restInParallel(fetchPage, step, total, pageSize)));
	} else if (step > 0 && first.response.next) {
		await followNext(this, page.itemIndex, fetchPage, results, wanted, pageSize);
	}
	return results.length > wanted ? results.slice(0, wanted) : results;
}

/** The pages after the first, PAGES_AT_ONCE at a time, in Ottu's order. */
async function restInParallel(
	fetchPage: FetchPage,
	step: number,
	total: number,
	pageSize: number,
): Promise<IDataObject[][]> {
	const offsets: number[] = [];
	for (let offset = step; offset < total; offset += step) offsets.push(offset);
	const batches: IDataObject[][] = new Array(offsets.length);
	await runAtMost(offsets.length, PAGES_AT_ONCE, async (k) => {
		batches[k] = (await fetchPage(offsets[k], Math.min(pageSize, total - offsets[k]))).batch;
	});
	return batches;
}

/** Without a count: the next page, one at a time, added to `results`, within LISTING_LIMITS. */
async function followNext(
	ctx: OttuFunctions,
	itemIndex: number | undefined,
	fetchPage: FetchPage,
	results: IDataObject[],
	wanted: number,
	pageSize: number,
): Promise<void> {
	for (let offset = results.length, pages = 1; results.length < wanted; pages++) {
		if (pages >= LISTING_LIMITS.maxPages || results.length >= LISTING_LIMITS.maxItems) {
			throw listingTooLong(
				ctx,
				itemIndex,
				`Ottu still had a next page after ${pages} pages and ${results.length} results`,
			);
		}
		const { batch, response } = await fetchPage(
			offset,
			Math.min(pageSize, wanted - results.length),
		);
		results.push(...batch);
		offset += batch.length;
		if (batch.length === 0 || !response.next) break;
	}
}
