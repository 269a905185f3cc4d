// SPDX-License-Identifier: GPL-2.0
/*
 * rxbench: the small workloads of `make bench` that fio does not cover,
 * built statically by scripts/bench.sh and run inside the test VM.
 *
 *   rxbench meta DIR N        create (1 KiB each), stat, readdir, unlink N
 *                             files in DIR (created, then removed)
 *   rxbench orc DIR N P       what a build tool does: P passes of open,
 *                             read and close over N 4 KiB files (made
 *                             first, untimed; left in DIR)
 *   rxbench stattree DIR P    P passes of a "git status": readdir every
 *                             directory of the tree and lstat every entry
 *   rxbench tcp MB            copy MB MiB over a loopback TCP socket
 *   rxbench time CMD ARG...   run CMD, then print "time SECONDS"
 *   rxbench mktree DIR N      (on the host) a deterministic source-like
 *                             tree of N small files
 *
 * Results are printed as "NAME VALUE UNIT" lines (ops/s, MB/s, seconds);
 * any failure prints "error: ..." and exits 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *arg)
{
	printf("error: %s %s: %s\n", what, arg ? arg : "", strerror(errno));
	fflush(stdout);
	exit(1);
}

static void rate(const char *name, double n, double secs)
{
	printf("%s %.1f ops/s %.0f ops %.3f s\n", name, secs > 0 ? n / secs : 0, n, secs);
}

static int cmd_meta(const char *dir, int n)
{
	char path[4096], buf[1024];
	double t0, t1, t2, t3, t4;
	struct stat st;
	struct dirent *de;
	DIR *d;
	int i, fd, seen = 0;

	memset(buf, 'm', sizeof(buf));
	if (mkdir(dir, 0755) && errno != EEXIST)
		die("mkdir", dir);
	t0 = now();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			die("create", path);
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			die("write", path);
		if (close(fd))
			die("close", path);
	}
	t1 = now();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		if (stat(path, &st))
			die("stat", path);
		if (st.st_size != sizeof(buf)) {
			errno = EIO;
			die("size of", path);
		}
	}
	t2 = now();
	d = opendir(dir);
	if (!d)
		die("opendir", dir);
	errno = 0;
	while ((de = readdir(d)))
		if (de->d_name[0] == 'f')
			seen++;
	if (errno)
		die("readdir", dir);
	closedir(d);
	t3 = now();
	if (seen != n) {
		printf("error: readdir %s: %d entries, expected %d\n", dir, seen, n);
		return 1;
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		if (unlink(path))
			die("unlink", path);
	}
	t4 = now();
	rmdir(dir);
	rate("meta-create", n, t1 - t0);
	rate("meta-stat", n, t2 - t1);
	rate("meta-readdir", n, t3 - t2);
	rate("meta-unlink", n, t4 - t3);
	rate("meta", 4.0 * n, t4 - t0);
	return 0;
}

static long walk(const char *dir)
{
	char path[4096];
	struct dirent *de;
	struct stat st;
	long n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		die("opendir", dir);
	errno = 0;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			die("lstat", path);
		n++;
		if (S_ISDIR(st.st_mode))
			n += walk(path);
		errno = 0;
	}
	if (errno)
		die("readdir", dir);
	closedir(d);
	return n;
}

static int cmd_orc(const char *dir, int n, int passes)
{
	char path[4096], buf[4096];
	double t0;
	int i, p, fd;

	if (mkdir(dir, 0755) && errno != EEXIST)
		die("mkdir", dir);
	memset(buf, 'o', sizeof(buf));
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/o%05d.c", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			die("create", path);
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			die("write", path);
		if (close(fd))
			die("close", path);
	}
	t0 = now();
	for (p = 0; p < passes; p++) {
		for (i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "%s/o%05d.c", dir, i);
			fd = open(path, O_RDONLY);
			if (fd < 0)
				die("open", path);
			if (read(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
				die("read", path);
			if (close(fd))
				die("close", path);
		}
	}
	rate("orc", (double)n * passes, now() - t0);
	return 0;
}

static int cmd_stattree(const char *dir, int passes)
{
	double t0 = now();
	long n = 0, first = -1, k;
	int p;

	for (p = 0; p < passes; p++) {
		k = walk(dir);
		if (first < 0)
			first = k;
		if (k != first) {
			printf("error: stattree %s: pass %d saw %ld entries, pass 1 %ld\n",
			       dir, p + 1, k, first);
			return 1;
		}
		n += k;
	}
	rate("stat-tree", n, now() - t0);
	return 0;
}

static int cmd_tcp(long mb)
{
	static char buf[1 << 20];
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int ls, s, st;
	long total = mb << 20, left;
	double t0, t1;
	pid_t pid;
	char ack;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ls = socket(AF_INET, SOCK_STREAM, 0);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl))
		die("listen", "127.0.0.1");
	pid = fork();
	if (pid < 0)
		die("fork", NULL);
	if (pid == 0) {
		/* The sink: read everything, then say so. */
		ssize_t r;
		long got = 0;

		s = accept(ls, NULL, NULL);
		if (s < 0)
			_exit(1);
		while ((r = read(s, buf, sizeof(buf))) > 0)
			got += r;
		ack = got == total ? 'k' : 'x';
		if (write(s, &ack, 1) != 1)
			_exit(1);
		_exit(got == total ? 0 : 1);
	}
	close(ls);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)))
		die("connect", "127.0.0.1");
	memset(buf, 0, sizeof(buf));
	t0 = now();
	for (left = total; left > 0;) {
		ssize_t w = write(s, buf, left < (long)sizeof(buf) ? left : (long)sizeof(buf));

		if (w <= 0)
			die("write", "socket");
		left -= w;
	}
	shutdown(s, SHUT_WR);
	if (read(s, &ack, 1) != 1 || ack != 'k') {
		errno = EIO;
		die("ack", "socket");
	}
	t1 = now();
	close(s);
	waitpid(pid, &st, 0);
	printf("tcp %.1f MB/s %ld bytes %.3f s\n", total / 1e6 / (t1 - t0), total, t1 - t0);
	return 0;
}

static int cmd_time(char **argv)
{
	double t0 = now(), t1;
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork", NULL);
	if (pid == 0) {
		execvp(argv[0], argv);
		printf("error: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid", argv[0]);
	t1 = now();
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		printf("error: %s exited with status %d\n", argv[0],
		       WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		return 1;
	}
	printf("time %.4f s\n", t1 - t0);
	return 0;
}

/* A tiny deterministic generator: the same tree on every host. */
static unsigned int seed = 12345;

static unsigned int rnd(void)
{
	seed = seed * 1103515245u + 12345u;
	return (seed >> 8) & 0xffffff;
}

static int cmd_mktree(const char *top, int n)
{
	static char buf[1 << 17];
	char path[4096];
	int i, fd, len, per_dir = 40, sub = 8;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = "abcdefghijklmnopqrstuvwxyz\n {};()=+"[rnd() % 36];
	if (mkdir(top, 0755))
		die("mkdir", top);
	for (i = 0; i < n; i++) {
		int d = i / (per_dir * sub), s = (i / per_dir) % sub;
		unsigned int r = rnd() % 100;

		if (i % (per_dir * sub) == 0) {
			snprintf(path, sizeof(path), "%s/d%02d", top, d);
			if (mkdir(path, 0755))
				die("mkdir", path);
		}
		if (i % per_dir == 0) {
			snprintf(path, sizeof(path), "%s/d%02d/s%d", top, d, s);
			if (mkdir(path, 0755))
				die("mkdir", path);
		}
		/* Mostly small sources, a few larger files. */
		len = r < 80 ? 100 + rnd() % 3000 : r < 98 ? 3072 + rnd() % 8192 :
			16384 + rnd() % 32768;
		snprintf(path, sizeof(path), "%s/d%02d/s%d/file%05d.c", top, d, s, i);
		fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			die("create", path);
		if (write(fd, buf + rnd() % 1024, len) != len)
			die("write", path);
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 4 && !strcmp(argv[1], "meta"))
		return cmd_meta(argv[2], atoi(argv[3]));
	if (argc >= 5 && !strcmp(argv[1], "orc"))
		return cmd_orc(argv[2], atoi(argv[3]), atoi(argv[4]));
	if (argc >= 4 && !strcmp(argv[1], "stattree"))
		return cmd_stattree(argv[2], atoi(argv[3]));
	if (argc >= 3 && !strcmp(argv[1], "tcp"))
		return cmd_tcp(atol(argv[2]));
	if (argc >= 3 && !strcmp(argv[1], "time"))
		return cmd_time(argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "mktree"))
		return cmd_mktree(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: rxbench meta DIR N | orc DIR N PASSES |\n"
		"       rxbench stattree DIR PASSES | tcp MB |\n"
		"       rxbench time CMD... | mktree DIR N\n");
	return 2;
}
