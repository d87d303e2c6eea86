#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "crypto.h"
#include "log.h"
#include "store.h"

static int
store_key_ok(const char *key)
{
	return strlen(key) == STORE_KEY_LEN &&
	    strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") == STORE_KEY_LEN;
}

int
store_put(const void *data, size_t len, char key[STORE_KEY_LEN + 1])
{
	char		 tmp[4096], path[4096];
	const char	*p = data;
	ssize_t		 k;
	int		 fd, saved;

	if (crypto_token(key, 24) == -1)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", config->uploads, key);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", config->uploads, key);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600)) == -1) {
		log_err("store", "%s: %s", tmp, strerror(errno));
		return -1;
	}
	while (len > 0) {
		if ((k = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += k;
		len -= (size_t)k;
	}
	/* The file must be on disk before the row that names it commits. */
	if (fsync(fd) == -1 || close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) == -1) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	saved = errno;
	log_err("store", "%s: %s", tmp, strerror(saved));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

int
store_get(const char *key, char **data, size_t *len)
{
	char		 path[4096];
	struct stat	 st;
	ssize_t		 k;
	size_t		 got = 0;
	int		 fd;

	*data = NULL;
	*len = 0;
	if (!store_key_ok(key))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", config->uploads, key);
	if ((fd = open(path, O_RDONLY)) == -1 || fstat(fd, &st) == -1) {
		log_err("store", "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	*data = malloc((size_t)st.st_size + 1);
	if (*data == NULL) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size) {
		k = read(fd, *data + got, (size_t)st.st_size - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			log_err("store", "%s: short read", path);
			free(*data);
			*data = NULL;
			close(fd);
			return -1;
		}
		got += (size_t)k;
	}
	close(fd);
	*len = got;
	return 0;
}

int
store_delete(const char *key)
{
	char	 path[4096];

	if (!store_key_ok(key))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", config->uploads, key);
	return unlink(path);
}

const char *
store_sniff(const void *data, size_t len)
{
	const unsigned char	*p = data;

	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return "application/pdf";
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return "image/jpeg";
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	return NULL;
}

const char *
store_type_word(const char *type)
{
	if (type == NULL)
		return "файл";
	if (strcmp(type, "application/pdf") == 0)
		return "PDF";
	if (strcmp(type, "image/jpeg") == 0)
		return "JPEG";
	if (strcmp(type, "image/png") == 0)
		return "PNG";
	return "файл";
}
