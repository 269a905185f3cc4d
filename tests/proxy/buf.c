// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: byte buffers (struct buf in p9proxy.h), what a session has read
 * from a peer and not yet passed on, or has to write to one.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "p9proxy.h"

size_t buf_used(const struct buf *b)
{
	return b->len - b->off;
}

/* Room for @need more bytes after len; moves the live part to the front. */
void buf_reserve(struct buf *b, size_t need)
{
	if (b->off && (b->off == b->len || b->cap - b->len < need)) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->cap - b->len < need) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *p;

		while (cap - b->len < need)
			cap *= 2;
		p = realloc(b->data, cap);
		if (!p) {
			plog("out of memory (%zu bytes)", cap);
			exit(3);
		}
		b->data = p;
		b->cap = cap;
	}
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

void buf_consume(struct buf *b, size_t n)
{
	b->off += n;
	if (b->off == b->len) {
		b->off = 0;
		b->len = 0;
	}
}

void buf_free(struct buf *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}
