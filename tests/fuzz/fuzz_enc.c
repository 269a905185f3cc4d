// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_wire: the request encoders of wire.c, each checked against a
 * reference serializer of the same fields (see fuzz_wire.c), and a
 * program of p9_put_*() calls checked against a model of the buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_wire.h"

/* Fuzzed fields for a request, little-endian; zeroes past the end. */
struct in {
	const u8 *p;
	u32 len;
	u32 pos;
};

static u64 in_get(struct in *in, u32 n)
{
	u64 v = 0;
	u32 i;

	for (i = 0; i < n && in->pos < in->len; i++)
		v |= (u64)in->p[in->pos++] << (8 * i);
	return v;
}

/* A name: length[2] (12 bits, cut to what is left) then its bytes. */
static void in_str(struct in *in, struct p9_str *s)
{
	u32 n = (u32)in_get(in, 2) & 0xfff;

	if (n > in->len - in->pos)
		n = in->len - in->pos;
	s->s = (const char *)in->p + in->pos;
	s->len = (u16)n;
	in->pos += n;
}

/* A NUL-terminated copy of a name (for Tversion and Tattach). */
static char *in_cstr(struct in *in)
{
	struct p9_str s;
	char *c;

	in_str(in, &s);
	c = fuzz_malloc(s.len + 1u);
	if (s.len)
		memcpy(c, s.s, s.len);
	c[s.len] = 0;
	return c;
}

/* The request as the reference serializer sees it. */
#define MAXFLD	64
struct req {
	u8 type;
	u16 tag;
	int n;
	struct fld {
		char kind;		/* 1, 2, 4, 8: integer; 's': string */
		u64 v;
		const char *s;
		u16 slen;
	} f[MAXFLD];
};

static void req_init(struct req *q, u8 type, u16 tag)
{
	q->type = type;
	q->tag = tag;
	q->n = 0;
}

static void req_int(struct req *q, char kind, u64 v)
{
	CHECK(q->n < MAXFLD);
	q->f[q->n].kind = kind;
	q->f[q->n].v = v;
	q->n++;
}

static void req_str(struct req *q, const struct p9_str *s)
{
	CHECK(q->n < MAXFLD);
	q->f[q->n].kind = 's';
	q->f[q->n].s = s->s;
	q->f[q->n].slen = s->len;
	q->n++;
}

static void put_le(u8 *p, u64 v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

/* Serialize @q into @out (NULL: just measure); returns the length. */
static u32 req_encode(const struct req *q, u8 *out, u32 extra)
{
	u32 len = P9_HDRSZ;
	int i;

	for (i = 0; i < q->n; i++) {
		const struct fld *f = &q->f[i];

		if (f->kind == 's') {
			if (out) {
				put_le(out + len, f->slen, 2);
				if (f->slen)
					memcpy(out + len + 2, f->s, f->slen);
			}
			len += 2u + f->slen;
		} else {
			if (out)
				put_le(out + len, f->v, f->kind);
			len += (u32)f->kind;
		}
	}
	if (out) {
		put_le(out, len + extra, 4);
		out[4] = q->type;
		put_le(out + 5, q->tag, 2);
	}
	return len;
}

/* Read the message back with the wire.c readers, field by field. */
static void req_decode(const struct req *q, const u8 *msg, u32 len, u32 extra)
{
	struct p9_rbuf r;
	struct p9_str s;
	u32 size;
	u16 tag;
	u8 type;
	int i;

	p9_parse_header(msg, &size, &type, &tag);
	CHECK(size == len + extra && type == q->type && tag == q->tag);
	p9_rbuf_init(&r, msg + P9_HDRSZ, len - P9_HDRSZ);
	for (i = 0; i < q->n; i++) {
		const struct fld *f = &q->f[i];

		switch (f->kind) {
		case 1: CHECK(p9_get_u8(&r) == (u8)f->v); break;
		case 2: CHECK(p9_get_u16(&r) == (u16)f->v); break;
		case 4: CHECK(p9_get_u32(&r) == (u32)f->v); break;
		case 8: CHECK(p9_get_u64(&r) == f->v); break;
		case 's':
			p9_get_str(&r, &s);
			CHECK(s.s && s.len == f->slen);
			CHECK(!f->slen || !memcmp(s.s, f->s, f->slen));
			break;
		}
	}
	CHECK(!r.err && r.pos == r.len);
}

/*
 * The encoder returned @ret into @buf of @cap bytes: it must be exactly
 * the reference message when that fits, -EMSGSIZE when it does not.
 */
static void enc_check(const struct req *q, const struct p9_wbuf *w,
		      const u8 *buf, u32 cap, int ret, u32 extra)
{
	u32 len = req_encode(q, NULL, extra);
	u8 *want;

	CHECK(w->data == buf && w->cap == cap && w->len <= w->cap);
	if (len > cap) {
		CHECK(ret == -EMSGSIZE);
		CHECK(w->err == -EMSGSIZE);
		return;
	}
	CHECK(ret >= 0 && (u32)ret == len && (u32)ret <= cap);
	CHECK(w->err == 0 && w->len == len);
	want = fuzz_malloc(len);
	req_encode(q, want, extra);
	CHECK(!memcmp(buf, want, len));
	free(want);
	req_decode(q, buf, len, extra);
}

/*
 * A program of p9_put_*() calls against a model of the buffer: each field
 * is written whole or not at all, the first that does not fit sets
 * -EMSGSIZE and nothing is written after it.
 */
struct model {
	u8 *ref;
	u32 len;
	u32 cap;
	int err;
};

static void model_put(struct model *m, const void *p, u32 n)
{
	if (m->err || n > m->cap - m->len) {
		m->err = -EMSGSIZE;
		return;
	}
	if (n)
		memcpy(m->ref + m->len, p, n);
	m->len += n;
}

static void model_int(struct model *m, u64 v, int n)
{
	u8 b[8];

	if (n == 8) {	/* p9_put_u64 is two p9_put_u32 */
		model_int(m, (u32)v, 4);
		model_int(m, (u32)(v >> 32), 4);
		return;
	}
	put_le(b, v, n);
	model_put(m, b, (u32)n);
}

static void model_check(const struct model *m, const struct p9_wbuf *w)
{
	CHECK(w->len == m->len && w->err == m->err && w->len <= w->cap);
}

static void enc_puts(struct in *in)
{
	u32 cap = (u32)in_get(in, 2) & 0x3ff;
	u8 type = (u8)in_get(in, 1);
	u16 tag = (u16)in_get(in, 2);
	u8 *buf = fuzz_malloc(cap);
	struct p9_wbuf w;
	struct model m;
	struct p9_str s;
	int ret, op;
	u64 v;

	m.ref = fuzz_malloc(cap);
	m.len = 0;
	m.cap = cap;
	m.err = 0;
	p9_enc_begin(&w, buf, cap, type, tag);
	model_int(&m, 0, 4);
	model_int(&m, type, 1);
	model_int(&m, tag, 2);
	model_check(&m, &w);

	while (in->pos < in->len) {
		op = (int)(in_get(in, 1) % 6);
		switch (op) {
		case 0: v = in_get(in, 1); p9_put_u8(&w, (u8)v); model_int(&m, v, 1); break;
		case 1: v = in_get(in, 2); p9_put_u16(&w, (u16)v); model_int(&m, v, 2); break;
		case 2: v = in_get(in, 4); p9_put_u32(&w, (u32)v); model_int(&m, v, 4); break;
		case 3: v = in_get(in, 8); p9_put_u64(&w, v); model_int(&m, v, 8); break;
		case 4:
			in_str(in, &s);
			p9_put_str(&w, s.s, s.len);
			model_int(&m, s.len, 2);
			model_put(&m, s.s, s.len);
			break;
		case 5:
			in_str(in, &s);
			p9_put_bytes(&w, s.s, s.len);
			model_put(&m, s.s, s.len);
			break;
		}
		model_check(&m, &w);
	}
	ret = p9_enc_end(&w);
	if (m.err) {
		CHECK(ret == m.err);
	} else {
		CHECK(ret >= 0 && (u32)ret == m.len && m.len <= cap);
		CHECK(fuzz_le(buf, 4) == m.len);
		CHECK(m.len == 4 || !memcmp(buf + 4, m.ref + 4, m.len - 4));
	}
	free(m.ref);
	free(buf);
}

/* The check @sel (enum enc_sel) of a request made of the fields in @d. */
void enc_run(int sel, const u8 *d, u32 len)
{
	struct in in = { d, len, 0 };
	struct p9_str s1, s2, *names;
	struct p9_setattr sa;
	struct p9_flock fl;
	struct p9_wbuf w;
	u32 cap, a, b, c, e, x;
	unsigned int nw, i;
	char *c1, *c2;
	struct req q;
	u64 v;
	u16 tag;
	u8 *buf;
	int ret;

	if (sel == E_PUTS) {
		enc_puts(&in);
		return;
	}
	/* a small buffer, so that most requests overflow some of the time */
	cap = (u32)in_get(&in, 2) & 0x1fff;
	tag = (u16)in_get(&in, 2);
	buf = fuzz_malloc(cap);
	memset(&w, 0, sizeof(w));

	switch (sel) {
	case E_VERSION:
		a = (u32)in_get(&in, 4);
		c1 = in_cstr(&in);
		s1.s = c1;
		s1.len = (u16)strlen(c1);
		ret = p9_enc_version(&w, buf, cap, a, c1);
		req_init(&q, P9_TVERSION, P9_NOTAG);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		enc_check(&q, &w, buf, cap, ret, 0);
		free(c1);
		break;
	case E_ATTACH:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		c = (u32)in_get(&in, 4);
		c1 = in_cstr(&in);
		c2 = in_cstr(&in);
		ret = p9_enc_attach(&w, buf, cap, tag, a, b, c1, c2, c);
		req_init(&q, P9_TATTACH, tag);
		req_int(&q, 4, a);
		req_int(&q, 4, b);
		s1.s = c1;
		s1.len = (u16)strlen(c1);
		req_str(&q, &s1);
		s2.s = c2;
		s2.len = (u16)strlen(c2);
		req_str(&q, &s2);
		req_int(&q, 4, c);
		enc_check(&q, &w, buf, cap, ret, 0);
		free(c1);
		free(c2);
		break;
	case E_WALK:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		nw = (unsigned int)(in_get(&in, 1) % (P9_MAXWELEM + 4));
		/* exactly nw names: ASan sees a read of one more */
		names = fuzz_malloc((nw ? nw : 1) * sizeof(*names));
		for (i = 0; i < nw; i++)
			in_str(&in, &names[i]);
		ret = p9_enc_walk(&w, buf, cap, tag, a, b, nw, names);
		if (nw > P9_MAXWELEM) {
			CHECK(ret == -EINVAL);
			free(names);
			break;
		}
		req_init(&q, P9_TWALK, tag);
		req_int(&q, 4, a);
		req_int(&q, 4, b);
		req_int(&q, 2, nw);
		for (i = 0; i < nw; i++)
			req_str(&q, &names[i]);
		enc_check(&q, &w, buf, cap, ret, 0);
		free(names);
		break;
	case E_LOPEN:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		ret = p9_enc_lopen(&w, buf, cap, tag, a, b);
		req_init(&q, P9_TLOPEN, tag);
		req_int(&q, 4, a);
		req_int(&q, 4, b);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_LCREATE:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		c = (u32)in_get(&in, 4);
		e = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		ret = p9_enc_lcreate(&w, buf, cap, tag, a, &s1, b, c, e);
		req_init(&q, P9_TLCREATE, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_int(&q, 4, b);
		req_int(&q, 4, c);
		req_int(&q, 4, e);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_MKDIR:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		c = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		ret = p9_enc_mkdir(&w, buf, cap, tag, a, &s1, b, c);
		req_init(&q, P9_TMKDIR, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_int(&q, 4, b);
		req_int(&q, 4, c);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_UNLINKAT:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		ret = p9_enc_unlinkat(&w, buf, cap, tag, a, &s1, b);
		req_init(&q, P9_TUNLINKAT, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_int(&q, 4, b);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_READ:
	case E_READDIR:
		a = (u32)in_get(&in, 4);
		v = in_get(&in, 8);
		b = (u32)in_get(&in, 4);
		if (sel == E_READ)
			ret = p9_enc_read(&w, buf, cap, tag, a, v, b);
		else
			ret = p9_enc_readdir(&w, buf, cap, tag, a, v, b);
		req_init(&q, sel == E_READ ? P9_TREAD : P9_TREADDIR, tag);
		req_int(&q, 4, a);
		req_int(&q, 8, v);
		req_int(&q, 4, b);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_WRITE_HDR:
		a = (u32)in_get(&in, 4);
		v = in_get(&in, 8);
		b = (u32)in_get(&in, 4);
		if (in_get(&in, 1) & 1)
			b &= 0x1fff;	/* often a count that may fit */
		ret = p9_enc_write_hdr(&w, buf, cap, tag, a, v, b);
		req_init(&q, P9_TWRITE, tag);
		req_int(&q, 4, a);
		req_int(&q, 8, v);
		req_int(&q, 4, b);
		x = req_encode(&q, NULL, 0);	/* 23 */
		CHECK(x == P9_IOHDRSZ - 1);
		if (x > cap || b > cap - x) {
			/* header and data do not fit */
			CHECK(ret == -EMSGSIZE);
			CHECK(w.len <= w.cap);
			break;
		}
		/* the header only, its size covering the data to come */
		enc_check(&q, &w, buf, cap, ret, b);
		break;
	case E_FID_OP:
		x = (u32)in_get(&in, 1);
		a = (u32)in_get(&in, 4);
		ret = p9_enc_fid_op(&w, buf, cap, (u8)x, tag, a);
		req_init(&q, (u8)x, tag);
		req_int(&q, 4, a);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_GETATTR:
		a = (u32)in_get(&in, 4);
		v = in_get(&in, 8);
		ret = p9_enc_getattr(&w, buf, cap, tag, a, v);
		req_init(&q, P9_TGETATTR, tag);
		req_int(&q, 4, a);
		req_int(&q, 8, v);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_SETATTR:
		a = (u32)in_get(&in, 4);
		sa.valid = (u32)in_get(&in, 4);
		sa.mode = (u32)in_get(&in, 4);
		sa.uid = (u32)in_get(&in, 4);
		sa.gid = (u32)in_get(&in, 4);
		sa.size = in_get(&in, 8);
		sa.atime_sec = in_get(&in, 8);
		sa.atime_nsec = in_get(&in, 8);
		sa.mtime_sec = in_get(&in, 8);
		sa.mtime_nsec = in_get(&in, 8);
		ret = p9_enc_setattr(&w, buf, cap, tag, a, &sa);
		req_init(&q, P9_TSETATTR, tag);
		req_int(&q, 4, a);
		req_int(&q, 4, sa.valid);
		req_int(&q, 4, sa.mode);
		req_int(&q, 4, sa.uid);
		req_int(&q, 4, sa.gid);
		req_int(&q, 8, sa.size);
		req_int(&q, 8, sa.atime_sec);
		req_int(&q, 8, sa.atime_nsec);
		req_int(&q, 8, sa.mtime_sec);
		req_int(&q, 8, sa.mtime_nsec);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_SYMLINK:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		in_str(&in, &s2);
		ret = p9_enc_symlink(&w, buf, cap, tag, a, &s1, &s2, b);
		req_init(&q, P9_TSYMLINK, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_str(&q, &s2);
		req_int(&q, 4, b);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_MKNOD:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		c = (u32)in_get(&in, 4);
		e = (u32)in_get(&in, 4);
		x = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		ret = p9_enc_mknod(&w, buf, cap, tag, a, &s1, b, c, e, x);
		req_init(&q, P9_TMKNOD, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_int(&q, 4, b);
		req_int(&q, 4, c);
		req_int(&q, 4, e);
		req_int(&q, 4, x);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_RENAME:
	case E_LINK:
	case E_XATTRWALK:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		if (sel == E_RENAME) {
			ret = p9_enc_rename(&w, buf, cap, tag, a, b, &s1);
			req_init(&q, P9_TRENAME, tag);
		} else if (sel == E_LINK) {
			ret = p9_enc_link(&w, buf, cap, tag, a, b, &s1);
			req_init(&q, P9_TLINK, tag);
		} else {
			ret = p9_enc_xattrwalk(&w, buf, cap, tag, a, b, &s1);
			req_init(&q, P9_TXATTRWALK, tag);
		}
		req_int(&q, 4, a);
		req_int(&q, 4, b);
		req_str(&q, &s1);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_RENAMEAT:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		in_str(&in, &s2);
		ret = p9_enc_renameat(&w, buf, cap, tag, a, &s1, b, &s2);
		req_init(&q, P9_TRENAMEAT, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_int(&q, 4, b);
		req_str(&q, &s2);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_FSYNC:
		a = (u32)in_get(&in, 4);
		b = (u32)in_get(&in, 4);
		ret = p9_enc_fsync(&w, buf, cap, tag, a, b);
		req_init(&q, P9_TFSYNC, tag);
		req_int(&q, 4, a);
		req_int(&q, 4, b);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_XATTRCREATE:
		a = (u32)in_get(&in, 4);
		v = in_get(&in, 8);
		b = (u32)in_get(&in, 4);
		in_str(&in, &s1);
		ret = p9_enc_xattrcreate(&w, buf, cap, tag, a, &s1, v, b);
		req_init(&q, P9_TXATTRCREATE, tag);
		req_int(&q, 4, a);
		req_str(&q, &s1);
		req_int(&q, 8, v);
		req_int(&q, 4, b);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	case E_LOCK:
	case E_GETLOCK:
		a = (u32)in_get(&in, 4);
		fl.type = (u8)in_get(&in, 1);
		fl.flags = (u32)in_get(&in, 4);
		fl.start = in_get(&in, 8);
		fl.length = in_get(&in, 8);
		fl.proc_id = (u32)in_get(&in, 4);
		in_str(&in, &fl.client_id);
		if (sel == E_LOCK)
			ret = p9_enc_lock(&w, buf, cap, tag, a, &fl);
		else
			ret = p9_enc_getlock(&w, buf, cap, tag, a, &fl);
		req_init(&q, sel == E_LOCK ? P9_TLOCK : P9_TGETLOCK, tag);
		req_int(&q, 4, a);
		req_int(&q, 1, fl.type);
		if (sel == E_LOCK)
			req_int(&q, 4, fl.flags);
		req_int(&q, 8, fl.start);
		req_int(&q, 8, fl.length);
		req_int(&q, 4, fl.proc_id);
		req_str(&q, &fl.client_id);
		enc_check(&q, &w, buf, cap, ret, 0);
		break;
	}
	free(buf);
}
