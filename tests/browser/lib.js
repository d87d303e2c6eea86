// Shared helpers for the browser tests: Debian's Chromium through
// playwright-core (never a downloaded browser), the stack's outbox and
// database, signing up and logging in, the checks every page gets (axe,
// fitting the screen), and TAP output counted by tests/run.sh.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const W = require('./words.js');

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

// The messages in the outbox for recipient, newest first.
function* messages(recipient) {
	const files = fs.readdirSync(OUTBOX).filter((f) => !f.startsWith('.'))
	    .sort();
	for (let i = files.length - 1; i >= 0; i--) {
		const text = fs.readFileSync(path.join(OUTBOX, files[i]), 'utf8');
		if (text.slice(0, text.indexOf('\n')) === recipient)
			yield text;
	}
}

// The newest message for recipient, or ''.
function lastMessage(recipient) {
	for (const text of messages(recipient))
		return text;
	return '';
}

// The six-digit code in the newest message for recipient.
function outboxCode(recipient) {
	for (const text of messages(recipient)) {
		const m = text.slice(text.indexOf('\n')).match(/\b(\d{6})\b/);
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

// The database the stack runs on, as parta-admin and psql take it.
const DB = process.env.PARTA_DB ||
    `host=${path.join(ROOT, 'var/run')} dbname=parta user=parta`;

// One SQL statement by psql, for what a test sets up but does not check:
// its output, trimmed.
function sql(q) {
	return execFileSync('psql', [DB, '-XAtqc', q]).toString().trim();
}

// The account id of the person with phone.
function accountOf(phone) {
	return sql(`SELECT id FROM parta.account WHERE phone = '${phone}'`);
}

// Set-up by SQL, for what a test does not check: a class of the school
// (grade and letter, this year), an account with a verified phone and no
// usable password, a verified member with role.  Their ids.
function sqlClass(org, grade, letter) {
	return sql(`INSERT INTO parta.class (org_id, kind, grade, letter, year,
	    color) VALUES (${org}, 'class', ${grade}, '${letter}',
	    parta.org_year(${org}), '#2453d6') RETURNING id`);
}
function sqlAccount(last, first, birth) {
	return sql(`INSERT INTO parta.account (last_name, first_name, gender,
	    birth_date, phone, phone_verified, password_hash) VALUES
	    ('${last}', '${first}', 'f', '${birth}', '${uniquePhone()}', true,
	    'x') RETURNING id`);
}
function sqlMember(org, account, role) {
	sql(`INSERT INTO parta.member (org_id, account_id, role, verified)
	    VALUES (${org}, ${account}, '${role}', true)`);
}

// A valid 10-digit INN: lead, eight digits of seed, the checksum.
function innFor(seed, lead = '7') {
	const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
	const d = (lead + String(seed).padStart(8, '0').slice(-8)).split('')
	    .map(Number);
	const sum = d.reduce((s, x, i) => s + x * w[i], 0);
	return d.join('') + String(sum % 11 % 10);
}

// An organization (a school) made from the console
// (scripts/parta-admin.c), its administrator bound to phone: its id.
// region also makes the KPP; lead starts the INN.
let seed = Date.now() % 100000000;
function orgCreate(name, phone, region = '70', lead = '7') {
	const out = execFileSync(path.join(ROOT, 'build/bin/parta-admin'),
	    ['org-create', region, 'school', innFor(seed++, lead),
	    region + '0101001', name, phone],
	    { env: { ...process.env, PARTA_DB: DB } });
	return out.toString().trim().split('\n')[0];
}

// Screens the tests read pages on.
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };

// A person's browser: its own context (cookies) with viewport, in
// Russian; extra adds context options (storageState, isMobile...).
async function context(browser, viewport, extra = {}) {
	return browser.newContext({ viewport, locale: 'ru-RU', ...extra });
}
async function person(browser, viewport, extra = {}) {
	return (await context(browser, viewport, extra)).newPage();
}

// Sign up on /register (unless already there) and confirm by the code
// sent to the phone (or e-mail): who = { last, first, gender ('f'),
// birth, phone (a new one) or email, password }.  step(page, 'register'
// | 'verify'), if given, is called before each form is sent.  The phone.
async function signup(page, who, step) {
	const phone = who.email ? undefined : who.phone || uniquePhone();
	if (!page.url().includes('/register'))
		await page.goto(BASE + '/register');
	await page.fill('#last_name', who.last);
	await page.fill('#first_name', who.first);
	await page.check(`input[name=gender][value=${who.gender || 'f'}]`);
	await page.fill('#birth_date', who.birth);
	if (who.email)
		await page.fill('#email', who.email);
	else
		await page.fill('#phone', phone);
	await page.fill('#password', who.password);
	await page.check('input[name=consent]');
	if (step)
		await step(page, 'register');
	await page.click('button.primary');
	await page.fill('#code', outboxCode(who.email || phone));
	if (step)
		await step(page, 'verify');
	await page.click('button.primary');
	return phone;
}

// Log in on /login by phone or login name: who = { phone | login,
// password }.
async function login(page, who) {
	await page.goto(BASE + '/login');
	await page.fill('#login', who.phone || who.login);
	await page.fill('#password', who.password);
	await page.click('button.primary');
}

// A new school's administrator: who (as signup takes it) signs up in a
// browser of their own with viewport, and the school is made for their
// phone (region and lead as orgCreate takes them).  { page, phone, org }.
async function schoolAdmin(browser, viewport, who, name, region, lead) {
	const page = await person(browser, viewport);
	const phone = await signup(page, who);
	return { page, phone, org: orgCreate(name, phone, region, lead) };
}

// axe-core's serious and critical findings on the page, each "rule:
// elements".  Evaluated through the DevTools protocol: the page's CSP
// still holds for the page itself.  Parta's own page only: a frame is a
// third party's player (a material's video), not ours to check, and
// axe would wait a minute for it to answer.
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
async function axeFindings(page) {
	await page.evaluate(AXE);
	return page.evaluate(async () => {
		const r = await window.axe.run(document,
		    { resultTypes: ['violations'], iframes: false });
		return r.violations.filter((v) => v.impact === 'serious' ||
		    v.impact === 'critical').map((v) => `${v.id}: ` +
		    v.nodes.map((n) => n.target.join(' ')).join(' | '));
	});
}
// The check "NAME: axe": no serious or critical findings.
async function axe(page, name) {
	const res = await axeFindings(page);
	ok(res.length === 0, `${name}: axe`, res.join(', '));
}

// The check NAME: the page does not scroll sideways.
async function noSideways(page, name) {
	const [w, sw] = await page.evaluate(() => [window.innerWidth,
	    document.documentElement.scrollWidth]);
	ok(sw <= w, name, `${sw} px wide on a ${w} px screen`);
}

// The page's layout in main: { out: everything that reaches past the
// screen, small: every text under 12 px, sw: the page's width, w: the
// screen's }.
async function layout(page) {
	return page.evaluate(() => {
		const w = window.innerWidth, out = [], small = [];
		for (const el of document.querySelectorAll('main *')) {
			// A table's head is hidden on a phone (clipped to 1 px,
			// for screen readers): its cells are not on the screen.
			const head = el.closest('thead');
			if (head && head.getBoundingClientRect().width <= 1)
				continue;
			const r = el.getBoundingClientRect();
			if (r.width > 0 && r.right > w + 0.5)
				out.push(`${el.tagName.toLowerCase()}.${el.className}` +
				    ` to ${Math.round(r.right)} px`);
			if (el.childNodes.length && [...el.childNodes].some((n) =>
			    n.nodeType === 3 && n.textContent.trim()) &&
			    parseFloat(getComputedStyle(el).fontSize) < 12)
				small.push(el.textContent.trim().slice(0, 30));
		}
		return { out, small, sw: document.documentElement.scrollWidth, w };
	});
}
// The check NAME on a layout: nothing wider than the screen.
function fitsOk(f, name) {
	return ok(f.sw <= f.w && f.out.length === 0, name,
	    `${f.sw} px on ${f.w}; ${f.out.slice(0, 4).join('; ')}`);
}
// The check NAME on a layout: no text under 12 px.
function smallOk(f, name) {
	return ok(f.small.length === 0, name, f.small.slice(0, 4).join('; '));
}

// A page read on a phone: "phone: NAME fits the screen", "phone: NAME:
// no text under 12 px", its words (words.js) and, withAxe, axe.
async function phoneChecks(page, name, withAxe) {
	const f = await layout(page);
	fitsOk(f, `phone: ${name} fits the screen`);
	smallOk(f, `phone: ${name}: no text under 12 px`);
	await W.words(page, module.exports, `phone: ${name}`);
	if (withAxe)
		await axe(page, `phone: ${name}`);
}

// Run a test: body(browser) with Debian's Chromium; an exception is a
// failed check named name; the plan line at the end.
function run(name, body) {
	(async () => {
		const browser = await launch();
		try {
			await body(browser);
		} catch (e) {
			ok(false, name, String(e).split('\n').slice(0, 3).join(' '));
		} finally {
			await browser.close();
			done();
		}
	})();
}

module.exports = { ROOT, BASE, DB, PHONE, DESKTOP, launch, run, ok, done,
    shot, outboxCode, lastMessage, uniquePhone, operatorLogin, sql,
    accountOf, sqlClass, sqlAccount, sqlMember, innFor, orgCreate,
    context, person, signup, login, schoolAdmin, axe, axeFindings,
    noSideways, layout, fitsOk, smallOk, phoneChecks };
