// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the 9P2000.L wire code (fs/mrx9p/wire.c), built in
 * user space through tests/fuzz/wire_user.h.  scripts/fuzz.sh builds and
 * runs it; tests/fuzz/replay.c turns the same function into a plain program
 * that replays the corpus without libFuzzer.
 *
 * This file holds the entry points, which split the input into records,
 * and the fixed checks run once per process.  The checks of the records
 * are in fuzz_dec.c (replies) and fuzz_enc.c (requests), what they share
 * in fuzz_common.c and fuzz_wire.h.
 *
 * The input is a sequence of records:
 *
 *	sel[1] len[2, little-endian] body[len]
 *
 * (len is cut to what is left of the input).  Each body is copied into a
 * heap buffer of exactly its size, so any read or write outside it is an
 * AddressSanitizer report.
 *
 *   sel < 0x80:  a reply body for decoder sel % N_DEC (enum dec_sel):
 *		  every decoder of wire.h, a loop of p9_dec_dirent, the
 *		  Rreaddir sequence meta.c uses, p9_parse_header on 7 bytes,
 *		  a whole reply (header + body) dispatched on its type as the
 *		  client does, or all of them on the same body.
 *   sel >= 0x80: fields of a request for encoder (sel & 0x7f) % N_ENC
 *		  (enum enc_sel), the first two bytes giving the capacity of
 *		  the output buffer; or a program of p9_put_*() calls.
 *
 * Each decoder is checked against an independent little-endian reference
 * reader: same fields, same position, 0 if and only if the reference read
 * the body exactly (or, for p9_dec_count/p9_dec_dirent, without running
 * out), -EPROTO otherwise; r.pos never exceeds r.len; strings point inside
 * the body, right after their length field, with len within bounds, on
 * success and on error alike (NULL/0 when absent).
 *
 * Each encoder is checked against a reference serializer of the same
 * fields: the result is the exact message when it fits in cap, -EMSGSIZE
 * (and no write past cap) when it does not; the message then decodes back
 * field by field with the p9_get_*() readers.
 *
 * The selector values are also written by tests/fuzz/gen_corpus.py: keep
 * the two enums of fuzz_wire.h in step with it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_wire.h"

/* ---- fixed checks, once per process ---- */

static void self_test(void)
{
	static const u8 tversion[] = {
		21, 0, 0, 0, P9_TVERSION, 0xff, 0xff, 0x00, 0x20, 0, 0,
		8, 0, '9', 'P', '2', '0', '0', '0', '.', 'L'
	};
	const size_t big = 0x10000 + 5;
	struct p9_wbuf w;
	char *huge;
	u8 *buf;
	int ret;

	dec_wire_probe();

	/* Tversion of 9P2000.L is 21 bytes (as tests/kunit checks) */
	buf = fuzz_malloc(sizeof(tversion));
	ret = p9_enc_version(&w, buf, sizeof(tversion), 8192, P9_VERSION_L);
	CHECK(ret == (int)sizeof(tversion));
	CHECK(!memcmp(buf, tversion, sizeof(tversion)));
	/* one byte short: refused, nothing written past the end */
	ret = p9_enc_version(&w, buf, sizeof(tversion) - 1, 8192,
			     P9_VERSION_L);
	CHECK(ret == -EMSGSIZE);
	free(buf);

	/* a string longer than a 9P string can be */
	huge = fuzz_malloc(big + 1);
	memset(huge, 'x', big);
	huge[big] = 0;
	buf = fuzz_malloc(256);
	ret = p9_enc_version(&w, buf, 256, 8192, huge);
	CHECK(ret == -ENAMETOOLONG);
	CHECK(w.len <= w.cap);
	p9_enc_begin(&w, buf, 256, P9_TWALK, 1);
	p9_put_str(&w, huge, big);
	CHECK(w.err == -ENAMETOOLONG && w.len == P9_HDRSZ);
	/*
	 * Tattach with an over-long uname fails, but the next field's
	 * p9_reserve() replaces -ENAMETOOLONG by -EMSGSIZE: either is a
	 * refusal, which is all the fuzzer insists on.
	 */
	ret = p9_enc_attach(&w, buf, 256, 1, 0, P9_NOFID, huge, "", 0);
	CHECK(ret == -ENAMETOOLONG || ret == -EMSGSIZE);
	CHECK(w.len <= w.cap);
	free(buf);
	free(huge);

	/* Rlerror codes */
	CHECK(p9_errno(0) == -EIO);
	CHECK(p9_errno(1) == -1);
	CHECK(p9_errno(511) == -511);
	CHECK(p9_errno(512) == -EIO);
	CHECK(p9_errno(0xffffffff) == -EIO);
	CHECK(p9_errno(0x80000000) == -EIO);
}

/* ---- entry points ---- */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	self_test();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t pos = 0;
	int records = 0;
	u8 sel, *body;
	u32 len;

	while (pos < size && records++ < 256) {
		sel = data[pos++];
		len = 0;
		if (pos < size)
			len = data[pos++];
		if (pos < size)
			len |= (u32)data[pos++] << 8;
		if (len > size - pos)
			len = (u32)(size - pos);
		body = fuzz_heap_copy(data + pos, len);
		if (sel & 0x80)
			enc_run((sel & 0x7f) % N_ENC, body, len);
		else
			dec_run(sel % N_DEC, body, len);
		free(body);
		pos += len;
	}
	return 0;
}
