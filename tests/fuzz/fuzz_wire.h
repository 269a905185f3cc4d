/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fuzz_wire: what the files of the fuzz target for fs/mrx9p/wire.c share:
 * the CHECK() of an invariant, exact-size heap buffers, the selectors of
 * the input records and the checks they pick.
 *
 *	fuzz_wire.c	the entry points (input records), fixed checks
 *	fuzz_dec.c	reply decoders against a reference reader
 *	fuzz_enc.c	request encoders against a reference serializer
 *	fuzz_common.c	failure reporting, little-endian reads, buffers
 */
#ifndef FUZZ_WIRE_H
#define FUZZ_WIRE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wire.h"

/* ---- fuzz_common.c ---- */

void __attribute__((noreturn))
fuzz_fail(const char *file, int line, const char *what);

/* An invariant: abort with where it is and what it says when it fails. */
#define CHECK(c)							\
	do {								\
		if (!(c))						\
			fuzz_fail(__FILE__, __LINE__, #c);		\
	} while (0)

u32 fuzz_le(const u8 *p, int n);
void *fuzz_malloc(size_t len);
u8 *fuzz_heap_copy(const u8 *src, size_t len);

/* ---- selectors (keep in step with gen_corpus.py) ---- */

enum dec_sel {
	D_LERROR, D_VERSION, D_QID, D_WALK, D_OPEN, D_COUNT, D_GETATTR,
	D_STATFS, D_EMPTY, D_STR, D_U64, D_U8, D_GETLOCK, D_DIRENTS,
	D_READDIR, D_HEADER, D_MESSAGE, D_ALL,
	N_DEC
};

enum enc_sel {
	E_VERSION, E_ATTACH, E_WALK, E_LOPEN, E_LCREATE, E_MKDIR, E_UNLINKAT,
	E_READ, E_WRITE_HDR, E_READDIR, E_FID_OP, E_GETATTR, E_SETATTR,
	E_SYMLINK, E_MKNOD, E_RENAME, E_RENAMEAT, E_LINK, E_FSYNC,
	E_XATTRWALK, E_XATTRCREATE, E_LOCK, E_GETLOCK, E_PUTS,
	N_ENC
};

/* ---- fuzz_dec.c ---- */

void dec_run(int sel, const u8 *d, u32 len);
void dec_wire_probe(void);

/* ---- fuzz_enc.c ---- */

void enc_run(int sel, const u8 *d, u32 len);

#endif /* FUZZ_WIRE_H */
