// SPDX-License-Identifier: GPL-2.0
/*
 * rx9pstat: statistics of rx9p mounts, read from /proc/self/mountstats
 * (format: Documentation/filesystems/rdbss.rst, "Observing a mount", and
 * Documentation/filesystems/rx9p.rst, "Statistics"; manual: rx9pstat(8)).
 *
 *   rx9pstat [-i] [-m] [-f FILE]... [INTERVAL [COUNT]] [MOUNTPOINT...]
 *   rx9pstat -l [-f FILE] [MOUNTPOINT...]
 *
 * Like nfsiostat: the first report gives each mount's rates since it was
 * mounted, then every INTERVAL seconds the rates over that interval, from
 * the difference of two reads.  -l lists the totals once.  Several -f
 * files are snapshots taken INTERVAL seconds apart, read in turn without
 * sleeping (the tests' deterministic interval mode).
 *
 * The input is untrusted text: lines are read into a bounded buffer, every
 * number is checked, and a line that does not parse is skipped.
 *
 * This file: the options, usage, the interval loop.  What the others hold
 * (parse.c, report.c): rx9pstat.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rx9pstat.h"

#ifndef RX9PSTAT_VERSION
#define RX9PSTAT_VERSION "unknown"
#endif

#define MOUNTSTATS	"/proc/self/mountstats"
#define MAX_FILES	64		/* -f snapshots */
#define MAX_INTERVAL	(7 * 24 * 3600)

/* the command line, for parse.c and report.c */
struct named *named;
int nnamed;
bool opt_msgs;

static void flush_stdout(void)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "%s: write error: %s\n", PROG, strerror(errno));
		exit(1);
	}
}

/*
 * A MOUNTPOINT made absolute and normalized without touching the file
 * system: a hung mount must not hang us (no realpath, no stat).
 */
static char *normalize_path(const char *arg)
{
	char *cwd = NULL, *src, *out, *tok, *save;
	size_t len, olen = 0, tlen;

	if (arg[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd)
			return xstrdup(arg);
	}
	len = (cwd ? strlen(cwd) : 0) + strlen(arg) + 3;
	src = xcalloc(1, len);
	out = xcalloc(1, len);
	snprintf(src, len, "%s/%s", cwd ? cwd : "", arg);
	free(cwd);
	for (tok = strtok_r(src, "/", &save); tok;
	     tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			while (olen && out[olen - 1] != '/')
				olen--;
			if (olen)
				olen--;
			out[olen] = '\0';
			continue;
		}
		tlen = strlen(tok);
		out[olen++] = '/';
		memcpy(out + olen, tok, tlen + 1);
		olen += tlen;
	}
	if (!olen)
		strcpy(out, "/");
	free(src);
	return out;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: %s [-i] [-m] [-f FILE]... [INTERVAL [COUNT]] [MOUNTPOINT...]\n"
		"       %s -l [-f FILE] [MOUNTPOINT...]\n"
		"Statistics of rx9p mounts, from " MOUNTSTATS ".\n"
		"\n"
		"  -i       rates (the default): since each mount, then over\n"
		"           every INTERVAL seconds, COUNT reports in all\n"
		"  -l       list each mount's totals since it was mounted\n"
		"  -m       with the rates, the connection's and each 9P message's\n"
		"  -f FILE  read FILE instead of " MOUNTSTATS "; several -f\n"
		"           are snapshots INTERVAL seconds apart, read in turn\n"
		"  -h       this help\n"
		"  -V       the version\n", PROG, PROG);
}

static void __attribute__((noreturn)) bad_usage(const char *msg)
{
	fprintf(stderr, "%s: %s\n", PROG, msg);
	usage(stderr);
	exit(2);
}

/* A whole number from 1 to max, or a usage error. */
static unsigned long parse_count(const char *s, unsigned long max,
				 const char *what)
{
	unsigned long long v;
	const char *p = s;

	if (!parse_u64(&p, &v) || *p || !v || v > max) {
		fprintf(stderr, "%s: %s must be a whole number from 1 to %lu: ",
			PROG, what, max);
		print_name(stderr, s);
		fputc('\n', stderr);
		usage(stderr);
		exit(2);
	}
	return (unsigned long)v;
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Sleep until t (CLOCK_MONOTONIC seconds), through signals that return. */
static void sleep_until(double t)
{
	struct timespec ts;

	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR)
		;
}

/* Say which MOUNTPOINTs are not rx9p mounts; true if all are. */
static bool check_named(void)
{
	bool ok = true;
	int i;

	for (i = 0; i < nnamed; i++) {
		if (named[i].found)
			continue;
		ok = false;
		fprintf(stderr, "%s: ", PROG);
		print_name(stderr, named[i].arg);
		if (named[i].fstype[0]) {
			fputs(": not an rx9p mount (fstype ", stderr);
			print_name(stderr, named[i].fstype);
			fputs(")\n", stderr);
		} else {
			fputs(": not a mount point\n", stderr);
		}
	}
	return ok;
}

int main(int argc, char **argv)
{
	const char *files[MAX_FILES] = { MOUNTSTATS };
	unsigned long interval = 0, count = 1, n;
	struct snapshot cur, prev;
	double t, t_prev, next;
	int c, i, nfiles = 0;
	bool list = false, rates = false, ok;

	while ((c = getopt(argc, argv, "ilmf:hV")) != -1) {
		switch (c) {
		case 'i':
			rates = true;
			break;
		case 'l':
			list = true;
			break;
		case 'm':
			opt_msgs = true;
			break;
		case 'f':
			if (nfiles == MAX_FILES)
				bad_usage("too many -f files");
			if (!*optarg)
				bad_usage("-f: an empty file name");
			files[nfiles++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("%s %s\n", PROG, RX9PSTAT_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	/* a MOUNTPOINT is a path: a leading digit means INTERVAL or COUNT */
	if (optind < argc && argv[optind][0] >= '0' && argv[optind][0] <= '9') {
		interval = parse_count(argv[optind++], MAX_INTERVAL, "INTERVAL");
		count = 0;
		if (optind < argc && argv[optind][0] >= '0' &&
		    argv[optind][0] <= '9')
			count = parse_count(argv[optind++], ULONG_MAX, "COUNT");
	}
	if (list && (rates || interval || nfiles > 1))
		bad_usage("-l lists the totals once: no -i, no INTERVAL, one -f");
	if (nfiles > 1 && !interval)
		bad_usage("several -f files need the INTERVAL they were taken apart");
	/* snapshot files end the reports when they run out */
	if (nfiles > 1 && (!count || count > (unsigned long)nfiles))
		count = (unsigned long)nfiles;
	nfiles = nfiles ? nfiles : 1;

	nnamed = argc - optind;
	named = xcalloc(nnamed ? nnamed : 1, sizeof(*named));
	for (i = 0; i < nnamed; i++) {
		if (!argv[optind + i][0])
			bad_usage("an empty MOUNTPOINT");
		named[i].arg = argv[optind + i];
		named[i].path = normalize_path(named[i].arg);
	}

	if (!read_snapshot(files[0], &cur))
		return 1;
	t_prev = now();
	ok = check_named();
	if (ok && !cur.n)
		fprintf(stderr, "%s: no rx9p mounts in %s\n", PROG, files[0]);
	if (!ok || !cur.n) {
		free_snapshot(&cur);
		return 1;
	}
	for (n = 0; list && n < cur.n; n++) {
		if (n)
			putchar('\n');
		list_mount(cur.m[n]);
	}
	if (!list)
		report(&cur, NULL, 0);
	flush_stdout();

	next = t_prev;
	for (n = 1; !list && (!count || n < count); n++) {
		prev = cur;
		if (nfiles == 1) {
			/* a late wake-up shifts the schedule, not the rates */
			next += (double)interval;
			if (next < now())
				next = now() + (double)interval;
			sleep_until(next);
		}
		if (!read_snapshot(files[nfiles > 1 ? n : 0], &cur)) {
			free_snapshot(&prev);
			return 1;
		}
		/* snapshot files are INTERVAL apart; the live file as timed */
		t = nfiles > 1 ? t_prev + (double)interval : now();
		putchar('\n');
		if (cur.n)
			report(&cur, &prev, t - t_prev);
		else
			puts("no rx9p mounts");
		flush_stdout();
		t_prev = t;
		free_snapshot(&prev);
	}
	free_snapshot(&cur);
	return 0;
}
