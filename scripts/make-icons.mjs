// Renders the app icons in static/icons/ from one SVG mark (the character 案 in white on the
// header's blue) with Debian's Chromium through Playwright, never a downloaded browser, and the
// Noto Sans CJK font from fonts-noto-cjk. Run once after changing the mark; the PNGs are
// committed: `node scripts/make-icons.mjs`.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

/** The header's background (src/routes/+layout.svelte `--accent`) and the manifest's colours. */
const THEME = '#1d4ed8';
const outDir = fileURLToPath(new URL('../static/icons/', import.meta.url));

/**
 * `any` icons: a rounded tile with a transparent corner; the glyph fills most of it.
 * `maskable` and Apple icons: full bleed (the platform cuts its own shape); the glyph stays in
 * the central circle of 80% diameter that every mask keeps (the maskable "safe zone").
 */
const ICONS = [
	{ file: 'icon-192.png', size: 192, shape: 'tile' },
	{ file: 'icon-512.png', size: 512, shape: 'tile' },
	{ file: 'icon-maskable-512.png', size: 512, shape: 'bleed' },
	{ file: 'apple-touch-icon.png', size: 180, shape: 'bleed' }
];

/** The mark as SVG in a 100×100 box; `glyph` is the character's em size in that box. */
function svg(shape) {
	const tile = shape === 'tile';
	const glyph = tile ? 60 : 46;
	const background = tile
		? `<rect x="4" y="4" width="92" height="92" rx="20" fill="${THEME}"/>`
		: `<rect width="100" height="100" fill="${THEME}"/>`;
	// A thin bar under the character: the "file" the case keeps, and a touch of colour.
	const bar = tile
		? `<rect x="30" y="80" width="40" height="4" rx="2" fill="#fbbf24"/>`
		: `<rect x="36" y="73" width="28" height="3" rx="1.5" fill="#fbbf24"/>`;
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100%" height="100%" style="display:block">
	${background}
	<text x="50" y="${tile ? 46 : 48}" text-anchor="middle" dominant-baseline="central"
		font-family="Noto Sans CJK SC" font-weight="700" font-size="${glyph}" fill="#ffffff">案</text>
	${bar}
</svg>`;
}

// The glyph must be drawn with the CJK font, not a fallback: Chromium's document.fonts.check()
// answers true for any installed-font name, so ask fontconfig instead.
const family = execFileSync('fc-list', [':family=Noto Sans CJK SC:style=Bold', 'family'], {
	encoding: 'utf8'
});
if (!family.trim())
	throw new Error('Noto Sans CJK SC Bold is missing: apt-get install fonts-noto-cjk');

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: [
		'--no-sandbox',
		'--disable-gpu',
		'--disable-background-networking',
		'--disable-component-update',
		'--disable-sync',
		'--no-first-run'
	]
});
try {
	mkdirSync(outDir, { recursive: true });
	for (const icon of ICONS) {
		const page = await browser.newPage({
			viewport: { width: icon.size, height: icon.size },
			deviceScaleFactor: 1
		});
		await page.setContent(
			`<!doctype html><html><body style="margin:0;background:transparent">
			<div style="width:${icon.size}px;height:${icon.size}px">${svg(icon.shape)}</div>
			</body></html>`
		);
		const png = await page.screenshot({ omitBackground: icon.shape === 'tile', type: 'png' });
		writeFileSync(`${outDir}${icon.file}`, png);
		console.log(`static/icons/${icon.file}  ${icon.size}×${icon.size}  ${png.length} bytes`);
		await page.close();
	}
} finally {
	await browser.close();
}
