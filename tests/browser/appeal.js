// A request to the school in the browser (cgi-bin/appeal): on a 375 px
// phone a parent, who is no member of the school, goes from /me to
// «Обращение в школу», files a request about their child (topic, text)
// and reads it; on a desktop the administrator sees the count in the
// menu, opens the request from the queue, answers it and closes it with
// an outcome; back on the phone the parent reads the answer and the
// outcome, and has a message about each.  Every page fits the phone,
// reads as Russian, and passes axe.  Screenshots:
// tests/browser/shots/appeal-*.png.  TAP.
'use strict';
const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');
const L = require('./lib.js');
const W = require('./words.js');

const DB = process.env.PARTA_DB ||
    `host=${path.join(L.ROOT, 'var/run')} dbname=parta user=parta`;
const OUTBOX = process.env.PARTA_OUTBOX_DIR || path.join(L.ROOT,
    'var/outbox');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function sql(q) {
	return execFileSync('psql', [DB, '-XAtqc', q]).toString().trim();
}

function innFor(seed) {
	const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
	const d = ('7' + String(seed).padStart(8, '0').slice(-8)).split('')
	    .map(Number);
	const sum = d.reduce((s, x, i) => s + x * w[i], 0);
	return d.join('') + String(sum % 11 % 10);
}

function orgCreate(name, phone) {
	const out = execFileSync(path.join(L.ROOT, 'build/bin/parta-admin'),
	    ['org-create', '70', 'school', innFor(Date.now() % 100000000),
	    '700101001', name, phone],
	    { env: { ...process.env, PARTA_DB: DB } });
	return out.toString().trim().split('\n')[0];
}

async function signup(page, last, first) {
	const phone = L.uniquePhone();
	await page.goto(L.BASE + '/register');
	await page.fill('#last_name', last);
	await page.fill('#first_name', first);
	await page.check('input[name=gender][value=f]');
	await page.fill('#birth_date', '1984-03-12');
	await page.fill('#phone', phone);
	await page.fill('#password', 'пароль-для-обращений-1');
	await page.check('input[name=consent]');
	await page.click('button.primary');
	await page.fill('#code', L.outboxCode(phone));
	await page.click('button.primary');
	return phone;
}

// The newest message in the outbox for recipient, or ''.
function lastMessage(recipient) {
	const files = fs.readdirSync(OUTBOX).filter((f) => !f.startsWith('.'))
	    .sort();
	for (let i = files.length - 1; i >= 0; i--) {
		const text = fs.readFileSync(path.join(OUTBOX, files[i]), 'utf8');
		if (text.slice(0, text.indexOf('\n')) === recipient)
			return text;
	}
	return '';
}

async function axe(page, name) {
	await page.evaluate(AXE);
	const res = await page.evaluate(async () => {
		const r = await window.axe.run(document,
		    { resultTypes: ['violations'] });
		return r.violations.filter((v) => v.impact === 'serious' ||
		    v.impact === 'critical').map((v) => `${v.id}: ` +
		    v.nodes.map((n) => n.target.join(' ')).join(' | '));
	});
	L.ok(res.length === 0, `${name}: axe`, res.join(', '));
}

// Everything that makes the page wider than the screen, and every text
// smaller than 12 px (as roster.js).
async function fits(page) {
	return page.evaluate(() => {
		const w = window.innerWidth, out = [], small = [];
		for (const el of document.querySelectorAll('main *')) {
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

async function phoneChecks(page, name) {
	const f = await fits(page);
	L.ok(f.sw <= f.w && f.out.length === 0, `phone: ${name} fits the ` +
	    'screen', `${f.sw} px on ${f.w}; ${f.out.slice(0, 4).join('; ')}`);
	L.ok(f.small.length === 0, `phone: ${name}: no text under 12 px`,
	    f.small.slice(0, 4).join('; '));
	await W.words(page, L, `phone: ${name}`);
	await axe(page, `phone: ${name}`);
}

const TEXT = 'Здравствуйте! Нужна справка об обучении для бассейна, ' +
    'к понедельнику.\nМожно забрать у вахтёра?';

(async () => {
	const browser = await L.launch();
	try {
		const desk = await browser.newContext({ viewport: { width: 1280,
		    height: 900 }, locale: 'ru-RU' });
		const ad = await desk.newPage();
		const adminPhone = await signup(ad, 'Директорова', 'Елена');
		const org = orgCreate('Гимназия № 3', adminPhone);

		// The child and the class by SQL (what the test does not
		// check); the parent signs up on the phone.
		const cls = sql(`INSERT INTO parta.class (org_id, kind, grade,
		    letter, year, color) VALUES (${org}, 'class', 5, 'А',
		    parta.org_year(${org}), '#2453d6') RETURNING id`);
		const child = sql(`INSERT INTO parta.account (last_name,
		    first_name, gender, birth_date, phone, phone_verified,
		    password_hash) VALUES ('Соколова', 'Маша', 'f',
		    '2014-02-02', '${L.uniquePhone()}', true, 'x') RETURNING id`);
		sql(`INSERT INTO parta.member (org_id, account_id, role,
		    verified) VALUES (${org}, ${child}, 'student', true)`);
		sql(`INSERT INTO parta.class_member (org_id, class_id,
		    account_id, role) VALUES (${org}, ${cls}, ${child},
		    'student')`);

		const mob = await browser.newContext({ viewport: { width: 375,
		    height: 812 }, locale: 'ru-RU', isMobile: true,
		    hasTouch: true });
		const ph = await mob.newPage();
		const parentPhone = await signup(ph, 'Соколова', 'Анна');
		const parent = sql(`SELECT id FROM parta.account WHERE phone =
		    '${parentPhone}'`);
		sql(`INSERT INTO parta.guardian (parent_id, child_id) VALUES
		    (${parent}, ${child})`);

		// The parent files from /me, on the phone.
		await ph.goto(`${L.BASE}/me`);
		await ph.click('a:has-text("Обращение в школу")');
		L.ok(ph.url().endsWith(`/org/${org}/appeals`),
		    'phone: /me leads the parent to the requests', ph.url());
		const form = await ph.evaluate(() => document.body.innerText);
		L.ok(form.includes('Обращение о ребёнке: Соколова Маша'),
		    'phone: the request is about the child',
		    form.slice(0, 300));
		await L.shot(ph, 'appeal-phone-form');
		await phoneChecks(ph, 'the requests page');
		await ph.selectOption('#topic', 'Справка');
		await ph.fill('#text', TEXT);
		await ph.click('button:has-text("Отправить обращение")');
		L.ok(/\/appeals\/\d+$/.test(ph.url()), 'phone: filed, its page ' +
		    'shown', ph.url());
		const appealUrl = ph.url();
		let page = await ph.evaluate(() => document.body.innerText);
		L.ok(page.includes('Справка') && page.includes('Новое') &&
		    page.includes('Можно забрать у вахтёра?'),
		    'phone: the request, its status and text', page.slice(0, 300));
		await L.shot(ph, 'appeal-phone-filed');
		await phoneChecks(ph, 'the filed request');

		// The administrator: the count in the menu, the queue, the
		// answer, the closing.
		await ad.goto(`${L.BASE}/org/${org}`);
		const badge = await ad.textContent(
		    'nav.menu a[href$="/appeals"] .badge').catch(() => '');
		L.ok(badge.trim() === '1', 'desktop: the menu counts 1 request',
		    badge);
		await ad.click('nav.menu a[href$="/appeals"]');
		await L.shot(ad, 'appeal-desktop-queue');
		await W.words(ad, L, 'desktop: the requests page');
		await ad.click('section:has(h2:has-text("Обращения к вам")) ' +
		    'a:has-text("Справка")');
		L.ok(ad.url() === appealUrl, 'desktop: the queue leads to it',
		    ad.url());
		await ad.fill('#text', 'Справка будет готова в пятницу, ' +
		    'заберите у секретаря.');
		await ad.click('form[action$="/reply"] button');
		page = await ad.evaluate(() => document.body.innerText);
		L.ok(page.includes('В работе') && page.includes('ответ школы'),
		    'desktop: answered, in work', page.slice(0, 300));
		L.ok(lastMessage(parentPhone).includes(
		    'новый ответ на обращение «Справка»'),
		    'the parent is told of the answer', lastMessage(parentPhone));
		await ad.fill('#outcome', 'Справка выдана');
		await ad.click('button:has-text("Закрыть обращение")');
		page = await ad.evaluate(() => document.body.innerText);
		L.ok(page.includes('Закрыто') &&
		    page.includes('Итог: Справка выдана'),
		    'desktop: closed with its outcome', page.slice(0, 300));
		await L.shot(ad, 'appeal-desktop-closed');
		await W.words(ad, L, 'desktop: the closed request');
		await axe(ad, 'desktop: the closed request');

		// The parent reads the answer and the outcome.
		L.ok(lastMessage(parentPhone).includes('итог: Справка выдана'),
		    'the parent is told of the closing', lastMessage(parentPhone));
		await ph.goto(appealUrl);
		page = await ph.evaluate(() => document.body.innerText);
		L.ok(page.includes('заберите у секретаря') &&
		    page.includes('Итог: Справка выдана') &&
		    !(await ph.$('form[action$="/reply"]')),
		    'phone: the answer and the outcome, no more writing',
		    page.slice(0, 400));
		await L.shot(ph, 'appeal-phone-closed');
		await phoneChecks(ph, 'the closed request');
		await ph.goto(`${L.BASE}/org/${org}/appeals`);
		await L.shot(ph, 'appeal-phone-list');
		await phoneChecks(ph, 'the list with the request');
		await mob.close();
		await desk.close();
	} catch (e) {
		L.ok(false, 'appeal', String(e).split('\n').slice(0, 3).join(' '));
	} finally {
		await browser.close();
		L.done();
	}
})();
