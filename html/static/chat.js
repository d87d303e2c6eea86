/*
 * Optional: open the newest page of a chat at its newest message when
 * the address names no place (a link's #end does it without this).
 * And keep the newest page of a chat fresh.  Every 15 seconds,
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
	if (!location.hash && document.getElementById("end"))
		document.getElementById("end").scrollIntoView();
	setInterval(refresh, 15000);
})();
