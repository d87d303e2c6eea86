// The organization's leaders in the browser (cgi-bin/leaders): on a
// desktop the administrator adds herself as the director from the staff
// list, sends the form of someone not on the platform without a
// position (422 next to the field, the name kept), then fills it in,
// moves the deputy up and chooses to show her own phone; the page is
// read on a desktop and on a 375 px phone: nothing wider than the
// screen, text at 12 px or more, every card under the one above.
// Screenshots: tests/browser/shots/leaders-*.png.  TAP.
'use strict';
const L = require('./lib.js');
const W = require('./words.js');

L.run('leaders', async (browser) => {
	const { page: ad, phone, org } = await L.schoolAdmin(browser,
	    L.DESKTOP, { last: 'Руководова', first: 'Галина',
	    birth: '1975-03-12', password: 'пароль-руководителя-1' },
	    'Гимназия № 2');
	const desk = ad.context();

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
	await L.axe(ad, 'desktop: editing the leaders');

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
	await L.axe(ad, 'desktop: the leaders');

	const state = await desk.storageState();
	const mob = await L.context(browser, L.PHONE,
	    { storageState: state });
	const ph = await mob.newPage();
	for (const [url, name] of [[`/org/${org}/leaders`, 'leaders'],
	    [`/org/${org}/leaders/edit`, 'edit']]) {
		await ph.goto(L.BASE + url);
		await L.shot(ph, `leaders-phone-${name}`);
		await L.phoneChecks(ph, name);
	}
	await ph.goto(`${L.BASE}/org/${org}/leaders`);
	const xs = await ph.evaluate(() => [...document.querySelectorAll(
	    'li.leader')].map((li) => Math.round(
	    li.getBoundingClientRect().left)));
	L.ok(xs.length === 2 && xs[0] === xs[1],
	    'phone: the cards one under another', xs.join(','));
	await mob.close();
	await desk.close();
});
