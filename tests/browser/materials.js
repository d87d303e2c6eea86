// The school's materials in the browser (cgi-bin/materials.c): on a
// 375 px phone a teacher of 5А opens «Материалы» from the menu,
// publishes a PDF for the class (first forgetting the file: 422 next to
// it, the title kept), then an article with headings, a list, a link and
// a <script> that must stay text; a student of 5А reads both on a phone:
// the list (found from /me), the article rendered by cmark, the
// document's card and its file; then a list of three pages and back.  Every page fits the screen, has no text under 12 px, no
// serious axe finding.  Screenshots: tests/browser/shots/materials-*.
// TAP.
'use strict';
const L = require('./lib.js');
const W = require('./words.js');

// A small PDF of one page, as a phone's scanner makes them.
const PDF = Buffer.from('%PDF-1.4\n' +
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n' +
    '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>' +
    ' endobj\n' +
    'xref\n0 4\n0000000000 65535 f \n0000000009 00000 n \n' +
    '0000000058 00000 n \n0000000115 00000 n \n' +
    'trailer << /Size 4 /Root 1 0 R >>\nstartxref\n188\n%%EOF\n');

const ARTICLE = '# Как готовиться к контрольной\n\n' +
    'Повторите **параграфы 12–14** и решите задачи.\n\n' +
    '- задача 1\n- задача 2\n- задача 3\n\n' +
    'Подробнее: [сайт школы](https://school.example.ru/kontrolnaya)\n\n' +
    '<script>alert("нет")</script>\n';

L.run('materials', async (browser) => {
	const { page: ad, org } = await L.schoolAdmin(browser, L.DESKTOP,
	    { last: 'Материалова', first: 'Нина', birth: '1972-02-02',
	    password: 'пароль-администратора-1' }, 'Школа № 22');
	await ad.close();
	const cls = L.sqlClass(org, 5, 'А');

	// The teacher and the student sign up on phones; the school takes
	// them in (by SQL: not what this test checks).
	const tp = await L.person(browser, L.PHONE, { isMobile: true,
	    hasTouch: true });
	const tphone = await L.signup(tp, { last: 'Учителева', first: 'Ольга',
	    birth: '1985-04-04', password: 'пароль-учителя-22' });
	const teacher = L.accountOf(tphone);
	L.sqlMember(org, teacher, 'teacher');
	L.sql(`INSERT INTO parta.class_member (org_id, class_id, account_id,
	    role) VALUES (${org}, ${cls}, ${teacher}, 'homeroom')`);
	const sp = await L.person(browser, L.PHONE, { isMobile: true,
	    hasTouch: true });
	const sphone = await L.signup(sp, { last: 'Ученикова', first: 'Маша',
	    birth: '2010-05-05', password: 'пароль-ученицы-22' });
	const student = L.accountOf(sphone);
	L.sqlMember(org, student, 'student');
	L.sql(`INSERT INTO parta.class_member (org_id, class_id, account_id,
	    role) VALUES (${org}, ${cls}, ${student}, 'student')`);

	// The teacher: the menu leads to the materials.
	await tp.goto(`${L.BASE}/org/${org}`);
	await tp.click('nav.menu >> text=Материалы');
	L.ok(tp.url().endsWith(`/org/${org}/materials`), 'menu: materials',
	    tp.url());
	await L.phoneChecks(tp, 'the empty list', true);
	await tp.click('text=Опубликовать материал');
	await L.phoneChecks(tp, 'the new material\'s form', true);
	await L.shot(tp, 'materials-new-375');

	// A document without its file: 422 next to the file, title kept.
	await tp.check('input[name=kind][value=document]');
	await tp.fill('#title', 'Расписание контрольных');
	await tp.selectOption('#class_id', cls);
	await tp.click('button.primary');
	L.ok(await tp.isVisible('#file_error'),
	    '422: «Выберите файл» next to the file');
	L.ok(await tp.inputValue('#title') === 'Расписание контрольных',
	    '422: the title kept');
	await L.phoneChecks(tp, 'the form with a mistake', true);
	await L.shot(tp, 'materials-422-375');

	// Now with the PDF.
	await tp.check('input[name=kind][value=document]');
	await tp.setInputFiles('#file', { name: 'Расписание контрольных.pdf',
	    mimeType: 'application/pdf', buffer: PDF });
	await tp.click('button.primary');
	L.ok(/\/materials\/\d+$/.test(tp.url()), 'the PDF published',
	    tp.url());
	const docUrl = tp.url();
	await L.phoneChecks(tp, 'the document\'s page', true);
	await L.shot(tp, 'materials-document-375');

	// The article.
	await tp.goto(`${L.BASE}/org/${org}/materials/new`);
	await tp.check('input[name=kind][value=article]');
	await tp.fill('#title', 'Как готовиться к контрольной');
	await tp.selectOption('#class_id', cls);
	await tp.fill('#body', ARTICLE);
	await tp.click('button.primary');
	L.ok(/\/materials\/\d+$/.test(tp.url()), 'the article published',
	    tp.url());
	const artUrl = tp.url();

	// The student reads them on a phone, found from /me: their school's
	// card leads to its materials.
	await sp.goto(`${L.BASE}/me`);
	await L.phoneChecks(sp, 'the student\'s /me', true);
	await L.shot(sp, 'materials-me-student-375');
	await sp.click(`main a[href="/org/${org}/materials"]`);
	L.ok(sp.url().endsWith(`/org/${org}/materials`),
	    '/me: the school\'s materials', sp.url());
	const list = await sp.textContent('main');
	L.ok(list.includes('Расписание контрольных') &&
	    list.includes('Как готовиться к контрольной'),
	    'the student\'s list has both');
	L.ok(!(await sp.isVisible('text=Опубликовать материал')),
	    'a student is not offered to publish');
	await L.phoneChecks(sp, 'the student\'s list', true);
	await L.shot(sp, 'materials-list-375');

	let alerted = false;
	sp.on('dialog', async (d) => { alerted = true; await d.dismiss(); });
	await sp.goto(artUrl);
	L.ok(await sp.isVisible('.article h2 >> text=Как готовиться'),
	    'the article\'s heading rendered');
	L.ok(await sp.locator('.article li').count() === 3,
	    'the article\'s list rendered');
	L.ok(await sp.getAttribute('.article a', 'href') ===
	    'https://school.example.ru/kontrolnaya', 'the article\'s link');
	L.ok(await sp.locator('.article script').count() === 0 && !alerted,
	    'the article\'s <script> does not run');
	// Nor is it lost: shown as the teacher typed it, their words.
	L.ok((await sp.textContent('.article')).includes(
	    '<script>alert("нет")</script>'),
	    'the article\'s <script> shown as the text typed');
	W.DATA.add('<script>alert("нет")</script>');
	await L.phoneChecks(sp, 'the article', true);
	await L.shot(sp, 'materials-article-375');

	await sp.goto(docUrl);
	await L.phoneChecks(sp, 'the document for the student', true);
	await L.shot(sp, 'materials-document-student-375');
	const href = await sp.getAttribute('main a[href^="/files/"]', 'href');
	L.ok(href !== null, 'the document links its file', String(href));
	if (href !== null) {
		const res = await sp.request.get(L.BASE + href);
		L.ok(res.status() === 200 &&
		    res.headers()['content-type'].startsWith('application/pdf'),
		    'the student opens the PDF', `${res.status()}`);
	}

	// A long list (lib/pager) on the phone: three pages on, «Назад»
	// and «В начало» beside «Дальше», each easy to hit; «Назад» goes to
	// the page before.
	L.sql(`INSERT INTO parta.material (org_id, kind, title, audience,
	    body, author_id, created_at) SELECT ${org}, 'article',
	    'Заметка № ' || n, 'all', 'Текст', ${teacher},
	    now() - interval '1 day' - n * interval '1 minute'
	    FROM generate_series(1, 160) n`);
	await sp.goto(`${L.BASE}/org/${org}/materials`);
	await sp.click('.pager a[rel=next]');
	await sp.click('.pager a[rel=next]');
	L.ok(await sp.isVisible('text=Заметка № 99'), 'the third page');
	await L.phoneChecks(sp, 'the third page of a list', true);
	await L.shot(sp, 'materials-page3-375');
	const links = await sp.$$eval('.pager a', (as) => as.map((a) => {
		const b = a.getBoundingClientRect();
		return { text: a.textContent, h: b.height, w: b.width };
	}));
	L.ok(links.length === 3 && links.every((l) => l.h >= 40 && l.w >= 44),
	    'the pager: three links, each big enough for a finger',
	    JSON.stringify(links));
	await sp.click('.pager a[rel=prev]');
	L.ok(await sp.isVisible('text=Заметка № 49') &&
	    !(await sp.isVisible('text=Заметка № 99')), '«Назад»: the second page');
});
