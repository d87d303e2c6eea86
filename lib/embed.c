#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "embed.h"
#include "http.h"
#include "utf8.h"

/* The providers: their keys and names, where their players live. */
static const struct {
	enum embed_site	 site;
	const char	*key;
	const char	*name;
	const char	*origin;
} embed_sites[] = {
	{ EMBED_YOUTUBE, "youtube", "Ютуб", "https://www.youtube-nocookie.com" },
	{ EMBED_RUTUBE, "rutube", "Рутуб", "https://rutube.ru" },
	{ EMBED_VK, "vk", "ВК Видео", "https://vk.com" },
};
#define EMBED_SITES	(sizeof(embed_sites) / sizeof(embed_sites[0]))

/* The hosts of the providers' video pages, exactly (no other subdomain
 * is theirs for this purpose). */
static const struct {
	const char	*host;
	enum embed_site	 site;
} embed_hosts[] = {
	{ "youtube.com", EMBED_YOUTUBE }, { "www.youtube.com", EMBED_YOUTUBE },
	{ "m.youtube.com", EMBED_YOUTUBE }, { "youtu.be", EMBED_YOUTUBE },
	{ "rutube.ru", EMBED_RUTUBE }, { "www.rutube.ru", EMBED_RUTUBE },
	{ "m.rutube.ru", EMBED_RUTUBE },
	{ "vk.com", EMBED_VK }, { "www.vk.com", EMBED_VK },
	{ "m.vk.com", EMBED_VK }, { "vk.ru", EMBED_VK },
	{ "www.vk.ru", EMBED_VK }, { "m.vk.ru", EMBED_VK },
	{ "vkvideo.ru", EMBED_VK }, { "www.vkvideo.ru", EMBED_VK },
	{ "m.vkvideo.ru", EMBED_VK },
};

/* The providers' domains: a school's own host may not be in one (those
 * are ticked, and embed only through their players), and a link to any
 * of their hosts is named by the provider (embed_host_name). */
static const struct {
	const char	*domain;
	enum embed_site	 site;
} embed_provider_domains[] = {
	{ "youtube.com", EMBED_YOUTUBE }, { "youtu.be", EMBED_YOUTUBE },
	{ "youtube-nocookie.com", EMBED_YOUTUBE },
	{ "rutube.ru", EMBED_RUTUBE },
	{ "vk.com", EMBED_VK }, { "vk.ru", EMBED_VK },
	{ "vkvideo.ru", EMBED_VK },
};

/* Video files a browser plays by itself in <video>. */
static const char *const embed_video_ext[] = {
	".mp4", ".m4v", ".webm", ".ogv",
};

const char *
embed_site_key(enum embed_site s)
{
	size_t	 i;

	for (i = 0; i < EMBED_SITES; i++)
		if (embed_sites[i].site == s)
			return embed_sites[i].key;
	return NULL;
}

const char *
embed_site_name(enum embed_site s)
{
	size_t	 i;

	for (i = 0; i < EMBED_SITES; i++)
		if (embed_sites[i].site == s)
			return embed_sites[i].name;
	return NULL;
}

enum embed_site
embed_site_of_key(const char *key)
{
	size_t	 i;

	for (i = 0; key != NULL && i < EMBED_SITES; i++)
		if (strcmp(key, embed_sites[i].key) == 0)
			return embed_sites[i].site;
	return EMBED_NONE;
}

/* A character a link may hold (RFC 3986's unreserved and reserved, and
 * '%' of an escape): nothing else -- no space, quote, backslash, angle
 * bracket or byte past ASCII. */
static int
embed_url_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') ||
	    (c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL);
}

/* Whether host (lower-case) is a host name: labels of [a-z0-9-], 1..63
 * bytes, no hyphen first or last, two or more, the last not all digits
 * (no IPv4 address), at most EMBED_HOST_MAX bytes. */
static int
embed_host_ok(const char *host)
{
	const char	*p = host, *label;
	size_t		 n, labels = 0, i;
	int		 digits;

	if (strlen(host) > EMBED_HOST_MAX)
		return 0;
	for (;;) {
		label = p;
		n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789-");
		if (n == 0 || n > 63 || label[0] == '-' || label[n - 1] == '-')
			return 0;
		labels++;
		p += n;
		if (*p == '\0')
			break;
		if (*p != '.')
			return 0;
		p++;
	}
	for (digits = 1, i = 0; i < n; i++)
		if (label[i] < '0' || label[i] > '9')
			digits = 0;
	return labels >= 2 && !digits;
}

/* Whether host is one of domain's, or domain itself. */
static int
embed_in_domain(const char *host, const char *domain)
{
	size_t	 h = strlen(host), d = strlen(domain);

	return strcmp(host, domain) == 0 || (h > d && host[h - d - 1] == '.'
	    && strcmp(host + h - d, domain) == 0);
}

/* Whether p starts with n characters of set followed by the end of the
 * path (NUL, '?', '#'), or by '/' then that end when slash: the length
 * of the ID, or 0. */
static size_t
embed_id(const char *p, const char *set, size_t min, size_t max, int slash)
{
	size_t	 n = strspn(p, set);

	if (n < min || n > max)
		return 0;
	if (slash && p[n] == '/')
		n++;
	if (p[n] != '\0' && p[n] != '?' && p[n] != '#')
		return 0;
	return slash && p[n - 1] == '/' ? n - 1 : n;
}

#define EMBED_YT_ID	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz" \
	"0123456789_-"
#define EMBED_DIGITS	"0123456789"

/* The 11-character ID of a YouTube link's path and query, or NULL. */
static const char *
embed_youtube(const char *host, const char *rest, size_t *len)
{
	static const char *const paths[] = { "/shorts/", "/live/",
	    "/embed/" };
	const char	*q, *end;
	size_t		 i, n;

	if (strcmp(host, "youtu.be") == 0) {
		if (rest[0] != '/' || embed_id(rest + 1, EMBED_YT_ID, 11, 11,
		    0) != 11)
			return NULL;
		*len = 11;
		return rest + 1;
	}
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		n = strlen(paths[i]);
		if (strncmp(rest, paths[i], n) == 0 &&
		    embed_id(rest + n, EMBED_YT_ID, 11, 11, 0) == 11) {
			*len = 11;
			return rest + n;
		}
	}
	/* /watch?...&v=ID&...: the first v decides. */
	if (strncmp(rest, "/watch?", 7) != 0)
		return NULL;
	q = rest + 7;
	end = q + strcspn(q, "#");
	while (q < end) {
		n = strcspn(q, "&#");
		if (n >= 2 && strncmp(q, "v=", 2) == 0) {
			if (n != 13 || strspn(q + 2, EMBED_YT_ID) < 11)
				return NULL;
			*len = 11;
			return q + 2;
		}
		q += n;
		if (*q == '&')
			q++;
	}
	return NULL;
}

/* A VK owner or video number: 1..19 digits, not starting with 0. */
static size_t
embed_vk_number(const char *p)
{
	size_t	 n = strspn(p, EMBED_DIGITS);

	return n >= 1 && n <= 19 && p[0] != '0' ? n : 0;
}

enum embed_site
embed_parse(const char *url, struct embed *e)
{
	const char	*p, *rest, *id;
	size_t		 len, n, i, k, on, vn;
	int		 https;
	enum embed_site	 site = EMBED_NONE;

	memset(e, 0, sizeof(*e));
	len = strlen(url);
	if (len == 0 || len > EMBED_URL_MAX)
		return EMBED_NONE;
	for (i = 0; i < len; i++) {
		if (!embed_url_char((unsigned char)url[i]))
			return EMBED_NONE;
		if (url[i] == '%' && (strchr("0123456789abcdefABCDEF",
		    url[i + 1]) == NULL || url[i + 1] == '\0' ||
		    strchr("0123456789abcdefABCDEF", url[i + 2]) == NULL ||
		    url[i + 2] == '\0'))
			return EMBED_NONE;
	}
	if (strncasecmp(url, "https://", 8) == 0) {
		https = 1;
		p = url + 8;
	} else if (strncasecmp(url, "http://", 7) == 0) {
		https = 0;
		p = url + 7;
	} else
		return EMBED_NONE;
	/* The host, up to the path, the query or the fragment: a user
	 * part ('@'), a port (':') or anything else ends the reading. */
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789.-");
	if (n == 0 || n > EMBED_HOST_MAX || (p[n] != '\0' && p[n] != '/' &&
	    p[n] != '?' && p[n] != '#'))
		return EMBED_NONE;
	rest = p + n;
	/* A fully qualified name's final dot names the same host. */
	if (n > 1 && p[n - 1] == '.' && p[n - 2] != '.')
		n--;
	for (i = 0; i < n; i++)
		e->host[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] | 0x20 :
		    p[i]);
	e->host[n] = '\0';
	for (i = 0; i < sizeof(embed_hosts) / sizeof(embed_hosts[0]); i++)
		if (strcmp(e->host, embed_hosts[i].host) == 0)
			site = embed_hosts[i].site;

	switch (site) {
	case EMBED_YOUTUBE:
		if ((id = embed_youtube(e->host, rest, &k)) == NULL)
			goto none;
		snprintf(e->src, sizeof(e->src), "%s/embed/%.*s",
		    embed_sites[0].origin, (int)k, id);
		break;
	case EMBED_RUTUBE:
		if (strncmp(rest, "/video/", 7) != 0 ||
		    embed_id(rest + 7, "0123456789abcdef", 32, 32, 1) != 32)
			goto none;
		snprintf(e->src, sizeof(e->src), "%s/play/embed/%.32s",
		    embed_sites[1].origin, rest + 7);
		break;
	case EMBED_VK:
		if (strncmp(rest, "/video", 6) != 0)
			goto none;
		p = rest + 6;
		if (*p == '-')
			p++;
		if ((on = embed_vk_number(p)) == 0 || p[on] != '_' ||
		    (vn = embed_vk_number(p + on + 1)) == 0 ||
		    embed_id(p + on + 1, EMBED_DIGITS, vn, vn, 0) != vn)
			goto none;
		snprintf(e->src, sizeof(e->src), "%s/video_ext.php?oid=%s%.*s"
		    "&id=%.*s", embed_sites[2].origin, rest[6] == '-' ? "-" :
		    "", (int)on, p, (int)vn, p + on + 1);
		break;
	default:
		/* A video file on a school's own https host: the link itself,
		 * its host lower-cased. */
		if (!https || !embed_host_ok(e->host) || rest[0] != '/')
			goto none;
		n = strcspn(rest, "?#");
		for (i = 0; i < sizeof(embed_video_ext) /
		    sizeof(embed_video_ext[0]); i++) {
			k = strlen(embed_video_ext[i]);
			if (n > k + 1 && rest[n - k - 1] != '/' &&
			    strncasecmp(rest + n - k, embed_video_ext[i],
			    k) == 0)
				break;
		}
		if (i == sizeof(embed_video_ext) / sizeof(embed_video_ext[0]))
			goto none;
		snprintf(e->src, sizeof(e->src), "https://%s%s", e->host,
		    rest);
		snprintf(e->origin, sizeof(e->origin), "https://%s", e->host);
		return e->site = EMBED_OWN;
	}
	for (i = 0; i < EMBED_SITES; i++)
		if (embed_sites[i].site == site)
			snprintf(e->origin, sizeof(e->origin), "%s",
			    embed_sites[i].origin);
	return e->site = site;
none:
	memset(e, 0, sizeof(*e));
	return EMBED_NONE;
}

int
embed_host_ascii(const char *in, size_t n, char *out, size_t outsz)
{
	char	*copy, *ascii = NULL;
	size_t	 i, len;
	int	 rc;

	if (n == 0 || (copy = strndup(in, n)) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		copy[i] = (char)(copy[i] >= 'A' && copy[i] <= 'Z' ?
		    copy[i] | 0x20 : copy[i]);
	/* A fully qualified name's final dot names the same host. */
	if (n > 1 && copy[n - 1] == '.' && copy[n - 2] != '.')
		copy[--n] = '\0';
	for (i = 0; i < n && (unsigned char)copy[i] < 0x80; i++)
		;
	if (i == n) {
		rc = n < outsz ? 0 : -1;
		if (rc == 0)
			memcpy(out, copy, n + 1);
		free(copy);
		return rc;
	}
	/* IDNA2008 with UTS #46's mapping (what browsers do): upper
	 * case and other forms of a letter to one, then A-labels. */
	rc = idn2_lookup_u8((const uint8_t *)copy, (uint8_t **)&ascii,
	    IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
	free(copy);
	if (rc != IDN2_OK || ascii == NULL) {
		idn2_free(ascii);
		return -1;
	}
	len = strlen(ascii);
	rc = len < outsz && len <= EMBED_HOST_MAX ? 0 : -1;
	if (rc == 0)
		memcpy(out, ascii, len + 1);
	idn2_free(ascii);
	return rc;
}

const char *
embed_host_unicode(const char *host, char *out, size_t outsz)
{
	char	*u = NULL;

	if (strstr(host, "xn--") == NULL ||
	    idn2_to_unicode_8z8z(host, &u, 0) != IDN2_OK || u == NULL ||
	    strlen(u) >= outsz) {
		idn2_free(u);
		snprintf(out, outsz, "%s", host);
		return out;
	}
	memcpy(out, u, strlen(u) + 1);
	idn2_free(u);
	return out;
}

/* The byte of the escape at p ("%D0"), or -1 when p is none. */
static int
embed_escape(const char *p)
{
	int	 hi, lo;

	if (p[0] != '%' || (hi = http_hex_digit((unsigned char)p[1])) == -1 ||
	    (lo = http_hex_digit((unsigned char)p[2])) == -1)
		return -1;
	return hi << 4 | lo;
}

int
embed_url_canonical(const char *in, char *out, size_t outsz)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const char		*p, *auth, *end, *at, *host, *port;
	char			 ascii[EMBED_HOST_MAX + 1];
	size_t			 o = 0;

	if (strncasecmp(in, "https://", 8) == 0)
		p = in + 8;
	else if (strncasecmp(in, "http://", 7) == 0)
		p = in + 7;
	else
		return -1;
	auth = p;
	end = p + strcspn(p, "/?#");
	host = auth;
	for (at = auth; at < end; at++)
		if (*at == '@')
			host = at + 1;
	for (port = host; port < end && *port != ':'; port++)
		;
	if (embed_host_ascii(host, (size_t)(port - host), ascii,
	    sizeof(ascii)) == -1)
		return -1;
#define EMBED_PUT(s, n) do {						\
	if (o + (n) >= outsz)						\
		return -1;						\
	memcpy(out + o, (s), (n));					\
	o += (n);							\
} while (0)
	EMBED_PUT(in, (size_t)(host - in));
	EMBED_PUT(ascii, strlen(ascii));
	/* The port and the rest: bytes past ASCII percent-encoded (as a
	 * browser sends them), escapes in upper case, the rest as typed. */
	for (p = port; *p != '\0'; p++) {
		int	 b;
		char	 e[3];

		/* An escape typed in lower case in upper case, its one
		 * form (RFC 3986, 6.2.2.1). */
		if ((b = embed_escape(p)) != -1)
			p += 2;
		else if ((b = (unsigned char)*p) < 0x80) {
			EMBED_PUT(p, 1);
			continue;
		}
		e[0] = '%';
		e[1] = hex[b >> 4];
		e[2] = hex[b & 15];
		EMBED_PUT(e, 3);
	}
#undef EMBED_PUT
	out[o] = '\0';
	return 0;
}

/*
 * Whether the n bytes of UTF-8 at s hold a character a reader cannot
 * see or that turns the text around: spaces other than the space,
 * joiners, marks of direction, fillers, variation selectors, tags.
 * Browsers keep them escaped when they show a link (the WHATWG URL
 * standard's note on spoofing); so does embed_url_readable.
 */
static int
embed_invisible(const char *s, size_t n)
{
	uint32_t	 c;
	size_t		 k;

	while (n > 0 && (k = utf8_decode(s, n, &c)) > 0) {
		if (c == 0xa0 || c == 0xad || c == 0x34f || c == 0x61c ||
		    (c >= 0x115f && c <= 0x1160) ||
		    (c >= 0x17b4 && c <= 0x17b5) ||
		    (c >= 0x180b && c <= 0x180f) ||
		    (c >= 0x2000 && c <= 0x200f) ||
		    (c >= 0x2028 && c <= 0x202f) ||
		    (c >= 0x205f && c <= 0x206f) || c == 0x3000 ||
		    c == 0x3164 || (c >= 0xfe00 && c <= 0xfe0f) ||
		    c == 0xfeff || c == 0xffa0 ||
		    (c >= 0xfff0 && c <= 0xffff) ||
		    (c >= 0xe0000 && c <= 0xe0fff))
			return 1;
		s += k;
		n -= k;
	}
	return 0;
}

const char *
embed_url_readable(const char *url, char *out, size_t outsz)
{
	const char	*p, *h, *e;
	char		 host[EMBED_HOST_MAX + 1], bytes[1024];
	size_t		 o, n;
	int		 b;

	if ((p = strstr(url, "://")) == NULL || outsz == 0)
		return url;
	h = p + 3;
	e = h + strcspn(h, "/?#");
	if ((size_t)(e - h) >= sizeof(host) || memchr(h, '@',
	    (size_t)(e - h)) != NULL || memchr(h, ':', (size_t)(e - h)) !=
	    NULL)
		return url;
	memcpy(host, h, (size_t)(e - h));
	host[e - h] = '\0';
	o = (size_t)snprintf(out, outsz, "%.*s", (int)(h - url), url);
	if (o >= outsz)
		return url;
	embed_host_unicode(host, out + o, outsz - o);
	o += strlen(out + o);
	for (p = e; *p != '\0';) {
		/* A run of escapes past ASCII: as its characters when it
		 * is UTF-8. */
		for (n = 0; n < sizeof(bytes) &&
		    (b = embed_escape(p + 3 * n)) >= 0x80; n++)
			bytes[n] = (char)b;
		if (n > 0 && n < sizeof(bytes) && utf8_valid(bytes, n) &&
		    !embed_invisible(bytes, n)) {
			if (o + n >= outsz)
				return url;
			memcpy(out + o, bytes, n);
			o += n;
			p += 3 * n;
			continue;
		}
		n = n > 0 ? 3 * n : 1;
		if (o + n >= outsz)
			return url;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
	return out;
}

const char *
embed_valid_host(const char *in, char *out, size_t outsz)
{
	const char	*p;
	size_t		 i, n;

	while (*in == ' ' || *in == '\t')
		in++;
	if (strncasecmp(in, "https://", 8) == 0)
		in += 8;
	else if (strncasecmp(in, "http://", 7) == 0)
		return "Видео показываются только с защищённых сайтов: "
		    "впишите адрес, начинающийся с https://, например "
		    "https://video.school.ru";
	n = strlen(in);
	while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
		n--;
	if (n > 0 && in[n - 1] == '/')
		n--;
	if (n == 0)
		return "Впишите адрес сайта, например https://video.school.ru";
	if (n >= outsz || n > EMBED_HOST_MAX)
		return "Слишком длинный адрес сайта";
	for (i = 0; i < n; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] | 0x20 :
		    in[i]);
	out[n] = '\0';
	if (strchr(out, '/') != NULL)
		return "Только адрес сайта, без пути к файлу: например, "
		    "https://video.school.ru";
	if ((p = strchr(out, ':')) != NULL && p[1] != '\0' &&
	    strspn(p + 1, "0123456789") == strlen(p + 1))
		return "Порт указывать нельзя: впишите только адрес сайта, "
		    "например https://video.school.ru";
	/* A name in Cyrillic (видео.школа.рф) is kept in its one ASCII
	 * form (xn--...), as links are compared. */
	if (strchr(out, ':') == NULL && embed_host_ascii(out, strlen(out),
	    out, outsz) == -1)
		return "Это не адрес сайта: впишите, например, "
		    "https://video.school.ru или https://видео.школа.рф";
	if (!embed_host_ok(out))
		return "Это не адрес сайта: впишите, например, "
		    "https://video.school.ru";
	for (i = 0; i < sizeof(embed_provider_domains) /
	    sizeof(embed_provider_domains[0]); i++)
		if (embed_in_domain(out, embed_provider_domains[i].domain))
			return "ВК Видео, Рутуб и Ютуб отмечаются галочками "
			    "выше, а здесь — только сайт самой школы";
	return NULL;
}

const char *
embed_host_name(const char *host)
{
	size_t	 i;

	for (i = 0; i < sizeof(embed_provider_domains) /
	    sizeof(embed_provider_domains[0]); i++)
		if (embed_in_domain(host, embed_provider_domains[i].domain))
			return embed_site_name(embed_provider_domains[i].site);
	return NULL;
}
