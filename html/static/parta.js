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

/*
 * Upload fields (input type=file with data-max, the bytes a request may
 * carry, and data-max-files, how many files; data-per says «в одном
 * сообщении» or «за раз»): say before sending that the chosen files are
 * too many or too large together (the program says the same after: 422,
 * 413), so a parent on a slow line does not wait for a refusal.  The
 * reason goes next to the field, as the program puts it (id
 * FIELD_error).
 */
(function () {
	function words(n) {
		return n >= 1048576 ? (n / 1048576).toFixed(1).replace('.', ',') +
		    ' МБ' : Math.ceil(n / 1024) + ' КБ';
	}
	function guard(input) {
		var form = input.form,
		    max = parseInt(input.getAttribute('data-max'), 10) || 0,
		    most = parseInt(input.getAttribute('data-max-files'), 10) || 0,
		    per = input.getAttribute('data-per') || 'за раз',
		    id = input.id + '_error';

		if (!form || !input.files)
			return;
		function problem() {
			var total = 0, i;

			if (most > 0 && input.files.length > most)
				return 'Не больше ' + most + ' файлов ' + per +
				    ' (выбрано ' + input.files.length + ')';
			for (i = 0; i < input.files.length; i++)
				total += input.files[i].size;
			if (max > 0 && total > max)
				return (input.files.length > 1 ?
				    'Файлы вместе занимают ' : 'Файл занимает ') +
				    words(total) + ', а можно до ' + words(max) +
				    ' ' + per + (input.files.length > 1 ?
				    ': отправьте их по частям' :
				    ': выберите файл поменьше');
			return '';
		}
		function show(text) {
			var p = document.getElementById(id), field = input.parentNode;

			if (!text) {
				if (p && p.hasAttribute('data-js'))
					p.remove();
				return;
			}
			if (!p) {
				p = document.createElement('p');
				p.className = 'error';
				p.id = id;
				p.setAttribute('data-js', '1');
				field.appendChild(p);
			}
			p.textContent = text;
			field.classList.add('bad');
			input.setAttribute('aria-invalid', 'true');
			input.setAttribute('aria-describedby', id);
		}
		input.addEventListener('change', function () { show(problem()); });
		form.addEventListener('submit', function (e) {
			var text = problem();

			if (text) {
				e.preventDefault();
				show(text);
				input.focus();
			}
		});
	}
	Array.prototype.forEach.call(
	    document.querySelectorAll('input[type=file][data-max]'), guard);
})();
