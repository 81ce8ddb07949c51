/**
 * Pieces of an in-process n8n host that need no jest (the benchmark uses them too): the credential
 * helper n8n's request helpers call, and n8n-core's binary data in filesystem mode.
 */
import { Container } from '@n8n/di';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';

import type { BinaryData, BinaryDataConfig } from 'n8n-core';
import { BinaryDataService, FileTooLargeError } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { OttuApi } from '../../credentials/OttuApi.credentials';

let credentialTypes: Record<string, ICredentialType> = { ottuApi: new OttuApi() };

/**
 * The credential classes TestCredentialsHelper authenticates with; the benchmark swaps in the compiled ones from
 * dist. Kept out of the helper's instances: jest-mock-extended's mock() walks every value it is given.
 */
export function useCredentialTypes(types: Record<string, ICredentialType>): void {
	credentialTypes = types;
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	/** What n8n's CredentialsHelper.authenticate does for a function-style `authenticate`. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate === 'function')
			return await type.authenticate(credentials, requestOptions);
		throw new Error(`Test harness supports function-style authenticate only (${typeName})`);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used in tests');
	}

	async getDecrypted(
		_a: unknown,
		_n: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string) {
		return credentialTypes[type].properties;
	}
}

/**
 * Switches n8n's binary data to filesystem mode in `directory`, as a self-hosted n8n runs by default:
 * prepareBinaryData then streams files to disk instead of keeping them in memory as base64. Uses
 * n8n-core's own BinaryDataService, registered in the container n8n-core's helpers read it from.
 */
export async function useFilesystemBinaryData(directory: string): Promise<BinaryDataService> {
	const config = {
		mode: 'filesystem',
		availableModes: ['filesystem'],
		localStoragePath: directory,
		signingSecret: 'test-signing-secret',
		dbMaxFileSize: 512,
	};
	const errorReporter = { error: (error: unknown) => console.error(error) };
	const logger = { info() {}, debug() {}, warn() {}, error() {} };
	const ctor = BinaryDataService as unknown as new (
		config: BinaryDataConfig,
		...rest: unknown[]
	) => BinaryDataService;
	const service = new ctor(config as unknown as BinaryDataConfig, errorReporter, logger);
	await service.init();
	Container.set(BinaryDataService, service);
	return service;
}

/**
 * n8n's `database` binary data mode (the one queue mode uses), as n8n's DatabaseManager behaves: each file is
 * read whole into memory, and one over `maxFileSizeMb` (N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, 512 by
 * default) is refused with n8n-core's FileTooLargeError. Files are kept in a Map instead of Postgres.
 */
export async function useDatabaseBinaryData(
	directory: string,
	maxFileSizeMb: number,
): Promise<{ files: Map<string, Buffer>; bytesRead: number[] }> {
	const service = await useFilesystemBinaryData(directory);
	const files = new Map<string, Buffer>();
	/** Per file handed to the store, the bytes it read (also of a body that failed midway). */
	const bytesRead: number[] = [];
	const manager: Partial<BinaryData.Manager> = {
		async store(_location, bufferOrStream, metadata) {
			const chunks: Buffer[] = [];
			const read = bytesRead.push(0) - 1;
			if (Buffer.isBuffer(bufferOrStream)) chunks.push(bufferOrStream);
			else
				for await (const chunk of bufferOrStream) {
					chunks.push(chunk as Buffer);
					bytesRead[read] += (chunk as Buffer).length;
				}
			const data = Buffer.concat(chunks);
			const fileId = randomUUID();
			const fileSizeMb = data.length / (1024 * 1024);
			if (fileSizeMb > maxFileSizeMb)
				throw new FileTooLargeError({
					fileSizeMb,
					maxFileSizeMb,
					fileId,
					fileName: metadata.fileName,
				});
			files.set(fileId, data);
			return { fileId, fileSize: data.length };
		},
		getPath: (fileId) => `database://${fileId}`,
		getAsBuffer: async (fileId) => files.get(fileId)!,
		getAsStream: async (fileId) => Readable.from(files.get(fileId)!),
	};
	service.setManager('database', manager as BinaryData.Manager);
	(service as unknown as { mode: string }).mode = 'database';
	return { files, bytesRead };
}
