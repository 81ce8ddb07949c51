/**
 * A local npm registry (verdaccio) for the install-path tests: the packed package is published to it and
 * installed by name, as a user installs it from npm. Verdaccio is installed once into the per-user cache,
 * next to the n8n runtime, so it is not a devDependency of this package.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Log } from './runtime';
import { installDetail, withProgress } from './runtime';
import type { Service } from './stack';
import { freePort, PACKAGE_NAME, spawnGroup, stopService, waitForHttp } from './stack';

export const VERDACCIO_VERSION = '6.10.4';

function cacheRoot(): string {
	if (process.env.OTTU_N8N_CACHE_DIR) return path.resolve(process.env.OTTU_N8N_CACHE_DIR);
	const base = process.env.XDG_CACHE_HOME || path.join(process.env.HOME ?? '', '.cache');
	return path.join(base, 'n8n-nodes-ottu');
}

export function verdaccioDir(): string {
	return path.join(cacheRoot(), `verdaccio-${VERDACCIO_VERSION}`);
}

function verdaccioBin(): string {
	return path.join(verdaccioDir(), 'node_modules', 'verdaccio', 'bin', 'verdaccio');
}

/** Installs verdaccio into the cache the first time (about 15 s); returns at once when already there. */
export async function ensureVerdaccio(log: Log): Promise<string> {
	const dir = verdaccioDir();
	if (fs.existsSync(verdaccioBin())) return verdaccioBin();
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'ottu-dev-local-registry',
				private: true,
				description: 'A local npm registry for the n8n-nodes-ottu install-path tests',
				dependencies: { verdaccio: VERDACCIO_VERSION },
			},
			null,
			2,
		),
	);
	await withProgress(
		log,
		`installing verdaccio ${VERDACCIO_VERSION}`,
		async () =>
			execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
				cwd: dir,
				stdio: 'ignore',
			}),
		{ detail: installDetail(dir) },
	);
	if (!fs.existsSync(verdaccioBin())) throw new Error(`verdaccio did not install into ${dir}`);
	return verdaccioBin();
}

export interface LocalRegistry extends Service {
	/** npm's `_authToken` of the user who publishes. */
	token: string;
}

/**
 * Starts verdaccio (on `nodeBin`: verdaccio 6 needs Node 22 or later) with its storage in `dir`: no uplink,
 * so it serves only what is published to it.
 */
export async function startRegistry(
	dir: string,
	nodeBin: string,
	log: Log,
): Promise<LocalRegistry> {
	const bin = await ensureVerdaccio(log);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const port = await freePort();
	const config = path.join(dir, 'config.yaml');
	// This package only from what is published here; everything else (the peer dependency npm installs
	// next to it) from the registry npm is set up with, as a user's npm would get it.
	const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim();
	fs.writeFileSync(
		config,
		[
			`storage: ${path.join(dir, 'storage')}`,
			'auth:',
			'  htpasswd:',
			`    file: ${path.join(dir, 'htpasswd')}`,
			'uplinks:',
			'  upstream:',
			`    url: ${upstream}`,
			'packages:',
			`  '${PACKAGE_NAME}':`,
			'    access: $all',
			'    publish: $authenticated',
			"  '**':",
			'    access: $all',
			'    publish: $authenticated',
			'    proxy: upstream',
			'log: { type: stdout, format: pretty, level: warn }',
			'',
		].join('\n'),
	);
	const logFile = path.join(dir, 'verdaccio.log');
	const child = spawnGroup(
		nodeBin,
		[bin, '--config', config, '--listen', `127.0.0.1:${port}`],
		process.env,
		logFile,
		dir,
	);
	const url = `http://127.0.0.1:${port}`;
	const service = { name: 'verdaccio', child, logFile, url };
	try {
		await waitForHttp(service, `${url}/-/ping`, 60_000);
		const res = await fetch(`${url}/-/user/org.couchdb.user:publisher`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'publisher', password: 'local-registry-only' }),
		});
		const body = (await res.json()) as { token?: string };
		if (!body.token) throw new Error(`verdaccio refused the publisher (${res.status})`);
		return { ...service, token: body.token };
	} catch (error) {
		await stopService(service);
		throw error;
	}
}

/** `npm`'s option for installing from the local registry (no .npmrc is written). */
export function registryFlag(registry: LocalRegistry): string {
	return `--registry=${registry.url}/`;
}

/** Publishes a packed tarball to the local registry. */
export function publishTarball(registry: LocalRegistry, tarball: string): void {
	const host = registry.url.replace(/^https?:/, '');
	const auth = `--${host}/:_authToken=${registry.token}`;
	execFileSync('npm', ['publish', tarball, '--access=public', registryFlag(registry), auth], {
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
	});
}

/**
 * A folder holding an `npm` that sends n8n's installer to the local registry. n8n without an enterprise
 * licence installs community packages from the public registry only and names it on npm's command line, so
 * any registry named there is replaced here; everything else (the checks, `npm pack`, unpacking, loading) is
 * n8n's own.
 */
export function npmRedirectBin(dir: string, registry: LocalRegistry, realNpm: string): string {
	const bin = path.join(dir, 'npm-bin');
	fs.mkdirSync(bin, { recursive: true });
	const script = [
		'#!/bin/sh',
		'# Written by scripts/dev/registry.ts: any registry named by n8n becomes the local one.',
		'for arg do',
		'  shift',
		'  case "$arg" in',
		`    --registry=*) set -- "$@" "--registry=${registry.url}/" ;;`,
		'    *) set -- "$@" "$arg" ;;',
		'  esac',
		'done',
		`export npm_config_registry='${registry.url}/'`,
		`exec '${realNpm}' "$@"`,
		'',
	].join('\n');
	fs.writeFileSync(path.join(bin, 'npm'), script, { mode: 0o755 });
	return bin;
}
