/**
 * n8n's processed-data store, in memory: n8n's own keeps the same entries in its database table
 * (DeduplicationHelper in n8n's cli). The engine's checkProcessedAndRecord helpers reach it through n8n-core's
 * DataDeduplicationService, which n8n initialises at start; the in-process tests initialise it here.
 */
import { createHash } from 'node:crypto';

import { DataDeduplicationService } from 'n8n-core';
import type {
	DeduplicationItemTypes,
	DeduplicationScope,
	ICheckProcessedContextData,
	ICheckProcessedOptions,
	IDataDeduplicator,
	IDeduplicationOutput,
} from 'n8n-workflow';

const rows = new Map<string, string[]>();

function rowKey(scope: DeduplicationScope, context: ICheckProcessedContextData): string {
	const node = scope === 'node' ? `n:${context.node?.id ?? ''}` : '';
	return `${context.workflow.id}\n${node}`;
}

/** n8n reads the row, then writes it back whole (a database round trip apart). */
const roundTrip = async () => await new Promise((resolve) => setImmediate(resolve));

const hashOf = (item: DeduplicationItemTypes) =>
	createHash('md5').update(String(item)).digest('base64');

class MemoryDeduplicator implements IDataDeduplicator {
	async checkProcessedAndRecord(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
		options: ICheckProcessedOptions,
	): Promise<IDeduplicationOutput> {
		const row = [...(rows.get(rowKey(scope, context)) ?? [])];
		await roundTrip();
		const out: IDeduplicationOutput = { new: [], processed: [] };
		for (const item of items) {
			const hash = hashOf(item);
			if (row.includes(hash)) out.processed.push(item);
			else {
				out.new.push(item);
				row.push(hash);
			}
		}
		if (options.maxEntries) row.splice(0, Math.max(0, row.length - options.maxEntries));
		rows.set(rowKey(scope, context), row);
		return out;
	}

	async removeProcessed(
		items: DeduplicationItemTypes[],
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<void> {
		const row = [...(rows.get(rowKey(scope, context)) ?? [])];
		await roundTrip();
		for (const hash of items.map(hashOf)) {
			const at = row.indexOf(hash);
			if (at !== -1) row.splice(at, 1);
		}
		rows.set(rowKey(scope, context), row);
	}

	async clearAllProcessedItems(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<void> {
		rows.delete(rowKey(scope, context));
	}

	async getProcessedDataCount(
		scope: DeduplicationScope,
		context: ICheckProcessedContextData,
	): Promise<number> {
		return rows.get(rowKey(scope, context))?.length ?? 0;
	}
}

let initialised: Promise<void> | undefined;

/** Gives the engine its processed-data store (once per test file, as n8n does once per process). */
export async function useProcessedDataStore(): Promise<void> {
	initialised ??= DataDeduplicationService.init(new MemoryDeduplicator());
	await initialised;
}

/** How many writes are recorded for a workflow's node. */
export function processedCount(workflowId: string, nodeId: string): number {
	return rows.get(`${workflowId}\nn:${nodeId}`)?.length ?? 0;
}
