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
const L = require('./lib.js');

const PASSWORD = 'пароль-для-чатов-1';

async function look(browser, mode, width, height) {
	// The administrator and a student of a new school.
	// (Pages of other tests list every school: its name in Russian.)
	const { page: ad, phone: adPhone, org } = await L.schoolAdmin(browser,
	    { width, height }, { last: 'Открытова', first: 'Анна',
	    birth: '2011-03-04', password: PASSWORD }, 'Школа открытых чатов ' +
	    (mode === 'phone' ? '(телефон)' : '(компьютер)'));
	const st = await L.person(browser, { width, height });
	const stPhone = await L.signup(st, { last: 'Вступалова', first: 'Вера',
	    birth: '2011-03-04', password: PASSWORD });
	const sid = L.accountOf(stPhone), aid = L.accountOf(adPhone);
	L.sqlMember(org, sid, 'student');
	const cls = L.sqlClass(org, 7, 'Б');
	// Public chats of several sizes, one long title, one for staff.
	const chats = [
	    ['Шахматный клуб', 'all', null, 12],
	    ['Подготовка к олимпиаде по математике для 7–9 классов: ' +
		'задачи, разборы и расписание консультаций', 'all', cls, 3],
	    ['Школьный театр «Маска»', 'all', null, 1],
	    ['Методическое объединение учителей', 'staff', null, 4],
	];
	for (const [title, aud, k, n] of chats) {
		const id = L.sql(`INSERT INTO parta.chat (org_id, title, class_id,
		    public_audience, created_by) VALUES (${org},
		    '${title}', ${k || 'NULL'}, '${aud}', ${aid}) RETURNING id`);
		L.sql(`INSERT INTO parta.chat_member (org_id, chat_id, account_id,
		    is_admin) VALUES (${org}, ${id}, ${aid}, true)`);
		for (let i = 1; i < n; i++) {
			const p = L.sqlAccount('Участникова', 'Ира', '2010-01-01');
			L.sqlMember(org, p, 'teacher');
			L.sql(`INSERT INTO parta.chat_member (org_id, chat_id,
			    account_id) VALUES (${org}, ${id}, ${p})`);
		}
		L.sql(`INSERT INTO parta.message (org_id, chat_id, author_id, body)
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
	await L.noSideways(st,
	    `${mode}: public list: no sideways scrolling`);
	await L.axe(st, `${mode}: public list`);

	// One button joins; the chat opens.
	await st.click('tr:has-text("Шахматный клуб") >> button:has-text("Вступить")');
	L.ok(/\/chats\/\d+#end$/.test(st.url()) &&
	    /Добро пожаловать!/.test(await st.textContent('main')),
	    `${mode}: joined, in the chat`, st.url());
	await st.goto(`${L.BASE}/org/${org}/chats/public`);
	L.ok(/13 участников/.test(await st.textContent('main')) &&
	    /Шахматный клуб/.test(await st.textContent(
	    'section:has(h2:text("Вы участник"))')),
	    `${mode}: counted, listed under «Вы участник»`);
	await L.shot(st, `public-${mode}-joined`);
	await L.noSideways(st,
	    `${mode}: public list, joined: no sideways scrolling`);
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
	await L.noSideways(ad,
	    `${mode}: all chats: no sideways scrolling`);
	await L.axe(ad, `${mode}: all chats`);
	// The chat's admin makes it public (or not) among its settings.
	await ad.click('tr:has-text("Школьный театр") >> a:has-text("Открыть")');
	await ad.click('a:has-text("Участники и настройки")');
	await ad.check('input[name=audience][value=staff]');
	await ad.click('button:has-text("Сохранить") >> nth=-1');
	L.ok(/\/members$/.test(ad.url()) && await ad.isChecked(
	    'input[name=audience][value=staff]'),
	    `${mode}: made public for staff only`, ad.url());
	await L.shot(ad, `public-${mode}-settings`);
	await L.noSideways(ad,
	    `${mode}: chat settings: no sideways scrolling`);
	await L.axe(ad, `${mode}: chat settings`);
	await ad.context().close();
	await st.context().close();
}

L.run('public chats', async (browser) => {
	await look(browser, 'phone', 375, 812);
	await look(browser, 'desktop', 1280, 900);
});
