// A school's roster in the browser (cgi-bin/roster): on a desktop the
// administrator uploads a CSV file (UTF-8 with a BOM, ';', the way Excel
// saves it) naming two classes the school has not made yet, reads the
// preview (counts, every row, the rows with errors), creates both
// classes from the preview's buttons (the form filled in, back to the
// preview), applies the roster and prints the personal links of the
// people expected (the invite program's cards, each with its expiry); on a 375 px phone the same preview is
// read: every row a card, nothing wider than the screen, text at 12 px
// or more.  Screenshots: tests/browser/shots/roster-*.png.  TAP.
'use strict';
const L = require('./lib.js');
const W = require('./words.js');

// The roster: 24 students of 9А and 9Б (names, birth dates, some with a
// phone or an e-mail), a teacher, and three rows a school's file really
// has wrong: a phone too short, a row without a first name, a person
// twice (28 rows).
function rosterFile() {
	const first = ['Анна', 'Борис', 'Вера', 'Глеб', 'Дарья', 'Егор',
	    'Жанна', 'Захар', 'Ирина', 'Кирилл', 'Лидия', 'Максим'];
	const last = ['Алексеев', 'Белова', 'Васильев', 'Григорьева',
	    'Дмитриев', 'Ершова', 'Жуков', 'Зайцева', 'Ильин', 'Комарова',
	    'Лебедев', 'Морозова'];
	const rows = ['Фамилия;Имя;Отчество;Роль;Класс;Телефон;Почта;' +
	    'Дата рождения'];
	for (let i = 0; i < 24; i++) {
		const cls = i < 12 ? '9А' : '9 б';
		const phone = i % 3 === 0 ? `8 912 ${String(100 + i)}-${
		    String(10 + i)}-${String(20 + i)}` : '';
		const mail = i % 4 === 1 ? `uchenik${i}@example.ru` : '';
		rows.push(`${last[i % 12]};${first[(i * 5) % 12]};Сергеевич;` +
		    `ученик;${cls};${phone};${mail};${String(i % 28 + 1)
		    .padStart(2, '0')}.0${i % 9 + 1}.2010`);
	}
	rows.push('Учителева;Марина;Петровна;учитель;;;marina@example.ru;');
	rows.push('Ошибкин;Павел;;ученик;9А;12345;;01.01.2010');
	rows.push('Безымянный;;;ученик;9А;;;02.02.2010');
	rows.push(rows[1]);
	return Buffer.from('\ufeff' + rows.join('\r\n') + '\r\n', 'utf8');
}

L.run('roster', async (browser) => {
	const { page: ad, org } = await L.schoolAdmin(browser, L.DESKTOP,
	    { last: 'Спискова', first: 'Елена', birth: '1979-09-01',
	    password: 'пароль-для-списка-1' }, 'Лицей № 7');
	const desk = ad.context();

	// Upload.
	await ad.goto(`${L.BASE}/org/${org}`);
	await ad.click('nav.menu a:has-text("Списки")');
	L.ok(ad.url().endsWith(`/org/${org}/roster`),
	    'desktop: the menu leads to the rosters', ad.url());
	await L.shot(ad, 'roster-desktop-list');
	await W.words(ad, L, 'desktop: the rosters page');
	await ad.setInputFiles('#file', { name: 'класс9.csv',
	    mimeType: 'text/csv', buffer: rosterFile() });
	await ad.click('button:has-text("Загрузить и проверить")');
	L.ok(/\/roster\/\d+$/.test(ad.url()), 'desktop: uploaded, the ' +
	    'preview shown', ad.url());
	const rosterUrl = ad.url();
	const text = await ad.evaluate(() => document.body.innerText);
	L.ok(/28 строк/.test(text), 'desktop: 28 rows read', text
	    .slice(0, 200));
	L.ok(text.includes('нет такого класса') &&
	    text.includes('Создать класс 9А') &&
	    text.includes('Создать класс 9Б'),
	    'desktop: the missing classes offered');
	L.ok(text.includes('ошибки в строке'), 'desktop: errors counted');
	await L.shot(ad, 'roster-desktop-preview');
	await W.words(ad, L, 'desktop: the preview');
	await L.axe(ad, 'desktop: the preview');

	// Create both classes from the preview.
	for (const cls of ['9А', '9Б']) {
		await ad.click(`a:has-text("Создать класс ${cls}")`);
		L.ok(await ad.inputValue('#letter') === cls.slice(1) &&
		    await ad.inputValue('#grade') === '9',
		    `desktop: the class form filled in for ${cls}`);
		await ad.click('button:has-text("Создать класс")');
		L.ok(ad.url() === rosterUrl, `desktop: back at the preview ` +
		    `after ${cls}`, ad.url());
	}
	const after = await ad.evaluate(() => document.body.innerText);
	L.ok(!after.includes('Создать класс 9') &&
	    /25 — примем, когда подадут заявку/.test(after),
	    'desktop: the preview finds the new classes',
	    after.slice(0, 400));

	// Apply.
	await ad.click('button:has-text("Применить все подходящие")');
	const done = await ad.evaluate(() => document.body.innerText);
	L.ok(/список применён/i.test(done) &&
	    /25 — ждём их заявки/.test(done),
	    'desktop: applied, 25 people expected', done.slice(0, 400));
	await L.shot(ad, 'roster-desktop-applied');
	await W.words(ad, L, 'desktop: the applied roster');

	// The printable personal links (the invite program's form).
	await ad.click('a:has-text("Напечатать карточки")');
	L.ok(/\/invites\/bulk\?roster_id=\d+&mode=print$/.test(ad.url()),
	    'desktop: the links form of the roster', ad.url());
	await ad.click('button:has-text("Создать ссылки")');
	// One sheet a class (or the list of the roster's sheets).
	L.ok(/\/invites(\/batches\/\d+|\?roster=\d+&made=\d+#batches)$/
	    .test(ad.url()), 'desktop: the cards made', ad.url());
	await L.shot(ad, 'roster-desktop-batches');
	await ad.click('a[href$="/print"]');
	await ad.emulateMedia({ media: 'print' });
	await L.shot(ad, 'roster-desktop-print');
	const cards = await ad.evaluate(() => [...document.querySelectorAll(
	    '.cut')].map((c) => c.textContent.replace(/\s+/g, ' ')));
	L.ok(cards.length > 0 && cards.every((c) =>
	    /Действует до \S/.test(c)), 'desktop: the cards printed, ' +
	    'each with its expiry', `${cards.length} cards`);
	await ad.emulateMedia({ media: 'screen' });
	// The list: the roster, how many joined, who is still awaited.
	await ad.goto(`${L.BASE}/org/${org}/roster`);
	const list = await ad.evaluate(() => document.body.innerText);
	L.ok(/Ещё не вступили: 25/.test(list), 'desktop: the list names ' +
	    'the 25 not joined yet', list.slice(0, 300));
	await L.shot(ad, 'roster-desktop-list-after');
	await W.words(ad, L, 'desktop: the list of rosters');

	// The preview on a phone.
	const state = await desk.storageState();
	const mob = await L.context(browser, L.PHONE,
	    { storageState: state });
	const ph = await mob.newPage();
	await ph.goto(rosterUrl);
	await L.shot(ph, 'roster-phone-applied');
	let f = await L.layout(ph);
	L.fitsOk(f, 'phone: the roster fits the screen');
	L.smallOk(f, 'phone: no text under 12 px');
	// A new roster's preview (before the apply) on the phone.
	await ph.goto(`${L.BASE}/org/${org}/roster`);
	await ph.fill('#text', 'ФИО;Класс;Дата рождения\n' +
	    'Новикова Алиса Андреевна;9А;05.05.2010\n' +
	    'Константинопольский-Вознесенский Александр;9Б;06.06.2010\n' +
	    'Петров Пётр;10В;07.07.2010\n');
	await ph.click('button:has-text("Загрузить и проверить")');
	L.ok(/\/roster\/\d+$/.test(ph.url()), 'phone: pasted text read',
	    ph.url());
	await L.shot(ph, 'roster-phone-preview');
	f = await L.layout(ph);
	L.fitsOk(f, 'phone: the preview fits the screen');
	const rows = await ph.evaluate(() => [...document.querySelectorAll(
	    'table.roster-rows tbody tr')].map((tr) =>
	    getComputedStyle(tr).display));
	L.ok(rows.length === 3 && rows.every((d) => d === 'block'),
	    'phone: every row a card', rows.join(','));
	await W.words(ph, L, 'phone: the preview');
	await L.axe(ph, 'phone: the preview');
	await mob.close();
	await desk.close();
});
