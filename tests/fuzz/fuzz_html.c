/*
 * libFuzzer harness for the template engine (lib/html.c): the input is
 * compiled as a template with html_set_add and, when it compiles,
 * rendered with a small context whose strings hold every character that
 * must be escaped, booleans and a list.  Besides memory errors it checks
 * what html.h promises: a failed render leaves the output as it was, a
 * good one leaves a C string, and {{name}} never prints < > " or '.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "pool.h"

/* Every byte html_escape must replace; only {{raw}} prints them. */
#define EVIL	"<b x=\"1\" y='2'>&amp;</b>"
#define SPECIAL	"<>\"'"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Occurrences of needle in s. */
static size_t
count(const char *s, const char *needle)
{
	size_t	 n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s++;
	}
	return n;
}

static struct html_ctx *
context(struct pool *pool)
{
	struct html_ctx	*c, *item;

	c = html_ctx_new(pool);
	html_set_str(c, "s", EVIL);
	html_set_str(c, "empty", "");
	html_set_str(c, "csrf", "tok\"en'<>&");
	html_set_int(c, "n", 0);
	html_set_bool(c, "yes", 1);
	html_set_bool(c, "no", 0);
	html_list_init(c, "none");
	item = html_list_add(c, "list");
	html_set_str(item, "name", "a & b");
	html_set_bool(item, "no", 1);
	item = html_list_add(c, "list");
	html_set_str(item, "name", EVIL);
	html_set_bool(item, "yes", 0);
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct html_set	*set;
	struct pool	*pool;
	struct buf	 out;
	char		*text, err[256];
	size_t		 len;
	int		 rc;

	/* Templates are C strings: an embedded NUL ends the text. */
	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	set = html_set_new();
	if (html_set_add(set, "p", "[{{s}}]{{#list}}{{name}}{{/list}}",
	    err, sizeof(err)) != 0)
		abort();
	err[0] = '\0';
	rc = html_set_add(set, "t", text, err, sizeof(err));
	if (rc != 0 && (rc != -1 || err[0] == '\0'))
		abort();
	/* The same name twice is refused. */
	if (rc == 0 && html_set_add(set, "t", "", err, sizeof(err)) != -1)
		abort();

	/*
	 * Each list section nested in another multiplies the work by the
	 * list's length; templates are ours, so an exponential page is not
	 * a fault, only a fuzzer timeout.  Render the shallow ones.
	 */
	if (rc == 0 && count(text, "list") <= 4) {
		pool = pool_new();
		buf_init(&out);
		buf_puts(&out, "before");
		len = out.len;
		rc = html_render(set, "t", context(pool), &out);
		if (rc == -1) {
			if (out.len != len || strcmp(out.data, "before") != 0)
				abort();
		} else if (rc != 0 || strlen(out.data) != out.len ||
		    strncmp(out.data, "before", len) != 0)
			abort();
		else if (strstr(text, "raw") == NULL &&
		    strpbrk(text, SPECIAL) == NULL &&
		    strpbrk(out.data + len, SPECIAL) != NULL)
			abort();
		/* Unknown templates are refused and change nothing. */
		len = out.len;
		if (html_render(set, "nosuch", NULL, &out) != -1 ||
		    out.len != len)
			abort();
		buf_free(&out);
		pool_free(pool);
	}
	html_set_free(set);
	free(text);
	return 0;
}
