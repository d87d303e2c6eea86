/*
 * Unit tests for lib/embed.c: which video links embed, and as what.
 * Good links of each provider; the same paths on other hosts; user
 * parts, ports, encoded characters, javascript: and other schemes,
 * IDs of the wrong length or characters; a school's own video files;
 * the hosts an administrator types in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "embed.h"

#define YT	"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"

/* url embeds as site with src and origin. */
static void
is(const char *url, enum embed_site site, const char *src,
    const char *origin)
{
	struct embed	 e;

	if (embed_parse(url, &e) != site) {
		print_error("%s: site %d, want %d\n", url, e.site, site);
		fail();
	}
	assert_int_equal(e.site, site);
	assert_string_equal(e.src, src);
	assert_string_equal(e.origin, origin);
}

/* url is not embedded. */
static void
none(const char *url)
{
	struct embed	 e;

	if (embed_parse(url, &e) != EMBED_NONE) {
		print_error("%s embeds as %s\n", url, e.src);
		fail();
	}
	assert_string_equal(e.src, "");
	assert_string_equal(e.origin, "");
	assert_string_equal(e.host, "");
}

static void
test_youtube(void **state)
{
	static const char o[] = "https://www.youtube-nocookie.com";

	(void)state;
	is("https://www.youtube.com/watch?v=dQw4w9WgXcQ", EMBED_YOUTUBE,
	    YT, o);
	is("https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s", EMBED_YOUTUBE,
	    YT, o);
	is("http://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ#x",
	    EMBED_YOUTUBE, YT, o);
	is("HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ", EMBED_YOUTUBE,
	    YT, o);
	is("https://youtu.be/dQw4w9WgXcQ", EMBED_YOUTUBE, YT, o);
	is("https://youtu.be/dQw4w9WgXcQ?si=abc&t=1", EMBED_YOUTUBE, YT, o);
	is("https://www.youtube.com/shorts/dQw4w9WgXcQ", EMBED_YOUTUBE, YT,
	    o);
	is("https://www.youtube.com/live/dQw4w9WgXcQ?feature=x",
	    EMBED_YOUTUBE, YT, o);
	is("https://www.youtube.com/embed/dQw4w9WgXcQ", EMBED_YOUTUBE, YT,
	    o);
	is("https://www.youtube.com/watch?v=a-_0123456Z", EMBED_YOUTUBE,
	    "https://www.youtube-nocookie.com/embed/a-_0123456Z", o);
	/* IDs: the wrong length, characters, escapes. */
	none("https://www.youtube.com/watch?v=dQw4w9WgXc");
	none("https://www.youtube.com/watch?v=dQw4w9WgXcQQ");
	none("https://www.youtube.com/watch?v=dQw4w9WgXc%51");
	none("https://www.youtube.com/watch?v=dQw4w9WgX.Q");
	none("https://www.youtube.com/watch?v=");
	none("https://www.youtube.com/watch?vv=dQw4w9WgXcQ");
	none("https://www.youtube.com/watch?xv=dQw4w9WgXcQ");
	none("https://www.youtube.com/watch#?v=dQw4w9WgXcQ");
	none("https://www.youtube.com/watch?x=1#v=dQw4w9WgXcQ");
	none("https://www.youtube.com/watch/?v=dQw4w9WgXcQ");
	none("https://www.youtube.com/Watch?v=dQw4w9WgXcQ");
	none("https://youtu.be/dQw4w9WgXcQ/more");
	none("https://youtu.be/");
	none("https://www.youtube.com/shorts/dQw4w9WgXcQ/x");
	none("https://www.youtube.com/channel/UCabcdefghijk");
	none("https://www.youtube.com/");
	/* Other hosts with the same paths; hosts that only look alike. */
	none("https://evil.example/watch?v=dQw4w9WgXcQ");
	none("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ");
	none("https://evilyoutube.com/watch?v=dQw4w9WgXcQ");
	none("https://music.youtube.com/watch?v=dQw4w9WgXcQ");
	/* A final dot names the same host. */
	is("https://youtube.com./watch?v=dQw4w9WgXcQ", EMBED_YOUTUBE, YT, o);
	none("https://youtube.com../watch?v=dQw4w9WgXcQ");
	none("https://evil.example/youtu.be/dQw4w9WgXcQ");
	none("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
	/* User parts, ports, backslashes, escapes in the host. */
	none("https://user@www.youtube.com/watch?v=dQw4w9WgXcQ");
	none("https://www.youtube.com@evil.example/watch?v=dQw4w9WgXcQ");
	none("https://evil.example\\@www.youtube.com/watch?v=dQw4w9WgXcQ");
	none("https://evil.example\\.youtube.com/watch?v=dQw4w9WgXcQ");
	none("https://www.youtube.com:443/watch?v=dQw4w9WgXcQ");
	none("https://www.youtube.com:8080/watch?v=dQw4w9WgXcQ");
	none("https://www.%79outube.com/watch?v=dQw4w9WgXcQ");
	none("https://www.youtube.com%2F@evil.example/watch?v=dQw4w9WgXcQ");
	/* Schemes, spaces, quotes, bytes past ASCII. */
	none("javascript:alert(1)//https://youtu.be/dQw4w9WgXcQ");
	none("javascript://youtu.be/%0aalert(1)");
	none("//youtu.be/dQw4w9WgXcQ");
	none("ftp://youtu.be/dQw4w9WgXcQ");
	none("data:text/html,https://youtu.be/dQw4w9WgXcQ");
	none(" https://youtu.be/dQw4w9WgXcQ");
	none("https://youtu.be/dQw4w9WgXcQ\"onload=\"x");
	none("https://youtu.be/dQw4w9WgXcQ<x>");
	none("https://youtu.be/dQw4w9WgXcQ?x=%");
	none("https://youtu.be/dQw4w9WgXcQ?x=%4");
	none("https://youtu.be/dQw4w9WgXcQ?x=%zz");
	none("https://ютуб.рф/watch?v=dQw4w9WgXcQ");
	none("");
	none("https://");
}

static void
test_rutube(void **state)
{
	static const char src[] = "https://rutube.ru/play/embed/"
	    "0123456789abcdef0123456789abcdef";

	(void)state;
	is("https://rutube.ru/video/0123456789abcdef0123456789abcdef/",
	    EMBED_RUTUBE, src, "https://rutube.ru");
	is("https://rutube.ru/video/0123456789abcdef0123456789abcdef",
	    EMBED_RUTUBE, src, "https://rutube.ru");
	is("http://www.rutube.ru/video/0123456789abcdef0123456789abcdef/"
	    "?r=wd", EMBED_RUTUBE, src, "https://rutube.ru");
	none("https://rutube.ru/video/0123456789ABCDEF0123456789abcdef/");
	none("https://rutube.ru/video/0123456789abcdef0123456789abcde/");
	none("https://rutube.ru/video/0123456789abcdef0123456789abcdef0/");
	none("https://rutube.ru/video/0123456789abcdef0123456789abcdef//");
	none("https://rutube.ru/video/private/0123456789abcdef0123456789ab/");
	none("https://rutube.ru/video/0123456789abcdef0123456789abcdef/x");
	none("https://rutube.ru/channel/123/");
	none("https://rutube.ru.evil.example/video/"
	    "0123456789abcdef0123456789abcdef/");
	none("https://evil.example/video/0123456789abcdef0123456789abcdef/");
	none("https://rutube.ru:80/video/0123456789abcdef0123456789abcdef/");
	none("https://a@rutube.ru/video/0123456789abcdef0123456789abcdef/");
}

static void
test_vk(void **state)
{
	static const char o[] = "https://vk.com";

	(void)state;
	is("https://vk.com/video-12345_456239017", EMBED_VK,
	    "https://vk.com/video_ext.php?oid=-12345&id=456239017", o);
	is("https://vkvideo.ru/video-12345_456239017?list=abc", EMBED_VK,
	    "https://vk.com/video_ext.php?oid=-12345&id=456239017", o);
	is("https://vk.ru/video123_456", EMBED_VK,
	    "https://vk.com/video_ext.php?oid=123&id=456", o);
	is("https://m.vk.com/video-1_2#x", EMBED_VK,
	    "https://vk.com/video_ext.php?oid=-1&id=2", o);
	none("https://vk.com/video-12345");
	none("https://vk.com/video-_456");
	none("https://vk.com/video--12345_456");
	none("https://vk.com/video-012345_456");
	none("https://vk.com/video-12345_0456");
	none("https://vk.com/video-12345_456a");
	none("https://vk.com/video-12345_456/");
	none("https://vk.com/video-12345678901234567890_456");
	none("https://vk.com/video-12345_%34%35");
	none("https://vk.com/videos-12345");
	none("https://vk.com/clip-12345_456");
	none("https://vk.com/id12345");
	none("https://vk.com.evil.example/video-12345_456");
	none("https://evil.example/video-12345_456");
	none("https://vk.com:443/video-12345_456");
	none("https://x:y@vk.com/video-12345_456");
}

static void
test_own(void **state)
{
	struct embed	 e;

	(void)state;
	is("https://video.school.ru/lessons/math-1.mp4", EMBED_OWN,
	    "https://video.school.ru/lessons/math-1.mp4",
	    "https://video.school.ru");
	is("https://Video.School.RU/a/%D1%83%D1%80%D0%BE%D0%BA.WebM?v=2#t=10",
	    EMBED_OWN, "https://video.school.ru/a/%D1%83%D1%80%D0%BE%D0%BA"
	    ".WebM?v=2#t=10", "https://video.school.ru");
	assert_int_equal(embed_parse("https://school.ru/v.ogv", &e),
	    EMBED_OWN);
	assert_string_equal(e.host, "school.ru");
	is("https://school.ru/v.m4v", EMBED_OWN, "https://school.ru/v.m4v",
	    "https://school.ru");
	/* Not a video file, not https, not a host name. */
	none("https://video.school.ru/lessons/math-1");
	none("https://video.school.ru/lessons/math-1.mp4.html");
	none("https://video.school.ru/lessons/.mp4");
	none("https://video.school.ru/?f=a.mp4");
	none("http://video.school.ru/lessons/math-1.mp4");
	none("https://video.school.ru:8443/math-1.mp4");
	none("https://u@video.school.ru/math-1.mp4");
	none("https://10.0.0.1/math-1.mp4");
	none("https://localhost/math-1.mp4");
	none("https://-a.ru/math-1.mp4");
	none("https://a..ru/math-1.mp4");
	/* A host's final dot: the same host, not shown twice. */
	is("https://VIDEO.SCHOOL.RU./v.mp4", EMBED_OWN,
	    "https://video.school.ru/v.mp4", "https://video.school.ru");
	assert_int_equal(embed_parse("https://a.ru./math-1.mp4", &e),
	    EMBED_OWN);
	assert_string_equal(e.host, "a.ru");
	none("https://a.ru../math-1.mp4");
	none("https://video.school.ru");
	/* A provider's host is never "own". */
	none("https://www.youtube.com/v.mp4");
	none("https://vk.com/v.mp4");
}

static void
test_valid_host(void **state)
{
	char	 out[300];

	(void)state;
	assert_null(embed_valid_host("video.school.ru", out, sizeof(out)));
	assert_string_equal(out, "video.school.ru");
	assert_null(embed_valid_host(" https://Video.School.RU/ ", out,
	    sizeof(out)));
	assert_string_equal(out, "video.school.ru");
	assert_null(embed_valid_host("xn--80adxhks.xn--p1ai", out,
	    sizeof(out)));
	assert_string_equal(out, "xn--80adxhks.xn--p1ai");
	assert_non_null(embed_valid_host("", out, sizeof(out)));
	/* Internationalized names: kept in their one ASCII form, however
	 * typed (capitals, the xn-- form); refused when libidn2 does not
	 * take them. */
	assert_null(embed_valid_host("https://Видео.Школа.РФ/", out,
	    sizeof(out)));
	assert_string_equal(out, "xn--b1aedk6a.xn--80atdl2c.xn--p1ai");
	assert_null(embed_valid_host("xn--b1aedk6a.xn--80atdl2c.xn--p1ai",
	    out, sizeof(out)));
	assert_string_equal(out, "xn--b1aedk6a.xn--80atdl2c.xn--p1ai");
	assert_non_null(embed_valid_host("-школа.рф", out, sizeof(out)));
	assert_non_null(embed_valid_host("шк ола.рф", out, sizeof(out)));
	assert_string_equal(embed_host_unicode(
	    "xn--b1aedk6a.xn--80atdl2c.xn--p1ai", out, sizeof(out)),
	    "видео.школа.рф");
	assert_string_equal(embed_host_unicode("video.school.ru", out,
	    sizeof(out)), "video.school.ru");
	assert_int_equal(embed_url_canonical("https://Видео.Школа.рф/уроки/"
	    "1.mp4?t=1", out, sizeof(out)), 0);
	assert_string_equal(out, "https://xn--b1aedk6a.xn--80atdl2c.xn--p1ai/"
	    "%D1%83%D1%80%D0%BE%D0%BA%D0%B8/1.mp4?t=1");
	assert_int_equal(embed_url_canonical("ftp://видео.рф/", out,
	    sizeof(out)), -1);
	assert_int_equal(embed_url_canonical("https:///x", out,
	    sizeof(out)), -1);
	assert_non_null(embed_valid_host("school", out, sizeof(out)));
	assert_non_null(embed_valid_host("10.0.0.1", out, sizeof(out)));
	assert_non_null(embed_valid_host("school.ru/video", out,
	    sizeof(out)));
	assert_non_null(embed_valid_host("school.ru:8080", out, sizeof(out)));
	/* http:// refused (never embeds in an https page), a port said in
	 * words. */
	assert_non_null(strstr(embed_valid_host("http://insecure.school.ru",
	    out, sizeof(out)), "https://"));
	assert_non_null(strstr(embed_valid_host(
	    "https://video.school.ru:8443", out, sizeof(out)),
	    "Порт указывать нельзя"));
	assert_non_null(embed_valid_host("a@school.ru", out, sizeof(out)));
	assert_non_null(embed_valid_host("-school.ru", out, sizeof(out)));
	assert_non_null(embed_valid_host("school-.ru", out, sizeof(out)));
	assert_non_null(embed_valid_host("school..ru", out, sizeof(out)));
	/* A final dot names the same host: kept without it. */
	assert_null(embed_valid_host("school.ru.", out, sizeof(out)));
	assert_string_equal(out, "school.ru");
	assert_non_null(embed_valid_host("*.school.ru", out, sizeof(out)));
	assert_non_null(embed_valid_host("sch ool.ru", out, sizeof(out)));
	assert_non_null(embed_valid_host("javascript:alert(1)", out,
	    sizeof(out)));
	/* The providers are ticked, not typed. */
	assert_non_null(embed_valid_host("youtube.com", out, sizeof(out)));
	assert_non_null(embed_valid_host("www.youtube-nocookie.com", out,
	    sizeof(out)));
	assert_non_null(embed_valid_host("m.vk.com", out, sizeof(out)));
	assert_non_null(embed_valid_host("rutube.ru", out, sizeof(out)));
	assert_null(embed_valid_host("notrutube.ru", out, sizeof(out)));
	/* Labels up to 63 bytes. */
	assert_null(embed_valid_host("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaa.ru", out, sizeof(out)));
	assert_non_null(embed_valid_host("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaa.ru", out, sizeof(out)));
}

static void
test_keys(void **state)
{
	(void)state;
	assert_string_equal(embed_site_key(EMBED_YOUTUBE), "youtube");
	assert_string_equal(embed_site_key(EMBED_RUTUBE), "rutube");
	assert_string_equal(embed_site_key(EMBED_VK), "vk");
	assert_null(embed_site_key(EMBED_OWN));
	assert_null(embed_site_key(EMBED_NONE));
	assert_int_equal(embed_site_of_key("vk"), EMBED_VK);
	assert_int_equal(embed_site_of_key("VK"), EMBED_NONE);
	assert_int_equal(embed_site_of_key(NULL), EMBED_NONE);
	assert_string_equal(embed_site_name(EMBED_RUTUBE), "Рутуб");
}

/* A link's host named as people say its site, from the one list of
 * providers' domains; any other host has no such name. */
static void
test_host_name(void **state)
{
	(void)state;
	assert_string_equal(embed_host_name("vk.com"), "ВК Видео");
	assert_string_equal(embed_host_name("m.vk.com"), "ВК Видео");
	assert_string_equal(embed_host_name("vkvideo.ru"), "ВК Видео");
	assert_string_equal(embed_host_name("vk.ru"), "ВК Видео");
	assert_string_equal(embed_host_name("rutube.ru"), "Рутуб");
	assert_string_equal(embed_host_name("www.youtube.com"), "Ютуб");
	assert_string_equal(embed_host_name("youtu.be"), "Ютуб");
	assert_string_equal(embed_host_name("www.youtube-nocookie.com"),
	    "Ютуб");
	assert_null(embed_host_name("notvk.com"));
	assert_null(embed_host_name("vk.com.evil.ru"));
	assert_null(embed_host_name("video.school.ru"));
}

/* A stored link as people typed it, and stored the same again. */
static void
test_url_readable(void **state)
{
	static const char *const stored[] = {
	    "https://xn--b1aedk6a.xn--80atdl2c.xn--p1ai/"
	    "%D1%83%D1%80%D0%BE%D0%BA%D0%B8/1.mp4?t=1",
	    "https://rutube.ru/video/%D0%B0%20%D0%B1/",
	    "https://school.ru/%d1%83",
	};
	static const char *const typed[] = {
	    "https://видео.школа.рф/уроки/1.mp4?t=1",
	    "https://rutube.ru/video/а%20б/",
	    "https://school.ru/у",
	};
	char	 out[300], again[300];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(stored) / sizeof(stored[0]); i++) {
		assert_string_equal(embed_url_readable(stored[i], out,
		    sizeof(out)), typed[i]);
		assert_int_equal(embed_url_canonical(out, again,
		    sizeof(again)), 0);
		if (i < 2)
			assert_string_equal(again, stored[i]);
	}
	/* Not UTF-8, a broken escape, an ASCII escape, a port, a user:
	 * as stored. */
	assert_string_equal(embed_url_readable("https://a.ru/%FF%FE%D0",
	    out, sizeof(out)), "https://a.ru/%FF%FE%D0");
	assert_string_equal(embed_url_readable("https://a.ru/%D0%B2%D0",
	    out, sizeof(out)), "https://a.ru/%D0%B2%D0");
	assert_string_equal(embed_url_readable("https://a.ru/%4%2F%zz",
	    out, sizeof(out)), "https://a.ru/%4%2F%zz");
	assert_string_equal(embed_url_readable("https://a.ru:8080/%D0%B2",
	    out, sizeof(out)), "https://a.ru:8080/%D0%B2");
	assert_string_equal(embed_url_readable("https://u@a.ru/%D0%B2",
	    out, sizeof(out)), "https://u@a.ru/%D0%B2");
	/* Too small a buffer: the link as stored. */
	assert_string_equal(embed_url_readable("https://a.ru/%D0%B2", out,
	    10), "https://a.ru/%D0%B2");
	/* What a reader cannot see or that turns the text around stays
	 * escaped: U+202E, U+00A0, U+200B. */
	assert_string_equal(embed_url_readable("https://a.ru/%D1%83%E2%80%AE"
	    "4pm.exe", out, sizeof(out)), "https://a.ru/%D1%83%E2%80%AE"
	    "4pm.exe");
	assert_string_equal(embed_url_readable("https://a.ru/a%C2%A0b", out,
	    sizeof(out)), "https://a.ru/a%C2%A0b");
	assert_string_equal(embed_url_readable("https://a.ru/%E2%80%8B", out,
	    sizeof(out)), "https://a.ru/%E2%80%8B");
	/* Escapes typed in lower case are stored in upper case, so that a
	 * link saved again unchanged is stored the same. */
	assert_int_equal(embed_url_canonical("https://a.ru/%d1%83?q=%2f",
	    out, sizeof(out)), 0);
	assert_string_equal(out, "https://a.ru/%D1%83?q=%2F");
}

/* A long path of Cyrillic (150 «я», 300 bytes, 900 escaped): shown
 * whole, stored again the same. */
static void
test_url_readable_long(void **state)
{
	char	 stored[1024], typed[1024], out[4096], again[1024];
	size_t	 i;

	(void)state;
	strcpy(stored, "https://a.ru/");
	strcpy(typed, "https://a.ru/");
	for (i = 0; i < 150; i++) {
		strcat(stored, "%D1%8F");
		strcat(typed, "я");
	}
	assert_string_equal(embed_url_readable(stored, out, sizeof(out)),
	    typed);
	assert_int_equal(embed_url_canonical(out, again, sizeof(again)), 0);
	assert_string_equal(again, stored);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_readable),
		cmocka_unit_test(test_url_readable_long),
		cmocka_unit_test(test_youtube),
		cmocka_unit_test(test_rutube),
		cmocka_unit_test(test_vk),
		cmocka_unit_test(test_own),
		cmocka_unit_test(test_valid_host),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_host_name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
