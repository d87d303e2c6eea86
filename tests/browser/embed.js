// Videos in a material's page (cgi-bin/materials.c, lib/embed): on a
// 375 px phone a school's administrator opens «Материалы», finds the
// settings under the list, ticks ВК Видео and Ютуб and types an
// address that is none (422: the words next to the field, the boxes
// still ticked), then the school's site in Cyrillic (saved in its ASCII
// form, shown in Cyrillic); publishes a
// YouTube video and opens it: the player in a 16:9 frame as wide as the
// card, the link card under it, the frame given only the page's origin
// as referrer.  A RuTube video of the same school stays a link card.
// The players are answered here by a stand-in page (no network), and
// no other host is asked for anything.  Every page fits the screen, has
// no text under 12 px, no serious axe finding.  Screenshots:
// tests/browser/shots/embed-*.  TAP.
'use strict';
const { domainToASCII } = require('url');
const L = require('./lib.js');

const YT = 'https://www.youtube.com/watch?v=dQw4w9WgXcQ';
const RT = 'https://rutube.ru/video/0123456789abcdef0123456789abcdef/';

L.run('embed', async (browser) => {
	const ctx = await L.context(browser, L.PHONE, { isMobile: true,
	    hasTouch: true });
	// Anything not Parta's: the YouTube player gets a stand-in page,
	// everything else is refused and remembered.
	const foreign = [];
	let referer = null;
	const player = 'https://www.youtube-nocookie.com/embed/';
	await ctx.route((u) => !u.href.startsWith(L.BASE), async (route) => {
		const req = route.request();
		if (req.url().startsWith(player)) {
			referer = (await req.allHeaders()).referer || '';
			await route.fulfill({ status: 200,
			    contentType: 'text/html; charset=utf-8',
			    body: '<!doctype html><html lang="ru"><title>Плеер' +
			    '</title><body style="margin:0;background:#111;' +
			    'color:#eee;font:16px sans-serif;display:grid;' +
			    'place-items:center;height:100vh">▶ Плеер' +
			    '</body></html>' });
			return;
		}
		foreign.push(req.url());
		await route.abort();
	});
	const ad = await ctx.newPage();
	const phone = await L.signup(ad, { last: 'Видеова', first: 'Анна',
	    birth: '1975-03-03', password: 'пароль-администратора-7' });
	const org = L.orgCreate('Школа с видео', phone);

	// The settings, under the list.
	await ad.goto(`${L.BASE}/org/${org}/materials`);
	L.ok(await ad.isVisible('text=Видео прямо на странице'),
	    'the administrator sees the video settings');
	await L.phoneChecks(ad, 'the list with the settings', true);
	await ad.locator('#material_setting').scrollIntoViewIfNeeded();
	await L.shot(ad, 'embed-settings-375');

	// An address that is none: 422 next to the field, the ticks kept.
	await ad.check('input[name=embed_vk]');
	await ad.check('input[name=embed_youtube]');
	await ad.fill('#embed_hosts', '-видео.школа.рф');
	await ad.click('text=Сохранить настройки');
	L.ok(await ad.isVisible('#embed_hosts_error'),
	    '422: the words next to the field',
	    await ad.textContent('main'));
	L.ok(await ad.isChecked('input[name=embed_youtube]') &&
	    await ad.isChecked('input[name=embed_vk]') &&
	    await ad.inputValue('#embed_hosts') === '-видео.школа.рф',
	    '422: the ticks and the address kept');
	L.ok(L.sql(`SELECT count(*) FROM parta.material_embed
	    WHERE org_id = ${org}`) === '0', '422: nothing saved');
	await L.phoneChecks(ad, 'the settings with a mistake', true);
	await ad.locator('#embed_hosts').scrollIntoViewIfNeeded();
	await L.shot(ad, 'embed-settings-422-375');

	// The school's address in Cyrillic, as people write it: saved in
	// its ASCII form, shown in Cyrillic.
	const host = domainToASCII('видео.школа.рф');
	await ad.fill('#embed_hosts', 'https://Видео.Школа.рф/');
	await ad.click('text=Сохранить настройки');
	L.ok(ad.url().endsWith(`/org/${org}/materials?saved=1`) &&
	    (await ad.textContent('body')).includes('Настройки сохранены.'),
	    'saved: the list, saying so', ad.url());
	L.ok(L.sql(`SELECT string_agg(site, ',' ORDER BY site)
	    FROM parta.material_embed WHERE org_id = ${org}`) ===
	    `vk,${host},youtube`,
	    'saved: VK, YouTube and the school\'s host');
	L.ok(await ad.inputValue('#embed_hosts') === 'видео.школа.рф',
	    'the school\'s host shown in Cyrillic, not as xn--');
	L.ok(await ad.isChecked('input[name=embed_youtube]') &&
	    !(await ad.isChecked('input[name=embed_rutube]')),
	    'the form shows what is saved');

	// A YouTube video: the player, then the card.
	const publish = async (title, url) => {
		await ad.goto(`${L.BASE}/org/${org}/materials/new`);
		await ad.check('input[name=kind][value=video]');
		await ad.fill('#title', title);
		await ad.check('input[name=audience][value=all]');
		await ad.fill('#url', url);
		await ad.click('button.primary');
		return ad.url();
	};
	const yt = await publish('Опыт: как растворяется соль', YT);
	L.ok(/\/materials\/\d+$/.test(yt), 'the YouTube video published', yt);
	const frame = ad.locator('.embed iframe');
	L.ok(await frame.count() === 1, 'the player is in the page');
	await ad.frameLocator('.embed iframe').locator('body')
	    .waitFor({ timeout: 10000 });
	const fb = await frame.boundingBox();
	const cb = await ad.locator('.linkcard').boundingBox();
	const mb = await ad.locator('article.material').boundingBox();
	L.ok(fb !== null && fb.x >= mb.x && fb.x + fb.width <= mb.x + mb.width
	    + 0.5 && Math.abs(fb.width / fb.height - 16 / 9) < 0.02,
	    'the player: 16:9, as wide as the card', JSON.stringify(fb));
	L.ok(cb !== null && fb !== null && cb.y >= fb.y + fb.height,
	    'the link card is under the player', JSON.stringify(cb));
	L.ok(referer === L.BASE + '/',
	    'the player is told the page\'s origin only', String(referer));
	await L.phoneChecks(ad, 'a video shown in the page', true);
	await L.shot(ad, 'embed-video-375');

	// A RuTube video of the same school: a card only.
	await publish('Экскурсия в музей', RT);
	L.ok(await ad.locator('iframe').count() === 0 &&
	    await ad.isVisible('.linkcard >> text=Смотреть видео'),
	    'a RuTube video (not allowed): the link card only');
	await L.phoneChecks(ad, 'a video as a link', true);
	await L.shot(ad, 'embed-link-375');
	L.ok(foreign.length === 0, 'no other host was asked for anything',
	    foreign.join(' '));
	await ctx.close();
});
