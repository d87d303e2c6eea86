/*
 * What one upload request may cost, and who waits for whom (issue 22,
 * QA after the upload pool):
 *
 * - A chat message with nine 49-megapixel photos converted for over a
 *   minute, nginx answered its English 504 and the message was posted
 *   anyway.  The photos of one request together are at most
 *   PARTA_CONVERT_BUDGET megapixels (150), read from their headers
 *   before anything converts: over it 422 next to the file field,
 *   naming the photos and the limit, nothing written (lib/file:
 *   file_screen).
 * - A photo over a quota was refused only after its conversion: now
 *   by its size as uploaded, before (the exact check stays under the
 *   locks).  Shown here by the person's conversion slot held
 *   (sql/0059): a request that reached the conversion would answer 429.
 * - A small PDF waited behind other people's photos, the upload
 *   workers all converting.  Photos convert only in one of the host's
 *   PARTA_CONVERT_SLOTS (2) turns (sql/0062), and at most
 *   PARTA_UPLOAD_WORKERS - 1 (5) requests of a program wait or convert:
 *   a further one is 429 at once, and a PDF meanwhile is taken.  Shown
 *   by completion order with the host's turns held by this test, never
 *   by time (nor by the number of workers).
 *
 * The defaults of the local stack are assumed (scripts/stack.sh).
 */
#include <curl/curl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

#define BUDGET		150	/* PARTA_CONVERT_BUDGET's default */
#define PHOTOS		8	/* more than PARTA_UPLOAD_WORKERS - 1 (5) */
#define USER_QUOTA	(500LL << 20)
#define ORG_QUOTA	(20LL << 30)

static long long	 org, cls, chat;
static struct t_person	 admin;

static void
world(void)
{
	if (org != 0)
		return;
	t_signup(&admin, "Границева", "Алла");
	T_TRUE((org = t_org_create(&admin, "Школа с пределами")) > 0);
	cls = t_class_add(org, 8, "Г", 0);
	T_TRUE((chat = t_chat_of(org, cls, "students")) > 0);
}

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

static long long
messages_of(const struct t_person *p)
{
	return t_ll(t_sql("SELECT count(*) FROM parta.message WHERE"
	    " author_id = %lld", p->id));
}

/* A PNG whose header says w x h pixels, and nothing to decode after it
 * (a broken image: never converted here, its header is what counts). */
static size_t
png_header(unsigned char *out, unsigned w, unsigned h)
{
	static const unsigned char tail[] = {
		/* IDAT of no data, IEND (CRCs not checked by anyone before
		 * the decoder) */
		0, 0, 0, 0, 'I', 'D', 'A', 'T', 0x35, 0xaf, 0x06, 0x1e,
		0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
	};
	size_t	 n = 0;

	memcpy(out, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
	n = 16;
	out[n++] = (unsigned char)(w >> 24);
	out[n++] = (unsigned char)(w >> 16);
	out[n++] = (unsigned char)(w >> 8);
	out[n++] = (unsigned char)w;
	out[n++] = (unsigned char)(h >> 24);
	out[n++] = (unsigned char)(h >> 16);
	out[n++] = (unsigned char)(h >> 8);
	out[n++] = (unsigned char)h;
	memcpy(out + n, "\x08\x02\0\0\0\0\0\0\0", 9);	/* + a CRC */
	n += 9;
	memcpy(out + n, tail, sizeof(tail));
	return n + sizeof(tail);
}

/* The fixture photo (tests/http/files/photo.jpg), malloc'd. */
static char *
small_photo(size_t *len)
{
	char	*jpg;

	T_TRUE((jpg = t_fixture_file("photo.jpg", len)) != NULL);
	return jpg;
}

/* n photos of 7000 x 7000 (49 MP) in one chat message. */
static long
post_big(struct t_person *p, int n)
{
	unsigned char	 png[128];
	size_t		 len = png_header(png, 7000, 7000);
	struct t_mp	 m = { 0 };
	int		 i;

	T_TRUE(t_form(&p->c, t_fmt("/chats/%lld", chat)) != NULL);
	t_mp_field(&m, "csrf", p->c.csrf);
	t_mp_field(&m, "text", "Все страницы учебника");
	for (i = 0; i < n; i++)
		t_mp_file(&m, "file", t_fmt("страница%d.png", i + 1),
		    "image/png", png, len);
	return t_mp_post(&p->c, t_fmt("/chats/%lld/messages", chat), &m);
}

static void
test_budget(void)
{
	struct t_person	 s;
	long		 before;

	world();
	student(&s, "Фотолюбова", "Ксения");
	before = t_stored_count();
	/* 4 x 49 = 196 MP: refused before anything converts. */
	T_EQ(post_big(&s, 4), 422);
	T_HAS(&s.c, "196 мегапикселей");
	T_HAS(&s.c, t_fmt("не больше %d мегапикселей", BUDGET));
	T_HAS(&s.c, "«страница1.png», «страница2.png», «страница3.png», "
	    "«страница4.png»");
	T_HAS(&s.c, "Ничего не отправлено");
	T_HAS(&s.c, "id=\"file_error\"");
	/* The text kept, nothing written. */
	T_HAS(&s.c, "Все страницы учебника");
	T_EQ(messages_of(&s), 0);
	T_EQ(files_of(&s), 0);
	T_EQ(t_stored_count(), before);

	/* 3 x 49 = 147 MP is within it: converted (and these, broken,
	 * refused as unreadable). */
	T_EQ(post_big(&s, 3), 422);
	T_HAS(&s.c, "Изображение не открывается");
	T_EQ(messages_of(&s), 0);

	/* /me/files: the same budget. */
	{
		unsigned char	 png[128];
		size_t		 len = png_header(png, 9000, 5000);
		struct t_mp	 m = { 0 };
		int		 i;

		T_TRUE(t_form(&s.c, "/me/files") != NULL);
		t_mp_field(&m, "csrf", s.c.csrf);
		for (i = 0; i < 4; i++)
			t_mp_file(&m, "file", t_fmt("скан%d.png", i),
			    "image/png", png, len);
		T_EQ(t_mp_post(&s.c, "/me/files", &m), 422);
		T_HAS(&s.c, "180 мегапикселей");
		T_HAS(&s.c, "«скан3.png»");
		T_EQ(files_of(&s), 0);
	}
	T_EQ(t_stored_count(), before);
}

/* The person's conversion slot held by this test's connection: a photo
 * that reached its conversion would be 429. */
static void
slot_hold(const struct t_person *p, int on)
{
	T_STREQ(t_sql("SELECT pg_advisory_%s(hashtextextended("
	    "'parta.file_convert:' || %lld, 0))::text", on ? "lock" :
	    "unlock", p->id), on ? "" : "true");
}

static void
test_quota_before_converting(void)
{
	struct t_person	 s, s2, a;
	struct t_mp	 m = { 0 };
	long long	 org2, cls2, chat2;
	size_t		 len;
	char		*jpg;
	long		 before;

	world();
	jpg = small_photo(&len);
	student(&s, "Запасливая", "Варя");
	/* Her storage full but for 100 bytes. */
	T_TRUE(t_sql("INSERT INTO parta.file (owner_id, store_key, name,"
	    " type, size) VALUES (%lld, 'fill-user-%lld', 'заполнитель.pdf',"
	    " 'application/pdf', %lld)", s.id, s.id, USER_QUOTA - 100) !=
	    NULL);
	before = t_stored_count();
	slot_hold(&s, 1);
	T_TRUE(t_form(&s.c, "/me/files") != NULL);
	t_mp_field(&m, "csrf", s.c.csrf);
	t_mp_file(&m, "file", "доска.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&s.c, "/me/files", &m), 413);
	T_HAS(&s.c, "«доска.jpg»: Не хватает места: нужно ");
	T_HAS(&s.c, "в вашем хранилище осталось 100 байт");
	T_EQ(files_of(&s), 1);
	/* Two texts that fit one by one but not together: both named. */
	{
		static const char	 text[] = "Домашнее задание на "
		    "понедельник: упражнения 1-5";

		T_TRUE(t_form(&s.c, "/me/files") != NULL);
		memset(&m, 0, sizeof(m));
		t_mp_field(&m, "csrf", s.c.csrf);
		t_mp_file(&m, "file", "первое.txt", "text/plain", text,
		    sizeof(text) - 1);
		t_mp_file(&m, "file", "второе.txt", "text/plain", text,
		    sizeof(text) - 1);
		T_EQ(t_mp_post(&s.c, "/me/files", &m), 413);
		T_HAS(&s.c, "«первое.txt» и «второе.txt»: Не хватает места: "
		    "нужно ");
		T_EQ(files_of(&s), 1);
	}

	/* A chat message with the photo: the same, the text kept. */
	T_TRUE(t_form(&s.c, t_fmt("/chats/%lld", chat)) != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", s.c.csrf);
	t_mp_field(&m, "text", "Вот доска");
	t_mp_file(&m, "file", "доска.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&s.c, t_fmt("/chats/%lld/messages", chat), &m), 413);
	T_HAS(&s.c, "«доска.jpg»: Не хватает места: нужно ");
	T_HAS(&s.c, "осталось 100 байт");
	T_HAS(&s.c, "Вот доска");
	T_EQ(messages_of(&s), 0);
	slot_hold(&s, 0);
	T_EQ(t_stored_count(), before);

	/* A school whose space is full but for 100 bytes: a student's
	 * photo in its chat is refused before converting too. */
	t_signup(&a, "Тесноватова", "Рита");
	T_TRUE((org2 = t_org_create(&a, "Школа без места")) > 0);
	cls2 = t_class_add(org2, 5, "А", 0);
	T_TRUE((chat2 = t_chat_of(org2, cls2, "students")) > 0);
	T_TRUE(t_sql("INSERT INTO parta.file (owner_id, org_id, store_key,"
	    " name, type, size, in_storage) VALUES (NULL, %lld,"
	    " 'fill-org-%lld', 'архив.zip', 'application/zip', %lld,"
	    " false)", org2, org2, ORG_QUOTA - 100) != NULL);
	t_person_new(&s2, "Вторая", "Лиза", org2, "student");
	t_class_member_add(org2, cls2, s2.id, "student");
	slot_hold(&s2, 1);
	T_TRUE(t_form(&s2.c, t_fmt("/chats/%lld", chat2)) != NULL);
	memset(&m, 0, sizeof(m));
	t_mp_field(&m, "csrf", s2.c.csrf);
	t_mp_field(&m, "text", "Фото");
	t_mp_file(&m, "file", "доска.jpg", "image/jpeg", jpg, len);
	T_EQ(t_mp_post(&s2.c, t_fmt("/chats/%lld/messages", chat2), &m), 413);
	T_HAS(&s2.c, "«доска.jpg»: Не хватает места: нужно ");
	T_HAS(&s2.c, "у школы для файлов осталось 100 байт");
	T_HAS(&s2.c, "Скажите об этом администратору школы");
	T_EQ(messages_of(&s2), 0);
	slot_hold(&s2, 0);
	T_EQ(t_stored_count(), before);
	free(jpg);
}

/*
 * The race: the host's conversion turns held by the controller
 * (thread 0, its own connection), PHOTOS photo uploads to /me/files by
 * people of their own, and a PDF by another.  As many photos as the
 * program lets in wait, the others are refused at once; the PDF is
 * taken meanwhile.  Once the PDF and the refusals have come back and
 * the others are seen waiting (in parta.file_convert_turn), the
 * controller lets the turns go and the waiting photos are taken.
 */
struct turn_race {
	struct t_person	 up[PHOTOS], pdf;
	char		*jpg;
	size_t		 len;
	long		 st[PHOTOS + 1];
	int		 done[PHOTOS + 1];
	atomic_int	 seq, held, refused, pdf_done;
};

static long
race_post(struct t_client *c, const char *name, const char *type,
    const void *data, size_t len)
{
	struct t_mp	 m = { 0 };

	t_mp_field(&m, "csrf", c->csrf);
	t_mp_file(&m, "file", name, type, data, len);
	return t_mp_post(c, "/me/files", &m);
}

static void
turn_one(int i, void *arg)
{
	struct turn_race	*r = arg;

	if (i == 0) {
		t_convert_hold(1);
		atomic_store(&r->held, 1);
		/* Until the PDF and the refused photos are back and the
		 * others wait (or, were the turns not kept, everything
		 * is back): nothing is timed, what came back first is the
		 * order. */
		while (atomic_load(&r->seq) < PHOTOS + 1 &&
		    !(atomic_load(&r->pdf_done) && atomic_load(&r->refused) +
		    t_convert_entered("files") == PHOTOS))
			usleep(50 * 1000);
		t_convert_hold(0);
		return;
	}
	while (!atomic_load(&r->held))
		usleep(10 * 1000);
	i--;
	if (i < PHOTOS)
		r->st[i] = race_post(&r->up[i].c, "доска.jpg", "image/jpeg",
		    r->jpg, r->len);
	else {
		/* Only so that the photos have reached their workers
		 * first: nothing here is measured. */
		usleep(700 * 1000);
		r->st[i] = race_post(&r->pdf.c, "план.pdf", "application/pdf",
		    "%PDF-1.4\n%%EOF\n", strlen("%PDF-1.4\n%%EOF\n"));
	}
	r->done[i] = atomic_fetch_add(&r->seq, 1) + 1;
	if (i == PHOTOS)
		atomic_store(&r->pdf_done, 1);
	else if (r->st[i] != 303)
		atomic_fetch_add(&r->refused, 1);
}

static void
test_pdf_not_behind_photos(void)
{
	static struct turn_race	 r;
	static const char *const names[] = { "Ира", "Лена", "Катя", "Аня",
	    "Юля", "Вика", "Зина", "Галя" };
	int			 i, busy = -1, waited = 0, first = 0,
				 last_busy = 0;

	world();
	memset(&r, 0, sizeof(r));
	r.jpg = small_photo(&r.len);
	for (i = 0; i < PHOTOS; i++) {
		student(&r.up[i], "Очередная", names[i]);
		curl_easy_setopt(r.up[i].c.curl, CURLOPT_TIMEOUT, 180L);
		T_TRUE(t_form(&r.up[i].c, "/me/files") != NULL);
	}
	student(&r.pdf, "Быстрая", "Оля");
	T_TRUE(t_form(&r.pdf.c, "/me/files") != NULL);

	t_parallel(PHOTOS + 2, turn_one, &r);
	printf("# completion order:");
	for (i = 0; i <= PHOTOS; i++)
		printf(" %s%d=%d(%ld)", i < PHOTOS ? "photo" : "pdf", i,
		    r.done[i], r.st[i]);
	printf("\n");
	/* Some photos refused at once, the words saying when to retry;
	 * the others taken once the turns were free. */
	for (i = 0; i < PHOTOS; i++) {
		if (r.st[i] == 429) {
			busy = i;
			T_EQ(files_of(&r.up[i]), 0);
			if (r.done[i] > last_busy)
				last_busy = r.done[i];
			continue;
		}
		T_EQ(r.st[i], 303);
		T_EQ(files_of(&r.up[i]), 1);
		waited++;
		if (first == 0 || r.done[i] < first)
			first = r.done[i];
	}
	printf("# %d photos waited, %d refused\n", waited, PHOTOS - waited);
	T_TRUE(busy >= 0);
	T_TRUE(waited >= 1);
	T_HAS(&r.up[busy].c, "обрабатывает фото других людей");
	T_HAS(&r.up[busy].c, "примерно через 10 секунд");
	T_TRUE(t_header(&r.up[busy].c, "Retry-After") != NULL);
	/* The PDF taken, and before any photo. */
	T_EQ(r.st[PHOTOS], 303);
	T_EQ(files_of(&r.pdf), 1);
	T_TRUE(r.done[PHOTOS] < first);
	T_TRUE(last_busy < first);
	for (i = 0; i < PHOTOS; i++)
		t_client_free(&r.up[i].c);
	t_client_free(&r.pdf.c);
	free(r.jpg);
}

int
main(void)
{
	static const struct t_case cases[] = {
		{ "photos over the budget of one request: 422, nothing kept",
		    test_budget },
		{ "a photo over a quota refused before converting",
		    test_quota_before_converting },
		{ "a PDF is taken while photos wait for the host's turns",
		    test_pdf_not_behind_photos },
	};

	return t_run(cases, sizeof(cases) / sizeof(cases[0]));
}
