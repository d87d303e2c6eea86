// Events on the home page, in a school seven hours from Moscow
// (Primorye, Asia/Vladivostok): its administrator makes the school's
// events from the form (an end before the start is refused next to the
// field, what was typed kept), cancels one, and the home page shows
// today and the coming six days, day by day, each with its events at
// the school's own time or «событий нет» — on a desktop and on a 375 px
// phone, where nothing makes the page scroll sideways, not even an event
// whose place is a video call's long address or 200 characters without a
// space, nor one that spans three days.  Screenshots go
// to tests/browser/shots/events-*.  TAP.
'use strict';
const L = require('./lib.js');

const TZ = 'Asia/Vladivostok';

// The school's day days from now, as a datetime-local date.
function day(days) {
	const d = new Date(Date.now() + days * 86400000);
	return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric',
	    month: '2-digit', day: '2-digit' }).format(d);
}

async function newEvent(p, org, title, starts, ends, place) {
	await p.goto(`${L.BASE}/org/${org}/events`);
	await p.fill('#title', title);
	await p.fill('#starts_at', starts);
	await p.fill('#ends_at', ends);
	await p.fill('#place', place);
	await p.click('form[action$="/events"] button.primary');
}

L.run('events', async (browser) => {
	const phone = L.uniquePhone();
	const org = L.orgCreate('Школа № 7 г. Владивостока', phone, '25');
	const admin = await L.person(browser, L.DESKTOP);
	await L.signup(admin, { last: 'Морская', first: 'Ирина',
	    birth: '1979-05-06', phone,
	    password: 'пароль-для-событий-1' });

	// An end before the start: refused next to the field.
	await newEvent(admin, org, 'Наоборот', `${day(1)}T12:00`,
	    `${day(1)}T11:00`, '');
	L.ok(await admin.isVisible('#ends_at_error'),
	    'an end before the start: said next to the end');
	L.ok(await admin.inputValue('#title') === 'Наоборот',
	    'what was typed is kept');
	await L.shot(admin, 'events-422-desktop');

	await newEvent(admin, org, 'Линейка ко Дню учителя',
	    `${day(0)}T23:00`, `${day(0)}T23:30`, 'Школьный двор');
	await newEvent(admin, org, 'Родительское собрание',
	    `${day(1)}T09:00`, `${day(1)}T10:30`, 'Актовый зал');
	await newEvent(admin, org, 'Экскурсия в океанариум',
	    `${day(3)}T10:00`, `${day(3)}T14:00`, 'Остров Русский');
	// Long places: a video call's address, 200 letters in a row.
	await newEvent(admin, org, 'Родительское собрание онлайн',
	    `${day(1)}T18:00`, `${day(1)}T19:00`,
	    'https://telemost.yandex.ru/j/87654321098765432109876');
	await newEvent(admin, org, 'Олимпиада',
	    `${day(1)}T11:00`, `${day(1)}T12:00`, 'ж'.repeat(200));
	// Three days: «с 10:00», «весь день», «до 12:00».
	await newEvent(admin, org, 'Турслёт', `${day(4)}T10:00`,
	    `${day(6)}T12:00`, 'Лагерь');
	// Cancel the excursion from its page.
	await admin.goto(`${L.BASE}/org/${org}/events`);
	await admin.click('text=Экскурсия в океанариум');
	await L.shot(admin, 'events-event-desktop');
	await admin.click('text=Отменить событие…');
	await admin.click('button.danger');
	L.ok(await admin.isVisible('text=Событие отменено'),
	    'cancelled: its page says so');

	await admin.goto(`${L.BASE}/org/${org}`);
	const home = await admin.textContent('main');
	L.ok(home.includes('Сегодня, '), 'the home names today');
	L.ok(home.includes('09:00–10:30'),
	    'the meeting at the school\'s own time, 09:00');
	L.ok(home.includes('событий нет'), 'empty days: «событий нет»');
	L.ok(home.includes('с 10:00') && home.includes('весь день') &&
	    home.includes('до 12:00') && !home.includes('00:00–12:00'),
	    'three days: «с 10:00», «весь день», «до 12:00»');
	L.ok(/Экскурсия в океанариум\s*отменено/.test(home),
	    'the cancelled excursion marked on the home page');
	await L.shot(admin, 'events-home-desktop');

	await admin.setViewportSize({ width: 375, height: 800 });
	await admin.goto(`${L.BASE}/org/${org}`);
	await L.noSideways(admin,
	    'home on a 375 px phone: no sideways scroll');
	await L.shot(admin, 'events-home-375');
	await admin.goto(`${L.BASE}/me`);
	await L.noSideways(admin,
	    '/me with long places on a 375 px phone: no sideways scroll');
	await admin.goto(`${L.BASE}/org/${org}/events`);
	await L.noSideways(admin,
	    'events list on a 375 px phone: no sideways scroll');
	await L.shot(admin, 'events-list-375');
	await admin.goto(`${L.BASE}/me`);
	await L.shot(admin, 'events-me-375');
	await admin.goto(`${L.BASE}/me/calendar`);
	await admin.click('button.primary');
	L.ok((await admin.inputValue('input.link-box'))
	    .includes('/me/calendar.ics?key='),
	    'the calendar page shows the feed\'s address');
	await L.shot(admin, 'events-calendar-375');
});
