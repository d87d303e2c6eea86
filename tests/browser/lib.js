// Shared helpers for the browser tests: Debian's Chromium through
// playwright-core (never a downloaded browser), the stack's outbox, and
// TAP output counted by tests/run.sh.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const BASE = process.env.PARTA_URL ||
    `http://127.0.0.1:${process.env.PARTA_PORT || 8080}`;
const OUTBOX = process.env.PARTA_OUTBOX_DIR || path.join(ROOT, 'var/outbox');
const SHOTS = path.join(__dirname, 'shots');

async function launch() {
	return chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-quic',
		    '--no-first-run', '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
	});
}

// The six-digit code in the newest message for recipient.
function outboxCode(recipient) {
	const files = fs.readdirSync(OUTBOX).filter((f) => !f.startsWith('.'))
	    .sort();
	for (let i = files.length - 1; i >= 0; i--) {
		const text = fs.readFileSync(path.join(OUTBOX, files[i]), 'utf8');
		const nl = text.indexOf('\n');
		if (text.slice(0, nl) !== recipient)
			continue;
		const m = text.slice(nl).match(/\b(\d{6})\b/);
		if (m)
			return m[1];
	}
	throw new Error(`no code for ${recipient}`);
}

function uniquePhone() {
	let s = '+79';
	for (let i = 0; i < 9; i++)
		s += Math.floor(Math.random() * 10);
	return s;
}

function operatorLogin() {
	const [login, password] = fs.readFileSync(
	    path.join(ROOT, 'var/operator.txt'), 'utf8').split('\n');
	return { login, password };
}

// TAP: one line per check; failures carry a reason.
let n = 0, failed = 0;
function ok(cond, name, why) {
	n++;
	if (cond)
		console.log(`ok ${n} - ${name}`);
	else {
		failed++;
		console.log(`not ok ${n} - ${name}${why ? ` # ${why}` : ''}`);
	}
	return cond;
}
function done() {
	console.log(`1..${n}`);
	process.exitCode = failed ? 1 : 0;
}

async function shot(page, name) {
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: path.join(SHOTS, `${name}.png`),
	    fullPage: true });
}

module.exports = { ROOT, BASE, launch, outboxCode, uniquePhone,
    operatorLogin, ok, done, shot };
