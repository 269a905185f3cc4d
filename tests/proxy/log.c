// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: the log (what was armed, what fired, sessions), the capture of
 * everything the clients send (-w), and xmalloc(), which logs running out
 * of memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p9proxy.h"

static FILE *log_file;
static long long t_start;
static FILE *capture;

/* Log to @path (appended), or to stderr if NULL; times count from now. */
int plog_open(const char *path)
{
	t_start = now_ms();
	log_file = path ? fopen(path, "a") : stderr;
	return log_file ? 0 : -1;
}

void plog(const char *fmt, ...)
{
	va_list ap;
	long long t = now_ms() - t_start;

	if (!log_file)
		return;
	fprintf(log_file, "[%lld.%03lld] ", t / 1000, t % 1000);
	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
	fflush(log_file);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		plog("out of memory (%zu bytes)", n);
		exit(3);
	}
	return p;
}

/* Append every message the clients send to @path from now on. */
int capture_open(const char *path)
{
	capture = fopen(path, "ab");
	return capture ? 0 : -1;
}

/* Record one whole message; the first failure ends the capture. */
void capture_write(const unsigned char *msg, size_t len)
{
	if (capture) {
		if (fwrite(msg, 1, len, capture) != len || fflush(capture)) {
			plog("cannot write the capture: %s", strerror(errno));
			fclose(capture);
			capture = NULL;
		}
	}
}
