/*
 * scrypt: the raw password-hash rate the login page is measured against.
 *
 *   scrypt hash            read a password on stdin, print its MCF hash
 *                          made as the programs make it (auth.h's N, r, p)
 *   scrypt rate MCF PW SECONDS THREADS
 *                          check PW against MCF in THREADS threads for
 *                          SECONDS; print "checks/s  N r p"
 *
 * The check is libscrypt_check, what POST /login runs, at the parameters
 * stored in the hash, so the rate is the most a machine can log in.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth.h"

struct worker {
	pthread_t	 thread;
	const char	*mcf;
	const char	*pw;
	double		 until;
	long		 n;
	int		 bad;
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *
run(void *arg)
{
	struct worker	*w = arg;
	char		 copy[SCRYPT_MCF_LEN];

	while (now() < w->until) {
		/* libscrypt_check writes into its argument. */
		snprintf(copy, sizeof(copy), "%s", w->mcf);
		if (libscrypt_check(copy, w->pw) != 1)
			w->bad = 1;
		w->n++;
	}
	return NULL;
}

static int
rate(const char *mcf, const char *pw, double seconds, int threads)
{
	struct worker	*w;
	double		 start, took;
	long		 total = 0;
	int		 i, bad = 0;

	if (threads < 1 || threads > 256 || seconds <= 0)
		return 2;
	if ((w = calloc(threads, sizeof(*w))) == NULL)
		return 1;
	start = now();
	for (i = 0; i < threads; i++) {
		w[i].mcf = mcf;
		w[i].pw = pw;
		w[i].until = start + seconds;
		if (pthread_create(&w[i].thread, NULL, run, &w[i]) != 0)
			return 1;
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		total += w[i].n;
		bad |= w[i].bad;
	}
	took = now() - start;
	free(w);
	if (bad) {
		fprintf(stderr, "scrypt: the password does not match\n");
		return 1;
	}
	printf("%.1f %s\n", total / took, mcf);
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
	    "THREADS\n");
	return 2;
}
