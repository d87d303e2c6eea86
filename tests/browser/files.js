// A person's files in the browser (cgi-bin/files.c, lib/file.c): on a
// 375 px phone a student opens «Мои файлы» from the menu, uploads an
// HTML page named .pdf (refused next to the field), then a PDF, a text
// file and a photo whose names are Cyrillic; the list fits the screen
// and shows the photo's preview.  In Chromium the text file downloads
// under its Cyrillic name (Content-Disposition, RFC 6266); the PDF opens
// in Chromium's PDF viewer under the file's Content-Security-Policy
// (no "sandbox" for a PDF: lib/file.c says why), not as a download; an
// HTML page inside a PDF runs nothing.  Screenshots:
// tests/browser/shots/files-*.png.  TAP.
'use strict';
const fs = require('fs');
const path = require('path');
const L = require('./lib.js');

// A small PDF that Chromium's viewer shows, with an HTML page and a
// script in it that nothing must run.
const PDF = Buffer.from(`%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length 41 >> stream
BT /F1 20 Tf 20 100 Td (Parta PDF) Tj ET
endstream endobj
5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj
% <html><body><script>document.title='RAN'</script></body></html>
trailer << /Root 1 0 R >>
%%EOF
`);
const HTML = Buffer.from('<!DOCTYPE html><html><body><script>' +
    'document.title="RAN"</script></body></html>\n');
const TEXT = Buffer.from('Прочитать главы 1–3.\n');
const PHOTO = fs.readFileSync(path.join(L.ROOT, 'tests/http/files/photo.jpg'));
const PDF_VIEWER = 'chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/';

L.run('files', async (browser) => {
	const page = await L.person(browser, L.PHONE,
	    { isMobile: true, hasTouch: true, acceptDownloads: true });
	await L.signup(page, { last: 'Файлова', first: 'Соня',
	    birth: '2008-02-03', password: 'пароль-для-файлов-1' });

	// From the menu.
	await page.goto(`${L.BASE}/me`);
	await page.click('nav.menu >> text=Мои файлы');
	L.ok(page.url().endsWith('/me/files'), 'menu: my files', page.url());
	L.ok(await page.isVisible('text=Здесь пока пусто'), 'empty at first');

	// An HTML page named .pdf: refused next to the field.
	await page.setInputFiles('#file', { name: 'задание.pdf',
	    mimeType: 'application/pdf', buffer: HTML });
	await page.click('button.primary');
	L.ok(await page.isVisible('#file_error'),
	    '422: the reason next to the field',
	    await page.textContent('main'));
	await L.shot(page, 'files-phone-422');

	// A PDF, a text file and a photo at once.
	await page.setInputFiles('#file', [
		{ name: 'Домашнее задание.pdf', mimeType: 'application/pdf',
		    buffer: PDF },
		{ name: 'Список литературы №1.txt', mimeType: 'text/plain',
		    buffer: TEXT },
		{ name: 'Доска 5А.jpg', mimeType: 'image/jpeg', buffer: PHOTO },
	]);
	await page.click('button.primary');
	L.ok(await page.isVisible('text=3 файла загружены'),
	    'three files uploaded', page.url());
	L.ok(await page.isVisible('a.file-name >> text=Домашнее задание.pdf'),
	    'the PDF listed under its name');
	const preview = await page.$('a.file-preview img');
	L.ok(preview !== null && await preview.evaluate((i) =>
	    i.complete && i.naturalWidth > 0), 'the photo\'s preview shown');
	await L.phoneChecks(page, 'my files', true);
	await L.shot(page, 'files-phone-list');

	// The text file downloads under its Cyrillic name.
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		page.click('a.file-name >> text=Список литературы №1.txt'),
	]);
	L.ok(download.suggestedFilename() === 'Список литературы №1.txt',
	    'the download keeps its Cyrillic name',
	    download.suggestedFilename());
	const got = fs.readFileSync(await download.path());
	L.ok(got.equals(TEXT), 'the download is the file');

	// The PDF opens in the viewer, in spite of its HTML: no download,
	// the viewer's frame, no script of the page run.
	const href = await page.getAttribute(
	    'a.file-name >> text=Домашнее задание.pdf', 'href');
	const desk = await L.person(browser, L.DESKTOP,
	    { storageState: await page.context().storageState(),
	    acceptDownloads: true });
	let downloaded = false;
	desk.on('download', () => { downloaded = true; });
	const resp = await desk.goto(L.BASE + href);
	L.ok(resp.status() === 200 &&
	    resp.headers()['content-type'] === 'application/pdf',
	    'the PDF served as a PDF', String(resp.status()));
	const csp = (await resp.headersArray()).filter((h) =>
	    h.name.toLowerCase() === 'content-security-policy')
	    .map((h) => h.value);
	L.ok(csp.some((v) => /^default-src 'none';/.test(v) &&
	    !/script-src/.test(v)), 'under a policy that runs nothing',
	    csp.join(' | '));
	let viewer = false;
	for (let i = 0; i < 50 && !viewer; i++) {
		viewer = desk.frames().some((f) => f.url().startsWith(PDF_VIEWER));
		if (!viewer)
			await desk.waitForTimeout(100);
	}
	L.ok(viewer && !downloaded, 'Chromium shows the PDF in its viewer',
	    desk.frames().map((f) => f.url()).join(' '));
	await desk.waitForTimeout(1500);
	L.ok(await desk.title() !== 'RAN', 'nothing in the PDF ran');
	await L.shot(desk, 'files-desktop-pdf');
});
