// Asset steps of `npm run build` that tsc does not do: icons, codex files, and bundling decimal.js
// (a devDependency) into dist so the published package has no runtime dependencies.
const path = require('path');
const fs = require('fs');
const { src, dest, series } = require('gulp');

function copyIcons() {
	return src(['icons/**/*.svg', 'nodes/**/*.svg', 'credentials/**/*.svg'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

function copyCodex() {
	return src('nodes/**/*.node.json', { base: '.' }).pipe(dest('dist'));
}

const VENDOR_DIR = path.join('dist', 'vendor', 'decimal.js');

function vendorDecimal(done) {
	const pkgDir = path.dirname(require.resolve('decimal.js/package.json'));
	fs.mkdirSync(VENDOR_DIR, { recursive: true });
	fs.copyFileSync(path.join(pkgDir, 'decimal.js'), path.join(VENDOR_DIR, 'decimal.js'));
	fs.copyFileSync(path.join(pkgDir, 'LICENCE.md'), path.join(VENDOR_DIR, 'LICENCE.md'));
	done();
}

function walk(dir, out = []) {
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, out);
		else if (entry.name.endsWith('.js')) out.push(full);
	}
	return out;
}

// Point every compiled `require("decimal.js")` at the vendored copy.
function rewriteDecimalRequires(done) {
	const target = path.resolve(VENDOR_DIR, 'decimal.js');
	let rewritten = 0;
	for (const file of walk('dist')) {
		if (file.startsWith(path.join('dist', 'vendor'))) continue;
		const code = fs.readFileSync(file, 'utf8');
		if (!code.includes('require("decimal.js")')) continue;
		let rel = path
			.relative(path.dirname(path.resolve(file)), target)
			.split(path.sep)
			.join('/');
		if (!rel.startsWith('.')) rel = './' + rel;
		fs.writeFileSync(file, code.split('require("decimal.js")').join(`require("${rel}")`));
		rewritten++;
	}
	if (rewritten === 0)
		return done(new Error('no require("decimal.js") found in dist: bundling step is stale'));
	done();
}

exports.build = series(copyIcons, copyCodex, vendorDecimal, rewriteDecimalRequires);
exports['build:icons'] = copyIcons;
