/*
 * Unit tests for lib/html.c: escaping, tags, sections, partials,
 * compile errors and loading a template directory.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "html.h"
#include "pool.h"

struct fix {
	struct pool	*pool;
	struct html_set	*set;
	struct html_ctx	*ctx;
	struct buf	 out;
	char		 err[256];
	int		 ntmpl;		/* names the templates of run() */
};

static int
setup(void **state)
{
	struct fix	*f;

	f = xmalloc(sizeof(*f));
	f->pool = pool_new();
	f->set = html_set_new();
	f->ctx = html_ctx_new(f->pool);
	buf_init(&f->out);
	f->err[0] = '\0';
	f->ntmpl = 0;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	buf_free(&f->out);
	html_set_free(f->set);
	pool_free(f->pool);
	free(f);
	return 0;
}

/* Compile a template that must be valid, showing the error if not. */
static void
add(struct fix *f, const char *name, const char *text)
{
	f->err[0] = '\0';
	if (html_set_add(f->set, name, text, f->err, sizeof(f->err)) != 0)
		fail_msg("html_set_add(%s): %s", name, f->err);
}

/* Render name with ctx into a fresh output and return the text. */
static const char *
render_ctx(struct fix *f, const char *name, const struct html_ctx *ctx)
{
	buf_reset(&f->out);
	assert_int_equal(html_render(f->set, name, ctx, &f->out), 0);
	assert_non_null(f->out.data);
	return f->out.data;
}

static const char *
render(struct fix *f, const char *name)
{
	return render_ctx(f, name, f->ctx);
}

/* Compile, then render with the fixture's context. */
static const char *
run(struct fix *f, const char *text)
{
	char	 name[32];

	snprintf(name, sizeof(name), "t%d", f->ntmpl++);
	add(f, name, text);
	return render(f, name);
}

/* A compile error: -1, a non-empty message, exactly the one expected,
 * and no template left behind. */
static void
compile_fails(struct fix *f, const char *text, const char *want)
{
	f->err[0] = '\0';
	assert_int_equal(html_set_add(f->set, "t", text, f->err,
	    sizeof(f->err)), -1);
	assert_true(f->err[0] != '\0');
	assert_string_equal(f->err, want);
	buf_reset(&f->out);
	assert_int_equal(html_render(f->set, "t", f->ctx, &f->out), -1);
}

static const char *
escaped(struct buf *b, const char *s)
{
	buf_reset(b);
	html_escape(b, s);
	buf_add(b, "", 0);
	return b->data;
}

/* Escaping. */

static void
test_escape_each(void **state)
{
	struct fix	*f = *state;

	assert_string_equal(escaped(&f->out, "&"), "&amp;");
	assert_string_equal(escaped(&f->out, "<"), "&lt;");
	assert_string_equal(escaped(&f->out, ">"), "&gt;");
	assert_string_equal(escaped(&f->out, "\""), "&quot;");
	assert_string_equal(escaped(&f->out, "'"), "&#39;");
	assert_string_equal(escaped(&f->out, "a&b"), "a&amp;b");
	assert_string_equal(escaped(&f->out, "x<"), "x&lt;");
	assert_string_equal(escaped(&f->out, ">y"), "&gt;y");
}

static void
test_escape_combined(void **state)
{
	struct fix	*f = *state;

	assert_string_equal(escaped(&f->out, "<a href=\"?a=1&b='2'\">"),
	    "&lt;a href=&quot;?a=1&amp;b=&#39;2&#39;&quot;&gt;");
	assert_string_equal(escaped(&f->out, "&&<<>>\"\"''"),
	    "&amp;&amp;&lt;&lt;&gt;&gt;&quot;&quot;&#39;&#39;");
	assert_string_equal(escaped(&f->out, "&amp;"), "&amp;amp;");
}

static void
test_escape_plain(void **state)
{
	struct fix	*f = *state;

	assert_string_equal(escaped(&f->out, ""), "");
	assert_string_equal(escaped(&f->out, "plain text 123"),
	    "plain text 123");
	assert_string_equal(escaped(&f->out, "Привет, мир"),
	    "Привет, мир");
}

static void
test_escape_appends(void **state)
{
	struct fix	*f = *state;

	buf_reset(&f->out);
	buf_puts(&f->out, "<b>");
	html_escape(&f->out, "<i>");
	assert_string_equal(f->out.data, "<b>&lt;i&gt;");
}

static void
test_var_escaped(void **state)
{
	struct fix	*f = *state;

	html_set_str(f->ctx, "amp", "&");
	html_set_str(f->ctx, "lt", "<");
	html_set_str(f->ctx, "gt", ">");
	html_set_str(f->ctx, "quot", "\"");
	html_set_str(f->ctx, "apos", "'");
	html_set_str(f->ctx, "all", "<p class=\"a\" title='b'>&</p>");
	assert_string_equal(run(f, "{{amp}}"), "&amp;");
	assert_string_equal(run(f, "{{lt}}"), "&lt;");
	assert_string_equal(run(f, "{{gt}}"), "&gt;");
	assert_string_equal(run(f, "{{quot}}"), "&quot;");
	assert_string_equal(run(f, "{{apos}}"), "&#39;");
	assert_string_equal(run(f, "[{{all}}]"),
	    "[&lt;p class=&quot;a&quot; title=&#39;b&#39;&gt;&amp;&lt;/p&gt;]");
}

static void
test_raw(void **state)
{
	struct fix	*f = *state;

	html_set_str(f->ctx, "html", "<b>\"x\" & 'y'</b>");
	html_set_str(f->ctx, "raw", "R&");
	html_set_str(f->ctx, "rawx", "X<");
	assert_string_equal(run(f, "{{raw html}}"), "<b>\"x\" & 'y'</b>");
	assert_string_equal(run(f, "{{ raw \t html }}"),
	    "<b>\"x\" & 'y'</b>");
	assert_string_equal(run(f, "{{html}}"),
	    "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
	/* "raw" alone, or as a prefix, is an ordinary name. */
	assert_string_equal(run(f, "{{raw}}|{{ raw }}|{{rawx}}"),
	    "R&amp;|R&amp;|X&lt;");
	assert_string_equal(run(f, "{{raw missing}}."), ".");
}

/* Variables and text. */

static void
test_text(void **state)
{
	struct fix	*f = *state;

	assert_string_equal(run(f, ""), "");
	assert_string_equal(run(f, "plain <b>html</b> & text\n"),
	    "plain <b>html</b> & text\n");
	assert_string_equal(run(f, "single { brace } and }} alone"),
	    "single { brace } and }} alone");
}

static void
test_missing_var(void **state)
{
	struct fix	*f = *state;

	assert_string_equal(run(f, "a{{nope}}b{{raw nope}}c"), "abc");
	add(f, "n", "[{{x}}]");
	assert_string_equal(render_ctx(f, "n", NULL), "[]");
}

static void
test_values(void **state)
{
	struct fix	*f = *state;

	html_set_str(f->ctx, "s", "str");
	html_set_strf(f->ctx, "f", "%s-%d", "id", 7);
	html_set_int(f->ctx, "i", -1234567890123LL);
	html_set_int(f->ctx, "z", 0);
	html_set_bool(f->ctx, "b", 1);
	html_list_add(f->ctx, "l");
	html_set_str(f->ctx, "null", NULL);
	/* Booleans and lists print nothing; NULL is an empty string. */
	assert_string_equal(
	    run(f, "{{s}} {{f}} {{i}} {{z}} [{{b}}] [{{l}}] [{{null}}]"),
	    "str id-7 -1234567890123 0 [] [] []");
}

static void
test_overwrite(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	html_set_str(f->ctx, "k", "one");
	html_set_str(f->ctx, "k", "two");
	assert_string_equal(run(f, "{{k}}"), "two");
	html_set_bool(f->ctx, "k", 0);
	assert_string_equal(run(f, "[{{k}}]{{^k}}off{{/k}}"), "[]off");
	item = html_list_add(f->ctx, "k");
	html_set_str(item, "v", "a");
	assert_string_equal(run(f, "{{#k}}{{v}}{{/k}}"), "a");
	html_set_int(f->ctx, "k", 5);
	assert_string_equal(run(f, "{{k}}{{#k}}!{{/k}}"), "5!");
}

static void
test_get_str(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	html_set_str(f->ctx, "s", "v<");
	html_set_int(f->ctx, "i", 42);
	html_set_bool(f->ctx, "b", 1);
	html_list_init(f->ctx, "l");
	assert_string_equal(html_get_str(f->ctx, "s"), "v<");
	assert_string_equal(html_get_str(f->ctx, "i"), "42");
	assert_null(html_get_str(f->ctx, "b"));
	assert_null(html_get_str(f->ctx, "l"));
	assert_null(html_get_str(f->ctx, "missing"));
	assert_null(html_get_str(NULL, "s"));
	/* Only the context itself, not its parents. */
	item = html_list_add(f->ctx, "items");
	assert_null(html_get_str(item, "s"));
	html_set_str(item, "s", "mine");
	assert_string_equal(html_get_str(item, "s"), "mine");
	assert_string_equal(html_get_str(f->ctx, "s"), "v<");
}

static void
test_values_copied(void **state)
{
	struct fix	*f = *state;
	char		 key[8], val[8];

	strcpy(key, "k");
	strcpy(val, "before");
	html_set_str(f->ctx, key, val);
	strcpy(key, "x");
	strcpy(val, "after");
	assert_string_equal(run(f, "{{k}}"), "before");
}

/* html_set_ref keeps the value it is given (a database result's, which
 * outlives the page), and still copies the key. */
static void
test_value_ref(void **state)
{
	struct fix	*f = *state;
	char		 key[8], val[8];

	strcpy(key, "k");
	strcpy(val, "<a>");
	html_set_ref(f->ctx, key, val);
	strcpy(key, "x");
	strcpy(val, "<b>");
	html_set_ref(f->ctx, "n", NULL);
	assert_string_equal(run(f, "{{k}}|{{n}}|{{#n}}set{{/n}}"),
	    "&lt;b&gt;||");
	html_set_str(f->ctx, "k", "again");
	assert_string_equal(run(f, "{{k}}"), "again");
}

/*
 * Keys are told apart by a hash first: two names of one hash (FNV-1a:
 * "gv_u" and "15xa") are still two keys, in one context, up a list
 * item's parents, and as partials; and many keys each find their own.
 */
static void
test_keys_same_hash(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;
	char		 key[16], want[64];
	int		 i;

	html_set_str(f->ctx, "gv_u", "first");
	item = html_list_add(f->ctx, "rows");
	html_set_str(item, "15xa", "second");
	assert_string_equal(run(f, "{{#rows}}{{gv_u}}/{{15xa}}{{/rows}}"
	    "|{{gv_u}}/{{15xa}}"), "first/second|first/");
	html_set_str(f->ctx, "15xa", "third");
	assert_string_equal(html_get_str(f->ctx, "gv_u"), "first");
	assert_string_equal(html_get_str(f->ctx, "15xa"), "third");
	add(f, "gv_u", "A");
	add(f, "15xa", "B");
	assert_string_equal(run(f, "{{>gv_u}}{{>15xa}}"), "AB");

	for (i = 0; i < 300; i++) {
		snprintf(key, sizeof(key), "key%d", i);
		html_set_int(f->ctx, key, i);
	}
	for (i = 0; i < 300; i += 37) {
		snprintf(key, sizeof(key), "{{key%d}}", i);
		snprintf(want, sizeof(want), "%d", i);
		assert_string_equal(run(f, key), want);
	}
}

/* Whitespace and comments. */

static void
test_whitespace_in_tags(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	html_set_str(f->ctx, "name", "N");
	html_set_bool(f->ctx, "yes", 1);
	item = html_list_add(f->ctx, "list");
	html_set_str(item, "v", "1");
	add(f, "p", "<{{ name }}>");
	assert_string_equal(run(f, "{{ name }}|{{\tname\t}}|{{\nname\n}}"),
	    "N|N|N");
	assert_string_equal(run(f, "{{# yes }}y{{/ yes }}"), "y");
	assert_string_equal(run(f, "{{ #yes}}y{{ /yes }}"), "y");
	assert_string_equal(run(f, "{{^ no }}n{{/no}}"), "n");
	assert_string_equal(run(f, "{{#  list  }}{{ v }}{{/list}}"), "1");
	assert_string_equal(run(f, "{{> p }}{{ >p}}"), "<N><N>");
	assert_string_equal(run(f, "{{! c }}{{ !c}}x"), "x");
}

static void
test_comment(void **state)
{
	struct fix	*f = *state;

	html_set_str(f->ctx, "a", "A");
	assert_string_equal(run(f, "x{{! a comment }}y"), "xy");
	assert_string_equal(run(f, "x{{!}}y"), "xy");
	assert_string_equal(
	    run(f, "{{! spans\nlines, has {braces}, <b> & }}{{a}}"),
	    "A");
	assert_string_equal(run(f, "{{!{{a}}!}}"), "!}}");
}

/* Sections. */

static void
test_list(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;
	int		 i;

	for (i = 1; i <= 3; i++) {
		item = html_list_add(f->ctx, "rows");
		html_set_int(item, "n", i);
		html_set_str(item, "name", i == 2 ? "<two>" : "x");
	}
	assert_string_equal(
	    run(f, "<ul>{{#rows}}<li>{{n}}:{{name}}</li>{{/rows}}</ul>"),
	    "<ul><li>1:x</li><li>2:&lt;two&gt;</li><li>3:x</li></ul>");
	assert_string_equal(run(f, "{{^rows}}none{{/rows}}"), "");
}

static void
test_nested_lists(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*group, *item;

	html_set_str(f->ctx, "csrf", "tok&");
	group = html_list_add(f->ctx, "groups");
	html_set_str(group, "title", "G1");
	item = html_list_add(group, "items");
	html_set_str(item, "id", "a");
	item = html_list_add(group, "items");
	html_set_str(item, "id", "b");
	group = html_list_add(f->ctx, "groups");
	html_set_str(group, "title", "G2");
	html_list_init(group, "items");
	group = html_list_add(f->ctx, "groups");
	html_set_str(group, "title", "G3");
	item = html_list_add(group, "items");
	html_set_str(item, "id", "c");

	assert_string_equal(run(f,
	    "{{#groups}}[{{title}}:"
	    "{{#items}}({{id}} {{title}} {{csrf}}){{/items}}"
	    "{{^items}}empty{{/items}}]{{/groups}}"),
	    "[G1:(a G1 tok&amp;)(b G1 tok&amp;)]"
	    "[G2:empty]"
	    "[G3:(c G3 tok&amp;)]");
}

static void
test_parent_lookup(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	html_set_str(f->ctx, "who", "page");
	html_set_bool(f->ctx, "admin", 1);
	item = html_list_add(f->ctx, "l");
	item = html_list_add(f->ctx, "l");
	html_set_str(item, "who", "item");
	html_set_bool(item, "admin", 0);
	/* The nearest context with the key wins, whatever its value. */
	assert_string_equal(
	    run(f, "{{#l}}{{who}}{{#admin}}+{{/admin}}"
	    "{{^admin}}-{{/admin}};{{/l}}{{who}}"),
	    "page+;item-;page");
}

static void
test_list_parent_is_owner(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*other, *item;

	/* An item's parent is the context it was added to, even when the
	 * list is rendered from another context. */
	other = html_ctx_new(f->pool);
	html_set_str(other, "x", "other");
	item = html_list_add(other, "l");
	html_set_str(item, "y", "Y");
	add(f, "p", "{{#l}}{{y}}{{x}}{{/l}}");
	add(f, "q", "{{y}}{{x}}");
	assert_string_equal(render_ctx(f, "p", other), "Yother");
	assert_string_equal(render_ctx(f, "q", item), "Yother");
	assert_string_equal(render_ctx(f, "p", f->ctx), "");
}

static void
test_if(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;
	int		 i;

	html_set_bool(f->ctx, "f", 0);
	html_set_str(f->ctx, "e", "");
	html_list_init(f->ctx, "empty");
	for (i = 0; i < 3; i++) {
		item = html_list_add(f->ctx, "rows");
		html_set_int(item, "v", i);
	}
	/* The list inside renders each row once, not once per row. */
	assert_string_equal(run(f,
	    "{{?rows}}<ul>{{#rows}}<li>{{v}}</li>{{/rows}}</ul>{{/rows}}"),
	    "<ul><li>0</li><li>1</li><li>2</li></ul>");
	assert_string_equal(run(f, "{{?empty}}no{{/empty}}{{?f}}no{{/f}}"
	    "{{?e}}no{{/e}}{{?missing}}no{{/missing}}"), "");
	compile_fails(f, "{{?rows}}x{{/other}}",
	    "t:1: mismatched close \"other\" for section \"rows\" of line 1");
}

static void
test_inverted(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	html_set_bool(f->ctx, "f", 0);
	html_set_bool(f->ctx, "t", 1);
	html_set_str(f->ctx, "e", "");
	html_set_str(f->ctx, "s", "s");
	html_set_int(f->ctx, "zero", 0);
	html_list_init(f->ctx, "empty");
	item = html_list_add(f->ctx, "full");
	html_set_str(item, "v", "1");
	assert_string_equal(run(f,
	    "{{^missing}}1{{/missing}}"
	    "{{^f}}2{{/f}}"
	    "{{^e}}3{{/e}}"
	    "{{^empty}}4{{/empty}}"
	    "{{^t}}no{{/t}}"
	    "{{^s}}no{{/s}}"
	    "{{^zero}}no{{/zero}}"
	    "{{^full}}no{{/full}}"),
	    "1234");
	/* An inverted section renders once, in the same context. */
	assert_string_equal(run(f, "{{^f}}{{s}}{{/f}}"), "s");
}

static void
test_truthiness(void **state)
{
	struct fix	*f = *state;

	html_set_bool(f->ctx, "t", 1);
	html_set_bool(f->ctx, "t2", 42);
	html_set_bool(f->ctx, "f", 0);
	html_set_str(f->ctx, "s", "<s>");
	html_set_str(f->ctx, "e", "");
	html_set_str(f->ctx, "sp", " ");
	html_set_int(f->ctx, "zero", 0);
	html_set_int(f->ctx, "neg", -1);
	html_list_init(f->ctx, "empty");
	assert_string_equal(run(f,
	    "{{#t}}a{{/t}}"
	    "{{#t2}}b{{/t2}}"
	    "{{#f}}no{{/f}}"
	    "{{#s}}c{{s}}{{/s}}"
	    "{{#e}}no{{/e}}"
	    "{{#sp}}d{{/sp}}"
	    "{{#zero}}e{{zero}}{{/zero}}"
	    "{{#neg}}f{{/neg}}"
	    "{{#empty}}no{{/empty}}"
	    "{{#missing}}no{{/missing}}"),
	    "abc&lt;s&gt;de0f");
}

static void
test_list_init_keeps_items(void **state)
{
	struct fix	*f = *state;

	html_set_str(html_list_add(f->ctx, "l"), "v", "1");
	html_list_init(f->ctx, "l");
	html_set_str(html_list_add(f->ctx, "l"), "v", "2");
	assert_string_equal(run(f, "{{#l}}{{v}}{{/l}}"), "12");
}

static void
test_nested_sections_same_name(void **state)
{
	struct fix	*f = *state;

	html_set_bool(f->ctx, "a", 1);
	assert_string_equal(run(f, "{{#a}}1{{#a}}2{{/a}}3{{/a}}"), "123");
	assert_string_equal(run(f, "{{#a}}{{^a}}x{{/a}}{{/a}}y"), "y");
}

/* Partials. */

static void
test_partials(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	html_set_str(f->ctx, "title", "T&");
	item = html_list_add(f->ctx, "users");
	html_set_str(item, "name", "ann");
	item = html_list_add(f->ctx, "users");
	html_set_str(item, "name", "bob");
	/* A partial may be added after the template that uses it. */
	add(f, "page", "{{>head}}<ul>{{#users}}{{>user}}{{/users}}</ul>");
	add(f, "head", "<h1>{{title}}</h1>");
	add(f, "user", "<li>{{name}} ({{title}})</li>");
	assert_string_equal(render(f, "page"),
	    "<h1>T&amp;</h1><ul><li>ann (T&amp;)</li>"
	    "<li>bob (T&amp;)</li></ul>");
	assert_string_equal(render(f, "user"), "<li> (T&amp;)</li>");
}

static void
test_partial_missing_at_render(void **state)
{
	struct fix	*f = *state;

	html_set_bool(f->ctx, "on", 1);
	add(f, "p", "before{{#on}}{{>nope}}{{/on}}after");
	add(f, "q", "before{{^on}}{{>nope}}{{/on}}after");
	buf_reset(&f->out);
	buf_puts(&f->out, "keep");
	assert_int_equal(html_render(f->set, "p", f->ctx, &f->out), -1);
	/* The output is restored to what it was. */
	assert_int_equal(f->out.len, 4);
	assert_string_equal(f->out.data, "keep");
	/* A partial that is never reached does no harm. */
	assert_string_equal(render(f, "q"), "beforeafter");
}

static void
test_recursive_partial(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*root, *child;

	/* A tree: recursion that ends is fine. */
	root = html_list_add(f->ctx, "nodes");
	html_set_str(root, "name", "root");
	child = html_list_add(root, "nodes");
	html_set_str(child, "name", "kid");
	html_list_init(child, "nodes");
	add(f, "tree", "{{#nodes}}<{{name}}{{>tree}}>{{/nodes}}");
	assert_string_equal(render(f, "tree"), "<root<kid>>");

	/* Endless recursion hits the depth limit. */
	add(f, "loop", "x{{>loop}}");
	add(f, "ping", "{{>pong}}");
	add(f, "pong", "{{>ping}}");
	buf_reset(&f->out);
	buf_puts(&f->out, "old");
	assert_int_equal(html_render(f->set, "loop", f->ctx, &f->out), -1);
	assert_string_equal(f->out.data, "old");
	assert_int_equal(html_render(f->set, "ping", NULL, &f->out), -1);
	assert_string_equal(f->out.data, "old");
}

static void
test_partial_depth_limit(void **state)
{
	struct fix	*f = *state;
	char		 name[8], text[32];
	int		 i;

	/* p0 includes p1 ... p15 includes p16: 16 nested partials. */
	for (i = 0; i < 16; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		snprintf(text, sizeof(text), "%d{{>p%d}}", i % 10, i + 1);
		add(f, name, text);
	}
	add(f, "p16", "!");
	assert_string_equal(render(f, "p0"), "0123456789012345!");
	add(f, "deeper", "{{>p0}}");
	buf_reset(&f->out);
	assert_int_equal(html_render(f->set, "deeper", f->ctx, &f->out), -1);
	assert_string_equal(f->out.data, "");
}

/* Rendering. */

static void
test_unknown_template(void **state)
{
	struct fix	*f = *state;

	buf_reset(&f->out);
	buf_puts(&f->out, "x");
	assert_int_equal(html_render(f->set, "nope", f->ctx, &f->out), -1);
	assert_int_equal(html_render(f->set, "nope", NULL, &f->out), -1);
	assert_int_equal(html_render(f->set, "", NULL, &f->out), -1);
	assert_string_equal(f->out.data, "x");
	assert_int_equal(f->out.len, 1);
}

static void
test_render_appends(void **state)
{
	struct fix	*f = *state;
	struct buf	 b;

	html_set_str(f->ctx, "v", "2");
	add(f, "t", "{{v}}3");
	add(f, "empty", "");
	buf_init(&b);
	buf_puts(&b, "1");
	assert_int_equal(html_render(f->set, "t", f->ctx, &b), 0);
	assert_int_equal(html_render(f->set, "t", f->ctx, &b), 0);
	assert_string_equal(b.data, "12323");
	buf_free(&b);
	/* Even an empty result leaves a valid string behind. */
	buf_init(&b);
	assert_int_equal(html_render(f->set, "empty", NULL, &b), 0);
	assert_non_null(b.data);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

/* Compile errors. */

static void
test_err_unclosed_tag(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "abc {{name", "t:1: unclosed tag");
	compile_fails(f, "line 1\nline 2 {{name }\n", "t:2: unclosed tag");
	compile_fails(f, "{{! never closed\n\n", "t:1: unclosed tag");
	compile_fails(f, "ok {{a}} then {{", "t:1: unclosed tag");
}

static void
test_err_unclosed_section(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "\n{{#items}}\n<li>\n",
	    "t:2: unclosed section \"items\"");
	compile_fails(f, "{{^none}}x", "t:1: unclosed section \"none\"");
	compile_fails(f, "{{#a}}\n{{#b}}\n{{/b}}",
	    "t:1: unclosed section \"a\"");
	compile_fails(f, "{{#a}}\n{{#b}}\n{{/a}}",
	    "t:3: mismatched close \"a\" for section \"b\" of line 2");
}

static void
test_err_mismatched_close(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "{{#a}}x{{/b}}",
	    "t:1: mismatched close \"b\" for section \"a\" of line 1");
	compile_fails(f, "{{#a}}{{#b}}\n{{/a}}{{/b}}",
	    "t:2: mismatched close \"a\" for section \"b\" of line 1");
	compile_fails(f, "text\n\n{{/a}}",
	    "t:3: close \"a\" without open section");
	compile_fails(f, "{{#a}}{{/a}}{{/a}}",
	    "t:1: close \"a\" without open section");
}

static void
test_err_bad_name(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "{{user-name}}", "t:1: bad name \"user-name\"");
	compile_fails(f, "{{a b}}", "t:1: bad name \"a b\"");
	compile_fails(f, "{{raw a.b}}", "t:1: bad name \"a.b\"");
	compile_fails(f, "{{#a/b}}{{/a/b}}", "t:1: bad name \"a/b\"");
	compile_fails(f, "{{^é}}{{/é}}", "t:1: bad name \"é\"");
	compile_fails(f, "\n{{>x y}}", "t:2: bad name \"x y\"");
	compile_fails(f, "{{#a}}{{/a!}}", "t:1: bad name \"a!\"");
	compile_fails(f, "{{a}b}}", "t:1: bad name \"a}b\"");
}

static void
test_err_missing_name(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "{{}}", "t:1: empty tag");
	compile_fails(f, "{{ \t\n }}", "t:1: empty tag");
	compile_fails(f, "{{#}}", "t:1: missing name after '#'");
	compile_fails(f, "{{^ }}", "t:1: missing name after '^'");
	compile_fails(f, "{{/}}", "t:1: missing name after '/'");
	compile_fails(f, "{{>}}", "t:1: missing name after '>'");
}

static void
test_err_unknown_tag(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "{{{name}}}", "t:1: unknown tag type '{'");
	compile_fails(f, "{{&name}}", "t:1: unknown tag type '&'");
	compile_fails(f, "\n\n{{=<% %>=}}", "t:3: unknown tag type '='");
	compile_fails(f, "{{<name}}", "t:1: unknown tag type '<'");
	compile_fails(f, "{{\001x}}", "t:1: unknown tag type '\\x01'");
}

static void
test_err_too_deep(void **state)
{
	struct fix	*f = *state;
	struct buf	 b;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 65; i++)
		buf_puts(&b, "{{#a}}");
	for (i = 0; i < 65; i++)
		buf_puts(&b, "{{/a}}");
	compile_fails(f, b.data, "t:1: sections nested too deeply");
	/* 64 levels are fine. */
	buf_reset(&b);
	for (i = 0; i < 64; i++)
		buf_puts(&b, "{{#a}}");
	buf_puts(&b, "x");
	for (i = 0; i < 64; i++)
		buf_puts(&b, "{{/a}}");
	html_set_bool(f->ctx, "a", 1);
	assert_string_equal(run(f, b.data), "x");
	buf_free(&b);
}

static void
test_err_line_numbers(void **state)
{
	struct fix	*f = *state;

	/* Newlines inside tags and comments count too. */
	compile_fails(f, "{{!\n\n}}\n{{ a\n}}\n{{%}}",
	    "t:6: unknown tag type '%'");
}

static void
test_err_template_name(void **state)
{
	struct fix	*f = *state;

	assert_int_equal(html_set_add(f->set, "bad-name", "x", f->err,
	    sizeof(f->err)), -1);
	assert_string_equal(f->err, "bad-name: bad template name");
	assert_int_equal(html_set_add(f->set, "", "x", f->err,
	    sizeof(f->err)), -1);
	assert_string_equal(f->err, ": bad template name");
	add(f, "dup", "one");
	assert_int_equal(html_set_add(f->set, "dup", "two", f->err,
	    sizeof(f->err)), -1);
	assert_string_equal(f->err, "dup: template already defined");
	assert_string_equal(render(f, "dup"), "one");
}

static void
test_err_small_buffer(void **state)
{
	struct fix	*f = *state;
	char		 small[6];

	assert_int_equal(html_set_add(f->set, "t", "{{", NULL, 0), -1);
	memset(small, 'z', sizeof(small));
	assert_int_equal(html_set_add(f->set, "t", "{{", small,
	    sizeof(small)), -1);
	assert_string_equal(small, "t:1: ");
}

/* Loading a directory. */

static char *
make_dir(void)
{
	const char	*tmp;
	char		*dir;

	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	dir = xmalloc(strlen(tmp) + 32);
	sprintf(dir, "%s/test_html.XXXXXX", tmp);
	if (mkdtemp(dir) == NULL)
		fail_msg("mkdtemp %s failed", dir);
	return dir;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char	 path[1024];
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		fail_msg("cannot create %s", path);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* Remove dir with its files and empty subdirectories. */
static void
remove_dir(char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 path[1024];

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			assert_int_equal(rmdir(path), 0);
		else
			assert_int_equal(unlink(path), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

/* html_set_load with stderr captured into msg. */
static struct html_set *
load_quiet(const char *dir, char *msg, size_t msgsz)
{
	struct html_set	*set;
	FILE		*tmp;
	size_t		 n;
	int		 saved;

	assert_non_null(tmp = tmpfile());
	fflush(stderr);
	assert_true((saved = dup(STDERR_FILENO)) != -1);
	assert_int_equal(dup2(fileno(tmp), STDERR_FILENO), STDERR_FILENO);
	set = html_set_load(dir);
	fflush(stderr);
	assert_int_equal(dup2(saved, STDERR_FILENO), STDERR_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(msg, 1, msgsz - 1, tmp);
	msg[n] = '\0';
	fclose(tmp);
	return set;
}

static void
test_load(void **state)
{
	struct fix	*f = *state;
	struct html_set	*set;
	char		*dir, path[1024], msg[512];

	dir = make_dir();
	write_file(dir, "page.html",
	    "<title>{{title}}</title>\n{{>header}}\n");
	write_file(dir, "header.html", "<h1>{{raw title}}</h1>");
	write_file(dir, "404.html", "not found");
	write_file(dir, "notes.txt", "{{ not a template");
	write_file(dir, "page.html.bak", "{{ not a template");
	write_file(dir, ".hidden.html", "{{ not a template");
	write_file(dir, ".html", "{{ not a template");
	snprintf(path, sizeof(path), "%s/sub.html", dir);
	assert_int_equal(mkdir(path, 0700), 0);

	set = load_quiet(dir, msg, sizeof(msg));
	assert_string_equal(msg, "");
	assert_non_null(set);
	html_set_str(f->ctx, "title", "A&B");
	buf_reset(&f->out);
	assert_int_equal(html_render(set, "page", f->ctx, &f->out), 0);
	assert_string_equal(f->out.data,
	    "<title>A&amp;B</title>\n<h1>A&B</h1>\n");
	buf_reset(&f->out);
	assert_int_equal(html_render(set, "404", NULL, &f->out), 0);
	assert_string_equal(f->out.data, "not found");
	assert_int_equal(html_render(set, "notes", NULL, &f->out), -1);
	assert_int_equal(html_render(set, "sub", NULL, &f->out), -1);
	assert_int_equal(html_render(set, "page.html", NULL, &f->out), -1);
	html_set_free(set);
	remove_dir(dir);
}

static void
test_load_missing_partial(void **state)
{
	char	*dir, want[1024], msg[1024];

	(void)state;
	dir = make_dir();
	write_file(dir, "a.html", "ok {{>b}}");
	write_file(dir, "b.html", "line 1\n{{#x}}\n{{>nope}}{{/x}}");
	assert_null(load_quiet(dir, msg, sizeof(msg)));
	snprintf(want, sizeof(want),
	    "html: %s/b.html:3: missing partial \"nope\"\n", dir);
	assert_string_equal(msg, want);
	remove_dir(dir);
}

static void
test_load_compile_error(void **state)
{
	char	*dir, want[1024], msg[1024];

	(void)state;
	dir = make_dir();
	write_file(dir, "good.html", "fine");
	write_file(dir, "bad.html", "a\nb\n{{#s}}\n{{/t}}\n");
	assert_null(load_quiet(dir, msg, sizeof(msg)));
	snprintf(want, sizeof(want), "html: %s/bad.html:4: mismatched "
	    "close \"t\" for section \"s\" of line 3\n", dir);
	assert_string_equal(msg, want);
	remove_dir(dir);
}

static void
test_load_bad_file_name(void **state)
{
	char	*dir, want[1024], msg[1024];

	(void)state;
	dir = make_dir();
	write_file(dir, "user-list.html", "x");
	assert_null(load_quiet(dir, msg, sizeof(msg)));
	snprintf(want, sizeof(want),
	    "html: %s/user-list.html: bad template name\n", dir);
	assert_string_equal(msg, want);
	remove_dir(dir);
}

static void
test_load_nul_byte(void **state)
{
	char	*dir, path[1024], want[1200], msg[1200];
	FILE	*fp;

	(void)state;
	dir = make_dir();
	snprintf(path, sizeof(path), "%s/z.html", dir);
	assert_non_null(fp = fopen(path, "w"));
	assert_int_equal(fwrite("a\0b", 1, 3, fp), 3);
	assert_int_equal(fclose(fp), 0);
	assert_null(load_quiet(dir, msg, sizeof(msg)));
	snprintf(want, sizeof(want), "html: %s: NUL byte in template\n",
	    path);
	assert_string_equal(msg, want);
	remove_dir(dir);
}

static void
test_load_no_dir(void **state)
{
	char	*dir, path[1024], msg[1024];

	(void)state;
	dir = make_dir();
	snprintf(path, sizeof(path), "%s/absent", dir);
	assert_null(load_quiet(path, msg, sizeof(msg)));
	assert_non_null(strstr(msg, path));
	assert_true(strncmp(msg, "html: ", 6) == 0);
	remove_dir(dir);
}

static void
test_load_empty_dir(void **state)
{
	struct fix	*f = *state;
	struct html_set	*set;
	char		*dir, msg[512];

	dir = make_dir();
	assert_non_null(set = load_quiet(dir, msg, sizeof(msg)));
	assert_string_equal(msg, "");
	assert_int_equal(html_render(set, "x", NULL, &f->out), -1);
	html_set_free(set);
	html_set_free(NULL);
	remove_dir(dir);
}

/* Russian plural forms: 1 21 101 ссылка, 2 3 4 22 ссылки, 0 5 11-14 25
 * 111 ссылок. */
static void
test_ru_plural(void **state)
{
	static const struct {
		long long	 n;
		const char	*want;
	} cases[] = {
		{ 0, "many" }, { 1, "one" }, { 2, "few" }, { 4, "few" },
		{ 5, "many" }, { 10, "many" }, { 11, "many" }, { 12, "many" },
		{ 14, "many" }, { 15, "many" }, { 21, "one" }, { 22, "few" },
		{ 25, "many" }, { 101, "one" }, { 111, "many" }, { 112, "many" },
		{ 1004, "few" }, { -1, "one" }, { -12, "many" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(ru_plural(cases[i].n, "one", "few", "many"),
		    cases[i].want);
}

/* The numbers the issue names, and the tens and hundreds around them. */
static void
test_ru_plural_issue(void **state)
{
	static const struct {
		long long	 n;
		const char	*want;
	} cases[] = {
		{ 0, "заявок" }, { 1, "заявка" }, { 2, "заявки" },
		{ 5, "заявок" }, { 11, "заявок" }, { 12, "заявок" },
		{ 14, "заявок" }, { 21, "заявка" }, { 22, "заявки" },
		{ 25, "заявок" }, { 111, "заявок" }, { 121, "заявка" },
		{ 1000000, "заявок" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(ru_plural(cases[i].n, "заявка", "заявки",
		    "заявок"), cases[i].want);
}

/* Sizes in bytes as a person reads them: binary units, tenths below 10
 * and 100 (rounded half up), whole numbers above. */
static void
test_ru_size_words(void **state)
{
	static const struct {
		long long	 n;
		const char	*want;
	} cases[] = {
		{ 0, "0 байт" }, { 1, "1 байт" }, { 3, "3 байта" },
		{ 830, "830 байт" }, { 1023, "1023 байта" }, { 1024, "1 КБ" },
		{ 1025, "2 КБ" }, { 100 * 1024, "100 КБ" },
		{ 1258291, "1,2 МБ" }, { 1 << 20, "1 МБ" },
		{ 500LL << 20, "500 МБ" }, { 20LL << 30, "20 ГБ" },
		{ 3LL << 29, "1,5 ГБ" },
	};
	char	 w[32];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(ru_size_words(w, sizeof(w), cases[i].n),
		    cases[i].want);
}

/* A woman's word for 'f', a man's for 'm' and for unknown. */
static void
test_ru_gender(void **state)
{
	(void)state;
	assert_string_equal(ru_gender("f", "его", "её"), "её");
	assert_string_equal(ru_gender("m", "его", "её"), "его");
	assert_string_equal(ru_gender(NULL, "его", "её"), "его");
	assert_string_equal(ru_gender("", "его", "её"), "его");
	assert_string_equal(ru_gender("ff", "его", "её"), "его");
}

/* {{plural name one|few|many}} from a number in the context. */
static void
test_plural_tag(void **state)
{
	static const struct {
		long long	 n;
		const char	*want;
	} cases[] = {
		{ 0, "0 новых заявок — рассмотрите" },
		{ 1, "1 новая заявка — рассмотрите" },
		{ 2, "2 новые заявки — рассмотрите" },
		{ 5, "5 новых заявок — рассмотрите" },
		{ 11, "11 новых заявок — рассмотрите" },
		{ 12, "12 новых заявок — рассмотрите" },
		{ 14, "14 новых заявок — рассмотрите" },
		{ 21, "21 новая заявка — рассмотрите" },
		{ 22, "22 новые заявки — рассмотрите" },
		{ 25, "25 новых заявок — рассмотрите" },
		{ 111, "111 новых заявок — рассмотрите" },
	};
	struct fix	*f = *state;
	size_t		 i;

	add(f, "p", "{{n}} {{ plural n новая заявка|новые заявки|"
	    "новых заявок }} — рассмотрите");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		html_set_int(f->ctx, "n", cases[i].n);
		assert_string_equal(render(f, "p"), cases[i].want);
	}
	/* Missing, empty or not a number: the many form. */
	html_set_str(f->ctx, "n", "");
	assert_string_equal(run(f, "{{plural n день|дня|дней}}"), "дней");
	html_set_bool(f->ctx, "n", 1);
	assert_string_equal(run(f, "{{plural n день|дня|дней}}"), "дней");
	assert_string_equal(run(f, "{{plural none день|дня|дней}}"), "дней");
	/* Looked up in parents, like any name; empty words are allowed;
	 * the words are template text (not escaped, as other text). */
	html_set_int(f->ctx, "n", 3);
	assert_string_equal(run(f, "{{#l}}{{plural n a|b&c|}}{{/l}}"), "");
	html_list_add(f->ctx, "l");
	assert_string_equal(run(f, "{{#l}}{{plural n a|b&c|}}{{/l}}"), "b&c");
	html_set_int(f->ctx, "n", 7);
	assert_string_equal(run(f, "[{{plural n a|b|}}]"), "[]");
	/* A variable called plural is still a variable. */
	html_set_str(f->ctx, "plural", "<x>");
	assert_string_equal(run(f, "{{plural}}"), "&lt;x&gt;");
}

/* {{gender name m|f}} from the account's gender. */
static void
test_gender_tag(void **state)
{
	struct fix	*f = *state;
	struct html_ctx	*item;

	add(f, "g", "{{name}} {{gender g подтвердил|подтвердила}}, что "
	    "{{gender g он|она}} ваш родитель");
	html_set_str(f->ctx, "name", "Иванова Ольга");
	html_set_str(f->ctx, "g", "f");
	assert_string_equal(render(f, "g"),
	    "Иванова Ольга подтвердила, что она ваш родитель");
	html_set_str(f->ctx, "name", "Иванов Олег");
	html_set_str(f->ctx, "g", "m");
	assert_string_equal(render(f, "g"),
	    "Иванов Олег подтвердил, что он ваш родитель");
	/* Unknown (an erased account): the masculine, as for
	 * «пользователь». */
	html_set_str(f->ctx, "g", "");
	assert_string_equal(render(f, "g"),
	    "Иванов Олег подтвердил, что он ваш родитель");
	/* Each item of a list by its own gender. */
	item = html_list_add(f->ctx, "people");
	html_set_str(item, "g", "f");
	item = html_list_add(f->ctx, "people");
	html_set_str(item, "g", "m");
	html_list_add(f->ctx, "people");
	html_set_str(f->ctx, "g", "f");
	assert_string_equal(run(f, "{{#people}}{{gender g ён|ена}} "
	    "{{/people}}"), "ена ён ена ");
}

static void
test_err_word_tags(void **state)
{
	struct fix	*f = *state;

	compile_fails(f, "{{plural n a|b}}",
	    "t:1: plural wants 3 words split by '|', not 2");
	compile_fails(f, "\n{{plural n a|b|c|d}}",
	    "t:2: plural wants 3 words split by '|', not 4");
	compile_fails(f, "{{gender g a}}",
	    "t:1: gender wants 2 words split by '|', not 1");
	compile_fails(f, "{{gender g a|b|c}}",
	    "t:1: gender wants 2 words split by '|', not 3");
	compile_fails(f, "{{plural n}}",
	    "t:1: plural wants a name and words: \"n\"");
	compile_fails(f, "{{plural -n a|b|c}}",
	    "t:1: plural wants a name and words: \"-n a|b|c\"");
	compile_fails(f, "{{gender g-x a|b}}",
	    "t:1: gender wants a name and words: \"g-x a|b\"");
}

#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_escape_each),
		T(test_escape_combined),
		T(test_escape_plain),
		T(test_escape_appends),
		T(test_var_escaped),
		T(test_raw),
		T(test_text),
		T(test_missing_var),
		T(test_values),
		T(test_overwrite),
		T(test_get_str),
		T(test_values_copied),
		T(test_value_ref),
		T(test_keys_same_hash),
		T(test_whitespace_in_tags),
		T(test_comment),
		T(test_list),
		T(test_nested_lists),
		T(test_parent_lookup),
		T(test_list_parent_is_owner),
		T(test_if),
		T(test_inverted),
		T(test_truthiness),
		T(test_list_init_keeps_items),
		T(test_nested_sections_same_name),
		T(test_partials),
		T(test_partial_missing_at_render),
		T(test_recursive_partial),
		T(test_partial_depth_limit),
		T(test_unknown_template),
		T(test_render_appends),
		T(test_err_unclosed_tag),
		T(test_err_unclosed_section),
		T(test_err_mismatched_close),
		T(test_err_bad_name),
		T(test_err_missing_name),
		T(test_err_unknown_tag),
		T(test_err_too_deep),
		T(test_err_line_numbers),
		T(test_err_template_name),
		T(test_err_small_buffer),
		T(test_load),
		T(test_load_missing_partial),
		T(test_load_compile_error),
		T(test_load_bad_file_name),
		T(test_load_nul_byte),
		T(test_load_no_dir),
		T(test_load_empty_dir),
		cmocka_unit_test(test_ru_plural),
		cmocka_unit_test(test_ru_plural_issue),
		cmocka_unit_test(test_ru_size_words),
		cmocka_unit_test(test_ru_gender),
		T(test_plural_tag),
		T(test_gender_tag),
		T(test_err_word_tags),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
