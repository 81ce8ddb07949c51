// Proves the published package stands alone: packs it, unpacks it into an empty folder that has only
// n8n-workflow (as n8n provides it), and requires every file the `n8n` section of package.json lists.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const pkg = require(path.join(root, 'package.json'));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ottu-pack-'));
try {
	const out = execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
		cwd: root,
		encoding: 'utf8',
	});
	const info = JSON.parse(out)[0];
	const tarball = path.join(work, info.filename);
	const files = info.files.map((f) => f.path);
	const outside = files.filter(
		(f) =>
			!f.startsWith('dist/') &&
			!['package.json', 'README.md', 'LICENSE.md', 'CHANGELOG.md'].includes(f),
	);
	if (outside.length) throw new Error(`packed files outside dist: ${outside.join(', ')}`);
	const leaked = files.filter((f) => /(^|\/)(sandbox|test|bench|scripts|e2e)\//.test(f));
	if (leaked.length) throw new Error(`dev-only files in the package: ${leaked.join(', ')}`);

	const consumer = path.join(work, 'consumer');
	const modules = path.join(consumer, 'node_modules');
	fs.mkdirSync(path.join(modules, 'n8n-nodes-ottu'), { recursive: true });
	execFileSync('tar', [
		'xzf',
		tarball,
		'-C',
		path.join(modules, 'n8n-nodes-ottu'),
		'--strip-components=1',
	]);
	fs.symlinkSync(
		path.dirname(require.resolve('n8n-workflow/package.json', { paths: [root] })),
		path.join(modules, 'n8n-workflow'),
		'dir',
	);

	const packed = require(path.join(modules, 'n8n-nodes-ottu', 'package.json'));
	if (packed.dependencies && Object.keys(packed.dependencies).length)
		throw new Error('package has runtime dependencies');
	const entries = [...(packed.n8n.credentials || []), ...packed.n8n.nodes];
	const script = `
		const path = require('path');
		for (const rel of ${JSON.stringify(entries)}) {
			const mod = require(path.join('n8n-nodes-ottu', rel));
			const cls = Object.values(mod)[0];
			const instance = new cls();
			const name = instance.description ? instance.description.name : instance.name;
			if (!name) throw new Error(rel + ' exports no node or credential');
			console.log('loaded', rel, '->', name);
		}
		try { require.resolve('decimal.js'); throw new Error('decimal.js resolvable from consumer: test is not isolated'); }
		catch (e) { if (e.code !== 'MODULE_NOT_FOUND') throw e; }
	`;
	execFileSync(process.execPath, ['-e', script], {
		cwd: consumer,
		stdio: 'inherit',
		env: { ...process.env, NODE_PATH: '' },
	});
	console.log(
		`package ok: ${info.filename}, ${files.length} files, ${info.size} bytes packed, no runtime dependencies`,
	);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
