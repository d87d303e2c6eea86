// Words on pages, as a person reads them (document.body.innerText: no
// tags, scripts, styles or attribute values): no internal code, no bare
// id, no English status word, no ending left to guess.  The same rules as
// tests/http/test_words.c, which walks every page of every role over
// HTTP; here every page of the browser journey is read as rendered.
'use strict';

// Latin words a Russian page may show (kept as short as the C test's).
const ALLOWED = new Set(['CSV', 'JSON', 'PDF', 'JPEG', 'PNG', 'QR', 'SMS',
    // The rest of what /me/files takes (lib/file.c).
    'WebP', 'Word', 'PowerPoint', 'OpenDocument', 'TXT', 'ZIP',
    'Excel', 'JavaScript', 'e', 'mail', 'UTF', 'Sferum',
    // Browsers and systems by their makers' names (/me/sessions).
    'Chrome', 'ChromeOS', 'Edge', 'Opera', 'Samsung', 'Internet',
    'Firefox', 'Safari', 'Android', 'iPhone', 'iPad', 'Windows', 'macOS',
    'Linux',
    // The example of a young child's login name on /register: Latin
    // letters and digits by rule.
    'masha2019']);
// What people typed that a page shows back on purpose, as it is (a young
// child's login name): the journey adds it when it makes it.
const DATA = new Set();
const SQLSTATE_CLASS = /^(08|0A|22|23|25|28|40|42|53|54|55|57|58|P0|XX|PA)/;

// The findings in text, each "what «word»".
function findings(text) {
	const out = [];
	for (const chunk of text.split(/\s+/)) {
		// E-mail addresses, URLs, uploaded files' names: their data.
		if (chunk === '' || DATA.has(chunk) || chunk.includes('@') ||
		    chunk.includes('://') || /\.(pdf|jpe?g|png|webp|csv|txt|docx?|xlsx?|pptx?|od[tsp]|zip)[»":,;.)]*$/i.test(chunk))
			continue;
		for (const m of chunk.matchAll(
		    /[а-яё]\(([а-яё]{1,3})\)/giu))
			out.push(`an ending left to guess «${m[0]}»`);
		for (const m of chunk.matchAll(/#\d+/g))
			out.push(`an id «${m[0]}»`);
		for (const [w] of chunk.matchAll(/[A-Za-z0-9_]+/g)) {
			if (w.includes('_'))
				out.push(`an internal code «${w}»`);
			else if (w.length === 5 && /^[0-9A-Z]+$/.test(w) &&
			    /\d/.test(w) && SQLSTATE_CLASS.test(w))
				out.push(`an error code «${w}»`);
			else if (/^[A-Za-z]/.test(w) && !ALLOWED.has(w))
				out.push(`a Latin word «${w}»`);
		}
	}
	return out;
}

// Check the page as shown: L.ok with what was found.
async function words(page, L, name) {
	const text = await page.evaluate(() => document.body.innerText);
	const bad = findings(text);
	L.ok(bad.length === 0, `${name}: words a person reads`,
	    bad.slice(0, 5).join('; '));
}

module.exports = { words, findings, DATA };
