/*
 * Optional: open the newest page of a chat at its newest message when
 * the address names no place (a link's #end does it without this), and
 * keep that page fresh.  Every 15 seconds, while the tab is visible and
 * the reader is at the newest message (#end in view), fetch the chat's
 * page and swap in its message list if it changed, the form staying
 * where it is on the screen; a reader scrolled back to older messages
 * is left where they are.  Nothing depends on this script; without it
 * the page is complete, and reloading shows new messages.
 */
(function () {
	"use strict";
	var end = document.getElementById("end");
	/* The page itself, also after a refused message (its address is
	 * then the form's, /chats/ID/messages, which answers POST only). */
	var page = location.pathname.replace(/\/messages$/, "");

	if (!end || !window.fetch || !window.DOMParser ||
	    !Element.prototype.replaceWith)
		return;
	if (!location.hash)
		end.scrollIntoView();
	function lastId(root) {
		var items = root.querySelectorAll(".message");
		return items.length ? items[items.length - 1].id : "";
	}
	function atEnd() {
		return end.getBoundingClientRect().top <= window.innerHeight;
	}
	function refresh() {
		if (document.hidden || !atEnd())
			return;
		fetch(page, { credentials: "same-origin" })
		    .then(function (r) { return r.ok ? r.text() : null; })
		    .then(function (html) {
			var doc, fresh, list, top;

			if (html === null || !atEnd())
				return;
			doc = new DOMParser().parseFromString(html, "text/html");
			fresh = doc.getElementById("messages");
			list = document.getElementById("messages");
			/* An empty chat has no list yet: leave it to a reload,
			 * never lose what is being typed. */
			if (!fresh || !list || lastId(fresh) === lastId(list))
				return;
			top = end.getBoundingClientRect().top;
			list.replaceWith(fresh);
			window.scrollBy(0, end.getBoundingClientRect().top - top);
		    })
		    .catch(function () {});
	}
	setInterval(refresh, 15000);
})();
