// SPDX-License-Identifier: GPL-2.0
/*
 * rxsys: make one system call and report its result precisely, for the
 * functional tests (busybox only reports errno as translated text).
 *
 *   rxsys mount SOURCE TARGET FSTYPE [OPTIONS]   SOURCE "-" means NULL
 *   rxsys umount TARGET [detach]
 *   rxsys mkdir PATH [MODE] | rmdir PATH | unlink PATH
 *   rxsys rename OLD NEW | symlink TARGET LINK | link OLD NEW
 *   rxsys open PATH [rdonly|wronly|rdwr|creat|excl|trunc|append|directory,...]
 *   rxsys truncate PATH LENGTH
 *   rxsys chmod PATH MODE | chown PATH UID GID
 *   rxsys stat PATH | lstat PATH
 *   rxsys delete_module NAME                     (O_NONBLOCK, like rmmod)
 *
 * Prints one line "RESULT MILLISECONDS", RESULT being OK or the errno name
 * (ECONNREFUSED, ...), and exits 0 on success, 1 on failure, 2 on misuse.
 * Built statically by tests/vm/mkinitramfs.sh.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static int open_flags(const char *s)
{
	static const struct { const char *name; int flag; } tab[] = {
		{ "rdonly", O_RDONLY }, { "wronly", O_WRONLY }, { "rdwr", O_RDWR },
		{ "creat", O_CREAT }, { "excl", O_EXCL }, { "trunc", O_TRUNC },
		{ "append", O_APPEND }, { "directory", O_DIRECTORY },
		{ "nofollow", O_NOFOLLOW }, { "direct", O_DIRECT },
		{ "sync", O_SYNC },
	};
	char *copy = strdup(s), *tok, *save = NULL;
	int flags = 0;
	size_t i;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
			if (!strcmp(tok, tab[i].name))
				break;
		if (i == sizeof(tab) / sizeof(tab[0])) {
			fprintf(stderr, "rxsys: unknown open flag '%s'\n", tok);
			exit(2);
		}
		flags |= tab[i].flag;
	}
	free(copy);
	return flags;
}

static void usage(void)
{
	fprintf(stderr, "usage: rxsys mount|umount|mkdir|rmdir|unlink|rename|"
		"symlink|link|open|truncate|chmod|chown|stat|lstat|delete_module ARGS...\n");
	exit(2);
}

#define NEED(n) do { if (argc < (n)) usage(); } while (0)

int main(int argc, char **argv)
{
	const char *op;
	double t0;
	int ret, err;

	if (argc < 3)
		usage();
	op = argv[1];
	t0 = now_ms();
	errno = 0;
	if (!strcmp(op, "mount")) {
		NEED(5);
		ret = mount(strcmp(argv[2], "-") ? argv[2] : NULL, argv[3],
			    argv[4], 0, argc > 5 ? argv[5] : NULL);
	} else if (!strcmp(op, "umount")) {
		ret = umount2(argv[2], argc > 3 && !strcmp(argv[3], "detach") ?
			      MNT_DETACH : 0);
	} else if (!strcmp(op, "mkdir")) {
		ret = mkdir(argv[2], argc > 3 ? strtol(argv[3], NULL, 8) : 0755);
	} else if (!strcmp(op, "rmdir")) {
		ret = rmdir(argv[2]);
	} else if (!strcmp(op, "unlink")) {
		ret = unlink(argv[2]);
	} else if (!strcmp(op, "rename")) {
		NEED(4);
		ret = rename(argv[2], argv[3]);
	} else if (!strcmp(op, "symlink")) {
		NEED(4);
		ret = symlink(argv[2], argv[3]);
	} else if (!strcmp(op, "link")) {
		NEED(4);
		ret = link(argv[2], argv[3]);
	} else if (!strcmp(op, "open")) {
		ret = open(argv[2], argc > 3 ? open_flags(argv[3]) : O_RDONLY, 0644);
		if (ret >= 0)
			ret = close(ret);
	} else if (!strcmp(op, "truncate")) {
		NEED(4);
		ret = truncate(argv[2], strtoll(argv[3], NULL, 0));
	} else if (!strcmp(op, "chmod")) {
		NEED(4);
		ret = chmod(argv[2], strtol(argv[3], NULL, 8));
	} else if (!strcmp(op, "chown")) {
		NEED(5);
		ret = chown(argv[2], strtol(argv[3], NULL, 0), strtol(argv[4], NULL, 0));
	} else if (!strcmp(op, "stat") || !strcmp(op, "lstat")) {
		struct stat st;

		ret = op[0] == 's' ? stat(argv[2], &st) : lstat(argv[2], &st);
	} else if (!strcmp(op, "delete_module")) {
		ret = syscall(SYS_delete_module, argv[2], O_NONBLOCK);
	} else {
		usage();
	}
	err = errno;
	if (ret < 0) {
		const char *name = strerrorname_np(err);

		printf("%s %.0f\n", name ? name : "EUNKNOWN", now_ms() - t0);
		return 1;
	}
	printf("OK %.0f\n", now_ms() - t0);
	return 0;
}
