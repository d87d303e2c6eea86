/*
 * embed: a video's link shown in the page instead of only as a link
 * card, when the organization's administrator allows the video's site
 * (cgi-bin/materials.c, sql/0049_embed.sql).
 *
 * The sites are a fixed list (VK Video, RuTube, YouTube) plus host
 * names a school types in for its own server.  A link is read by hand,
 * strictly, only as far as needed: the scheme, a host of letters,
 * digits, dots and hyphens (no user part, no port), and the path of the
 * site's one kind of video page with an ID of the site's characters.
 * The embed address is then built from the ID alone, never copied from
 * the link, so no link can make the page frame anything but the
 * provider's player.  Anything else is "not embeddable": the link card.
 *
 *   youtube.com/watch?v=ID, /shorts/ID, /live/ID, /embed/ID, youtu.be/ID
 *	-> https://www.youtube-nocookie.com/embed/ID   (ID: 11 of A-Za-z0-9_-)
 *   rutube.ru/video/ID/
 *	-> https://rutube.ru/play/embed/ID             (ID: 32 of 0-9a-f)
 *   vk.com, vk.ru or vkvideo.ru /video-OID_ID (or videoOID_ID)
 *	-> https://vk.com/video_ext.php?oid=-OID&id=ID (numbers)
 *   a school's own host: an https link to a video file (.mp4, .m4v,
 *   .webm, .ogv) -> the link itself, shown by <video>, not a frame
 */
#ifndef PARTA_EMBED_H
#define PARTA_EMBED_H

#include <stddef.h>

enum embed_site {
	EMBED_NONE,	/* not embeddable: the link card only */
	EMBED_YOUTUBE,
	EMBED_RUTUBE,
	EMBED_VK,
	EMBED_OWN	/* a video file on some host (allowed by name) */
};

#define EMBED_URL_MAX	1024	/* bytes of a link read, NUL excluded */
#define EMBED_HOST_MAX	253	/* bytes of a host name */
#define EMBED_HOSTS_MAX	10	/* own hosts an organization allows */

struct embed {
	enum embed_site	 site;
	/* The player's address: the <iframe>'s src, or for EMBED_OWN the
	 * <video>'s (the link). */
	char		 src[EMBED_URL_MAX + 1];
	/* The source the page's CSP must allow, "https://HOST": in
	 * frame-src for a provider, in media-src for EMBED_OWN. */
	char		 origin[EMBED_HOST_MAX + 9];
	/* The link's host, lower-cased (EMBED_OWN: what the organization
	 * must have allowed). */
	char		 host[EMBED_HOST_MAX + 1];
};

/* What url embeds as, into e: its site (EMBED_NONE, with e's strings
 * empty, when it is none of the forms above). */
enum embed_site	 embed_parse(const char *url, struct embed *e);

/* A provider's key as the setting stores it ("youtube", "rutube", "vk"),
 * its name as people say it («Ютуб», «Рутуб», «ВК Видео»); NULL for
 * EMBED_NONE and EMBED_OWN. */
const char	*embed_site_key(enum embed_site);
const char	*embed_site_name(enum embed_site);
/* The provider of a key, or EMBED_NONE. */
enum embed_site	 embed_site_of_key(const char *);
/* What people call the site of a link's host (lower-case): the
 * provider's name for any host in its domains («ВК Видео» for m.vk.com,
 * «Ютуб» for youtu.be), NULL for any other host (a school's own: the
 * link card shows the host).  The one list of the video sites. */
const char	*embed_host_name(const char *host);

/*
 * Internationalized host names (libidn2: IDNA2008 with UTS #46's
 * mapping, as browsers read them).  A host is compared and stored in
 * one form, ASCII (видео.школа.рф as xn--b1agh1afp.xn--80aal0a8a.xn--p1ai),
 * lower-cased, without a final dot; people are shown its Unicode form.
 *
 * embed_host_ascii: the n bytes at in (UTF-8, any case) into out in that
 * form: 0, or -1 when it is no host name libidn2 accepts or out is too
 * small.  in and out may be the same.
 * embed_host_unicode: host (the ASCII form) as people read it, into out
 * (as it is when it has no xn-- label or is not a valid one); out.
 * embed_url_canonical: an http or https link as typed into out, its
 * host in the ASCII form, its other bytes past ASCII percent-encoded
 * (RFC 3986, as a browser sends them) and its escapes in upper case
 * (RFC 3986, 6.2.2.1: %d1 is %D1): 0, or -1 (not http or https, no
 * host libidn2 accepts, longer than outsz).
 * embed_url_readable: the other way, a stored link as people typed it,
 * into out: its host in Unicode (embed_host_unicode) and each run of
 * percent-encoded bytes past ASCII that is UTF-8 as those characters
 * (%D0%B2 as «в»); ASCII escapes (%20, %2F), runs that are no UTF-8 or
 * hold a character one cannot see or that turns the text around (a
 * space other than the space, U+202E: kept escaped, as browsers show
 * links) stay as stored, as does a link with a user part or a port.  Given
 * back to embed_url_canonical it is stored as it was.  out; the link
 * as it is when out (outsz bytes) is too small.
 */
int		 embed_host_ascii(const char *in, size_t n, char *out,
		    size_t outsz);
const char	*embed_host_unicode(const char *host, char *out, size_t outsz);
int		 embed_url_canonical(const char *in, char *out, size_t outsz);
const char	*embed_url_readable(const char *url, char *out, size_t outsz);

/*
 * A validator (lib/valid.h's shape) of one host a school types in for
 * its own server: lower-cased, a leading https:// and a trailing '/'
 * taken off (http:// refused: an https page plays no http video; a port
 * refused in words: the page's CSP names the host alone); a name in
 * Cyrillic or another script turned into its ASCII form
 * (embed_host_ascii), which is what out gets; labels of Latin letters,
 * digits and inner hyphens, two or more, the last not all digits; none of the
 * providers' domains (those are ticked instead).  The words of a refusal
 * are for the form, in Russian, without a Latin word but the example.
 */
const char	*embed_valid_host(const char *in, char *out, size_t outsz);

#endif
