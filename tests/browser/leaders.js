// The organization's leaders in the browser (cgi-bin/leaders): on a
// desktop the administrator adds herself as the director from the staff
// list, sends the form of someone not on the platform without a
// position (422 next to the field, the name kept), then fills it in,
// moves the deputy up and chooses to show her own phone; the page is
// read on a desktop and on a 375 px phone: nothing wider than the
// screen, text at 12 px or more, every card under the one above.
// Screenshots: tests/browser/shots/leaders-*.png.  TAP.
'use strict';
const path = require('path');
const fs = require('fs');
const { execFileSync } = require('child_process');
const L = require('./lib.js');
const W = require('./words.js');

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
	await page.fill('#birth_date', '1975-03-12');
	await page.fill('#phone', phone);
	await page.fill('#password', 'пароль-руководителя-1');
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

// Everything wider than the screen, and every text under 12 px.
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

(async () => {
	const browser = await L.launch();
	try {
		const desk = await browser.newContext({ viewport: { width: 1280,
		    height: 900 }, locale: 'ru-RU' });
		const ad = await desk.newPage();
		const phone = await signup(ad, 'Руководова', 'Галина');
		const org = orgCreate('Гимназия № 2', phone);

		// The menu leads to the page; the list is empty.
		await ad.goto(`${L.BASE}/org/${org}`);
		await ad.click('nav.menu >> text=Руководители');
		L.ok(ad.url().endsWith(`/org/${org}/leaders`), 'menu: leaders',
		    ad.url());
		await ad.click('text=Изменить список');

		// Herself as the director, from the staff list.
		await ad.selectOption('#account_id', { index: 1 });
		await ad.fill('#m_position', 'Директор');
		await ad.fill('#m_hours', 'понедельник, 16:00–18:00, кабинет 1');
		await ad.click('form:has(input[name=kind][value=member]) ' +
		    'button.primary');
		L.ok(/\/leaders\/edit\?leader=\d+$/.test(ad.url()),
		    'the director added', ad.url());

		// Someone not on the platform, the position forgotten.
		await ad.click('summary');
		await ad.fill('#name', 'Петрова Анна Сергеевна');
		await ad.fill('#phone', '+7 3822 12-34-56');
		await ad.fill('#email', 'zam@gimn2.example');
		await ad.click('form:has(input[name=kind][value=other]) ' +
		    'button.primary');
		L.ok(await ad.isVisible('#position_error'),
		    '422: the message next to the position');
		L.ok(await ad.inputValue('#name') === 'Петрова Анна Сергеевна',
		    '422: the name kept');
		await L.shot(ad, 'leaders-desktop-422');
		await ad.fill('#position', 'Заместитель директора по учебно-' +
		    'воспитательной работе');
		await ad.click('form:has(input[name=kind][value=other]) ' +
		    'button.primary');
		// The deputy up, then back down under the director.
		await ad.click('button:has-text("Выше")');
		await ad.click('button:has-text("Ниже")');
		await L.shot(ad, 'leaders-desktop-edit');
		await W.words(ad, L, 'desktop: editing the leaders');
		await axe(ad, 'desktop: editing the leaders');

		// Her own phone, by her own choice.
		await ad.goto(`${L.BASE}/org/${org}/leaders`);
		L.ok(!(await ad.textContent('main')).includes(phone),
		    'her phone hidden until she shows it');
		await ad.click('text=Выберите, какие ваши контакты видны');
		await ad.check('input[name=show_phone]');
		await ad.click('button.primary');
		L.ok((await ad.textContent('main')).includes(phone),
		    'her phone shown once she chose');
		await L.shot(ad, 'leaders-desktop');
		await W.words(ad, L, 'desktop: the leaders');
		await axe(ad, 'desktop: the leaders');

		const state = await desk.storageState();
		const mob = await browser.newContext({ viewport: { width: 375,
		    height: 812 }, locale: 'ru-RU', storageState: state });
		const ph = await mob.newPage();
		for (const [url, name] of [[`/org/${org}/leaders`, 'leaders'],
		    [`/org/${org}/leaders/edit`, 'edit']]) {
			await ph.goto(L.BASE + url);
			await L.shot(ph, `leaders-phone-${name}`);
			const f = await fits(ph);
			L.ok(f.sw <= f.w && f.out.length === 0,
			    `phone: ${name} fits the screen`,
			    `${f.sw} px on ${f.w}; ${f.out.slice(0, 4).join('; ')}`);
			L.ok(f.small.length === 0, `phone: ${name}: no text under ` +
			    '12 px', f.small.slice(0, 4).join('; '));
			await W.words(ph, L, `phone: ${name}`);
		}
		await ph.goto(`${L.BASE}/org/${org}/leaders`);
		const xs = await ph.evaluate(() => [...document.querySelectorAll(
		    'li.leader')].map((li) => Math.round(
		    li.getBoundingClientRect().left)));
		L.ok(xs.length === 2 && xs[0] === xs[1],
		    'phone: the cards one under another', xs.join(','));
		await mob.close();
		await desk.close();
	} catch (e) {
		L.ok(false, 'leaders', String(e).split('\n').slice(0, 3).join(' '));
	} finally {
		await browser.close();
		L.done();
	}
})();
