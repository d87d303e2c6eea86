/*
 * Optional: keep the newest page of a chat fresh.  Every 15 seconds,
 * while the tab is visible, fetch the same page and swap in its message
 * list if it changed.  Nothing depends on this script; without it the
 * page is complete, and reloading shows new messages.
 */
(function () {
	"use strict";
	var list;

	if (!window.fetch || !window.DOMParser || !Element.prototype.replaceWith)
		return;
	function lastId(root) {
		var items = root.querySelectorAll(".message");
		return items.length ? items[items.length - 1].id : "";
	}
	function refresh() {
		if (document.hidden)
			return;
		fetch(location.pathname, { credentials: "same-origin" })
		    .then(function (r) { return r.ok ? r.text() : null; })
		    .then(function (html) {
			var doc, fresh, typing;

			if (html === null)
				return;
			doc = new DOMParser().parseFromString(html, "text/html");
			fresh = doc.getElementById("messages");
			list = document.getElementById("messages");
			/* An empty chat has no list yet: leave it to a reload,
			 * never lose what is being typed. */
			if (!fresh || !list || lastId(fresh) === lastId(list))
				return;
			typing = document.activeElement &&
			    document.activeElement.id === "text";
			list.replaceWith(fresh);
			if (!typing)
				fresh.lastElementChild.scrollIntoView(false);
		    })
		    .catch(function () {});
	}
	setInterval(refresh, 15000);
})();

/*
 * Optional: say before sending that the chosen files are too many or
 * too large together (the program says the same after: 422, 413), so a
 * parent on a slow line does not wait for a refusal.
 */
(function () {
	"use strict";
	var input = document.getElementById("file"), form, max;

	if (!input || !input.files || !input.form)
		return;
	form = input.form;
	max = parseInt(input.getAttribute("data-max"), 10) || 0;
	function words(n) {
		return n >= 1048576 ? (n / 1048576).toFixed(1).replace(".", ",") +
		    " МБ" : Math.ceil(n / 1024) + " КБ";
	}
	function problem() {
		var total = 0, i;

		if (input.files.length > 10)
			return "Не больше 10 файлов в одном сообщении (выбрано " +
			    input.files.length + ")";
		for (i = 0; i < input.files.length; i++)
			total += input.files[i].size;
		if (max > 0 && total > max)
			return "Файлы вместе занимают " + words(total) +
			    ", а можно до " + words(max) +
			    ": отправьте их в нескольких сообщениях";
		return "";
	}
	function show(text) {
		var p = document.getElementById("file_error"),
		    field = input.parentNode;

		if (!text) {
			if (p && p.hasAttribute("data-js"))
				p.remove();
			return;
		}
		if (!p) {
			p = document.createElement("p");
			p.className = "error";
			p.id = "file_error";
			p.setAttribute("data-js", "1");
			field.appendChild(p);
		}
		p.textContent = text;
		field.classList.add("bad");
		input.setAttribute("aria-invalid", "true");
		input.setAttribute("aria-describedby", "file_error");
	}
	input.addEventListener("change", function () { show(problem()); });
	form.addEventListener("submit", function (e) {
		var text = problem();

		if (text) {
			e.preventDefault();
			show(text);
			input.focus();
		}
	});
})();
