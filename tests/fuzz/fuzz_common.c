// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_wire: what the decoder and encoder checks share: reporting a
 * failed invariant, a little-endian reader, and exact-size heap buffers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_wire.h"

void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "fuzz_wire: invariant failed at %s:%d: %s\n",
		file, line, what);
	abort();
}

u32 fuzz_le(const u8 *p, int n)
{
	u32 v = 0;
	int i;

	for (i = 0; i < n; i++)
		v |= (u32)p[i] << (8 * i);
	return v;
}

/*
 * Exactly @len bytes, so that ASan reports any access past them; malloc(0)
 * gives a block in which every access is reported.
 */
void *fuzz_malloc(size_t len)
{
	void *p = malloc(len);

	if (!p && !len)
		p = malloc(1);
	if (!p)
		abort();
	return p;
}

/* An exact-size heap copy. */
u8 *fuzz_heap_copy(const u8 *src, size_t len)
{
	u8 *p = fuzz_malloc(len);

	if (len)
		memcpy(p, src, len);
	return p;
}
