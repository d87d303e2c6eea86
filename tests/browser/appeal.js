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
const L = require('./lib.js');
const W = require('./words.js');

// The administrator and the parent sign up alike.
function who(last, first) {
	return { last, first, birth: '1984-03-12',
	    password: 'пароль-для-обращений-1' };
}

const TEXT = 'Здравствуйте! Нужна справка об обучении для бассейна, ' +
    'к понедельнику.\nМожно забрать у вахтёра?';

L.run('appeal', async (browser) => {
	const { page: ad, org } = await L.schoolAdmin(browser, L.DESKTOP,
	    who('Директорова', 'Елена'), 'Гимназия № 3');
	const desk = ad.context();

	// The child and the class by SQL (what the test does not
	// check); the parent signs up on the phone.
	const cls = L.sqlClass(org, 5, 'А');
	const child = L.sqlAccount('Соколова', 'Маша', '2014-02-02');
	L.sqlMember(org, child, 'student');
	L.sql(`INSERT INTO parta.class_member (org_id, class_id,
	    account_id, role) VALUES (${org}, ${cls}, ${child},
	    'student')`);

	const mob = await L.context(browser, L.PHONE,
	    { isMobile: true, hasTouch: true });
	const ph = await mob.newPage();
	const parentPhone = await L.signup(ph, who('Соколова', 'Анна'));
	const parent = L.accountOf(parentPhone);
	L.sql(`INSERT INTO parta.guardian (parent_id, child_id) VALUES
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
	await L.phoneChecks(ph, 'the requests page', true);
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
	await L.phoneChecks(ph, 'the filed request', true);

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
	L.ok(L.lastMessage(parentPhone).includes(
	    'новый ответ на обращение «Справка»'),
	    'the parent is told of the answer', L.lastMessage(parentPhone));
	await ad.fill('#outcome', 'Справка выдана');
	await ad.click('button:has-text("Закрыть обращение")');
	page = await ad.evaluate(() => document.body.innerText);
	L.ok(page.includes('Закрыто') &&
	    page.includes('Итог: Справка выдана'),
	    'desktop: closed with its outcome', page.slice(0, 300));
	await L.shot(ad, 'appeal-desktop-closed');
	await W.words(ad, L, 'desktop: the closed request');
	await L.axe(ad, 'desktop: the closed request');

	// The parent reads the answer and the outcome.
	L.ok(L.lastMessage(parentPhone).includes('итог: Справка выдана'),
	    'the parent is told of the closing', L.lastMessage(parentPhone));
	await ph.goto(appealUrl);
	page = await ph.evaluate(() => document.body.innerText);
	L.ok(page.includes('заберите у секретаря') &&
	    page.includes('Итог: Справка выдана') &&
	    !(await ph.$('form[action$="/reply"]')),
	    'phone: the answer and the outcome, no more writing',
	    page.slice(0, 400));
	await L.shot(ph, 'appeal-phone-closed');
	await L.phoneChecks(ph, 'the closed request', true);
	await ph.goto(`${L.BASE}/org/${org}/appeals`);
	await L.shot(ph, 'appeal-phone-list');
	await L.phoneChecks(ph, 'the list with the request', true);
	await mob.close();
	await desk.close();
});
