// Pages that must stay legible on a phone and whole on paper:
//
// - the operator's statistics chart, at 375 px and on a desktop: every
//   piece of text on the page is drawn at 12 px or more (SVG text counts
//   at the size it is drawn, after the picture is scaled to the screen),
//   every region's name and figure is shown in full, and nothing makes
//   the page scroll sideways;
// - the printed sheet of personal links: 13 cards with long names (the
//   longest a name may be, 100 characters, one word of 60) of an
//   organization with a long name, under print media on A4: no card's
//   content outgrows its box (the expiry line inside it), no card is cut
//   by a page break (computed from the card boxes and A4's height, 277 mm
//   inside the margins), and the PDF Chromium prints has the pages that
//   takes: six cards a page, so three.  On a phone the same sheet is one
//   column that fits the screen.
//
// Screenshots (and the PDF) go to tests/browser/shots/look-*.  TAP.
'use strict';
const path = require('path');
const L = require('./lib.js');

const CARDS_PER_PAGE = 6;
const MM = 96 / 25.4;			// CSS pixels in a millimetre

// An organization in region (its INN begins with 8, where the other
// tests' schools' begin with 7).
function orgCreate(region, name, phone) {
	return L.orgCreate(name, phone, region, '8');
}

// Every text on the page at the size it is drawn, and whether it lies
// within the screen's width: [[text, px, right edge]].
async function texts(page) {
	return page.evaluate(() => {
		const out = [];
		const walk = document.createTreeWalker(
		    document.querySelector('main'), NodeFilter.SHOW_TEXT);
		for (let t = walk.nextNode(); t; t = walk.nextNode()) {
			const s = t.textContent.trim();
			const el = t.parentElement;
			if (!s || !el.getClientRects().length)
				continue;
			let px = parseFloat(getComputedStyle(el).fontSize);
			// SVG text is scaled with its picture.
			if (el instanceof SVGElement && el.getScreenCTM()) {
				const m = el.getScreenCTM();
				px *= Math.hypot(m.a, m.b);
			}
			const r = document.createRange();
			r.selectNodeContents(t);
			out.push([s.slice(0, 40), px,
			    r.getBoundingClientRect().right]);
		}
		return out;
	});
}

async function stats(browser, mode, width, height, regions) {
	const op = await L.person(browser, { width, height });
	await L.login(op, L.operatorLogin());
	await op.goto(L.BASE + '/operator/stats');
	await L.shot(op, `look-${mode}-stats`);
	const t = `${mode} ${width} px: stats: `;
	const all = await texts(op);
	const w = await op.evaluate(() => window.innerWidth);
	const small = all.filter(([, px]) => px < 12 - 0.01);
	L.ok(all.length > 0 && small.length === 0,
	    t + 'every text at 12 px or more', small.slice(0, 4).map(
	    ([s, px]) => `«${s}» ${px.toFixed(1)} px`).join('; '));
	const out = all.filter(([, , right]) => right > w + 0.5);
	L.ok(out.length === 0, t + 'every text within the screen',
	    out.slice(0, 4).map(([s, , r]) => `«${s}» to ${Math.round(r)} px`)
	    .join('; '));
	await L.noSideways(op, t + 'no sideways scrolling');
	await L.axe(op, t.slice(0, -2));
	// Each region made here: its whole name, its figure and a bar.
	const rows = await op.evaluate(() => [...document.querySelectorAll(
	    'main li')].map((li) => [li.textContent.replace(/\s+/g, ' ').trim(),
	    li.querySelector('svg, rect, [class*=bar]') !== null]));
	for (const name of regions) {
		const row = rows.find(([s]) => s.startsWith(name));
		L.ok(row && /\d+$/.test(row[0]) && row[1],
		    t + `«${name}» with its bar and figure`,
		    row ? row[0] : 'not a list item of its own');
	}
	await op.context().close();
}

// A name of exactly n characters made of real words.
function longName(n) {
	const words = ['Константинопольская-Вознесенская', 'Александра-Мария',
	    'Вячеславовна', 'Преображенская', 'Елизавета-Виктория', 'Оглы'];
	let s = '';
	for (let i = 0; s.length < n; i++)
		s += (s ? ' ' : '') + words[i % words.length];
	return s.slice(0, n).trim();
}

// What is wrong with the cards of the sheet as shown now: a card whose
// content outgrows its box, a part of it (organization, name, QR code and
// steps, link, expiry) over another or reaching out of it, or no expiry
// line inside.
async function cardsWhole(page) {
	return page.evaluate(() => {
		const bad = [], cards = [...document.querySelectorAll('.cut')];
		for (const c of cards) {
			const name = c.querySelector('.cut-name').textContent
			    .slice(0, 24);
			const cr = c.getBoundingClientRect();
			if (c.scrollHeight > c.clientHeight ||
			    c.scrollWidth > c.clientWidth)
				bad.push(`${name}: content ${c.scrollWidth}x` +
				    `${c.scrollHeight} in ${c.clientWidth}x` +
				    `${c.clientHeight}`);
			// Each part of the card below the one before, and all of
			// it inside its part: nothing overflows onto something else.
			const within = (box, el) => {
				const e = el.getBoundingClientRect();
				return (e.width === 0 && e.height === 0) ||
				    (e.top >= box.top - 0.5 && e.left >= box.left - 0.5 &&
				    e.bottom <= box.bottom + 0.5 &&
				    e.right <= box.right + 0.5);
			};
			let above = cr.top;
			for (const part of c.children) {
				const pr = part.getBoundingClientRect();
				const what = part.getAttribute('class');
				if (!within(cr, part) || pr.top < above - 0.5)
					bad.push(`${name}: ${what} outside the card or ` +
					    'over the part above');
				else if (![...part.querySelectorAll('*')].every((el) =>
				    within(pr, el)))
					bad.push(`${name}: ${what} overflows`);
				above = pr.bottom;
			}
			const foot = c.querySelector('.cut-foot');
			const fr = foot ? foot.getBoundingClientRect() : null;
			if (!foot || !/Действует до \S/.test(foot.textContent) ||
			    fr.bottom > cr.bottom + 0.5 || fr.height === 0)
				bad.push(`${name}: the expiry line is not in the card`);
		}
		return bad;
	});
}

async function print(browser) {
	const org = 'МАОУ «Средняя общеобразовательная школа № 140 с ' +
	    'углублённым изучением отдельных предметов имени ' +
	    'Героя Советского Союза А. П. Маресьева» г. Ханты-Мансийска';
	const names = [longName(100),
	    'Абдурахмангаджиевагаджимагомедовакурбаналиевамагомедсаидова Патимат',
	    'Римский-Корсаков Николай Андреевич'];
	for (let i = 3; i < 13; i++)
		names.push(longName(60 + i * 3));
	const { page: ad, org: id } = await L.schoolAdmin(browser,
	    { width: 794, height: 1123 }, { last: 'Печатникова', first: 'Анна',
	    birth: '1981-03-04', password: 'пароль-для-печати-1' }, org, '86',
	    '8');
	await ad.goto(`${L.BASE}/org/${id}/invites/bulk`);
	await ad.check('input[name=role][value=teacher]');
	await ad.fill('#names', names.join('\n'));
	await ad.click('button:has-text("Создать ссылки")');
	L.ok(/\/invites\/batches\/\d+$/.test(ad.url()), 'print: batch made',
	    ad.url());
	await ad.click('a:has-text("Лист для печати")');
	L.ok(/\/print$/.test(ad.url()), 'print: the sheet', ad.url());
	await L.axe(ad, 'print: the sheet');

	await ad.emulateMedia({ media: 'print' });
	await L.shot(ad, 'look-print');
	const whole = await cardsWhole(ad);
	const r = await ad.evaluate(([pageH]) => {
		const bad = [], cards = [...document.querySelectorAll('.cut')];
		const pages = [...document.querySelectorAll('.sheet-page')];
		const top = document.documentElement.getBoundingClientRect().top;
		// Paginate as print does: each sheet page begins a printed page
		// (the first one wherever the document puts it, the others after
		// a forced break); a card is cut when it reaches past that
		// page's 277 mm.
		let split = 0, printed = 0;
		pages.forEach((p, i) => {
			const pr = p.getBoundingClientRect();
			const start = i === 0 ? top : pr.top;
			const last = i === pages.length - 1;
			if (!last && getComputedStyle(p).breakAfter !== 'page')
				bad.push(`sheet page ${i + 1}: no page break after it`);
			for (const c of p.querySelectorAll('.cut')) {
				const cr = c.getBoundingClientRect();
				const a = cr.top - start, b = cr.bottom - start;
				if (Math.floor(a / pageH) !== Math.floor((b - 0.5) / pageH))
					split++;
				printed = Math.max(printed, Math.floor((b - 0.5) / pageH));
			}
			printed++;
		});
		const outside = cards.filter((c) => !c.closest('.sheet-page'));
		return { cards: cards.length, pages: pages.length, bad, split,
		    printed, outside: outside.length };
	}, [277 * MM]);
	L.ok(r.cards === 13, 'print: 13 cards', String(r.cards));
	L.ok(whole.length === 0, 'print: every card whole, the expiry inside',
	    whole.slice(0, 4).join('; '));
	L.ok(r.bad.length === 0, 'print: a page break after each sheet page',
	    r.bad.slice(0, 4).join('; '));
	L.ok(r.pages === Math.ceil(13 / CARDS_PER_PAGE) && r.outside === 0 &&
	    r.split === 0, 'print: no card across a page break',
	    `${r.pages} sheet pages, ${r.outside} cards outside them, ` +
	    `${r.split} cut`);
	const pdf = await ad.pdf({ path: path.join(__dirname, 'shots',
	    'look-print.pdf'), format: 'A4', preferCSSPageSize: true,
	    printBackground: true });
	const n = (pdf.toString('latin1').match(/\/Type\s*\/Page\b(?!s)/g) ||
	    []).length;
	L.ok(n === Math.ceil(13 / CARDS_PER_PAGE) && n === r.printed,
	    'print: the PDF has three A4 pages, as the layout says',
	    `${n} pages in the PDF, ${r.printed} by the layout`);

	// The same sheet on a phone's screen: one column, nothing sideways.
	await ad.emulateMedia({ media: 'screen' });
	await ad.setViewportSize(L.PHONE);
	await L.shot(ad, 'look-phone-print');
	const small = await cardsWhole(ad);
	L.ok(small.length === 0, 'print sheet on a phone: every card whole',
	    small.slice(0, 4).join('; '));
	await L.noSideways(ad, 'print sheet on a phone: no sideways scrolling');
	await ad.context().close();
}

L.run('look', async (browser) => {
	// Organizations in regions with long names, so the chart has
	// rows to show.
	const regions = ['Ханты-Мансийский автономный округ — Югра',
	    'Республика Северная Осетия — Алания'];
	orgCreate('86', 'Школа № 1 г. Сургута', L.uniquePhone());
	orgCreate('15', 'Школа № 5 г. Владикавказа', L.uniquePhone());
	await stats(browser, 'phone', 375, 812, regions);
	await stats(browser, 'desktop', 1280, 900, regions);
	await print(browser);
});
