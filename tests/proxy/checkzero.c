// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy --check-zero: walk a capture of what a client sent (-w) and
 * report, request by request, fields that must be zero or lie outside
 * their defined range (see usage() in p9proxy.c).  Findings go to stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p9proxy.h"

struct rd {
	const unsigned char *p;
	size_t len;
	size_t pos;
	bool short_msg;
};

static const unsigned char *take(struct rd *r, size_t n)
{
	const unsigned char *p;

	if (r->short_msg || n > r->len - r->pos) {
		r->short_msg = true;
		return NULL;
	}
	p = r->p + r->pos;
	r->pos += n;
	return p;
}

static uint64_t rd_num(struct rd *r, size_t n)
{
	const unsigned char *p = take(r, n);

	if (!p)
		return 0;
	return n == 1 ? p[0] : n == 2 ? get_le16(p) : n == 4 ? get_le32(p) :
	       get_le64(p);
}

static void rd_skip(struct rd *r, size_t n)
{
	take(r, n);
}

static size_t rd_str(struct rd *r, const unsigned char **s)
{
	size_t n = rd_num(r, 2);

	*s = take(r, n);
	return *s ? n : 0;
}

struct checker {
	unsigned long msgs;
	unsigned long findings;
	unsigned long index;
	size_t at;		/* file offset of the message */
	int type;
	uint16_t tag;
	uint32_t msize;
	bool verbose;
};

static void finding(struct checker *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void finding(struct checker *c, const char *fmt, ...)
{
	va_list ap;

	c->findings++;
	printf("message %lu (offset %zu) %s tag %u: ", c->index, c->at,
	       msg_name(c->type), c->tag);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Linux open flags 9P2000.L defines (P9_DOTL_*; the same values on x86). */
#define DOTL_FLAGS	(03 | 0100 | 0200 | 0400 | 01000 | 02000 | 04000 | \
			 010000 | 020000 | 040000 | 0100000 | 0200000 | \
			 0400000 | 01000000 | 02000000 | 04000000)
#define S_TYPEMASK	0170000
#define GETATTR_ALL	0x3fffull
#define SETATTR_ALL	0x1ffu

static void check_flags(struct checker *c, const char *field, uint32_t v)
{
	if (v & ~DOTL_FLAGS)
		finding(c, "%s 0%o: undefined bits 0%o must be zero", field, v,
			v & ~DOTL_FLAGS);
	if ((v & 03) == 03)
		finding(c, "%s 0%o: access mode 3 is not defined", field, v);
}

/* A name created or walked to: one path component. */
static void check_name(struct checker *c, const char *field,
		       const unsigned char *s, size_t n, bool dotdot_ok)
{
	if (!s)
		return;
	if (!n)
		finding(c, "%s is empty", field);
	else if (memchr(s, '/', n) || memchr(s, 0, n))
		finding(c, "%s contains '/' or NUL", field);
	else if ((n == 1 && s[0] == '.') ||
		 (!dotdot_ok && n == 2 && s[0] == '.' && s[1] == '.'))
		finding(c, "%s is '%.*s'", field, (int)n, s);
}

static void check_mode(struct checker *c, const char *field, uint32_t mode,
		       uint32_t allowed_type)
{
	uint32_t t = mode & S_TYPEMASK;

	if (mode & ~(S_TYPEMASK | 07777))
		finding(c, "%s 0%o: bits 0%o outside type and permissions",
			field, mode, mode & ~(S_TYPEMASK | 07777));
	if (t && allowed_type != S_TYPEMASK && t != allowed_type)
		finding(c, "%s 0%o: file type 0%o not expected here", field,
			mode, t);
}

/* Tsetattr fields a clear valid bit leaves unused must be zero. */
static void check_setattr(struct checker *c, struct rd *r)
{
	static const struct { uint32_t bit; const char *name; int size; } f[] = {
		{ 0x001, "mode", 4 }, { 0x002, "uid", 4 }, { 0x004, "gid", 4 },
		{ 0x008, "size", 8 },
		{ 0x080, "atime_sec", 8 }, { 0x080, "atime_nsec", 8 },
		{ 0x100, "mtime_sec", 8 }, { 0x100, "mtime_nsec", 8 },
	};
	uint32_t valid;
	uint64_t v[8];
	size_t i;

	rd_skip(r, 4);	/* fid */
	valid = rd_num(r, 4);
	for (i = 0; i < 8; i++)
		v[i] = rd_num(r, f[i].size);
	if (r->short_msg)
		return;
	if (valid & ~SETATTR_ALL)
		finding(c, "valid 0x%x: undefined bits 0x%x must be zero", valid,
			valid & ~SETATTR_ALL);
	for (i = 0; i < 8; i++)
		if (!(valid & f[i].bit) && v[i])
			finding(c, "%s = 0x%llx with its valid bit 0x%x clear: must be zero",
				f[i].name, (unsigned long long)v[i], f[i].bit);
	if ((valid & 0x080) && !(valid & 0x010))
		finding(c, "valid 0x%x: ATIME_SET without ATIME", valid);
	if ((valid & 0x100) && !(valid & 0x020))
		finding(c, "valid 0x%x: MTIME_SET without MTIME", valid);
	if (v[5] >= 1000000000 || v[7] >= 1000000000)
		finding(c, "a nanosecond field is 1e9 or more");
	if (valid & 0x001)
		check_mode(c, "mode", (uint32_t)v[0], S_TYPEMASK);
}

static void check_msg(struct checker *c, const unsigned char *msg,
		      uint32_t size)
{
	struct rd r = { .p = msg, .len = size, .pos = HDRSZ };
	const unsigned char *s, *s2;
	uint64_t v, w;
	size_t n, i;

	c->type = msg[4];
	c->tag = get_le16(msg + 5);
	if (c->verbose)
		printf("message %lu (offset %zu) %s tag %u size %u\n", c->index,
		       c->at, msg_name(c->type), c->tag, size);
	if (c->type == TVERSION && c->tag != NOTAG)
		finding(c, "Tversion must carry NOTAG");
	if (c->type != TVERSION && c->tag == NOTAG)
		finding(c, "NOTAG on a request other than Tversion");
	switch (c->type) {
	case TVERSION:
		c->msize = rd_num(&r, 4);
		n = rd_str(&r, &s);
		if (s && (n != 8 || memcmp(s, "9P2000.L", 8)))
			finding(c, "version '%.*s'", (int)n, s);
		break;
	case TATTACH:
		rd_num(&r, 4);
		if (rd_num(&r, 4) != NOFID && !r.short_msg)
			finding(c, "afid is not NOFID (no Tauth is ever sent)");
		rd_str(&r, &s);
		rd_str(&r, &s);
		rd_num(&r, 4);
		break;
	case TAUTH:
		rd_num(&r, 4);
		rd_str(&r, &s);
		rd_str(&r, &s);
		rd_num(&r, 4);
		break;
	case TFLUSH:
		if (rd_num(&r, 2) == NOTAG && !r.short_msg)
			finding(c, "oldtag is NOTAG");
		break;
	case TWALK:
		rd_skip(&r, 8);
		n = rd_num(&r, 2);
		if (n > 16)
			finding(c, "nwname %zu > 16", n);
		for (i = 0; i < n && !r.short_msg; i++) {
			size_t l = rd_str(&r, &s);

			check_name(c, "wname", s, l, true);
		}
		break;
	case TLOPEN:
		rd_num(&r, 4);
		v = rd_num(&r, 4);
		if (!r.short_msg)
			check_flags(c, "flags", (uint32_t)v);
		break;
	case TLCREATE:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		w = rd_num(&r, 4);
		rd_num(&r, 4);
		if (!r.short_msg) {
			check_flags(c, "flags", (uint32_t)v);
			check_mode(c, "mode", (uint32_t)w, 0100000);
		}
		break;
	case TSYMLINK:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		n = rd_str(&r, &s2);
		if (s2 && !n)
			finding(c, "empty symlink target");
		rd_num(&r, 4);
		break;
	case TMKNOD:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		w = rd_num(&r, 4) | rd_num(&r, 4);
		rd_num(&r, 4);
		if (r.short_msg)
			break;
		if (v & ~(S_TYPEMASK | 07777))
			finding(c, "mode 0%o: bits outside type and permissions",
				(uint32_t)v);
		if ((v & S_TYPEMASK) != 020000 && (v & S_TYPEMASK) != 060000 && w)
			finding(c, "major/minor nonzero for mode 0%o (not a device)",
				(uint32_t)v);
		break;
	case TRENAME:
		rd_skip(&r, 8);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		break;
	case TGETATTR:
		rd_num(&r, 4);
		v = rd_num(&r, 8);
		if (!r.short_msg && (v & ~GETATTR_ALL))
			finding(c, "request_mask 0x%llx: undefined bits 0x%llx must be zero",
				(unsigned long long)v,
				(unsigned long long)(v & ~GETATTR_ALL));
		break;
	case TSETATTR:
		check_setattr(c, &r);
		break;
	case TXATTRWALK:
		rd_skip(&r, 8);
		rd_str(&r, &s);
		break;
	case TXATTRCREATE:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		if (s && !n)
			finding(c, "empty attribute name");
		rd_skip(&r, 8);
		v = rd_num(&r, 4);
		if (!r.short_msg && (v & ~3ull))
			finding(c, "flags 0x%llx: only XATTR_CREATE|XATTR_REPLACE are defined",
				(unsigned long long)v);
		break;
	case TREAD:
	case TREADDIR:
		rd_skip(&r, 12);
		v = rd_num(&r, 4);
		if (!r.short_msg && c->msize && v > c->msize - 11)
			finding(c, "count %llu: the reply could not fit msize %u",
				(unsigned long long)v, c->msize);
		break;
	case TWRITE:
		rd_skip(&r, 12);
		v = rd_num(&r, 4);
		rd_skip(&r, (size_t)v);
		if (!r.short_msg && c->msize && size > c->msize)
			finding(c, "size %u exceeds msize %u", size, c->msize);
		break;
	case TFSYNC:
		rd_num(&r, 4);
		v = rd_num(&r, 4);
		if (!r.short_msg && v > 1)
			finding(c, "datasync %llu: only 0 and 1 are defined",
				(unsigned long long)v);
		break;
	case TLOCK:
	case TGETLOCK:
		rd_num(&r, 4);
		v = rd_num(&r, 1);
		w = c->type == TLOCK ? rd_num(&r, 4) : 0;
		rd_skip(&r, 20);
		rd_str(&r, &s);
		if (r.short_msg)
			break;
		if (v > (c->type == TLOCK ? 2u : 1u))
			finding(c, "lock type %llu is not defined here",
				(unsigned long long)v);
		if (w & ~3ull)
			finding(c, "flags 0x%llx: only BLOCK|RECLAIM are defined",
				(unsigned long long)w);
		break;
	case TLINK:
		rd_skip(&r, 8);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		break;
	case TMKDIR:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		rd_num(&r, 4);
		if (!r.short_msg)
			check_mode(c, "mode", (uint32_t)v, 040000);
		break;
	case TRENAMEAT:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "oldname", s, n, false);
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "newname", s, n, false);
		break;
	case TUNLINKAT:
		rd_num(&r, 4);
		n = rd_str(&r, &s);
		check_name(c, "name", s, n, false);
		v = rd_num(&r, 4);
		if (!r.short_msg && (v & ~0x200ull))
			finding(c, "flags 0x%llx: only AT_REMOVEDIR is defined",
				(unsigned long long)v);
		break;
	case TSTATFS:
	case TREADLINK:
	case TCLUNK:
	case TREMOVE:
		rd_num(&r, 4);
		break;
	default:
		finding(c, "not a 9P2000.L request");
		return;
	}
	if (r.short_msg)
		finding(c, "size %u is too small for its fields", size);
	else if (r.pos != size)
		finding(c, "%zu byte(s) after the last field", size - r.pos);
}

/* Check the capture @path; returns 0: clean, 1: findings, 2: unreadable. */
int check_zero(const char *path, bool verbose)
{
	struct checker c = { .verbose = verbose };
	unsigned char *data = NULL;
	size_t len = 0, cap = 0, pos = 0;
	FILE *f = fopen(path, "rb");

	if (!f) {
		fprintf(stderr, "p9proxy: %s: %s\n", path, strerror(errno));
		return 2;
	}
	for (;;) {
		size_t n;

		if (cap - len < 65536) {
			unsigned char *p;

			cap = cap ? cap * 2 : 1 << 20;
			p = realloc(data, cap);
			if (!p) {
				fprintf(stderr, "p9proxy: out of memory\n");
				return 2;
			}
			data = p;
		}
		n = fread(data + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	fclose(f);
	while (pos < len) {
		uint32_t size;

		if (len - pos < HDRSZ) {
			printf("offset %zu: %zu stray byte(s) at the end\n", pos,
			       len - pos);
			c.findings++;
			break;
		}
		size = get_le32(data + pos);
		if (size < HDRSZ || size > len - pos) {
			printf("offset %zu: message size %u does not fit the capture\n",
			       pos, size);
			c.findings++;
			break;
		}
		c.at = pos;
		check_msg(&c, data + pos, size);
		c.msgs++;
		c.index++;
		pos += size;
	}
	free(data);
	printf("check-zero %s: %lu messages, %lu finding(s)\n", path, c.msgs,
	       c.findings);
	return c.findings ? 1 : 0;
}
