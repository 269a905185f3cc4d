// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_wire: the reply decoders of wire.c, each checked against an
 * independent little-endian reference reader (see fuzz_wire.c), and
 * dec_wire_probe(), which finds how p9_get_u64() behaves past the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_wire.h"

/* Read every byte of a range so ASan sees it. */
static void touch(const void *p, size_t len)
{
	const volatile u8 *b = p;
	volatile u8 sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += b[i];
	(void)sum;
}

/* ---- the reference reader for replies ---- */

struct ref {
	const u8 *p;
	u32 len;
	u32 pos;
	bool bad;
};

static void ref_init(struct ref *f, const u8 *p, u32 len)
{
	f->p = p;
	f->len = len;
	f->pos = 0;
	f->bad = false;
}

/*
 * wire.h promises zeroes for any read past the end, but p9_get_u64() is two
 * p9_get_u32() calls: with 4 to 7 bytes left it returns the low half and
 * consumes 4 bytes before failing.  No caller uses a value once the decoder
 * has failed, so this is modelled, not reported, unless the harness is
 * built with -DFUZZ_STRICT; dec_wire_probe() finds which behaviour wire.c
 * has.
 */
static bool u64_split;

static u64 ref_get(struct ref *f, u32 n)
{
	u64 v = 0, hi;
	u32 i;

	if (n == 8 && u64_split) {
		v = ref_get(f, 4);
		hi = ref_get(f, 4);
		return v | hi << 32;
	}
	if (f->bad || n > f->len - f->pos) {
		f->bad = true;
		return 0;
	}
	for (i = 0; i < n; i++)
		v |= (u64)f->p[f->pos + i] << (8 * i);
	f->pos += n;
	return v;
}

/* A string: its bytes' address (NULL once the reader went bad). */
static const u8 *ref_str(struct ref *f, u16 *len)
{
	u16 n = (u16)ref_get(f, 2);
	const u8 *s;

	*len = 0;
	if (f->bad || n > f->len - f->pos) {
		f->bad = true;
		return NULL;
	}
	s = f->p + f->pos;
	f->pos += n;
	*len = n;
	return s;
}

static bool ref_done(const struct ref *f)
{
	return !f->bad && f->pos == f->len;
}

static void ref_qid_check(struct ref *f, const struct p9_qid *q)
{
	CHECK(q->type == (u8)ref_get(f, 1));
	CHECK(q->version == (u32)ref_get(f, 4));
	CHECK(q->path == ref_get(f, 8));
}

/* The decoded string must be the reference's, and lie inside the body. */
static void str_check(struct ref *f, const struct p9_str *s)
{
	uintptr_t b = (uintptr_t)f->p, p = (uintptr_t)s->s;
	const u8 *want;
	u16 len;

	want = ref_str(f, &len);
	if (!s->s) {
		CHECK(s->len == 0);
		CHECK(want == NULL);
		return;
	}
	CHECK(p >= b + 2 && p <= b + f->len);
	CHECK(s->len <= b + f->len - p);
	CHECK(fuzz_le((const u8 *)s->s - 2, 2) == s->len);
	CHECK((const u8 *)s->s == want && s->len == len);
	touch(s->s, s->len);
}

static void rbuf_check(const struct p9_rbuf *r, const struct ref *f, int ret)
{
	CHECK(r->data == f->p);
	CHECK(r->len == f->len);
	CHECK(r->pos <= r->len);
	CHECK(r->pos == f->pos);
	CHECK(ret == r->err);
	CHECK(ret == 0 || ret == -EPROTO);
}

/* The decoder's verdict: 0 when the reference agrees it is well formed. */
static void verdict(int ret, bool ok)
{
	CHECK(ret == (ok ? 0 : -EPROTO));
}

/* ---- decoders ---- */

#define POISON(x)	memset(&(x), 0xa5, sizeof(x))

static void dec_lerror(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	u32 ecode;
	int ret, e;

	POISON(ecode);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_lerror(&r, &ecode);
	CHECK(ecode == (u32)ref_get(&f, 4));
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));

	e = p9_errno(ecode);
	CHECK(e < 0 && e > -512);
	if (ecode == 0 || ecode >= 512)
		CHECK(e == -EIO);
	else
		CHECK(e == -(int)ecode);
}

static void dec_version(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct p9_str v;
	struct ref f;
	u32 msize;
	int ret;

	POISON(msize);
	POISON(v);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_version(&r, &msize, &v);
	CHECK(msize == (u32)ref_get(&f, 4));
	str_check(&f, &v);
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	if (!ret)
		CHECK(v.s != NULL);
}

static void dec_qid(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct p9_qid q;
	struct ref f;
	int ret;

	POISON(q);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_qid(&r, &q);
	ref_qid_check(&f, &q);
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	CHECK(!ret == (len == P9_QIDSZ));
}

static void dec_walk(const u8 *d, u32 len)
{
	/* exactly P9_MAXWELEM slots, as fid.c passes: ASan sees any more */
	struct p9_qid *qids = fuzz_malloc(P9_MAXWELEM * sizeof(*qids));
	unsigned int nwqid, n, i;
	struct p9_rbuf r;
	struct ref f;
	int ret;

	memset(qids, 0xa5, P9_MAXWELEM * sizeof(*qids));
	POISON(nwqid);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_walk(&r, P9_MAXWELEM, &nwqid, qids);
	n = (unsigned int)ref_get(&f, 2);
	if (!f.bad && n > P9_MAXWELEM) {
		/* too many: refused before reading any qid */
		rbuf_check(&r, &f, ret);
		verdict(ret, false);
		free(qids);
		return;
	}
	for (i = 0; i < n; i++)
		ref_qid_check(&f, &qids[i]);
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	if (!ret) {
		CHECK(nwqid == n && nwqid <= P9_MAXWELEM);
		CHECK(len == 2 + P9_QIDSZ * n);
	}
	free(qids);
}

static void dec_open(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct p9_qid q;
	struct ref f;
	u32 iounit;
	int ret;

	POISON(q);
	POISON(iounit);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_open(&r, &q, &iounit);
	ref_qid_check(&f, &q);
	CHECK(iounit == (u32)ref_get(&f, 4));
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	CHECK(!ret == (len == P9_QIDSZ + 4));
}

static void dec_count(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	u32 count;
	int ret;

	POISON(count);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_count(&r, &count);
	CHECK(count == (u32)ref_get(&f, 4));
	rbuf_check(&r, &f, ret);
	/* data may follow: only running out is an error */
	verdict(ret, !f.bad);
	CHECK(!ret == (len >= 4));
}

static void dec_getattr(const u8 *d, u32 len)
{
	struct p9_getattr ga;
	struct p9_rbuf r;
	struct ref f;
	int ret;

	POISON(ga);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_getattr(&r, &ga);
	CHECK(ga.valid == ref_get(&f, 8));
	ref_qid_check(&f, &ga.qid);
	CHECK(ga.mode == (u32)ref_get(&f, 4));
	CHECK(ga.uid == (u32)ref_get(&f, 4));
	CHECK(ga.gid == (u32)ref_get(&f, 4));
	CHECK(ga.nlink == ref_get(&f, 8));
	CHECK(ga.rdev == ref_get(&f, 8));
	CHECK(ga.size == ref_get(&f, 8));
	CHECK(ga.blksize == ref_get(&f, 8));
	CHECK(ga.blocks == ref_get(&f, 8));
	CHECK(ga.atime_sec == ref_get(&f, 8));
	CHECK(ga.atime_nsec == ref_get(&f, 8));
	CHECK(ga.mtime_sec == ref_get(&f, 8));
	CHECK(ga.mtime_nsec == ref_get(&f, 8));
	CHECK(ga.ctime_sec == ref_get(&f, 8));
	CHECK(ga.ctime_nsec == ref_get(&f, 8));
	CHECK(ga.btime_sec == ref_get(&f, 8));
	CHECK(ga.btime_nsec == ref_get(&f, 8));
	CHECK(ga.gen == ref_get(&f, 8));
	CHECK(ga.data_version == ref_get(&f, 8));
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	CHECK(!ret == (len == 153));
}

static void dec_statfs(const u8 *d, u32 len)
{
	struct p9_statfs st;
	struct p9_rbuf r;
	struct ref f;
	int ret;

	POISON(st);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_statfs(&r, &st);
	CHECK(st.type == (u32)ref_get(&f, 4));
	CHECK(st.bsize == (u32)ref_get(&f, 4));
	CHECK(st.blocks == ref_get(&f, 8));
	CHECK(st.bfree == ref_get(&f, 8));
	CHECK(st.bavail == ref_get(&f, 8));
	CHECK(st.files == ref_get(&f, 8));
	CHECK(st.ffree == ref_get(&f, 8));
	CHECK(st.fsid == ref_get(&f, 8));
	CHECK(st.namelen == (u32)ref_get(&f, 4));
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	CHECK(!ret == (len == 60));
}

static void dec_empty(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	int ret;

	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_empty(&r);
	rbuf_check(&r, &f, ret);
	verdict(ret, len == 0);
}

static void dec_str(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct p9_str s;
	struct ref f;
	int ret;

	POISON(s);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_str(&r, &s);
	str_check(&f, &s);
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	if (!ret)
		CHECK(s.s != NULL && len == 2u + s.len);
}

static void dec_u64(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	u64 v;
	int ret;

	POISON(v);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_u64(&r, &v);
	CHECK(v == ref_get(&f, 8));
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	CHECK(!ret == (len == 8));
}

static void dec_u8(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	int ret;
	u8 v;

	POISON(v);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_u8(&r, &v);
	CHECK(v == (u8)ref_get(&f, 1));
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	CHECK(!ret == (len == 1));
}

static void dec_getlock(const u8 *d, u32 len)
{
	struct p9_flock fl;
	struct p9_rbuf r;
	struct ref f;
	int ret;

	POISON(fl);
	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_getlock(&r, &fl);
	CHECK(fl.type == (u8)ref_get(&f, 1));
	CHECK(fl.flags == 0);
	CHECK(fl.start == ref_get(&f, 8));
	CHECK(fl.length == ref_get(&f, 8));
	CHECK(fl.proc_id == (u32)ref_get(&f, 4));
	str_check(&f, &fl.client_id);
	rbuf_check(&r, &f, ret);
	verdict(ret, ref_done(&f));
	if (!ret)
		CHECK(fl.client_id.s && len == 23u + fl.client_id.len);
}

/*
 * Entries one by one from the current position until the buffer ends or
 * an entry is malformed; returns the number of good entries.
 */
static unsigned int dirent_loop(struct p9_rbuf *r, struct ref *f)
{
	unsigned int n = 0;
	struct p9_dirent de;
	u32 before;
	int ret;

	while (r->pos < r->len) {
		before = r->pos;
		POISON(de);
		ret = p9_dec_dirent(r, &de);
		ref_qid_check(f, &de.qid);
		CHECK(de.offset == ref_get(f, 8));
		CHECK(de.type == (u8)ref_get(f, 1));
		str_check(f, &de.name);
		rbuf_check(r, f, ret);
		verdict(ret, !f->bad);
		if (ret) {
			/* the error sticks and nothing moves */
			POISON(de);
			CHECK(p9_dec_dirent(r, &de) == -EPROTO);
			CHECK(r->pos == f->pos && de.name.s == NULL);
			break;
		}
		/* qid[13] offset[8] type[1] name[s]: at least 24 bytes */
		CHECK(r->pos - before == 24u + de.name.len);
		n++;
	}
	return n;
}

static void dec_dirents(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	unsigned int n;

	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	n = dirent_loop(&r, &f);
	CHECK(n <= len / 24);
}

/* Rreaddir as meta.c reads it: count[4] == what follows, then entries. */
static void dec_readdir(const u8 *d, u32 len)
{
	struct p9_rbuf r;
	struct ref f;
	u32 count;
	int ret;

	p9_rbuf_init(&r, d, len);
	ref_init(&f, d, len);
	ret = p9_dec_count(&r, &count);
	CHECK(count == (u32)ref_get(&f, 4));
	rbuf_check(&r, &f, ret);
	if (ret || count != r.len - r.pos)
		return;
	dirent_loop(&r, &f);
}

/* p9_parse_header on exactly 7 bytes (the body's first, zero-padded). */
static void dec_header(const u8 *d, u32 len)
{
	u8 *hdr = fuzz_malloc(P9_HDRSZ);
	u32 size;
	u16 tag;
	u8 type;

	memset(hdr, 0, P9_HDRSZ);
	memcpy(hdr, d, len < P9_HDRSZ ? len : P9_HDRSZ);
	p9_parse_header(hdr, &size, &type, &tag);
	CHECK(size == fuzz_le(hdr, 4));
	CHECK(type == hdr[4]);
	CHECK(tag == fuzz_le(hdr + 5, 2));
	free(hdr);
}

/* A whole reply: header, then the body's decoder picked by its type. */
static void dec_message(const u8 *d, u32 len)
{
	u8 *hdr, *body;
	int sel = -1;
	u32 size;
	u16 tag;
	u8 type;

	if (len < P9_HDRSZ)
		return;
	hdr = fuzz_heap_copy(d, P9_HDRSZ);
	p9_parse_header(hdr, &size, &type, &tag);
	free(hdr);
	CHECK(size == fuzz_le(d, 4) && type == d[4] &&
	      tag == fuzz_le(d + 5, 2));
	if (size != len)
		return;		/* the client rejects or splits it */

	switch (type) {
	case P9_RLERROR:	sel = D_LERROR; break;
	case P9_RVERSION:	sel = D_VERSION; break;
	case P9_RATTACH: case P9_RMKDIR: case P9_RSYMLINK: case P9_RMKNOD:
				sel = D_QID; break;
	case P9_RWALK:		sel = D_WALK; break;
	case P9_RLOPEN: case P9_RLCREATE:
				sel = D_OPEN; break;
	case P9_RREAD: case P9_RWRITE:
				sel = D_COUNT; break;
	case P9_RGETATTR:	sel = D_GETATTR; break;
	case P9_RSTATFS:	sel = D_STATFS; break;
	case P9_RREADLINK:	sel = D_STR; break;
	case P9_RXATTRWALK:	sel = D_U64; break;
	case P9_RLOCK:		sel = D_U8; break;
	case P9_RGETLOCK:	sel = D_GETLOCK; break;
	case P9_RREADDIR:	sel = D_READDIR; break;
	case P9_RCLUNK: case P9_RREMOVE: case P9_RFLUSH: case P9_RSETATTR:
	case P9_RRENAME: case P9_RLINK: case P9_RFSYNC: case P9_RRENAMEAT:
	case P9_RUNLINKAT: case P9_RXATTRCREATE:
				sel = D_EMPTY; break;
	default:
		return;
	}
	/* the body alone, in a buffer of its own exact size */
	body = fuzz_heap_copy(d + P9_HDRSZ, len - P9_HDRSZ);
	dec_run(sel, body, len - P9_HDRSZ);
	free(body);
}

/* The check @sel (enum dec_sel) of the reply body @d of @len bytes. */
void dec_run(int sel, const u8 *d, u32 len)
{
	int i;

	switch (sel) {
	case D_LERROR:	dec_lerror(d, len); break;
	case D_VERSION:	dec_version(d, len); break;
	case D_QID:	dec_qid(d, len); break;
	case D_WALK:	dec_walk(d, len); break;
	case D_OPEN:	dec_open(d, len); break;
	case D_COUNT:	dec_count(d, len); break;
	case D_GETATTR:	dec_getattr(d, len); break;
	case D_STATFS:	dec_statfs(d, len); break;
	case D_EMPTY:	dec_empty(d, len); break;
	case D_STR:	dec_str(d, len); break;
	case D_U64:	dec_u64(d, len); break;
	case D_U8:	dec_u8(d, len); break;
	case D_GETLOCK:	dec_getlock(d, len); break;
	case D_DIRENTS:	dec_dirents(d, len); break;
	case D_READDIR:	dec_readdir(d, len); break;
	case D_HEADER:	dec_header(d, len); break;
	case D_MESSAGE:	dec_message(d, len); break;
	case D_ALL:
		for (i = 0; i < D_ALL; i++)
			dec_run(i, d, len);
		break;
	}
}

/* ---- how wire.c reads past the end, once per process ---- */

/* Which of the two p9_get_u64() behaviours above wire.c has. */
void dec_wire_probe(void)
{
	static const u8 six[6] = { 1, 2, 3, 4, 5, 6 };
	u8 *d = fuzz_heap_copy(six, sizeof(six));
	struct p9_rbuf r;
	u64 v;

	p9_rbuf_init(&r, d, sizeof(six));
	v = p9_get_u64(&r);
	CHECK(r.err == -EPROTO);
	if (v == 0 && r.pos == 0) {
		u64_split = false;
	} else {
		CHECK(v == 0x04030201 && r.pos == 4);
#ifdef FUZZ_STRICT
		fuzz_fail(__FILE__, __LINE__,
			  "p9_get_u64 returns a partial value past the end");
#endif
		u64_split = true;
		fprintf(stderr, "fuzz_wire: note: p9_get_u64() past the end "
			"yields the low half, not 0 (modelled)\n");
	}
	free(d);
}
