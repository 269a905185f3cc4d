// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus replay without libFuzzer: runs every file named on the command
 * line (directories: every regular file in them) once through
 * LLVMFuzzerTestOneInput() of fuzz_wire.c.  Built by scripts/fuzz.sh with
 * -fsanitize=address,undefined, so the seed corpus and the accumulated one
 * stay a regression test wherever clang's libFuzzer runtime is missing.
 * Any failed invariant or sanitizer report aborts with the file's name.
 */
#define _GNU_SOURCE	/* asprintf */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* from the sanitizer runtime, when there is one (weak: a plain build too) */
void __sanitizer_set_death_callback(void (*callback)(void))
	__attribute__((weak));

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_LEN	(1u << 20)

static const char *current;
static unsigned long nfiles, nbytes;

static void report_current(void)
{
	if (current)
		fprintf(stderr, "replay: failed on %s\n", current);
}

static void on_abort(int sig)
{
	report_current();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int run_file(const char *path)
{
	static uint8_t buf[MAX_LEN];
	size_t len;
	FILE *f;

	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		return -1;
	}
	fclose(f);
	current = path;
	/* a private copy of exactly the file's size, as libFuzzer gives */
	{
		uint8_t *copy = malloc(len ? len : 1);

		if (!copy)
			abort();
		memcpy(copy, buf, len);
		LLVMFuzzerTestOneInput(copy, len);
		free(copy);
	}
	current = NULL;
	nfiles++;
	nbytes += len;
	return 0;
}

static int run_path(const char *path)
{
	struct dirent **ents;
	struct stat st;
	char *sub;
	int n, i, err = 0;

	if (stat(path, &st)) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return S_ISREG(st.st_mode) ? run_file(path) : 0;
	n = scandir(path, &ents, NULL, alphasort);
	if (n < 0) {
		perror(path);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' &&
		    asprintf(&sub, "%s/%s", path, ents[i]->d_name) >= 0) {
			if (run_path(sub))
				err = -1;
			free(sub);
		}
		free(ents[i]);
	}
	free(ents);
	return err;
}

int main(int argc, char **argv)
{
	int i, err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (__sanitizer_set_death_callback)
		__sanitizer_set_death_callback(report_current);
	signal(SIGABRT, on_abort);
	signal(SIGSEGV, on_abort);
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]))
			err = 1;
	printf("replay: %lu files, %lu bytes%s\n", nfiles, nbytes,
	       err ? ", some unreadable" : ", all clean");
	return err;
}
