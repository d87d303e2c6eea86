/* Parta: small progressive helpers; every page works without them.
 * Loaded with defer from head.html (the CSP allows only 'self' scripts).
 *
 * The link box (link_copy.html): the read-only field stays selectable;
 * with JavaScript, «Скопировать» copies it and, where the browser can
 * share (phones), «Поделиться» opens the system share sheet.
 *
 * The sign-up form (register.html): a birth date under the child age
 * shows the young child's fields (a parent's contact, a login name)
 * instead of the phone and e-mail at once; without JavaScript the server
 * answers the same form in that mode. */
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
(function () {
	var form = document.querySelector('form[data-child-age]');
	if (!form)
		return;
	var birth = form.querySelector('[name=birth_date]');
	var age = parseInt(form.getAttribute('data-child-age'), 10);
	var adult = form.querySelector('[data-mode=adult]');
	var child = form.querySelector('[data-mode=child]');
	if (!birth || !adult || !child || !age)
		return;
	function young(value) {
		var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
		if (!m)
			return null;
		var now = new Date();
		var years = now.getFullYear() - Number(m[1]);
		if (now.getMonth() + 1 < Number(m[2]) ||
		    (now.getMonth() + 1 === Number(m[2]) &&
		    now.getDate() < Number(m[3])))
			years--;
		return years < age;
	}
	function update() {
		var y = young(birth.value);
		if (y === null)
			return;
		adult.hidden = y;
		child.hidden = !y;
	}
	birth.addEventListener('change', update);
	birth.addEventListener('input', update);
})();

// The new material's form (material_form.html): of the file, the video's
// link and the article's text, only the field of the kind chosen is
// shown.  Without JavaScript all three are, each saying which kind it is
// for; the program reads only the chosen kind's.
(function () {
	var radios = document.querySelectorAll('input[name=kind]');
	var fields = document.querySelectorAll('[data-kind]');
	if (!radios.length || !fields.length)
		return;
	function update() {
		var kind = '';
		for (var i = 0; i < radios.length; i++)
			if (radios[i].checked)
				kind = radios[i].value;
		for (var j = 0; j < fields.length; j++)
			fields[j].hidden = kind !== '' &&
			    fields[j].getAttribute('data-kind') !== kind;
	}
	for (var k = 0; k < radios.length; k++)
		radios[k].addEventListener('change', update);
	update();
})();
