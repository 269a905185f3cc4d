// SPDX-License-Identifier: GPL-2.0
/*
 * 9P2000.L encoding and decoding.  No kernel dependencies beyond types,
 * errno values and memcpy: tests/fuzz/ builds this file in user space.
 */
#include "wire.h"

/* ---- encoding ---- */

static u8 *p9_reserve(struct p9_wbuf *w, size_t len)
{
	u8 *p;

	if (w->err)
		return NULL;	/* keep the first error */
	if (len > w->cap - w->len) {
		w->err = -EMSGSIZE;
		return NULL;
	}
	p = w->data + w->len;
	w->len += len;
	return p;
}

void p9_put_u8(struct p9_wbuf *w, u8 v)
{
	u8 *p = p9_reserve(w, 1);

	if (p)
		p[0] = v;
}

void p9_put_u16(struct p9_wbuf *w, u16 v)
{
	u8 *p = p9_reserve(w, 2);

	if (p) {
		p[0] = v;
		p[1] = v >> 8;
	}
}

void p9_put_u32(struct p9_wbuf *w, u32 v)
{
	u8 *p = p9_reserve(w, 4);

	if (p) {
		p[0] = v;
		p[1] = v >> 8;
		p[2] = v >> 16;
		p[3] = v >> 24;
	}
}

void p9_put_u64(struct p9_wbuf *w, u64 v)
{
	p9_put_u32(w, (u32)v);
	p9_put_u32(w, (u32)(v >> 32));
}

void p9_put_bytes(struct p9_wbuf *w, const void *src, size_t len)
{
	u8 *p = p9_reserve(w, len);

	if (p && len)
		memcpy(p, src, len);
}

void p9_put_str(struct p9_wbuf *w, const char *s, size_t len)
{
	if (len > 0xffff) {
		w->err = -ENAMETOOLONG;
		return;
	}
	p9_put_u16(w, (u16)len);
	p9_put_bytes(w, s, len);
}

void p9_enc_begin(struct p9_wbuf *w, void *buf, u32 cap, u8 type, u16 tag)
{
	w->data = buf;
	w->len = 0;
	w->cap = cap;
	w->err = 0;
	p9_put_u32(w, 0);	/* size, filled by p9_enc_end() */
	p9_put_u8(w, type);
	p9_put_u16(w, tag);
}

/* Fill in the size field; returns the message length or an error. */
int p9_enc_end(struct p9_wbuf *w)
{
	if (w->err)
		return w->err;
	w->data[0] = w->len;
	w->data[1] = w->len >> 8;
	w->data[2] = w->len >> 16;
	w->data[3] = w->len >> 24;
	return (int)w->len;
}

int p9_enc_version(struct p9_wbuf *w, void *buf, u32 cap, u32 msize,
		   const char *version)
{
	p9_enc_begin(w, buf, cap, P9_TVERSION, P9_NOTAG);
	p9_put_u32(w, msize);
	p9_put_str(w, version, strlen(version));
	return p9_enc_end(w);
}

int p9_enc_attach(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		  u32 afid, const char *uname, const char *aname, u32 n_uname)
{
	p9_enc_begin(w, buf, cap, P9_TATTACH, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, afid);
	p9_put_str(w, uname, strlen(uname));
	p9_put_str(w, aname, strlen(aname));
	p9_put_u32(w, n_uname);
	return p9_enc_end(w);
}

int p9_enc_walk(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		u32 newfid, unsigned int nwname, const struct p9_str *names)
{
	unsigned int i;

	if (nwname > P9_MAXWELEM)
		return -EINVAL;
	p9_enc_begin(w, buf, cap, P9_TWALK, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, newfid);
	p9_put_u16(w, (u16)nwname);
	for (i = 0; i < nwname; i++)
		p9_put_str(w, names[i].s, names[i].len);
	return p9_enc_end(w);
}

int p9_enc_lopen(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		 u32 flags)
{
	p9_enc_begin(w, buf, cap, P9_TLOPEN, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, flags);
	return p9_enc_end(w);
}

int p9_enc_lcreate(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   const struct p9_str *name, u32 flags, u32 mode, u32 gid)
{
	p9_enc_begin(w, buf, cap, P9_TLCREATE, tag);
	p9_put_u32(w, fid);
	p9_put_str(w, name->s, name->len);
	p9_put_u32(w, flags);
	p9_put_u32(w, mode);
	p9_put_u32(w, gid);
	return p9_enc_end(w);
}

int p9_enc_mkdir(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		 const struct p9_str *name, u32 mode, u32 gid)
{
	p9_enc_begin(w, buf, cap, P9_TMKDIR, tag);
	p9_put_u32(w, dfid);
	p9_put_str(w, name->s, name->len);
	p9_put_u32(w, mode);
	p9_put_u32(w, gid);
	return p9_enc_end(w);
}

int p9_enc_unlinkat(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		    const struct p9_str *name, u32 flags)
{
	p9_enc_begin(w, buf, cap, P9_TUNLINKAT, tag);
	p9_put_u32(w, dfid);
	p9_put_str(w, name->s, name->len);
	p9_put_u32(w, flags);
	return p9_enc_end(w);
}

int p9_enc_read(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		u64 offset, u32 count)
{
	p9_enc_begin(w, buf, cap, P9_TREAD, tag);
	p9_put_u32(w, fid);
	p9_put_u64(w, offset);
	p9_put_u32(w, count);
	return p9_enc_end(w);
}

int p9_enc_write_hdr(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		     u64 offset, u32 count)
{
	p9_enc_begin(w, buf, cap, P9_TWRITE, tag);
	p9_put_u32(w, fid);
	p9_put_u64(w, offset);
	p9_put_u32(w, count);
	if (w->err)
		return w->err;
	/* the size field covers the data the caller appends */
	if (count > w->cap - w->len)
		return -EMSGSIZE;
	w->len += count;
	p9_enc_end(w);
	w->len -= count;
	return (int)w->len;
}

int p9_enc_readdir(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   u64 offset, u32 count)
{
	p9_enc_begin(w, buf, cap, P9_TREADDIR, tag);
	p9_put_u32(w, fid);
	p9_put_u64(w, offset);
	p9_put_u32(w, count);
	return p9_enc_end(w);
}

/* Messages whose only argument is a fid: Tclunk, Tstatfs, Tremove. */
int p9_enc_fid_op(struct p9_wbuf *w, void *buf, u32 cap, u8 type, u16 tag,
		  u32 fid)
{
	p9_enc_begin(w, buf, cap, type, tag);
	p9_put_u32(w, fid);
	return p9_enc_end(w);
}

int p9_enc_getattr(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   u64 mask)
{
	p9_enc_begin(w, buf, cap, P9_TGETATTR, tag);
	p9_put_u32(w, fid);
	p9_put_u64(w, mask);
	return p9_enc_end(w);
}

int p9_enc_setattr(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   const struct p9_setattr *sa)
{
	p9_enc_begin(w, buf, cap, P9_TSETATTR, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, sa->valid);
	p9_put_u32(w, sa->mode);
	p9_put_u32(w, sa->uid);
	p9_put_u32(w, sa->gid);
	p9_put_u64(w, sa->size);
	p9_put_u64(w, sa->atime_sec);
	p9_put_u64(w, sa->atime_nsec);
	p9_put_u64(w, sa->mtime_sec);
	p9_put_u64(w, sa->mtime_nsec);
	return p9_enc_end(w);
}

int p9_enc_symlink(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		   const struct p9_str *name, const struct p9_str *target,
		   u32 gid)
{
	p9_enc_begin(w, buf, cap, P9_TSYMLINK, tag);
	p9_put_u32(w, dfid);
	p9_put_str(w, name->s, name->len);
	p9_put_str(w, target->s, target->len);
	p9_put_u32(w, gid);
	return p9_enc_end(w);
}

int p9_enc_mknod(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		 const struct p9_str *name, u32 mode, u32 major, u32 minor,
		 u32 gid)
{
	p9_enc_begin(w, buf, cap, P9_TMKNOD, tag);
	p9_put_u32(w, dfid);
	p9_put_str(w, name->s, name->len);
	p9_put_u32(w, mode);
	p9_put_u32(w, major);
	p9_put_u32(w, minor);
	p9_put_u32(w, gid);
	return p9_enc_end(w);
}

int p9_enc_rename(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		  u32 dfid, const struct p9_str *name)
{
	p9_enc_begin(w, buf, cap, P9_TRENAME, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, dfid);
	p9_put_str(w, name->s, name->len);
	return p9_enc_end(w);
}

int p9_enc_renameat(struct p9_wbuf *w, void *buf, u32 cap, u16 tag,
		    u32 olddfid, const struct p9_str *oldname, u32 newdfid,
		    const struct p9_str *newname)
{
	p9_enc_begin(w, buf, cap, P9_TRENAMEAT, tag);
	p9_put_u32(w, olddfid);
	p9_put_str(w, oldname->s, oldname->len);
	p9_put_u32(w, newdfid);
	p9_put_str(w, newname->s, newname->len);
	return p9_enc_end(w);
}

int p9_enc_link(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 dfid,
		u32 fid, const struct p9_str *name)
{
	p9_enc_begin(w, buf, cap, P9_TLINK, tag);
	p9_put_u32(w, dfid);
	p9_put_u32(w, fid);
	p9_put_str(w, name->s, name->len);
	return p9_enc_end(w);
}

int p9_enc_fsync(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		 u32 datasync)
{
	p9_enc_begin(w, buf, cap, P9_TFSYNC, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, datasync);
	return p9_enc_end(w);
}

int p9_enc_xattrwalk(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		     u32 newfid, const struct p9_str *name)
{
	p9_enc_begin(w, buf, cap, P9_TXATTRWALK, tag);
	p9_put_u32(w, fid);
	p9_put_u32(w, newfid);
	p9_put_str(w, name->s, name->len);
	return p9_enc_end(w);
}

int p9_enc_xattrcreate(struct p9_wbuf *w, void *buf, u32 cap, u16 tag,
		       u32 fid, const struct p9_str *name, u64 size, u32 flags)
{
	p9_enc_begin(w, buf, cap, P9_TXATTRCREATE, tag);
	p9_put_u32(w, fid);
	p9_put_str(w, name->s, name->len);
	p9_put_u64(w, size);
	p9_put_u32(w, flags);
	return p9_enc_end(w);
}

static void p9_put_flock(struct p9_wbuf *w, const struct p9_flock *fl,
			 bool flags)
{
	p9_put_u8(w, fl->type);
	if (flags)
		p9_put_u32(w, fl->flags);
	p9_put_u64(w, fl->start);
	p9_put_u64(w, fl->length);
	p9_put_u32(w, fl->proc_id);
	p9_put_str(w, fl->client_id.s, fl->client_id.len);
}

int p9_enc_lock(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		const struct p9_flock *fl)
{
	p9_enc_begin(w, buf, cap, P9_TLOCK, tag);
	p9_put_u32(w, fid);
	p9_put_flock(w, fl, true);
	return p9_enc_end(w);
}

int p9_enc_getlock(struct p9_wbuf *w, void *buf, u32 cap, u16 tag, u32 fid,
		   const struct p9_flock *fl)
{
	p9_enc_begin(w, buf, cap, P9_TGETLOCK, tag);
	p9_put_u32(w, fid);
	p9_put_flock(w, fl, false);
	return p9_enc_end(w);
}

/* ---- decoding ---- */

static const u8 *p9_take(struct p9_rbuf *r, u32 len)
{
	const u8 *p;

	if (r->err || len > r->len - r->pos) {
		r->err = -EPROTO;
		return NULL;
	}
	p = r->data + r->pos;
	r->pos += len;
	return p;
}

u8 p9_get_u8(struct p9_rbuf *r)
{
	const u8 *p = p9_take(r, 1);

	return p ? p[0] : 0;
}

u16 p9_get_u16(struct p9_rbuf *r)
{
	const u8 *p = p9_take(r, 2);

	return p ? (u16)(p[0] | p[1] << 8) : 0;
}

u32 p9_get_u32(struct p9_rbuf *r)
{
	const u8 *p = p9_take(r, 4);

	return p ? (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 |
		   (u32)p[3] << 24 : 0;
}

u64 p9_get_u64(struct p9_rbuf *r)
{
	const u8 *p = p9_take(r, 8);
	u64 v = 0;
	int i;

	/* all or nothing: a short buffer yields 0, never half a value */
	for (i = 7; p && i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void p9_get_str(struct p9_rbuf *r, struct p9_str *s)
{
	u16 len = p9_get_u16(r);
	const u8 *p = p9_take(r, len);

	s->s = (const char *)p;
	s->len = p ? len : 0;
}

void p9_get_qid(struct p9_rbuf *r, struct p9_qid *qid)
{
	qid->type = p9_get_u8(r);
	qid->version = p9_get_u32(r);
	qid->path = p9_get_u64(r);
}

void p9_parse_header(const u8 *hdr, u32 *size, u8 *type, u16 *tag)
{
	*size = (u32)hdr[0] | (u32)hdr[1] << 8 | (u32)hdr[2] << 16 |
		(u32)hdr[3] << 24;
	*type = hdr[4];
	*tag = (u16)(hdr[5] | hdr[6] << 8);
}

/* The reply must have been read exactly: no error, nothing left over. */
static int p9_dec_done(struct p9_rbuf *r)
{
	if (!r->err && r->pos != r->len)
		r->err = -EPROTO;
	return r->err;
}

int p9_dec_lerror(struct p9_rbuf *r, u32 *ecode)
{
	*ecode = p9_get_u32(r);
	return p9_dec_done(r);
}

int p9_dec_version(struct p9_rbuf *r, u32 *msize, struct p9_str *version)
{
	*msize = p9_get_u32(r);
	p9_get_str(r, version);
	return p9_dec_done(r);
}

int p9_dec_qid(struct p9_rbuf *r, struct p9_qid *qid)
{
	p9_get_qid(r, qid);
	return p9_dec_done(r);
}

int p9_dec_walk(struct p9_rbuf *r, unsigned int max, unsigned int *nwqid,
		struct p9_qid *qids)
{
	unsigned int i, n = p9_get_u16(r);

	if (n > max)
		return r->err = -EPROTO;
	for (i = 0; i < n; i++)
		p9_get_qid(r, &qids[i]);
	*nwqid = n;
	return p9_dec_done(r);
}

int p9_dec_open(struct p9_rbuf *r, struct p9_qid *qid, u32 *iounit)
{
	p9_get_qid(r, qid);
	*iounit = p9_get_u32(r);
	return p9_dec_done(r);
}

/* Rwrite, or the count that opens Rread/Rreaddir (data follows). */
int p9_dec_count(struct p9_rbuf *r, u32 *count)
{
	*count = p9_get_u32(r);
	return r->err;
}

int p9_dec_getattr(struct p9_rbuf *r, struct p9_getattr *ga)
{
	ga->valid = p9_get_u64(r);
	p9_get_qid(r, &ga->qid);
	ga->mode = p9_get_u32(r);
	ga->uid = p9_get_u32(r);
	ga->gid = p9_get_u32(r);
	ga->nlink = p9_get_u64(r);
	ga->rdev = p9_get_u64(r);
	ga->size = p9_get_u64(r);
	ga->blksize = p9_get_u64(r);
	ga->blocks = p9_get_u64(r);
	ga->atime_sec = p9_get_u64(r);
	ga->atime_nsec = p9_get_u64(r);
	ga->mtime_sec = p9_get_u64(r);
	ga->mtime_nsec = p9_get_u64(r);
	ga->ctime_sec = p9_get_u64(r);
	ga->ctime_nsec = p9_get_u64(r);
	ga->btime_sec = p9_get_u64(r);
	ga->btime_nsec = p9_get_u64(r);
	ga->gen = p9_get_u64(r);
	ga->data_version = p9_get_u64(r);
	return p9_dec_done(r);
}

int p9_dec_statfs(struct p9_rbuf *r, struct p9_statfs *st)
{
	st->type = p9_get_u32(r);
	st->bsize = p9_get_u32(r);
	st->blocks = p9_get_u64(r);
	st->bfree = p9_get_u64(r);
	st->bavail = p9_get_u64(r);
	st->files = p9_get_u64(r);
	st->ffree = p9_get_u64(r);
	st->fsid = p9_get_u64(r);
	st->namelen = p9_get_u32(r);
	return p9_dec_done(r);
}

int p9_dec_empty(struct p9_rbuf *r)
{
	return p9_dec_done(r);
}

int p9_dec_str(struct p9_rbuf *r, struct p9_str *str)
{
	p9_get_str(r, str);
	return p9_dec_done(r);
}

int p9_dec_u64(struct p9_rbuf *r, u64 *v)
{
	*v = p9_get_u64(r);
	return p9_dec_done(r);
}

int p9_dec_u8(struct p9_rbuf *r, u8 *v)
{
	*v = p9_get_u8(r);
	return p9_dec_done(r);
}

int p9_dec_getlock(struct p9_rbuf *r, struct p9_flock *fl)
{
	fl->type = p9_get_u8(r);
	fl->flags = 0;
	fl->start = p9_get_u64(r);
	fl->length = p9_get_u64(r);
	fl->proc_id = p9_get_u32(r);
	p9_get_str(r, &fl->client_id);
	return p9_dec_done(r);
}

/* One Rreaddir entry: qid[13] offset[8] type[1] name[s]. */
int p9_dec_dirent(struct p9_rbuf *r, struct p9_dirent *de)
{
	p9_get_qid(r, &de->qid);
	de->offset = p9_get_u64(r);
	de->type = p9_get_u8(r);
	p9_get_str(r, &de->name);
	return r->err;
}

/*
 * Rlerror carries a Linux errno from the server.  Only values a system
 * call may return pass through; kernel-internal codes (ERESTARTSYS and
 * friends, >= 512) and nonsense become EIO.
 */
int p9_errno(u32 ecode)
{
	if (ecode == 0 || ecode >= 512)
		return -EIO;
	return -(int)ecode;
}
