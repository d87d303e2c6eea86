#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "db.h"
#include "log.h"
#include "outbox.h"

static const struct db_stmt q_outbox_insert = {
	"outbox_insert",
	"INSERT INTO parta.outbox (kind, recipient, body) VALUES ($1, $2, $3)"
};

/* Take a batch: marked sent first, so two workers never send one twice. */
static const struct db_stmt q_outbox_take = {
	"outbox_take",
	"UPDATE parta.outbox SET sent_at = now() WHERE id IN"
	" (SELECT id FROM parta.outbox WHERE sent_at IS NULL ORDER BY id"
	"  LIMIT 50 FOR UPDATE SKIP LOCKED)"
	" RETURNING id, kind, recipient, body"
};

/* Whether this process queued something since the last flush. */
static int	outbox_pending;

int
outbox_queue(const char *kind, const char *to, const char *text)
{
	PGresult	*res;

	res = db_exec(&q_outbox_insert, PGRES_COMMAND_OK, kind, to, text);
	if (res == NULL)
		return -1;
	outbox_pending = 1;
	return 0;
}

static int
outbox_write_all(int fd, const char *p, size_t n)
{
	ssize_t	 k;

	while (n > 0) {
		if ((k = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void
outbox_to_file(const char *id, const char *kind, const char *to,
    const char *body)
{
	char	 tmp[4096], path[4096];
	int	 fd;

	/* Written under a temporary name and renamed: readers never see
	 * half a message. */
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", config->outbox_dir, id);
	snprintf(path, sizeof(path), "%s/%012lld-%s.txt", config->outbox_dir,
	    strtoll(id, NULL, 10), kind);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600)) == -1) {
		log_err("outbox", "%s: %s", tmp, strerror(errno));
		return;
	}
	if (outbox_write_all(fd, to, strlen(to)) == -1 ||
	    outbox_write_all(fd, "\n", 1) == -1 ||
	    outbox_write_all(fd, body, strlen(body)) == -1 ||
	    outbox_write_all(fd, "\n", 1) == -1 || close(fd) == -1) {
		log_err("outbox", "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return;
	}
	if (rename(tmp, path) == -1) {
		log_err("outbox", "%s: %s", path, strerror(errno));
		unlink(tmp);
	}
}

static void
outbox_to_command(const char *kind, const char *to, const char *body)
{
	const char	*cmd;
	FILE		*p;

	cmd = strcmp(kind, OUTBOX_SMS) == 0 ? config->sms_command :
	    config->mail_command;
	if (cmd == NULL) {
		log_err("outbox", "no command configured for %s", kind);
		return;
	}
	if ((p = popen(cmd, "w")) == NULL) {
		log_err("outbox", "%s: %s", kind, strerror(errno));
		return;
	}
	if (strcmp(kind, OUTBOX_SMS) == 0)
		fprintf(p, "%s\n%s\n", to, body);
	else
		fprintf(p, "To: %s\nSubject: =?UTF-8?B?"
		    "0KHQvtC+0LHRidC10L3QuNC1INC+0YIg0J/QsNGA0YLRiw==?=\n"
		    "MIME-Version: 1.0\n"
		    "Content-Type: text/plain; charset=utf-8\n\n%s\n",
		    to, body);
	if (pclose(p) != 0)
		log_err("outbox", "%s command failed", kind);
}

void
outbox_flush(void)
{
	PGresult	*res;
	int		 i;

	if (!outbox_pending)
		return;
	outbox_pending = 0;
	if ((res = db_exec(&q_outbox_take, PGRES_TUPLES_OK)) == NULL)
		return;
	for (i = 0; i < PQntuples(res); i++) {
		if (config->outbox_dir != NULL)
			outbox_to_file(db_get(res, i, "id"),
			    db_get(res, i, "kind"), db_get(res, i, "recipient"),
			    db_get(res, i, "body"));
		else
			outbox_to_command(db_get(res, i, "kind"),
			    db_get(res, i, "recipient"), db_get(res, i, "body"));
	}
}
