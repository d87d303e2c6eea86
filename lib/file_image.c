/*
 * file_image: images re-encoded without their metadata, and their
 * previews (file.h), by libvips in a child process that can do nothing
 * else.
 *
 * The worker forks; the child closes every descriptor but the pipe
 * back and a second pipe for what it would say on stderr, sets
 * resource limits (memory, CPU time,
 * no core), initializes libvips (never in the
 * worker: glib's threads and a fork do not mix), then loads a seccomp
 * filter that allows only what decoding memory into memory needs
 * (memory, threads, futexes, writing to the pipe, exiting).  Only then
 * does it read the image, from the buffer the fork gave it, and write
 * the results to the pipe.  Any other system call ends it (SIGSYS,
 * logged).  The worker reads the pipe with a deadline and waits for
 * the child; anything but a clean exit with well-formed output is a
 * refusal or a fault, never an image kept as it came.
 *
 * The child never writes to the worker's stderr: what it says (glib's
 * warnings about a broken file, the refused system call) the worker
 * reads from the second pipe once it has ended and logs as one line of
 * its own.  Run as plain CGI by fcgiwrap, a program's stderr is read
 * as the reply's header lines until the reply begins, so a free-form
 * line from the child («\n(process:12): VIPS-WARNING…») made a 502.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vips/vips.h>
#include <vips/vector.h>
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND	0
#endif

#include "file.h"
#include "log.h"

#define IMAGE_MEMORY	(1536UL << 20)	/* address space of the child */
#define IMAGE_CPU	20		/* seconds of CPU */
#define IMAGE_DEADLINE	30000		/* ms the worker waits */
#define IMAGE_OUT_MAX	(64UL << 20)	/* largest result accepted */
#define IMAGE_SAY_MAX	1024		/* bytes of the child's stderr logged */

/* The child's exit codes. */
enum {
	IMAGE_OK,
	IMAGE_BAD,		/* cannot read it: a refusal */
	IMAGE_INIT,		/* libvips would not start */
	IMAGE_SECCOMP,		/* the filter would not load */
	IMAGE_WRITE,		/* the pipe closed */
	IMAGE_PIXELS		/* more than FILE_MAX_PIXELS: a refusal */
};

static void
image_sigsys(int sig, siginfo_t *si, void *ctx)
{
	char	 msg[64];
	int	 n;

	(void)sig;
	(void)ctx;
	n = snprintf(msg, sizeof(msg), "file_image: system call %d refused\n",
	    si->si_syscall);
	if (n > 0)
		(void)!write(STDERR_FILENO, msg, (size_t)n);
	_exit(128 + SIGSYS);
}

/* Allow only decoding in memory: 0, or -1. */
static int
image_confine(void)
{
	static const int allowed[] = {
		SCMP_SYS(read), SCMP_SYS(write), SCMP_SYS(close),
		SCMP_SYS(mmap), SCMP_SYS(munmap), SCMP_SYS(mremap),
		SCMP_SYS(mprotect), SCMP_SYS(madvise), SCMP_SYS(brk),
		SCMP_SYS(futex), SCMP_SYS(set_robust_list), SCMP_SYS(rseq),
		SCMP_SYS(rt_sigprocmask), SCMP_SYS(rt_sigreturn),
		SCMP_SYS(rt_sigaction),
		SCMP_SYS(sched_yield), SCMP_SYS(sched_getaffinity),
		SCMP_SYS(getpid), SCMP_SYS(gettid), SCMP_SYS(exit),
		SCMP_SYS(exit_group), SCMP_SYS(clock_gettime),
		SCMP_SYS(clock_nanosleep), SCMP_SYS(nanosleep),
		SCMP_SYS(getrandom), SCMP_SYS(restart_syscall),
		SCMP_SYS(poll), SCMP_SYS(ppoll), SCMP_SYS(eventfd2),
	};
	struct sigaction	 sa;
	scmp_filter_ctx		 f;
	size_t			 i;
	int			 rc = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = image_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) == -1)
		return -1;
	/* Anything else traps into image_sigsys, which logs and exits: a
	 * trapped call is never made, whoever handles the signal. */
	if ((f = seccomp_init(SCMP_ACT_TRAP)) == NULL)
		return -1;
	for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
		rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, allowed[i], 0);
	/* Threads, never processes: clone only with CLONE_THREAD; clone3
	 * (its flags out of the filter's reach) answers ENOSYS, so the C
	 * library falls back to clone. */
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(clone), 1,
	    SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD));
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	/* glib names its threads. */
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    SCMP_A0(SCMP_CMP_EQ, PR_SET_NAME));
	/* A file a library may look for answers "no". */
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES),
	    SCMP_SYS(newfstatat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(fstat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(stat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(access), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(statx), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(ioctl), 0);
	/* glib's log writer asks whether stderr is the journal's socket. */
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOTSOCK),
	    SCMP_SYS(getpeername), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(ENOTSOCK),
	    SCMP_SYS(getsockname), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), SCMP_SYS(fcntl), 0);
	if (rc == 0)
		rc = seccomp_load(f);
	seccomp_release(f);
	return rc == 0 ? 0 : -1;
}

static int	image_jpeg(VipsImage *, VipsImage *, size_t, void **,
		    size_t *);

static int
image_write(int fd, const void *data, size_t len)
{
	const char	*p = data;
	ssize_t		 k;

	while (len > 0) {
		if ((k = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* The child, writing to fd and saying to say (its stderr): never
 * returns. */
static void
image_child(int fd, int say, const void *data, size_t len,
    const char *type)
{
	struct rlimit	 rl;
	VipsImage	*in = NULL, *up = NULL, *thumb = NULL, *flat = NULL;
	void		*out = NULL, *prev = NULL;
	size_t		 out_len = 0, prev_len = 0;
	uint64_t	 head[2];
	int		 rc, null;

	/* Nothing of the worker's: its FastCGI socket, its database
	 * connection.  The pipe becomes 3; 0 and 1 /dev/null, 2 the pipe
	 * the worker logs from. */
	if (dup2(say, STDERR_FILENO) == -1)
		_exit(IMAGE_INIT);
	if (fd != 3) {
		if (dup2(fd, 3) == -1)
			_exit(IMAGE_WRITE);
		fd = 3;
	}
	if ((null = open("/dev/null", O_RDWR)) == -1 ||
	    dup2(null, 0) == -1 || dup2(null, 1) == -1)
		_exit(IMAGE_INIT);
	if (close_range(4, ~0U, 0) == -1)
		_exit(IMAGE_INIT);
	rl.rlim_cur = rl.rlim_max = IMAGE_MEMORY;
	(void)setrlimit(RLIMIT_AS, &rl);
	rl.rlim_cur = rl.rlim_max = IMAGE_CPU;
	(void)setrlimit(RLIMIT_CPU, &rl);
	rl.rlim_cur = rl.rlim_max = 0;
	(void)setrlimit(RLIMIT_CORE, &rl);
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);

	/* Decoded, a photo of FILE_MAX_PIXELS is up to 200 MB (16-bit
	 * or with alpha, more): libvips would put anything past 100 MB
	 * in a temporary file on disk, which the filter refuses.  All of
	 * it in memory, then, within RLIMIT_AS (IMAGE_MEMORY): what does
	 * not fit there fails to decode, a refusal. */
	if (setenv("VIPS_DISC_THRESHOLD", "1400m", 1) == -1)
		_exit(IMAGE_INIT);
	if (VIPS_INIT("parta") != 0)
		_exit(IMAGE_INIT);
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_block_untrusted_set(TRUE);
	/* No code made at run time (orc): the units forbid writable
	 * executable memory (MemoryDenyWriteExecute), and it is less to
	 * attack. */
	vips_vector_set_enabled(FALSE);
	/* Under valgrind (make test-valgrind) the child is valgrind's
	 * too, whose own system calls the filter would refuse: the one
	 * case it is not loaded (never true outside valgrind). */
	if (!RUNNING_ON_VALGRIND && image_confine() == -1)
		_exit(IMAGE_SECCOMP);

	/* Only the loader of the type libmagic found, from memory.  An
	 * image cut short (an upload broken off, a damaged card) fails
	 * to decode instead of coming out with its missing part grey:
	 * refused, so the person knows and sends it again. */
	if (strcmp(type, "image/jpeg") == 0)
		rc = vips_jpegload_buffer((void *)data, len, &in, "fail_on",
		    VIPS_FAIL_ON_TRUNCATED, NULL);
	else if (strcmp(type, "image/png") == 0)
		rc = vips_pngload_buffer((void *)data, len, &in, "fail_on",
		    VIPS_FAIL_ON_TRUNCATED, NULL);
	else if (strcmp(type, "image/webp") == 0)
		rc = vips_webpload_buffer((void *)data, len, &in, "fail_on",
		    VIPS_FAIL_ON_TRUNCATED, NULL);
	else
		rc = -1;
	if (rc != 0)
		_exit(IMAGE_BAD);
	/* Known from the header, before anything is decoded. */
	if ((uint64_t)vips_image_get_width(in) *
	    (uint64_t)vips_image_get_height(in) > FILE_MAX_PIXELS)
		_exit(IMAGE_PIXELS);
	/* Upright by its EXIF orientation, which goes with the rest. */
	if (vips_autorot(in, &up, NULL) != 0)
		_exit(IMAGE_BAD);
	if (strcmp(type, "image/jpeg") == 0)
		rc = image_jpeg(in, up, len, &out, &out_len);
	else if (strcmp(type, "image/png") == 0)
		rc = vips_pngsave_buffer(up, &out, &out_len, "strip", TRUE,
		    NULL);
	else
		rc = vips_webpsave_buffer(up, &out, &out_len, "strip", TRUE,
		    "Q", 90, NULL);
	if (rc != 0)
		_exit(IMAGE_BAD);
	if (vips_thumbnail_image(up, &thumb, FILE_PREVIEW_PX, "height",
	    FILE_PREVIEW_PX, "size", VIPS_SIZE_DOWN, NULL) != 0)
		_exit(IMAGE_BAD);
	if (vips_image_hasalpha(thumb)) {
		VipsArrayDouble *white = vips_array_double_newv(3, 255.0,
		    255.0, 255.0);

		if (vips_flatten(thumb, &flat, "background", white, NULL) != 0)
			_exit(IMAGE_BAD);
	} else
		flat = thumb;
	if (vips_jpegsave_buffer(flat, &prev, &prev_len, "strip", TRUE,
	    "Q", 80, NULL) != 0)
		_exit(IMAGE_BAD);
	head[0] = out_len;
	head[1] = prev_len;
	if (image_write(fd, head, sizeof(head)) == -1 ||
	    image_write(fd, out, out_len) == -1 ||
	    image_write(fd, prev, prev_len) == -1)
		_exit(IMAGE_WRITE);
	_exit(IMAGE_OK);
}

/*
 * A photo re-encoded without its metadata, into *out (g_malloc'd by
 * libvips): the re-encode is what strips it (EXIF with the GPS position
 * too), and what keeps nothing of the bytes as they came (a file that
 * is a JPEG and something else besides), so it is never skipped.  So
 * that it does not grow (Q 90 made a phone's 703 KB photo 1.7 MB: at
 * 90 libvips also stops subsampling the colour), quality IMAGE_JPEG_Q
 * with the original's chroma subsampling (4:4:4 stays 4:4:4, anything
 * else 4:2:0) and optimized Huffman tables; a photo saved at a lower
 * quality still comes out larger, so once more at IMAGE_JPEG_Q_LOW, the
 * smaller kept.  0, or -1.
 */
#define IMAGE_JPEG_Q		85
#define IMAGE_JPEG_Q_LOW	75

static int
image_jpeg(VipsImage *in, VipsImage *up, size_t len, void **out,
    size_t *out_len)
{
	VipsForeignSubsample	 sub = VIPS_FOREIGN_SUBSAMPLE_ON;
	const char		*cs;
	void			*low;
	size_t			 low_len;

	if (vips_image_get_typeof(in, "jpeg-chroma-subsample") != 0 &&
	    vips_image_get_string(in, "jpeg-chroma-subsample", &cs) == 0 &&
	    strncmp(cs, "4:4:4", 5) == 0)
		sub = VIPS_FOREIGN_SUBSAMPLE_OFF;
	if (vips_jpegsave_buffer(up, out, out_len, "strip", TRUE,
	    "Q", IMAGE_JPEG_Q, "optimize_coding", TRUE, "subsample_mode", sub,
	    NULL) != 0)
		return -1;
	if (*out_len <= len)
		return 0;
	if (vips_jpegsave_buffer(up, &low, &low_len, "strip", TRUE,
	    "Q", IMAGE_JPEG_Q_LOW, "optimize_coding", TRUE,
	    "subsample_mode", sub, NULL) != 0)
		return -1;
	if (low_len < *out_len) {
		g_free(*out);
		*out = low;
		*out_len = low_len;
	} else
		g_free(low);
	return 0;
}

int
file_image_confined(void)
{
	pid_t	 pid;
	int	 status, fd;

	if ((pid = fork()) == -1)
		return 0;
	if (pid == 0) {
		if (VIPS_INIT("parta") != 0 || image_confine() == -1)
			_exit(IMAGE_SECCOMP);
		/* A file answers "no"... */
		if ((fd = open("/etc/hostname", O_RDONLY)) != -1 ||
		    errno != EACCES)
			_exit(IMAGE_BAD);
		/* ...and a new process ends the child (SIGSYS). */
		(void)fork();
		_exit(IMAGE_OK);
	}
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 128 + SIGSYS;
}

/* Read exactly len bytes from fd before deadline (ms on the monotonic
 * clock): 0, or -1. */
static int
image_read(int fd, void *buf, size_t len, long long deadline)
{
	struct timespec	 ts;
	struct pollfd	 pfd = { fd, POLLIN, 0 };
	char		*p = buf;
	long long	 now;
	ssize_t		 k;

	while (len > 0) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
		if (now >= deadline)
			return -1;
		k = poll(&pfd, 1, (int)(deadline - now));
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		k = read(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

/* Log what the ended child wrote to its stderr (the read end say,
 * non-blocking), as one line: at most IMAGE_SAY_MAX bytes. */
static void
image_said(int say)
{
	char	 buf[IMAGE_SAY_MAX + 1];
	size_t	 n = 0, i;
	ssize_t	 k;

	while (n < IMAGE_SAY_MAX &&
	    ((k = read(say, buf + n, IMAGE_SAY_MAX - n)) > 0 ||
	    (k < 0 && errno == EINTR)))
		if (k > 0)
			n += (size_t)k;
	for (i = 0; i < n; i++)
		if (buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\0')
			buf[i] = ' ';
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	for (i = 0; i < n && buf[i] == ' '; i++)
		;
	buf[n] = '\0';
	if (i < n)
		log_info("file", "image child said: %s", buf + i);
}

int
file_image(const void *data, size_t len, const char *type,
    struct file_image *img)
{
	return file_image_by(data, len, type, LLONG_MAX, img);
}

int
file_image_by(const void *data, size_t len, const char *type,
    long long until, struct file_image *img)
{
	struct timespec	 ts;
	uint64_t	 head[2];
	long long	 deadline, now;
	pid_t		 pid;
	int		 p[2], e[2], status, got, late;

	memset(img, 0, sizeof(*img));
	if (pipe2(p, O_CLOEXEC) == -1) {
		log_err("file", "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(e, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_err("file", "pipe: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_err("file", "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		close(e[0]);
		close(e[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		close(e[0]);
		image_child(p[1], e[1], data, len, type);
	}
	close(p[1]);
	close(e[1]);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 +
	    IMAGE_DEADLINE;
	/* The request's deadline first: its time is up, not the image's
	 * fault. */
	if ((late = until < deadline))
		deadline = until;
	got = image_read(p[0], head, sizeof(head), deadline) == 0 &&
	    head[0] > 0 && head[0] <= IMAGE_OUT_MAX &&
	    head[1] > 0 && head[1] <= IMAGE_OUT_MAX &&
	    (img->out = malloc(head[0])) != NULL &&
	    (img->preview = malloc(head[1])) != NULL &&
	    image_read(p[0], img->out, head[0], deadline) == 0 &&
	    image_read(p[0], img->preview, head[1], deadline) == 0;
	close(p[0]);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	late = late && !got && now >= deadline;
	if (!got)
		(void)kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	image_said(e[0]);
	close(e[0]);
	if (got && status == 0) {
		img->out_len = head[0];
		img->preview_len = head[1];
		return 0;
	}
	free(img->out);
	free(img->preview);
	memset(img, 0, sizeof(*img));
	if (late)
		return 3;
	if (status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == IMAGE_BAD)
		return 1;
	if (status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == IMAGE_PIXELS)
		return 2;
	/* Out of memory or time (the limits) is the image's fault too. */
	if (status != -1 && WIFSIGNALED(status) &&
	    (WTERMSIG(status) == SIGKILL || WTERMSIG(status) == SIGXCPU ||
	    WTERMSIG(status) == SIGSEGV || WTERMSIG(status) == SIGABRT)) {
		log_info("file", "image child ended by signal %d",
		    WTERMSIG(status));
		return 1;
	}
	log_err("file", "image child: status %d", status);
	return -1;
}
