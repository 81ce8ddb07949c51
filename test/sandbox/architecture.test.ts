/**
 * The sandbox's layering rules, read from the source: a domain (one Ottu API area's routes) never imports
 * another domain or the control API, and every /__sandbox/ route is declared in the control module.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SANDBOX = resolve(__dirname, '../../sandbox');
const DOMAINS = join(SANDBOX, 'domains');
const CONTROL = join(SANDBOX, 'control');

function tsFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return tsFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** The relative modules a file imports or re-exports (multi-line imports included), resolved to paths. */
function localImports(file: string): string[] {
	const source = readFileSync(file, 'utf8');
	const specifiers = [...source.matchAll(/(?:^|\n)\s*(?:import|export)\b[^;]*?from\s+'([^']+)'/g)];
	return specifiers
		.map((m) => m[1])
		.filter((s) => s.startsWith('.'))
		.map((s) => resolve(dirname(file), s));
}

const inside = (path: string, dir: string) => !relative(dir, path).startsWith('..');

describe('sandbox architecture', () => {
	const domainFiles = tsFiles(DOMAINS);

	it('finds the domain modules and reads multi-line imports', () => {
		expect(domainFiles.length).toBeGreaterThan(5);
		const all = domainFiles.flatMap(localImports);
		expect(all.some((p) => inside(p, join(SANDBOX, 'core')))).toBe(true);
	});

	it('no domain imports another domain or the control module', () => {
		const offending = domainFiles.flatMap((file) =>
			localImports(file)
				.filter((target) => inside(target, DOMAINS) || inside(target, CONTROL))
				.map((target) => `${relative(SANDBOX, file)} → ${relative(SANDBOX, target)}`),
		);
		expect(offending).toEqual([]);
	});

	it('core imports no domain and no control module', () => {
		const offending = tsFiles(join(SANDBOX, 'core')).flatMap((file) =>
			localImports(file)
				.filter((target) => inside(target, DOMAINS) || inside(target, CONTROL))
				.map((target) => `${relative(SANDBOX, file)} → ${relative(SANDBOX, target)}`),
		);
		expect(offending).toEqual([]);
	});

	it('every /__sandbox/ route is declared in the control module', () => {
		const route = /\.(?:get|post|put|patch|delete|route)\s*(?:<[^(]*>)?\(\s*['"`]\/__sandbox\//;
		const outside = tsFiles(SANDBOX)
			.filter((file) => !inside(file, CONTROL))
			.filter((file) => route.test(readFileSync(file, 'utf8')))
			.map((file) => relative(SANDBOX, file));
		expect(outside).toEqual([]);
	});
});
