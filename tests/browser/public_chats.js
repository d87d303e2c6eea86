// Public chats (issue 21) in a browser, on a 375 px phone and on a
// desktop: the menu's «Публичные чаты» opens the list of the school's
// public chats with their member counts; a student joins one with its
// button, lands in the chat, and leaves it again from the list; the
// administrator's list of every chat.  On each page: nothing makes the
// page scroll sideways, and axe-core finds nothing serious.  The
// buttons are plain forms: no JavaScript is needed for any of it.
//
// Screenshots go to tests/browser/shots/public-*.  TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const L = require('./lib.js');

const DB = process.env.PARTA_DB ||
    `host=${path.join(L.ROOT, 'var/run')} dbname=parta user=parta`;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function innFor(seed) {
	const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
	const d = ('7' + String(seed).padStart(8, '0').slice(-8)).split('')
	    .map(Number);
	const sum = d.reduce((s, x, i) => s + x * w[i], 0);
	return d.join('') + String(sum % 11 % 10);
}

function sql(q) {
	return execFileSync('psql', [DB, '-XAtqc', q]).toString().trim();
}

let seed = Date.now() % 100000000;
function orgCreate(name, phone) {
	const out = execFileSync(path.join(L.ROOT, 'build/bin/parta-admin'),
	    ['org-create', '70', 'school', innFor(seed++), '700101001', name,
	    phone], { env: { ...process.env, PARTA_DB: DB } });
	return out.toString().trim().split('\n')[0];
}

async function person(browser, width, height) {
	const ctx = await browser.newContext({ viewport: { width, height },
	    locale: 'ru-RU' });
	return ctx.newPage();
}

const PASSWORD = 'пароль-для-чатов-1';
async function signup(page, last, first) {
	const phone = L.uniquePhone();
	await page.goto(L.BASE + '/register');
	await page.fill('#last_name', last);
	await page.fill('#first_name', first);
	await page.check('input[name=gender][value=f]');
	await page.fill('#birth_date', '2011-03-04');
	await page.fill('#phone', phone);
	await page.fill('#password', PASSWORD);
	await page.check('input[name=consent]');
	await page.click('button.primary');
	await page.fill('#code', L.outboxCode(phone));
	await page.click('button.primary');
	return phone;
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

async function fits(page, name) {
	const [w, sw] = await page.evaluate(() => [window.innerWidth,
	    document.documentElement.scrollWidth]);
	L.ok(sw <= w, `${name}: no sideways scrolling`, `${sw} px on ${w}`);
}

// Account id of the person with phone.
function accountOf(phone) {
	return sql(`SELECT id FROM parta.account WHERE phone = '${phone}'`);
}

async function look(browser, mode, width, height) {
	// The administrator and a student of a new school.
	const ad = await person(browser, width, height);
	const adPhone = await signup(ad, 'Открытова', 'Анна');
	// (Pages of other tests list every school: its name in Russian.)
	const org = orgCreate('Школа открытых чатов ' + (mode === 'phone' ?
	    '(телефон)' : '(компьютер)'), adPhone);
	const st = await person(browser, width, height);
	const stPhone = await signup(st, 'Вступалова', 'Вера');
	const sid = accountOf(stPhone), aid = accountOf(adPhone);
	sql(`INSERT INTO parta.member (org_id, account_id, role, verified)
	    VALUES (${org}, ${sid}, 'student', true)`);
	const cls = sql(`INSERT INTO parta.class (org_id, kind, grade, letter,
	    year, color) VALUES (${org}, 'class', 7, 'Б',
	    parta.org_year(${org}), '#2453d6') RETURNING id`);
	// Public chats of several sizes, one long title, one for staff.
	const chats = [
	    ['Шахматный клуб', 'all', null, 12],
	    ['Подготовка к олимпиаде по математике для 7–9 классов: ' +
		'задачи, разборы и расписание консультаций', 'all', cls, 3],
	    ['Школьный театр «Маска»', 'all', null, 1],
	    ['Методическое объединение учителей', 'staff', null, 4],
	];
	for (const [title, aud, k, n] of chats) {
		const id = sql(`INSERT INTO parta.chat (org_id, title, class_id,
		    public_audience, created_by) VALUES (${org},
		    '${title}', ${k || 'NULL'}, '${aud}', ${aid}) RETURNING id`);
		sql(`INSERT INTO parta.chat_member (org_id, chat_id, account_id,
		    is_admin) VALUES (${org}, ${id}, ${aid}, true)`);
		for (let i = 1; i < n; i++) {
			const p = sql(`INSERT INTO parta.account (last_name,
			    first_name, gender, birth_date, phone, phone_verified,
			    password_hash) VALUES ('Участникова', 'Ира', 'f',
			    '2010-01-01', '${L.uniquePhone()}', true, 'x')
			    RETURNING id`);
			sql(`INSERT INTO parta.member (org_id, account_id, role,
			    verified) VALUES (${org}, ${p}, 'teacher', true);
			    INSERT INTO parta.chat_member (org_id, chat_id,
			    account_id) VALUES (${org}, ${id}, ${p})`);
		}
		sql(`INSERT INTO parta.message (org_id, chat_id, author_id, body)
		    VALUES (${org}, ${id}, ${aid}, 'Добро пожаловать!')`);
	}

	// The student: the menu item opens the public list.
	await st.goto(`${L.BASE}/org/${org}`);
	await st.click('nav.menu >> text=Публичные чаты');
	L.ok(st.url().endsWith(`/org/${org}/chats/public`),
	    `${mode}: the menu opens the public chats`, st.url());
	const body = await st.textContent('main');
	L.ok(/Шахматный клуб/.test(body) && /12 участников/.test(body) &&
	    /Школьный театр/.test(body) && /\s1 участник\s/.test(body),
	    `${mode}: chats with their member counts`, body.slice(0, 300));
	L.ok(!/Методическое объединение/.test(body),
	    `${mode}: a chat for staff is not offered to a student`);
	await L.shot(st, `public-${mode}-list`);
	await fits(st, `${mode}: public list`);
	await axe(st, `${mode}: public list`);

	// One button joins; the chat opens.
	await st.click('tr:has-text("Шахматный клуб") >> button:has-text("Вступить")');
	L.ok(/\/chats\/\d+$/.test(st.url()) &&
	    /Добро пожаловать!/.test(await st.textContent('main')),
	    `${mode}: joined, in the chat`, st.url());
	await st.goto(`${L.BASE}/org/${org}/chats/public`);
	L.ok(/13 участников/.test(await st.textContent('main')) &&
	    /вы в чате/.test(await st.textContent('main')),
	    `${mode}: counted, marked as joined`);
	await L.shot(st, `public-${mode}-joined`);
	await fits(st, `${mode}: public list, joined`);
	await st.click('tr:has-text("Шахматный клуб") >> button:has-text("Выйти")');
	L.ok(st.url().endsWith(`/org/${org}/chats/public`) &&
	    /12 участников/.test(await st.textContent('main')),
	    `${mode}: left again`, st.url());

	// The administrator's list of every chat.
	await ad.goto(`${L.BASE}/org/${org}/chats/all`);
	const all = await ad.textContent('main');
	L.ok(/Учительская/.test(all) && /Класс 7Б/.test(all) &&
	    /Шахматный клуб/.test(all) && /Открытова Анна/.test(all),
	    `${mode}: the admin sees every chat`, all.slice(0, 300));
	await L.shot(ad, `public-${mode}-all`);
	await fits(ad, `${mode}: all chats`);
	await axe(ad, `${mode}: all chats`);
	// The chat's admin makes it public (or not) among its settings.
	await ad.click('tr:has-text("Школьный театр") >> a:has-text("Открыть")');
	await ad.click('a:has-text("Участники и настройки")');
	await ad.check('input[name=audience][value=staff]');
	await ad.click('button:has-text("Сохранить") >> nth=-1');
	L.ok(/\/members$/.test(ad.url()) && await ad.isChecked(
	    'input[name=audience][value=staff]'),
	    `${mode}: made public for staff only`, ad.url());
	await L.shot(ad, `public-${mode}-settings`);
	await fits(ad, `${mode}: chat settings`);
	await axe(ad, `${mode}: chat settings`);
	await ad.context().close();
	await st.context().close();
}

(async () => {
	const browser = await L.launch();
	try {
		await look(browser, 'phone', 375, 812);
		await look(browser, 'desktop', 1280, 900);
	} catch (e) {
		L.ok(false, 'public chats', String(e).split('\n').slice(0, 3)
		    .join(' '));
	} finally {
		await browser.close();
		L.done();
	}
})();
