/* Parta: small progressive helpers; every page works without them.
 * Loaded with defer from head.html (the CSP allows only 'self' scripts).
 *
 * The link box (link_copy.html): the read-only field stays selectable;
 * with JavaScript, «Скопировать» copies it and, where the browser can
 * share (phones), «Поделиться» opens the system share sheet. */
'use strict';
(function () {
	function copyBox(box) {
		var field = document.getElementById(box.getAttribute('data-copy-for'));
		var copy = box.querySelector('[data-copy]');
		var share = box.querySelector('[data-share]');
		var said = box.querySelector('.copy-said');
		if (!field || !copy)
			return;
		function tell(text) {
			said.textContent = text;
		}
		function select() {
			field.focus();
			field.select();
			field.setSelectionRange(0, field.value.length);
		}
		function fallback() {
			select();
			try {
				if (document.execCommand('copy')) {
					tell('Ссылка скопирована');
					return;
				}
			} catch (e) { /* fall through */ }
			tell('Ссылка выделена: скопируйте её');
		}
		copy.addEventListener('click', function () {
			if (navigator.clipboard && window.isSecureContext)
				navigator.clipboard.writeText(field.value).then(function () {
					tell('Ссылка скопирована');
				}, fallback);
			else
				fallback();
		});
		field.addEventListener('focus', function () { field.select(); });
		if (share && typeof navigator.share === 'function') {
			share.hidden = false;
			share.addEventListener('click', function () {
				navigator.share({ url: field.value }).catch(function () {});
			});
		}
		box.hidden = false;
	}
	var boxes = document.querySelectorAll('[data-copy-for]');
	for (var i = 0; i < boxes.length; i++)
		copyBox(boxes[i]);
})();
