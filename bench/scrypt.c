/*
 * scrypt: the raw password-hash rate the login page is measured against.
 *
 *   scrypt hash            read a password on stdin, print its MCF hash
 *                          made as the programs make it (auth.h's N, r, p)
 *   scrypt rate MCF PW SECONDS PROCS
 *                          check PW against MCF in PROCS processes for
 *                          SECONDS each; print "checks/s MCF"
 *
 * The check is libscrypt_check, what POST /login runs, at the parameters
 * stored in the hash, in processes like the login workers (threads would
 * measure glibc's handling of the 32 MiB buffer instead), each after one
 * check to warm up: the most a machine can log in.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
check(const char *mcf, const char *pw)
{
	char	 copy[SCRYPT_MCF_LEN];

	/* libscrypt_check writes into its argument. */
	snprintf(copy, sizeof(copy), "%s", mcf);
	return libscrypt_check(copy, pw) == 1;
}

/* One process: checks a second, written to fd as text. */
static void
child(int fd, const char *mcf, const char *pw, double seconds)
{
	double	 start, took;
	long	 n = 0;

	if (!check(mcf, pw))
		_exit(1);
	start = now();
	do {
		if (!check(mcf, pw))
			_exit(1);
		n++;
	} while ((took = now() - start) < seconds);
	dprintf(fd, "%f\n", n / took);
	_exit(0);
}

static int
rate(const char *mcf, const char *pw, double seconds, int procs)
{
	FILE	*in;
	double	 total = 0, r;
	int	 fds[2], i, status, bad = 0;

	if (procs < 1 || procs > 256 || seconds <= 0)
		return 2;
	if (pipe(fds) == -1)
		return 1;
	for (i = 0; i < procs; i++) {
		switch (fork()) {
		case -1:
			return 1;
		case 0:
			close(fds[0]);
			child(fds[1], mcf, pw, seconds);
		}
	}
	close(fds[1]);
	if ((in = fdopen(fds[0], "r")) == NULL)
		return 1;
	while (fscanf(in, "%lf", &r) == 1)
		total += r;
	fclose(in);
	for (i = 0; i < procs; i++)
		if (wait(&status) == -1 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			bad = 1;
	if (bad) {
		fprintf(stderr, "scrypt: the password does not match\n");
		return 1;
	}
	printf("%.1f %s\n", total, mcf);
	return 0;
}

int
main(int argc, char *argv[])
{
	char	 pw[256], out[SCRYPT_MCF_LEN];

	if (argc == 2 && strcmp(argv[1], "hash") == 0) {
		if (fgets(pw, sizeof(pw), stdin) == NULL)
			return 2;
		pw[strcspn(pw, "\n")] = '\0';
		if (auth_password_hash(pw, out) == -1)
			return 1;
		printf("%s\n", out);
		return 0;
	}
	if (argc == 6 && strcmp(argv[1], "rate") == 0)
		return rate(argv[2], argv[3], atof(argv[4]), atoi(argv[5]));
	fprintf(stderr, "usage: scrypt hash | scrypt rate MCF PW SECONDS "
	    "PROCS\n");
	return 2;
}
