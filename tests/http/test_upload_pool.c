/*
 * Slow uploads and everyone else's pages (issue 22, QA: six photo
 * uploads made another person's GET /files/ID wait 34 s).  A photo is
 * re-encoded by libvips for seconds (lib/file_image.c); requests with a
 * multipart body go to a pool of workers of their own (nginx's
 * $parta_pool: PROGRAM-upload.sock, scripts/stack.sh, systemd
 * parta-upload@.socket), so while the upload workers are all busy
 * converting, another person's file and chat page are answered at
 * once.  Shown with the host's conversion turns held by this test
 * (sql/0062), so that the uploads wait in their workers for as long as
 * the test needs, whatever the machine's speed: never by how long
 * anything takes (speed is make bench's).  And one person converts
 * one photo at a time (parta.file_convert_slot, sql/0059): a second
 * upload of theirs meanwhile is 429 saying to wait for the first, with
 * Retry-After, and keeps nothing; another person is not refused; one
 * message with several photos converts them in turn.
 */
#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

/* Photo uploads at once, per program (files, chat): more than
 * its page workers (PARTA_WORKERS, 2), so that without a pool of their
 * own they would hold every worker and the queue; fewer than the upload
 * workers that may wait for a turn to convert (PARTA_UPLOAD_WORKERS 6,
 * less one: sql/0062), so that none is refused. */
#define UPLOADS	3

static long long	 org, cls, chat;
static struct t_person	 admin;

/* The fixture photo (tests/http/files/photo.jpg), malloc'd. */
static char *
small_photo(size_t *len)
{
	char	*jpg;

	T_TRUE((jpg = t_fixture_file("photo.jpg", len)) != NULL);
	return jpg;
}

/* A school with a class and its students' chat. */
static void
world(void)
{
	if (org != 0)
		return;
	t_signup(&admin, "Фотоучётова", "Вера");
	T_TRUE((org = t_org_create(&admin, "Школа больших фото")) > 0);
	cls = t_class_add(org, 7, "В", 0);
	T_TRUE((chat = t_chat_of(org, cls, "students")) > 0);
}

/* p, a student of the class (so in its chat). */
static void
student(struct t_person *p, const char *last, const char *first)
{
	t_person_new(p, last, first, org, "student");
	t_class_member_add(org, cls, p->id, "student");
}

static long long
files_of(const struct t_person *p)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.file WHERE owner_id ="
	    " %lld", p->id));
}

/* The uploads of a race may all convert at once on a busy machine (as
 * plain CGI, each in a process of its own): they may take longer than
 * the harness's 30 s.  Nothing is timed. */
static void
patient(struct t_client *c)
{
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 180L);
}

/* Post the fixture photo n times with cl, its form opened already (csrf):
 * to /me/files (chat 0) or as one message in chat. */
static long
post_photo(struct t_client *cl, long long to_chat, int n)
{
	static char	*photo;
	static size_t	 photo_len;
	struct t_mp	 m = { 0 };
	int		 i;

	if (photo == NULL)
		photo = small_photo(&photo_len);

	t_mp_field(&m, "csrf", cl->csrf);
	if (to_chat != 0)
		t_mp_field(&m, "text", "Фото доски");
	for (i = 0; i < n; i++)
		t_mp_file(&m, "file", t_fmt("доска%d.png", i), "image/png",
		    photo, photo_len);
	return t_mp_post(cl, to_chat != 0 ? t_fmt("/chats/%lld/messages",
	    to_chat) : "/me/files", &m);
}

/*
 * The race: UPLOADS photos to /me/files and UPLOADS photo messages to
 * the chat, each by a person of their own, held in their workers: this
 * test's connection holds every conversion turn of the host (sql/0062),
 * so each upload waits for one in its worker, as it would behind other
 * people's conversions.  Once all of them are seen waiting
 * (t_convert_entered), another person opens their own file and the
 * chat's page, another writes in the chat, and the administrator
 * publishes an article (a row of the school: the photos' quota lock of
 * the school's row is taken after they are converted, and may not be
 * held meanwhile).  The turns are let go only when those four are back
 * (or an upload came back on its own, which fails the test): nothing is
 * timed.  Without a pool of their own the uploads would hold both page
 * workers of each program, a third queued, and the four would wait.
 */
#define OTHERS	4
struct pool_race {
	struct t_person	 up[2 * UPLOADS], reader, writer;
	struct t_client	 reader2;
	long long	 file, in_files, in_chat;
	long		 st[2 * UPLOADS + OTHERS];
	int		 done[2 * UPLOADS + OTHERS];
	atomic_int	 seq, held, go, uploads_back, others_back;
};

/* The controller (i 0): the turns held, the others let go once the
 * uploads are in, the turns let go once the others are back. */
static void
pool_control(struct pool_race *r)
{
	t_convert_hold(1);
	atomic_store(&r->held, 1);
	while (atomic_load(&r->uploads_back) == 0 &&
	    (t_convert_entered("files") < UPLOADS ||
	    t_convert_entered("chat") < UPLOADS))
		usleep(20 * 1000);
	atomic_store(&r->go, 1);
	while (atomic_load(&r->uploads_back) == 0 &&
	    atomic_load(&r->others_back) < OTHERS)
		usleep(20 * 1000);
	r->in_files = t_convert_entered("files");
	r->in_chat = t_convert_entered("chat");
	t_convert_hold(0);
}

static void
pool_one(int i, void *arg)
{
	struct pool_race	*r = arg;
	long			 st;

	if (i-- == 0) {
		pool_control(r);
		return;
	}
	if (i < 2 * UPLOADS) {
		while (!atomic_load(&r->held))
			usleep(10 * 1000);
		st = post_photo(&r->up[i].c, i < UPLOADS ? 0 : chat, 1);
	} else {
		while (!atomic_load(&r->go))
			usleep(10 * 1000);
		st = i == 2 * UPLOADS ? t_get(&r->reader.c,
		    t_fmt("/files/%lld", r->file)) :
		    i == 2 * UPLOADS + 1 ? t_chat_get(&r->reader2, chat) :
		    i == 2 * UPLOADS + 2 ? t_postf(&r->writer.c,
		    t_fmt("/chats/%lld/messages", chat), "text=%s",
		    t_enc("Я уже дома")) : t_postf(&admin.c,
		    t_fmt("/org/%lld/materials/new", org), "kind=article"
		    "&title=%s&audience=all&body=%s", t_enc("Расписание"),
		    t_enc("Уроки с 8:30."));
	}
	r->done[i] = atomic_fetch_add(&r->seq, 1) + 1;
	r->st[i] = st;
	atomic_fetch_add(i < 2 * UPLOADS ? &r->uploads_back :
	    &r->others_back, 1);
}

static void
test_pages_not_held(void)
{
	static struct pool_race	 r;
	static const char *const names[] = { "Ира", "Лена", "Катя", "Аня",
	    "Юля", "Вика", "Зина", "Галя" };
	int			 i, first = 0;

	world();
	memset(&r, 0, sizeof(r));
	for (i = 0; i < 2 * UPLOADS; i++) {
		student(&r.up[i], "Загрузчикова", names[i]);
		patient(&r.up[i].c);
		T_TRUE(t_form(&r.up[i].c, i < UPLOADS ? "/me/files" :
		    t_fmt("/chats/%lld", chat)) != NULL);
	}
	student(&r.reader, "Смотрящая", "Оля");
	student(&r.writer, "Пишущая", "Тоня");
	T_TRUE(t_form(&r.writer.c, t_fmt("/chats/%lld", chat)) != NULL);
	T_TRUE(t_form(&admin.c, t_fmt("/org/%lld/materials/new", org)) !=
	    NULL);
	T_EQ(t_clients_of(&r.reader, &r.reader2, 1), 0);
	{
		struct t_mp	 m = { 0 };

		T_TRUE(t_form(&r.reader.c, "/me/files") != NULL);
		t_mp_field(&m, "csrf", r.reader.c.csrf);
		t_mp_file(&m, "file", "конспект.txt", "text/plain",
		    "Конспект урока\n", strlen("Конспект урока\n"));
		T_EQ(t_mp_post(&r.reader.c, "/me/files", &m), 303);
	}
	r.file = t_ll(t_sql("SELECT max(id) FROM parta.file WHERE owner_id"
	    " = %lld", r.reader.id));
	T_TRUE(r.file > 0);

	t_parallel(1 + 2 * UPLOADS + OTHERS, pool_one, &r);
	printf("# in when the others were back: files %lld, chat %lld;"
	    " completion order:", r.in_files, r.in_chat);
	for (i = 0; i < 2 * UPLOADS + OTHERS; i++)
		printf(" %s%d=%d(%ld)", i < UPLOADS ? "files" : i < 2 *
		    UPLOADS ? "chat" : i == 2 * UPLOADS ? "GET /files/" :
		    i == 2 * UPLOADS + 1 ? "GET /chats/" : i == 2 * UPLOADS +
		    2 ? "POST text " : "POST article ", i, r.done[i], r.st[i]);
	printf("\n");
	/* Every upload waited in its worker while the others were
	 * answered... */
	T_EQ(r.in_files, UPLOADS);
	T_EQ(r.in_chat, UPLOADS);
	T_EQ(r.st[2 * UPLOADS], 200);
	T_EQ(r.st[2 * UPLOADS + 1], 200);
	T_HAS(&r.reader2, "Класс 7В");
	T_EQ(r.st[2 * UPLOADS + 2], 303);
	T_EQ(r.st[2 * UPLOADS + 3], 303);
	/* ...and was taken once the turns were free. */
	for (i = 0; i < 2 * UPLOADS; i++) {
		T_EQ(r.st[i], 303);
		T_EQ(files_of(&r.up[i]), 1);
		if (first == 0 || r.done[i] < first)
			first = r.done[i];
	}
	for (i = 2 * UPLOADS; i < 2 * UPLOADS + OTHERS; i++)
		T_TRUE(r.done[i] < first);
	for (i = 0; i < 2 * UPLOADS; i++)
		t_client_free(&r.up[i].c);
	t_client_free(&r.reader.c);
	t_client_free(&r.reader2);
	t_client_free(&r.writer.c);
}

/*
 * One person's two uploads (two clients of theirs) and another
 * person's photo message.  The host's turns held by this test, the
 * person's first upload is seen waiting for one (its person's slot
 * held, sql/0059); their second is then 429 at once, keeping nothing;
 * the other person's waits too, not refused.  The turns let go, both
 * waiting are taken.
 */
struct limit_race {
	struct t_client	 c[2];
	struct t_person	 other;
	long		 st[3];
	char		 retry[3][32];
	atomic_int	 held, first_in, second_back, back;
};

static void
limit_one(int i, void *arg)
{
	struct limit_race	*r = arg;
	struct t_client		*c;
	const char		*ra;

	if (i-- == 0) {
		t_convert_hold(1);
		atomic_store(&r->held, 1);
		while (atomic_load(&r->back) == 0 &&
		    (t_convert_entered("files") < 1 ||
		    t_convert_entered("chat") < 1))
			usleep(20 * 1000);
		atomic_store(&r->first_in, 1);
		/* The second back (429 at once), or both others (were
		 * they not held: a fault the checks name). */
		while (!atomic_load(&r->second_back) &&
		    atomic_load(&r->back) < 2)
			usleep(20 * 1000);
		t_convert_hold(0);
		return;
	}
	while (!atomic_load(i == 1 ? &r->first_in : &r->held))
		usleep(10 * 1000);
	c = i < 2 ? &r->c[i] : &r->other.c;
	r->st[i] = post_photo(c, i < 2 ? 0 : chat, 1);
	ra = t_header(c, "Retry-After");
	snprintf(r->retry[i], sizeof(r->retry[i]), "%s", ra != NULL ? ra :
	    "");
	if (i == 1)
		atomic_store(&r->second_back, 1);
	else
		atomic_fetch_add(&r->back, 1);
}

static void
test_one_at_a_time(void)
{
	static struct limit_race	 r;
	struct t_person			 p;
	long				 before;

	world();
	memset(&r, 0, sizeof(r));
	student(&p, "Торопыгина", "Маша");
	student(&r.other, "Терпеливая", "Даша");
	T_EQ(t_clients_of(&p, r.c, 2), 0);
	patient(&r.c[0]);
	patient(&r.c[1]);
	patient(&r.other.c);
	T_TRUE(t_form(&r.c[0], "/me/files") != NULL);
	T_TRUE(t_form(&r.c[1], "/me/files") != NULL);
	T_TRUE(t_form(&r.other.c, t_fmt("/chats/%lld", chat)) != NULL);
	before = t_stored_count();
	t_parallel(4, limit_one, &r);
	printf("# statuses %ld %ld, the other person's %ld\n", r.st[0],
	    r.st[1], r.st[2]);
	T_EQ(r.st[0], 303);
	T_EQ(r.st[1], 429);
	T_HAS(&r.c[1], "обрабатывается предыдущий");
	T_HAS(&r.c[1], "name=\"file\"");
	T_TRUE(atoi(r.retry[1]) > 0);
	/* Kept: one photo (and its preview); nothing of the refused one. */
	T_EQ(files_of(&p), 1);
	/* Not refused: the other person, at the same time. */
	T_EQ(r.st[2], 303);
	T_EQ(files_of(&r.other), 1);
	T_EQ(t_stored_count(), before + 4);

	/* Afterwards the same person's next photo is taken. */
	T_TRUE(t_form(&r.c[0], "/me/files") != NULL);
	T_EQ(post_photo(&r.c[0], 0, 1), 303);
	T_EQ(files_of(&p), 2);
	t_client_free(&r.c[0]);
	t_client_free(&r.c[1]);
	t_client_free(&r.other.c);
}

/* A teacher's one message with two photos: converted in turn, kept. */
static void
test_one_message_many_photos(void)
{
	struct t_person	 t;
	size_t		 len;
	char		*jpg;
	struct t_mp	 m = { 0 };

	world();
	t_person_new(&t, "Учителева", "Нина", org, "teacher");
	t_class_member_add(org, cls, t.id, "teacher");
	jpg = small_photo(&len);
	T_TRUE(t_form(&t.c, t_fmt("/chats/%lld", chat)) != NULL);
	t_mp_field(&m, "csrf", t.c.csrf);
	t_mp_field(&m, "text", "Задание на дом");
	t_mp_file(&m, "file", "стр1.jpg", "image/jpeg", jpg, len);
	t_mp_file(&m, "file", "стр2.jpg", "image/jpeg", jpg, len);
	t_mp_file(&m, "file", "стр3.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&t.c, t_fmt("/chats/%lld/messages", chat), &m), 303);
	T_EQ(files_of(&t), 3);
	free(jpg);
}

/* The person's conversion slot held (as an upload of theirs converting
 * holds it), by this test's own connection: every route that takes a
 * photo answers 429 with the form, the words and Retry-After, keeping
 * nothing and the values typed; a PDF (nothing to convert) is taken;
 * released, the photo is taken. */
static void
test_each_route_while_converting(void)
{
	struct t_person	 t;
	struct t_mp	 m = { 0 };
	size_t		 len;
	char		*jpg;
	long		 before;

	world();
	t_person_new(&t, "Занятова", "Инна", org, "teacher");
	t_class_member_add(org, cls, t.id, "teacher");
	jpg = small_photo(&len);
	before = t_stored_count();
	T_TRUE(t_sql("SELECT pg_advisory_lock(hashtextextended("
	    "'parta.file_convert:' || %lld, 0))", t.id) != NULL);

	/* A material: the form again, the title kept, the words by the
	 * file. */
	T_TRUE(t_form(&t.c, t_fmt("/org/%lld/materials/new", org)) != NULL);
	t_mp_field(&m, "csrf", t.c.csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", "Схема опыта");
	t_mp_field(&m, "audience", "class");
	t_mp_field(&m, "class_id", t_fmt("%lld", cls));
	t_mp_file(&m, "file", "схема.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&t.c, t_fmt("/org/%lld/materials/new", org), &m), 429);
	T_HAS(&t.c, "обрабатывается предыдущий");
	T_HAS(&t.c, "id=\"file_error\"");
	T_HAS(&t.c, "value=\"Схема опыта\"");
	T_TRUE(t_header(&t.c, "Retry-After") != NULL &&
	    atoi(t_header(&t.c, "Retry-After")) > 0);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.material WHERE"
	    " author_id = %lld", t.id)), 0);

	/* A chat message: the chat page, the text kept, nothing posted. */
	T_TRUE(t_form(&t.c, t_fmt("/chats/%lld", chat)) != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", t.c.csrf);
	t_mp_field(&m, "text", "Схема к уроку");
	t_mp_file(&m, "file", "схема.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&t.c, t_fmt("/chats/%lld/messages", chat), &m), 429);
	T_HAS(&t.c, "обрабатывается предыдущий");
	T_HAS(&t.c, "Схема к уроку");
	T_TRUE(t_header(&t.c, "Retry-After") != NULL);
	T_EQ(t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " author_id = %lld", t.id)), 0);

	/* My files: the page with the words. */
	T_TRUE(t_form(&t.c, "/me/files") != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", t.c.csrf);
	t_mp_file(&m, "file", "схема.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&t.c, "/me/files", &m), 429);
	T_HAS(&t.c, "«схема.jpg»: Подождите");
	T_TRUE(t_header(&t.c, "Retry-After") != NULL);
	T_EQ(files_of(&t), 0);
	T_EQ(t_stored_count(), before);

	/* A PDF converts nothing: taken meanwhile. */
	T_TRUE(t_form(&t.c, "/me/files") != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", t.c.csrf);
	t_mp_file(&m, "file", "план.pdf", "application/pdf",
	    "%PDF-1.4\n%%EOF\n", strlen("%PDF-1.4\n%%EOF\n"));
	T_EQ(t_mp_post(&t.c, "/me/files", &m), 303);
	T_EQ(files_of(&t), 1);

	T_STREQ(t_sql("SELECT pg_advisory_unlock(hashtextextended("
	    "'parta.file_convert:' || %lld, 0))", t.id), "t");
	T_TRUE(t_form(&t.c, t_fmt("/org/%lld/materials/new", org)) != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", t.c.csrf);
	t_mp_field(&m, "kind", "document");
	t_mp_field(&m, "title", "Схема опыта");
	t_mp_field(&m, "audience", "class");
	t_mp_field(&m, "class_id", t_fmt("%lld", cls));
	t_mp_file(&m, "file", "схема.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&t.c, t_fmt("/org/%lld/materials/new", org), &m), 303);
	free(jpg);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "uploads waiting to convert hold no worker of the pages",
		    test_pages_not_held },
		{ "one conversion per person at once: the second 429",
		    test_one_at_a_time },
		{ "one message with three photos: converted in turn",
		    test_one_message_many_photos },
		{ "while a photo converts: 429 on every route, a PDF taken",
		    test_each_route_while_converting },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
