// A photo in the class chat (issue 22), on a 375 px phone: a student,
// in a browser without JavaScript (the form needs none), picks a photo
// of the homework in the chat of the class (the homeroom teacher's
// chat with the class and its parents) and sends it with a line of
// text; the message shows the photo's preview.  A classmate's parent,
// on a phone, reads the chat, sees the preview and opens the photo.
// Then eleven files are refused with the words next to the field and
// the text kept.  On each page: nothing reaches past the screen, no
// text under 12 px, the words a person reads; axe-core on the parent's
// (the student's browser runs no script, axe's included).
//
// Screenshots go to tests/browser/shots/chat-files-*.  TAP.
'use strict';
const L = require('./lib.js');

const PASSWORD = 'пароль-для-фото-1';

// A JPEG photo drawn by the browser itself (a canvas), as bytes.
async function photo(page) {
	const b64 = await page.evaluate(() => {
		const c = document.createElement('canvas');
		c.width = 640;
		c.height = 480;
		const g = c.getContext('2d');
		g.fillStyle = '#f3efe0';
		g.fillRect(0, 0, 640, 480);
		g.fillStyle = '#2453d6';
		g.font = '48px sans-serif';
		g.fillText('2 + 2 = 4', 60, 120);
		g.fillText('3 × 3 = 9', 60, 220);
		return c.toDataURL('image/jpeg', 0.8).split(',')[1];
	});
	return Buffer.from(b64, 'base64');
}

L.run('a photo in the class chat', async (browser) => {
	const { page: ad, phone: adPhone, org } = await L.schoolAdmin(browser,
	    L.PHONE, { last: 'Фотова', first: 'Нина', birth: '1980-03-04',
	    password: PASSWORD }, 'Школа с фотографиями');
	const aid = L.accountOf(adPhone);
	const cls = L.sqlClass(org, 7, 'А');

	// The student, in a browser without JavaScript.
	const st = await L.person(browser, L.PHONE,
	    { javaScriptEnabled: false });
	const sid = L.accountOf(await L.signup(st, { last: 'Снимкова',
	    first: 'Вика', birth: '2012-05-06', password: PASSWORD }));
	// A classmate and the classmate's mother.
	const mate = L.sqlAccount('Одноклассников', 'Петя', '2012-01-01');
	const mum = await L.person(browser, L.PHONE);
	const mumId = L.accountOf(await L.signup(mum, { last: 'Одноклассникова',
	    first: 'Ольга', birth: '1985-02-03', password: PASSWORD }));
	for (const [who, role] of [[sid, 'student'], [mate, 'student']]) {
		L.sqlMember(org, who, role);
		L.sql(`INSERT INTO parta.class_member (org_id, class_id,
		    account_id, role) VALUES (${org}, ${cls}, ${who}, '${role}')`);
	}
	L.sql(`INSERT INTO parta.guardian (parent_id, child_id)
	    VALUES (${mumId}, ${mate})`);
	// The class's chat with its parents, as its link would fill it.
	const chat = L.sql(`INSERT INTO parta.chat (org_id, title, class_id,
	    created_by) VALUES (${org}, '7А: ученики и родители', ${cls},
	    ${aid}) RETURNING id`);
	L.sql(`INSERT INTO parta.chat_member (org_id, chat_id, account_id,
	    is_admin) VALUES (${org}, ${chat}, ${aid}, true), (${org}, ${chat},
	    ${sid}, false), (${org}, ${chat}, ${mate}, false), (${org},
	    ${chat}, ${mumId}, false)`);

	// The student opens the chat from the list of chats.
	await st.goto(`${L.BASE}/chats`);
	await st.click('a:has-text("7А: ученики и родители")');
	L.ok(st.url().endsWith(`/chats/${chat}#end`), 'the chat opens',
	    st.url());
	await L.shot(st, 'chat-files-form');
	await L.phoneChecks(st, 'the chat with its file field');

	// A photo and a line, sent without JavaScript.
	const jpeg = await photo(mum);
	await st.fill('#text', 'Домашка на завтра');
	await st.setInputFiles('#file', { name: 'домашка.jpg',
	    mimeType: 'image/jpeg', buffer: jpeg });
	await st.click('form.compose button.primary');
	L.ok(/\/chats\/\d+(#m\d+)?$/.test(st.url()), 'sent: back in the chat',
	    st.url());
	const img = st.locator('.message .files img').last();
	L.ok(await img.count() === 1 && await img.evaluate((e) =>
	    e.complete && e.naturalWidth > 0), 'the message shows its preview');
	L.ok(/Домашка на завтра/.test(await st.textContent('main')),
	    'with its text');
	await L.shot(st, 'chat-files-sent');
	await L.phoneChecks(st, 'the chat with a photo');

	// The classmate's mother reads the chat and opens the photo.
	await mum.goto(`${L.BASE}/chats/${chat}`);
	const prev = mum.locator('.message .files img').last();
	L.ok(await prev.count() === 1 && await prev.evaluate((e) =>
	    e.complete && e.naturalWidth > 0), 'a parent sees the preview');
	await L.shot(mum, 'chat-files-parent');
	await L.phoneChecks(mum, 'a parent reads the photo', true);
	const href = await mum.locator('.message .files a').last()
	    .getAttribute('href');
	const res = await mum.request.get(L.BASE + href);
	L.ok(res.status() === 200 &&
	    /^image\//.test(res.headers()['content-type'] || ''),
	    'the parent opens the photo', `${res.status()} ${href}`);
	await mum.goto(L.BASE + href);
	await L.shot(mum, 'chat-files-photo');

	// Eleven files: refused next to the field, the text kept.
	await st.goto(`${L.BASE}/chats/${chat}`);
	await st.fill('#text', 'Все листы');
	await st.setInputFiles('#file', Array.from({ length: 11 }, (_, i) =>
	    ({ name: `лист${i + 1}.jpg`, mimeType: 'image/jpeg',
	    buffer: jpeg })));
	await st.click('form.compose button.primary');
	const err = await st.textContent('#file_error').catch(() => '');
	L.ok(/Не больше 10 файлов/.test(err) &&
	    await st.inputValue('#text') === 'Все листы',
	    'eleven files: refused, the text kept', err);
	await L.shot(st, 'chat-files-refused');
	await L.phoneChecks(st, 'eleven files refused');

	// A busy chat opens at its newest message, the form under it: from
	// the list (its link's #end, no script needed) and by its address
	// alone (a typed or old link: html/static/chat.js).
	L.sql(`INSERT INTO parta.message (org_id, chat_id, author_id, body)
	    SELECT ${org}, ${chat}, ${aid}, 'Объявление номер ' || g
	    FROM generate_series(1, 40) g`);
	const where = (p) => p.evaluate(() => {
		const seen = (e) => {
			const r = e.getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight;
		};
		const all = document.querySelectorAll('.message');
		return { first: seen(all[0]), last: seen(all[all.length - 1]),
		    form: seen(document.getElementById('text')) };
	});
	for (const [who, how] of [[st, 'without JavaScript'],
	    [mum, 'with JavaScript']]) {
		await who.goto(`${L.BASE}/chats`);
		await who.click('a:has-text("7А: ученики и родители")');
		const w = await where(who);
		L.ok(w.last && w.form && !w.first,
		    `a busy chat opens at its newest message (${how})`,
		    JSON.stringify(w));
	}
	await L.shot(st, 'chat-files-newest');
	await mum.goto(`${L.BASE}/chats/${chat}`);
	const w = await where(mum);
	L.ok(w.last && w.form && !w.first,
	    'by its address alone too (the script)', JSON.stringify(w));

	// A refused message, without JavaScript: the page opens at the
	// form, its words and the button in view.
	await st.goto(`${L.BASE}/chats/${chat}`);
	await st.click('form.compose button.primary');
	const refused = await st.evaluate(() => {
		const seen = (e) => {
			const r = e.getBoundingClientRect();
			return r.top >= 0 && r.bottom <= innerHeight;
		};
		const words = document.getElementById('text_error');
		return { words: !!words && seen(words),
		    button: seen(document.querySelector(
		    'form.compose button.primary')) };
	});
	L.ok(refused.words && refused.button,
	    'a refused message: its words and the button in view',
	    JSON.stringify(refused));

	// The page's refresh (chat.js, every 15 s): a new message shows
	// for a reader at the newest one, the form staying in place; a
	// reader scrolled back to older messages is left there.  The
	// browser's clock is run forward, nothing waits.
	const reader = await L.person(browser, L.PHONE);
	await reader.context().addCookies(await mum.context().cookies());
	await reader.clock.install();
	await reader.goto(`${L.BASE}/chats/${chat}`);
	const formTop = () => reader.evaluate(() =>
	    Math.round(document.getElementById('text')
	    .getBoundingClientRect().top));
	const before = await formTop();
	L.sql(`INSERT INTO parta.message (org_id, chat_id, author_id, body)
	    VALUES (${org}, ${chat}, ${aid}, 'Новое объявление')`);
	await reader.clock.runFor(16000);
	await reader.waitForFunction(() => /Новое объявление/.test(
	    document.getElementById('messages').textContent));
	L.ok(Math.abs(await formTop() - before) <= 2,
	    'a new message shows, the form stays in place',
	    `${before} → ${await formTop()}`);
	await reader.evaluate(() => window.scrollTo(0, 200));
	L.sql(`INSERT INTO parta.message (org_id, chat_id, author_id, body)
	    VALUES (${org}, ${chat}, ${aid}, 'Ещё одно объявление')`);
	// (No request for the page: waited for 2 s of real time, since a
	// request that is not made never comes.)
	let fetched = false;
	const asked = reader.waitForRequest((q) =>
	    q.url().endsWith(`/chats/${chat}`), { timeout: 2000 })
	    .then(() => { fetched = true; }, () => {});
	await reader.clock.runFor(16000);
	await asked;
	const y = await reader.evaluate(() => window.scrollY);
	L.ok(!fetched && y === 200,
	    'a reader of older messages is left where they are',
	    `fetched ${fetched}, scrollY ${y}`);
	await reader.context().close();
	await st.context().close();
	await mum.context().close();
	await ad.context().close();
});
