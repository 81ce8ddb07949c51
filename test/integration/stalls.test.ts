/**
 * Options → Timeout bounds the whole exchange, from connecting to the last byte, through n8n's real engine:
 * a server on 127.0.0.1 that stalls before its headers, in the middle of them, in the middle of a JSON or a
 * file body, or trickles a byte at a time. Each run must end, failing the item with the true reason.
 */
import { createServer as createTcpServer } from 'node:net';
import type { AddressInfo, Server as TcpServer, Socket } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { runOttu } from '../helpers/n8n';
import { useFastBackoff } from '../reliability/support';

type Script = (socket: Socket) => void;

/** A raw TCP server, so that a test can stall or trickle anywhere in the HTTP answer, headers included. */
describe('Options → Timeout against a stalling server', () => {
	let server: TcpServer;
	let script: Script;
	const sockets = new Set<Socket>();
	const timers = new Set<NodeJS.Timeout>();
	let requests = 0;
	useFastBackoff();
	const credentials = {
		baseUrl: '',
		authentication: 'apiKey',
		apiKey: 'key.stall-test-secret-0001',
	};

	beforeAll(async () => {
		server = createTcpServer((socket) => {
			sockets.add(socket);
			socket.on('error', () => undefined);
			socket.on('close', () => sockets.delete(socket));
			// Wait for the request to arrive before answering.
			socket.once('data', () => {
				requests++;
				script(socket);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		credentials.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	beforeEach(() => {
		requests = 0;
	});
	afterEach(() => {
		timers.forEach((t) => clearInterval(t));
		timers.clear();
		sockets.forEach((s) => s.destroy());
	});
	afterAll(async () => {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	/** Writes `text` one byte per `every` ms, for ever (until the test ends). */
	const trickle = (socket: Socket, text: string, every = 200) => {
		let i = 0;
		const timer = setInterval(() => {
			if (socket.destroyed) return clearInterval(timer);
			socket.write(text[i % text.length]);
			i++;
		}, every);
		timers.add(timer);
	};
	const JSON_HEAD =
		'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';
	const FILE_HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\nContent-Length: 100000\r\n\r\n';

	// Stalls are caught at 500 ms; a byte a second is slower than n8n's idle timeout would notice at 2 s.
	const short = { timeout: 500 };
	const long = { timeout: 2000 };
	const get = (options = short) => ({
		resource: 'paymentTransaction',
		operation: 'get',
		sessionId: 'a'.repeat(40),
		options,
	});
	const list = { resource: 'report', operation: 'getAll', returnAll: true, options: short };
	const download = (options = short) => ({
		resource: 'report',
		operation: 'download',
		report: 'token-1',
		binaryPropertyName: 'data',
		options,
	});
	const create = {
		resource: 'paymentTransaction',
		operation: 'create',
		type: 'payment_request',
		amount: '20',
		currencyCode: 'KWD',
		pgCodes: ['credit-card'],
		options: short,
	};
	const stalled = (wait: string) =>
		`Ottu's answer stalled midway: it had not arrived whole after ${wait} (the Timeout option) [item 0]`;
	const run = (parameters: IDataObject) => runOttu({ parameters, credentials });

	/** A read is repeated after a timeout like after any lost answer; the run still ends, saying why. */
	const expectReadFailed = (
		error: { message: string; description?: string | null } | undefined,
		message: string,
	) => {
		expect(error?.message).toBe(message);
		expect(error?.description).toMatch(/^Tried 5 times\./);
		expect(requests).toBe(5);
	};

	it('fails a read whose server never sends its headers, saying Ottu did not answer', async () => {
		script = () => undefined;
		expectReadFailed((await run(get())).error, 'Ottu did not answer within 500 ms [item 0]');
	}, 60_000);

	it('fails a read whose server stops in the middle of its headers', async () => {
		script = (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Ty');
		expectReadFailed((await run(get())).error, 'Ottu did not answer within 500 ms [item 0]');
	}, 60_000);

	it('fails a read whose server trickles its headers a byte at a time', async () => {
		script = (socket) => trickle(socket, `HTTP/1.1 200 OK\r\nX-Slow: ${'a'.repeat(10_000)}`, 200);
		expectReadFailed((await run(get())).error, 'Ottu did not answer within 500 ms [item 0]');
	}, 60_000);

	it('fails a read whose JSON body stops midway, saying the answer stalled', async () => {
		script = (socket) => socket.write(`${JSON_HEAD}{"session_id": "`);
		expectReadFailed((await run(get())).error, stalled('500 ms'));
	}, 60_000);

	it('fails a read whose JSON body trickles a byte a second', async () => {
		script = (socket) => {
			socket.write(JSON_HEAD);
			trickle(socket, '{"a": 1, "b": 2}', 1000);
		};
		expectReadFailed((await run(get(long))).error, stalled('2 seconds'));
	}, 90_000);

	it('fails a listing whose page stops midway', async () => {
		script = (socket) => socket.write(`${JSON_HEAD}{"count": 1, "results": [`);
		expectReadFailed((await run(list)).error, stalled('500 ms'));
	}, 60_000);

	it('fails a download whose file stops midway', async () => {
		script = (socket) => socket.write(`${FILE_HEAD}a,b\n1,2\n`);
		const { error } = await run(download());
		expect(error?.message).toBe('The file did not arrive within 500 ms [item 0]');
		expect(error?.description).toMatch(/Timeout option bounds the whole download/);
	}, 60_000);

	it('fails a download whose file trickles a byte a second', async () => {
		script = (socket) => {
			socket.write(FILE_HEAD);
			trickle(socket, 'a,b\n', 1000);
		};
		const { error } = await run(download(long));
		expect(error?.message).toBe('The file did not arrive within 2 seconds [item 0]');
	}, 60_000);

	it('fails a create whose answer stalls midway, sent once and saying it may have happened', async () => {
		script = (socket) => socket.write(`${JSON_HEAD}{"session_id": "`);
		const { error } = await run(create);
		expect(error?.message).toBe(stalled('500 ms'));
		expect(error?.description).toContain('check in Ottu before running it again');
		expect(requests).toBe(1);
	}, 60_000);
});
