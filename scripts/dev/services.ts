/**
 * Postgres and Redis for n8n's queue mode, from the operating system's packages (Debian/Ubuntu: installed with
 * apt-get the first time when running as root), each on a data folder of the project's own, bound to 127.0.0.1 on
 * a port of our choosing. Postgres refuses to run as root, so as root it runs as the system's `postgres` user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Log } from './runtime';
import { tail } from './runtime';
import type { Service } from './stack';
import { portInUse, spawnGroup, stopService } from './stack';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function commandPath(name: string): string | undefined {
	const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
	return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : undefined;
}

/** Folder with initdb/postgres/psql: Debian keeps them in /usr/lib/postgresql/<major>/bin (newest wins). */
export function postgresBinDir(): string | undefined {
	const debian = '/usr/lib/postgresql';
	if (fs.existsSync(debian)) {
		const majors = fs
			.readdirSync(debian)
			.filter((v) => /^\d+$/.test(v) && fs.existsSync(path.join(debian, v, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (majors.length > 0) return path.join(debian, majors[0], 'bin');
	}
	const initdb = commandPath('initdb');
	return initdb ? path.dirname(fs.realpathSync(initdb)) : undefined;
}

export function redisServerPath(): string | undefined {
	return commandPath('redis-server');
}

/** Installs Postgres and Redis with apt-get when missing (root only); otherwise says what to install. */
export function ensureServicePackages(log: Log): void {
	const missing: string[] = [];
	if (!postgresBinDir()) missing.push('postgresql');
	if (!redisServerPath()) missing.push('redis-server');
	if (missing.length === 0) return;
	const hasApt = commandPath('apt-get') !== undefined;
	if (!isRoot() || !hasApt) {
		throw new Error(
			`queue mode needs Postgres and Redis, and ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed. ` +
				`Install ${missing.length > 1 ? 'them' : 'it'} (Debian/Ubuntu: \`sudo apt-get install -y ${missing.join(' ')}\`) and run again. ` +
				'Nothing needs to be started or configured: this script runs its own copies on 127.0.0.1.',
		);
	}
	log(`installing ${missing.join(' and ')} (apt-get, once)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
	execFileSync('apt-get', ['install', '-y', '-qq', ...missing], { stdio: 'inherit', env });
	if (!postgresBinDir() || !redisServerPath())
		throw new Error(`apt-get installed ${missing.join(', ')} but the commands are not found`);
}

/** As root, Postgres runs as the system's `postgres` user; otherwise as ourselves. */
function pgUser(): string | undefined {
	if (!isRoot()) return undefined;
	const found = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
	if (found.status !== 0)
		throw new Error(
			'running as root, but there is no `postgres` user to run Postgres as (install the postgresql package)',
		);
	return 'postgres';
}

function asPg(user: string | undefined, cmd: string, args: string[]): [string, string[]] {
	return user ? ['runuser', ['-u', user, '--', cmd, ...args]] : [cmd, args];
}

function runPg(user: string | undefined, cmd: string, args: string[], what: string): string {
	const [c, a] = asPg(user, cmd, args);
	const result = spawnSync(c, a, { encoding: 'utf8' });
	if (result.status !== 0)
		throw new Error(
			`${what} failed (${result.status ?? result.signal}): ${(result.stderr || result.stdout).trim().slice(-1500)}`,
		);
	return result.stdout;
}

function chownTo(user: string | undefined, dir: string): void {
	if (user) execFileSync('chown', ['-R', `${user}:`, dir]);
}

export interface PostgresOptions {
	/** Holds data/, run/ (socket) and postgres.log. */
	dir: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

export interface PostgresService extends Service {
	/** As asked for (startPostgres may keep the data elsewhere; it finds it again from this). */
	dir: string;
	port: number;
	database: string;
	user: string;
	password: string;
}

/**
 * The folder Postgres keeps its data in: `preferred`, unless the postgres user cannot pass through one of its parent
 * folders (a clone under a home folder closed to others); then a folder of the same project in the system's temp folder.
 */
function postgresHome(user: string | undefined, preferred: string, log: Log): string {
	const usable = (dir: string) => {
		fs.mkdirSync(path.join(dir, 'run'), { recursive: true });
		if (!user) return true;
		chownTo(user, dir);
		return (
			spawnSync('runuser', ['-u', user, '--', 'test', '-w', path.join(dir, 'run')]).status === 0
		);
	};
	if (usable(preferred)) return preferred;
	const fallback = path.join(
		os.tmpdir(),
		`n8n-nodes-ottu-postgres-${createHash('sha256').update(preferred).digest('hex').slice(0, 12)}`,
	);
	if (!usable(fallback))
		throw new Error(
			`the ${user} user can reach neither ${preferred} nor ${fallback}: clone the project where other users can pass through, or run as a regular user`,
		);
	log(
		`the ${user} user cannot pass through a parent folder of ${preferred}: Postgres keeps its data in ${fallback} instead`,
	);
	return fallback;
}

/** initdb on first use, start, and make sure the role and database exist. Data stays for the next start. */
export async function startPostgres(opts: PostgresOptions, log: Log): Promise<PostgresService> {
	const bin = postgresBinDir();
	if (!bin) throw new Error('Postgres is not installed (see ensureServicePackages)');
	if (await portInUse(opts.port))
		throw new Error(
			`port ${opts.port} is already in use on 127.0.0.1; choose another Postgres port`,
		);
	const user = pgUser();
	const dir = postgresHome(user, opts.dir, log);
	const dataDir = path.join(dir, 'data');
	const runDir = path.join(dir, 'run');
	const logFile = path.join(dir, 'postgres.log');
	if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) initDataDir(user, bin, dataDir, log);
	const args = [
		'-D',
		dataDir,
		'-c',
		'listen_addresses=127.0.0.1',
		'-p',
		String(opts.port),
		'-c',
		`unix_socket_directories=${runDir}`,
		'-c',
		'max_connections=200',
		'-c',
		'fsync=off',
	];
	const [cmd, cmdArgs] = asPg(user, path.join(bin, 'postgres'), args);
	const child = spawnGroup(cmd, cmdArgs, process.env, logFile, dir);
	const service: PostgresService = {
		name: 'Postgres',
		child,
		logFile,
		url: `postgres://127.0.0.1:${opts.port}`,
		...opts,
	};
	const psql = psqlOver(user, bin, runDir, opts.port);
	await waitForPostgres(child, psql, logFile);
	ensureRoleAndDatabase(psql, opts);
	return service;
}

type Psql = (sql: string, db?: string) => string;

function initDataDir(user: string | undefined, bin: string, dataDir: string, log: Log): void {
	log('creating the Postgres data folder (initdb, once)');
	fs.rmSync(dataDir, { recursive: true, force: true });
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	chownTo(user, dataDir);
	runPg(
		user,
		path.join(bin, 'initdb'),
		[
			'-D',
			dataDir,
			'-U',
			'postgres',
			'-E',
			'UTF8',
			'--locale=C.UTF-8',
			'--auth-local=trust',
			'--auth-host=scram-sha-256',
		],
		'initdb',
	);
}

/** psql as the superuser over the server's own Unix socket (trusted, no password). */
function psqlOver(user: string | undefined, bin: string, runDir: string, port: number): Psql {
	return (sql, db = 'postgres') =>
		runPg(
			user,
			path.join(bin, 'psql'),
			[
				'-h',
				runDir,
				'-p',
				String(port),
				'-U',
				'postgres',
				'-d',
				db,
				'-v',
				'ON_ERROR_STOP=1',
				'-tAc',
				sql,
			],
			'psql',
		);
}

/** Ready means it answers a query, not just that the port is open. */
async function waitForPostgres(
	child: Service['child'],
	psql: Psql,
	logFile: string,
): Promise<void> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`Postgres stopped while starting. Last lines of ${logFile}:\n${tail(logFile, 30)}`,
			);
		try {
			psql('select 1');
			return;
		} catch (error) {
			if (Date.now() > deadline)
				throw new Error(
					`Postgres was not ready within 60 s: ${(error as Error).message}\n${tail(logFile, 30)}`,
				);
			await sleep(200);
		}
	}
}

/** The password is set on every start, so a changed one in the state file takes effect. */
function ensureRoleAndDatabase(psql: Psql, opts: PostgresOptions): void {
	const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;
	if (psql(`select 1 from pg_roles where rolname = ${literal(opts.user)}`).trim() !== '1') {
		psql(`create role "${opts.user}" login password ${literal(opts.password)}`);
	} else {
		psql(`alter role "${opts.user}" password ${literal(opts.password)}`);
	}
	if (psql(`select 1 from pg_database where datname = ${literal(opts.database)}`).trim() !== '1') {
		psql(`create database "${opts.database}" owner "${opts.user}"`);
	}
}

/** Postgres: SIGINT is its "fast" shutdown (SIGTERM would wait for every client to leave). */
export async function stopPostgres(
	service: Pick<Service, 'child'>,
	graceMs = 20_000,
): Promise<void> {
	await stopService(service, graceMs, 'SIGINT');
}

/**
 * Redis in the foreground with its append-only file on: n8n does not re-queue from Postgres, so a job lost
 * with Redis is an execution that stays "new" and never runs. A stop or restart keeps every queued job (the
 * file is written on shutdown); a crash of the machine loses at most the last second.
 */
export async function startRedis(opts: {
	dir: string;
	port: number;
	appendLog?: boolean;
}): Promise<Service & { port: number }> {
	const server = redisServerPath();
	if (!server) throw new Error('Redis is not installed (see ensureServicePackages)');
	if (await portInUse(opts.port))
		throw new Error(`port ${opts.port} is already in use on 127.0.0.1; choose another Redis port`);
	fs.mkdirSync(opts.dir, { recursive: true });
	const logFile = path.join(opts.dir, 'redis.log');
	const args = [
		'--bind',
		'127.0.0.1',
		'--port',
		String(opts.port),
		'--save',
		'',
		'--appendonly',
		'yes',
		'--appendfsync',
		'everysec',
		'--daemonize',
		'no',
		'--dir',
		opts.dir,
		'--protected-mode',
		'yes',
	];
	const child = spawnGroup(server, args, process.env, logFile, opts.dir, opts.appendLog);
	const service = {
		name: 'Redis',
		child,
		logFile,
		url: `redis://127.0.0.1:${opts.port}`,
		port: opts.port,
	};
	const deadline = Date.now() + 20_000;
	while (!(await portInUse(opts.port))) {
		if (child.exitCode !== null || child.signalCode !== null)
			throw new Error(
				`Redis stopped while starting. Last lines of ${logFile}:\n${tail(logFile, 20)}`,
			);
		if (Date.now() > deadline)
			throw new Error(
				`Redis was not ready within 20 s. Last lines of ${logFile}:\n${tail(logFile, 20)}`,
			);
		await sleep(100);
	}
	return service;
}
