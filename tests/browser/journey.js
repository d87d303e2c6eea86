// The journey of brief 000 in a real browser, clicking and typing like a
// person: the operator approves the school's request; the administrator
// logs in, fills the profile, creates classes, makes a teacher link; a
// teacher signs up by it and applies; the administrator accepts and
// assigns homeroom; the teacher makes a student link, a chat and its link;
// a student applies and is accepted by the teacher; the student gives the
// parent their link; the parent joins and writes in the parents' chat;
// the teacher answers; each role's /me shows their part and checklist;
// the administrator makes a new class, adds the
// teacher to it as a subject teacher and moves the student there; the
// parent forgets her password and logs in by a code.  Then a young
// child's sign-up through her mother (young_child.js).
//
// Run three times: a 375x812 phone, a desktop, and with JavaScript off.
// Screenshots of each step go to tests/browser/shots/ (ignored by git).
// Every page visited also gets an axe-core pass: no serious or critical
// findings; and its text is read for codes, ids and guessed endings
// (words.js).  Output is TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const L = require('./lib.js');
const { youngChild } = require('./young_child.js');
const W = require('./words.js');

// BROWSER_MODES=phone,nojs runs only those (all three by default).
const allModes = [
	{ name: 'phone', viewport: L.PHONE, js: true },
	{ name: 'desktop', viewport: L.DESKTOP, js: true },
	{ name: 'nojs', viewport: L.DESKTOP, js: false },
];
const modes = process.env.BROWSER_MODES ? allModes.filter((m) =>
    process.env.BROWSER_MODES.split(',').includes(m.name)) : allModes;

// A person's browser: its own context (cookies), the mode's viewport.
function person(browser, mode) {
	return L.person(browser, mode.viewport, { javaScriptEnabled: mode.js });
}

const checked = new Set();
async function axe(page, label) {
	const url = new URL(page.url());
	const key = url.pathname.replace(/\d+/g, 'N').replace(/\/(join|c)\/[^/]+/, '/$1/T');
	if (checked.has(key))
		return;
	checked.add(key);
	const res = await L.axeFindings(page);
	L.ok(res.length === 0, `axe ${key} (${label})`, res.join(', '));
}

// A list page: every action in its lists (links, buttons, checkboxes in
// tables and .list items) is shown and lies within the screen's width,
// and the page does not scroll sideways.  On a phone the list tables turn
// into cards (parta.css), so nothing hides in a scrolled-off column.
async function lists(page, name) {
	const bad = await page.evaluate(() => {
		const w = window.innerWidth, out = [];
		const sel = 'main table a, main table button, main table input, ' +
		    'main .list a, main .list button';
		for (const el of document.querySelectorAll(sel)) {
			if (el.type === 'hidden' || el.closest('details:not([open])'))
				continue;
			const r = el.getBoundingClientRect();
			const what = (el.textContent.trim() ||
			    el.getAttribute('aria-label') || el.tagName).slice(0, 30);
			if (r.width === 0 || r.height === 0 ||
			    getComputedStyle(el).visibility === 'hidden')
				out.push(`${what}: hidden`);
			else if (r.left < 0 || r.right > w + 0.5)
				out.push(`${what}: ${Math.round(r.left)}..` +
				    `${Math.round(r.right)} px of ${w}`);
		}
		return out;
	});
	L.ok(bad.length === 0, `${name}: every list action in view`,
	    bad.slice(0, 5).join('; '));
	await L.noSideways(page, `${name}: fits the screen`);
}

// The link box: a read-only field that can always be selected; with
// JavaScript a «Скопировать» button that copies it, without none.
async function linkBox(page, mode, name) {
	L.ok(await page.getAttribute('#link', 'readonly') !== null,
	    `${name}: the link is a read-only field`);
	L.ok(!(await page.content()).includes('Ctrl+C'),
	    `${name}: no keyboard shortcut to copy`);
	const copy = page.locator('button:has-text("Скопировать")');
	L.ok(await copy.isVisible() === mode.js,
	    `${name}: «Скопировать» ${mode.js ? 'shown' : 'hidden without JS'}`);
	if (mode.js) {
		await copy.click();
		await page.waitForFunction(() =>
		    document.querySelector('.copy-said').textContent !== '');
		L.ok(/Ссылка (скопирована|выделена)/.test(
		    await page.textContent('.copy-said')),
		    `${name}: «Скопировать» says what it did`);
	}
	await L.noSideways(page, `${name}: fits the screen`);
}

async function step(page, mode, name) {
	await L.shot(page, `${mode.name}-${name}`);
	await W.words(page, L, `${mode.name}: ${name}`);
	if (mode.js)
		await axe(page, mode.name);
}

// Sign up, each form a step of its own (WHO-register, WHO-verify).
async function signup(page, mode, who) {
	await L.signup(page, who, (p, form) => step(p, mode,
	    `${who.key}-${form}`));
}

async function logout(page) {
	await page.click('form[action="/logout"] button');
}

// Choose the option whose text contains text.
async function choose(page, select, text) {
	const value = await page.locator(`${select} option`,
	    { hasText: text }).first().getAttribute('value');
	await page.selectOption(select, value);
}

// Open a link as a new person: sign up from its page, come back to it.
async function arrive(page, mode, who, link) {
	await page.goto(link);
	await step(page, mode, `${who.key}-landing`);
	await page.click('a:has-text("Зарегистрироваться")');
	await signup(page, mode, who);
}

async function journey(browser, mode, seed) {
	const pw = 'пароль-школы-1';
	const mk = (key, last, first, gender, birth) => ({ key, last, first,
	    gender, birth, phone: L.uniquePhone(), password: pw });
	const admin = mk('admin', 'Соколова', 'Анна', 'f', '1980-04-12');
	const applicant = mk('applicant', 'Директоров', 'Иван', 'm',
	    '1970-02-03');
	const teacher = mk('teacher', 'Петрова', 'Мария', 'f', '1988-09-01');
	const student = mk('student', 'Иванов', 'Миша', 'm', '2012-05-20');
	const parent = mk('parent', 'Иванова', 'Ольга', 'f', '1985-11-30');
	const t = `${mode.name}: `;

	// The school's request, filed by someone with the appointment order.
	const ap = await person(browser, mode);
	await signup(ap, mode, applicant);
	// Nobody yet: /me says how to join, and how a parent comes in.
	await ap.goto(L.BASE + '/me');
	L.ok(await ap.isVisible('h2:has-text("Как начать")') &&
	    await ap.isVisible('main h3:has-text("Родитель")'),
	    t + 'a newcomer\'s /me says how to join');
	await step(ap, mode, 'nobody-me');
	await L.noSideways(ap, t + 'newcomer /me fits the screen');
	await ap.click('a[href="/register/org"]');
	await ap.selectOption('#region', '70');
	await ap.selectOption('#org_type', 'school');
	await ap.fill('#full_name', 'МАОУ «Средняя школа № 40» г. Томска');
	await ap.fill('#short_name', 'Школа № 40');
	const inn = L.innFor(seed);
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
	fs.unlinkSync(doc);
	L.ok(/\/register\/org\/\d+$/.test(ap.url()), t + 'request filed',
	    ap.url());
	await step(ap, mode, 'request-status');
	await ap.goto(L.BASE + '/me');
	L.ok(await ap.isVisible('main a:has-text("Школа № 40")') &&
	    await ap.isVisible('main .status:has-text("на рассмотрении")'),
	    t + 'the request is on the applicant\'s /me');

	// The operator approves it.
	const op = await person(browser, mode);
	await L.login(op, L.operatorLogin());
	L.ok(new URL(op.url()).pathname.startsWith('/operator/'),
	    t + 'the operator lands at the desk', op.url());
	await step(op, mode, 'operator-requests');
	await lists(op, t + 'operator requests');
	await op.click(`li:has-text("${inn}") a`);
	await step(op, mode, 'operator-request');
	await op.click('form[action$="/approve"] button');
	L.ok(await op.isVisible('text=одобрена'), t + 'operator approved');
	L.ok(await op.isVisible('nav a[href="/operator/orgs"]') &&
	    !await op.isVisible('nav a[href$="/members"]'),
	    t + 'the approved request keeps the operator\'s menu');
	await step(op, mode, 'operator-request-approved');
	await ap.goto(L.BASE + '/me');
	L.ok(await ap.isVisible('main .status:has-text("одобрена")'),
	    t + 'the applicant\'s /me shows the approval');
	await step(ap, mode, 'applicant-me');
	await op.goto(L.BASE + '/operator/requests');
	await lists(op, t + 'operator requests, decided');
	await op.goto(L.BASE + '/operator/orgs');
	await step(op, mode, 'operator-orgs');
	await lists(op, t + 'operator orgs');

	// The administrator proves the phone, logs in, lands in the school.
	const ad = await person(browser, mode);
	await signup(ad, mode, admin);
	await logout(ad);
	await L.login(ad, admin);
	L.ok(/\/org\/\d+$/.test(ad.url()), t + 'admin lands in the school',
	    ad.url());
	const org = ad.url().match(/\/org\/(\d+)$/)[1];
	const O = `${L.BASE}/org/${org}`;
	await step(ad, mode, 'admin-home');
	await ad.click(`main a[href="/org/${org}/edit"] >> nth=0`);
	await ad.fill('#phone', '+7 3822 40-40-40');
	await ad.fill('#email', 'school40@edu.tomsk.ru');
	await ad.fill('#description',
	    'Школа с углублённым изучением математики.');
	await step(ad, mode, 'admin-profile');
	await ad.click('button.primary');
	L.ok(await ad.isVisible('text=school40@edu.tomsk.ru'),
	    t + 'profile saved');

	// Classes.
	await ad.click(`nav a[href="/org/${org}/classes"]`);
	await ad.click('a:has-text("Новый класс")');
	await ad.selectOption('#grade', '5');
	await ad.fill('#letter', 'А');
	await ad.check('input[name=color] >> nth=1');
	await step(ad, mode, 'class-form');
	await ad.click('button.primary');
	L.ok(/\/classes\/\d+$/.test(ad.url()), t + 'class created', ad.url());
	await step(ad, mode, 'class');
	await ad.click(`nav a[href="/org/${org}/classes"]`);
	L.ok(await ad.isVisible('text=5А'), t + 'class listed');
	await step(ad, mode, 'classes');
	await lists(ad, t + 'classes');

	// A link for teachers.
	await ad.click(`nav a[href="/org/${org}/invites"]`);
	await ad.check('input[name=role][value=teacher]');
	await ad.selectOption('#ttl_hours', '72');
	await ad.fill('#max_uses', '10');
	await step(ad, mode, 'invites');
	await ad.click('button:has-text("Создать ссылку")');
	const teacherLink = await ad.inputValue('#link');
	L.ok(/\/join\/[A-Za-z0-9_-]{22,}$/.test(teacherLink),
	    t + 'teacher link made', teacherLink);
	await step(ad, mode, 'invite');
	await lists(ad, t + 'invite page');
	await linkBox(ad, mode, t + 'invite page');
	await ad.goto(`${O}/invites`);
	await step(ad, mode, 'invites-list');
	await lists(ad, t + 'invites');

	// The teacher signs up by it and applies.
	const te = await person(browser, mode);
	await arrive(te, mode, teacher, teacherLink);
	L.ok(te.url().endsWith(new URL(teacherLink).pathname),
	    t + 'teacher is back on the link', te.url());
	await te.click('button:has-text("Подать заявку")');
	L.ok(/\/me\/applications\/\d+$/.test(te.url()), t + 'teacher applied',
	    te.url());
	await step(te, mode, 'teacher-application');

	// The administrator accepts and makes her homeroom teacher of 5А.
	await ad.goto(O);
	L.ok(await ad.isVisible('text=1 новая заявка'), t + 'banner counts it');
	await ad.click(`nav a[href="/org/${org}/applications"]`);
	await step(ad, mode, 'applications');
	await lists(ad, t + 'review queue');
	await ad.click(`tr:has-text("${teacher.last}") button:has-text("Принять")`);
	L.ok(/\/applications\?decided_id=\d+(#next)?$/.test(ad.url()) &&
	    await ad.isVisible(`text=Заявка принята: ${teacher.last}`),
	    t + 'back on the queue, the decision named', ad.url());
	await step(ad, mode, 'applications-decided');
	await ad.click(`nav a[href="/org/${org}/classes"]`);
	await ad.click('a.class-item:has-text("5А")');
	await choose(ad, '#account_id', teacher.last);
	await ad.click('button:has-text("Назначить")');
	L.ok(await ad.isVisible(`section:has(#homeroom) >> text=${teacher.last}`),
	    t + 'homeroom assigned');
	await step(ad, mode, 'homeroom');

	// The teacher makes a link for her students and a chat.
	await te.goto(O);
	await step(te, mode, 'teacher-home');
	await te.click(`nav a[href="/org/${org}/invites"]`);
	await te.check('input[name=role][value=student]');
	await choose(te, '#class_id', '5А');
	await te.selectOption('#ttl_hours', '48');
	await te.fill('#max_uses', '30');
	await te.click('button:has-text("Создать ссылку")');
	const studentLink = await te.inputValue('#link');
	L.ok(/\/join\//.test(studentLink), t + 'student link made');
	// The menu's «Публичные чаты», then the teacher's own chats, where
	// chats are made.
	await te.click(`nav a[href="/org/${org}/chats/public"]`);
	await te.click(`main a[href="/org/${org}/chats"]`);
	await te.fill('#title', 'Олимпиада по математике');
	await te.click('button:has-text("Создать")');
	L.ok(/\/chats\/\d+#end$/.test(te.url()), t + 'chat created', te.url());
	await step(te, mode, 'teacher-chat');
	// Its link, on a page of its own that shows it whenever opened.
	await te.click('a:has-text("Участники и настройки")');
	await te.click('button:has-text("Создать ссылку")');
	L.ok(/\/chats\/\d+\/link$/.test(te.url()), t + 'chat link page',
	    te.url());
	const chatLink = await te.inputValue('#link');
	L.ok(/\/c\/[A-Za-z0-9_-]{43}$/.test(chatLink), t + 'chat link made',
	    chatLink);
	await step(te, mode, 'chat-link');
	await linkBox(te, mode, t + 'chat link');

	// A student applies by the link; the homeroom teacher accepts.
	const st = await person(browser, mode);
	await arrive(st, mode, student, studentLink);
	await st.click('button:has-text("Подать заявку")');
	L.ok(/\/me\/applications\/\d+$/.test(st.url()), t + 'student applied');
	// The homeroom teacher's own page: her class, the application
	// waiting, her checklists; no parent link (it is a student's).
	await te.goto(L.BASE + '/me');
	L.ok(await te.isVisible('main a:has-text("1 новая заявка ждёт решения")'),
	    t + 'the homeroom teacher\'s /me counts the application');
	L.ok(await te.isVisible('main a:has-text("5А")') &&
	    await te.isVisible('text=С чего начать с классом 5А'),
	    t + 'the homeroom teacher\'s /me shows her class and its list');
	L.ok(await te.locator('a[href="/chats/parent-link"]').count() === 0,
	    t + 'no parent link for a teacher');
	await step(te, mode, 'homeroom-me');
	await lists(te, t + 'homeroom teacher /me');
	const refused = await te.goto(L.BASE + '/chats/parent-link');
	L.ok(refused.status() === 403 && await te.isVisible(
	    'h1:has-text("Ссылку для родителя делает ученик")'),
	    t + 'the parent link refuses a teacher, saying why',
	    String(refused.status()));
	await step(te, mode, 'parent-link-refused');
	await te.goto(O);
	L.ok(await te.isVisible('text=1 новая заявка'),
	    t + 'the homeroom teacher sees the new application');
	await te.click(`nav a[href="/org/${org}/applications"]`);
	await step(te, mode, 'teacher-applications');
	await lists(te, t + 'review queue (homeroom teacher)');
	await te.click(`tr:has-text("${student.last}") button:has-text("Принять")`);
	await st.goto(L.BASE + '/me');
	L.ok(await st.isVisible('main >> text=Школа № 40'),
	    t + 'student is a member');
	L.ok(await st.isVisible('main >> text=Ваш класс: 5А') &&
	    await st.isVisible('main a:has-text("Чат класса 5А")'),
	    t + 'the student\'s /me shows the class and its chat');
	L.ok(await st.isVisible('li.done:has-text("Вступить в свой класс")'),
	    t + 'the student\'s checklist ticks joining the class');
	await step(st, mode, 'student-me');
	await lists(st, t + 'student /me');

	// The student gives the parent their link.
	await st.click('a:has-text("Ссылка для родителя")');
	await st.click('button:has-text("Создать ссылку")');
	const parentLink = await st.inputValue('#link');
	L.ok(/\/c\//.test(parentLink), t + 'parent link made');
	// The POST redirects to the link's own page, which shows it again.
	L.ok(/\/chats\/parent-link\/\d+$/.test(st.url()),
	    t + 'parent link has its page', st.url());
	await st.reload();
	L.ok(await st.inputValue('#link') === parentLink,
	    t + 'parent link shown again');
	await step(st, mode, 'parent-link');
	await linkBox(st, mode, t + 'parent link');

	// The parent joins and writes in the parents' chat.
	const pa = await person(browser, mode);
	await pa.goto(parentLink);
	await step(pa, mode, 'parent-landing');
	await pa.click('a:has-text("Зарегистрироваться")');
	await signup(pa, mode, parent);
	await pa.click('button:has-text("Да, я родитель")');
	// The parent's own page: the child, the class and school, the
	// parents' chat and the teachers; never "find a school and apply".
	await pa.goto(L.BASE + '/me');
	L.ok(await pa.isVisible('h2:has-text("Мои дети")') &&
	    await pa.isVisible(`text=${student.first} ${student.last}`),
	    t + 'the parent\'s /me shows the child');
	L.ok(await pa.isVisible('text=ученик 5А, Школа № 40'),
	    t + 'the child\'s class and school');
	L.ok(await pa.isVisible('a:has-text("Родительский чат 5А")') &&
	    await pa.isVisible(`li:has-text("${teacher.last}") button:has-text("Написать")`),
	    t + 'the parents\' chat and the teacher to write to');
	L.ok(!await pa.isVisible('a[href="/orgs"]') &&
	    !await pa.isVisible('text=Как начать'),
	    t + 'a parent is never told to find a school and apply');
	L.ok(!await pa.isVisible('li.done:has-text("Открыть родительский чат")'),
	    t + 'the parent\'s checklist: the chat not opened yet');
	await step(pa, mode, 'parent-me');
	await lists(pa, t + 'parent /me');
	await pa.goto(L.BASE + '/chats');
	await step(pa, mode, 'parent-chats');
	await lists(pa, t + 'chats');
	await pa.click('a:has-text("Родители 5А")');
	await pa.fill('#text', 'Здравствуйте! Миша завтра пропустит первый урок.');
	await pa.click('button:has-text("Отправить")');
	L.ok(await pa.isVisible('text=Миша завтра пропустит'),
	    t + 'parent wrote');
	const parentOrg = await pa.goto(O);
	L.ok(parentOrg.status() === 404, t + 'parent is not a member',
	    String(parentOrg.status()));

	// The teacher answers.
	await te.goto(L.BASE + '/chats');
	await te.click('a:has-text("Родители 5А")');
	L.ok(await te.isVisible('text=Миша завтра пропустит'),
	    t + 'teacher reads it');
	await te.fill('#text', 'Спасибо, предупрежу учителя.');
	await te.click('button:has-text("Отправить")');
	await pa.goto(L.BASE + '/chats');
	await pa.click('a:has-text("Родители 5А")');
	L.ok(await pa.isVisible('text=Спасибо, предупрежу учителя.'),
	    t + 'parent reads the answer');
	await step(pa, mode, 'parent-chat');
	await pa.goto(L.BASE + '/me');
	L.ok(await pa.isVisible('li.done:has-text("Открыть родительский чат")'),
	    t + 'the parent\'s checklist ticks the opened chat');
	await step(pa, mode, 'parent-me-later');

	// The school's year goes on: a new class 5Б, the teacher teaches it
	// too (a subject teacher), the student moves there, and the parent
	// follows the child into 5Б's parents' chat.
	await ad.goto(`${O}/classes`);
	await ad.click('a:has-text("Новый класс")');
	await ad.selectOption('#grade', '5');
	await ad.fill('#letter', 'Б');
	await ad.check('input[name=color] >> nth=2');
	await ad.click('button.primary');
	L.ok(/\/classes\/\d+$/.test(ad.url()), t + 'class 5Б created',
	    ad.url());
	await choose(ad, '#teacher_id', teacher.last);
	await ad.click('button:has-text("Добавить")');
	L.ok(await ad.isVisible(
	    `section:has(#teachers) >> text=${teacher.last}`),
	    t + 'subject teacher added');
	await L.noSideways(ad, t + 'class page fits the screen');
	await step(ad, mode, 'subject-teacher');
	await ad.goto(`${O}/members`);
	await step(ad, mode, 'members');
	await lists(ad, t + 'members');
	await ad.click(`main a:has-text("${student.last} ${student.first}")`);
	await choose(ad, '#class_id', '5Б');
	await L.noSideways(ad, t + 'member card fits the screen');
	await step(ad, mode, 'member-move');
	await ad.click('button:has-text("Перевести")');
	L.ok(await ad.isVisible('dl.facts >> text=5Б'), t + 'student moved');
	// Removing asks first, on a page of its own; «Отмена» changes nothing.
	await ad.click('a:has-text("Исключить из организации…")');
	L.ok(/\/members\/\d+\/remove$/.test(ad.url()),
	    t + 'removing asks first', ad.url());
	await L.noSideways(ad, t + 'confirmation fits the screen');
	await step(ad, mode, 'confirm-remove');
	await ad.click('main a:has-text("Отмена")');
	L.ok(await ad.isVisible('dl.facts >> text=5Б'),
	    t + '«Отмена» keeps the member');
	await pa.goto(L.BASE + '/chats');
	L.ok(await pa.isVisible('a:has-text("Родители 5Б")') &&
	    !await pa.isVisible('a:has-text("Родители 5А")'),
	    t + 'the parent follows the child into 5Б');
	await step(pa, mode, 'parent-chats-moved');
	await ad.goto(`${O}/audit`);
	await step(ad, mode, 'audit');
	await lists(ad, t + 'audit');
	await ad.goto(`${O}/chats`);
	await lists(ad, t + 'organization chats');

	// The parent forgot the password, on another device: a code by SMS
	// logs her in, and she sets a new one without the old.
	const pb = await person(browser, mode);
	await pb.goto(L.BASE + '/login');
	await pb.click('a:has-text("Забыли пароль?")');
	await pb.fill('#login', parent.phone);
	await step(pb, mode, 'recover');
	await pb.click('button:has-text("Прислать код")');
	L.ok(/\/login\/code\/enter/.test(pb.url()), t + 'code asked for',
	    pb.url());
	await pb.fill('#code', L.outboxCode(parent.phone));
	await step(pb, mode, 'recover-code');
	await pb.click('button:has-text("Войти")');
	L.ok(/\/me\/password/.test(pb.url()),
	    t + 'a code login leads to the new password', pb.url());
	L.ok(!await pb.isVisible('#password'),
	    t + 'the old password is not asked after a code');
	await pb.fill('#new_password', 'новый-пароль-родителя');
	await L.noSideways(pb, t + 'password page fits the screen');
	await step(pb, mode, 'new-password');
	await pb.click('button:has-text("Сменить пароль")');
	L.ok(await pb.isVisible('[role=status]'), t + 'password changed');
	await logout(pb);
	await L.login(pb, { phone: parent.phone,
	    password: 'новый-пароль-родителя' });
	L.ok(!pb.url().includes('/login'), t + 'the new password logs in',
	    pb.url());
	await pb.context().close();

	// A seven-year-old joins 5А through her mother (issue 18).
	await youngChild(browser, mode, { person, step, O, te,
	    studentLink, teacherLast: teacher.last });
	for (const p of [ap, op, ad, te, st, pa])
		await p.context().close();
}

L.run('journey', async (browser) => {
	let seed = Date.now() % 100000000;
	for (const mode of modes) {
		try {
			await journey(browser, mode, seed++);
		} catch (e) {
			L.ok(false, `${mode.name}: journey`,
			    String(e).split('\n').slice(0, 3).join(' '));
		}
	}
});
