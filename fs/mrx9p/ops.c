// SPDX-License-Identifier: GPL-2.0
/*
 * The mrx9p dispatch table: rdbss operations as 9P2000.L requests.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

#define MRX9P_SMALL	256	/* request buffer for fixed-size messages */

static struct p9_conn *ctx_conn(struct rx_context *ctx)
{
	return mrx9p_conn(ctx->v_net_root);
}

static struct mrx9p_fcb *fcb_ext(struct rx_fcb *fcb)
{
	return fcb->ext;
}

static struct mrx9p_open *open_ext(struct rx_srv_open *so)
{
	return so->ext;
}

static void mrx9p_fill_attrs(struct rx_attrs *a, const struct p9_getattr *ga)
{
	a->ino = ga->qid.path;
	a->change = ga->qid.version;
	a->mode = ga->mode;
	a->uid = ga->uid;
	a->gid = ga->gid;
	a->nlink = ga->nlink;
	a->rdev = ga->rdev;
	a->size = ga->size;
	a->blocks = ga->blocks;
	a->blksize = ga->blksize;
	a->atime.tv_sec = ga->atime_sec;
	a->atime.tv_nsec = ga->atime_nsec % NSEC_PER_SEC;
	a->mtime.tv_sec = ga->mtime_sec;
	a->mtime.tv_nsec = ga->mtime_nsec % NSEC_PER_SEC;
	a->ctime.tv_sec = ga->ctime_sec;
	a->ctime.tv_nsec = ga->ctime_nsec % NSEC_PER_SEC;
}

static int mrx9p_getattr(struct p9_conn *c, u32 fid, struct rx_attrs *attrs)
{
	struct p9_getattr ga;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 160);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->tx_len = p9_enc_getattr(&w, req->tx, MRX9P_SMALL, req->tag, fid,
				     P9_GETATTR_BASIC);
	err = p9_rpc(req, P9_RGETATTR, 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_getattr(&r, &ga);
		if (!err)
			mrx9p_fill_attrs(attrs, &ga);
	}
	p9_req_put(req);
	return err;
}

/* Twalk @fid by @nwname names (0: clone) to a new fid. */
static int mrx9p_walk(struct p9_conn *c, u32 fid, unsigned int nwname,
		      const struct p9_str *names, u32 *newfid)
{
	struct p9_qid qids[P9_MAXWELEM];
	unsigned int nwqid, i;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u32 cap = MRX9P_SMALL;
	int err;

	for (i = 0; i < nwname; i++)
		cap += 2 + names[i].len;
	err = p9_fid_alloc(c, newfid);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 2 + P9_MAXWELEM * P9_QIDSZ);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto out_fid;
	}
	err = p9_enc_walk(&w, req->tx, cap, req->tag, fid, *newfid, nwname,
			  names);
	if (err < 0)
		goto out_req;
	req->tx_len = err;
	err = p9_rpc(req, P9_RWALK, 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_walk(&r, P9_MAXWELEM, &nwqid, qids);
		/* a partial walk creates no fid: the name does not exist */
		if (!err && nwqid != nwname)
			err = -ENOENT;
	}
out_req:
	p9_req_put(req);
	if (!err)
		return 0;
out_fid:
	ida_free(&c->fids, *newfid);
	*newfid = P9_NOFID;
	return err;
}

static int mrx9p_create_srv_call(struct rx_srv_call *sc, void *opts,
				 struct fs_context *fc)
{
	struct mrx9p_opts *o = opts;
	struct p9_conn *c = sc->ext;
	int err;

	err = p9_conn_open(c, o, fc);
	if (err)
		return err;
	err = p9_version(c, o->msize, fc);
	if (err)
		p9_conn_close(c);
	return err;
}

static void mrx9p_finalize_srv_call(struct rx_srv_call *sc)
{
	p9_conn_close(sc->ext);
}

static int mrx9p_create_v_net_root(struct rx_v_net_root *vnr,
				   struct fs_context *fc)
{
	struct mrx9p_opts *o = mrx9p_opts(vnr);
	struct p9_conn *c = mrx9p_conn(vnr);
	struct mrx9p_vnr *v = vnr->ext;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_qid qid;
	struct p9_req *req;
	u32 cap, n_uname;
	int err;

	switch (o->access) {
	case MRX9P_ACCESS_UID:
		n_uname = o->access_uid;
		break;
	case MRX9P_ACCESS_ANY:
		n_uname = P9_NOFID;	/* ~0: no numeric user */
		break;
	default:
		n_uname = from_kuid(&init_user_ns, vnr->uid);
		break;
	}
	err = p9_fid_alloc(c, &v->root_fid);
	if (err)
		return err;
	cap = MRX9P_SMALL + strlen(o->uname) + strlen(o->aname);
	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto out_fid;
	}
	err = p9_enc_attach(&w, req->tx, cap, req->tag, v->root_fid, P9_NOFID,
			    o->uname, o->aname, n_uname);
	if (err < 0)
		goto out_req;
	req->tx_len = err;
	err = p9_rpc(req, P9_RATTACH, c->timeout);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_qid(&r, &qid);
	}
	if (err)
		errorfc(fc, "%s: attach to '%s' as '%s' failed: error %d",
			c->addr_str, o->aname, o->uname, err);
	/* one Tread/Twrite carries at most msize less its header */
	vnr->net_root->max_io = c->msize - P9_IOHDRSZ;
	vnr->net_root->buffering = o->cache;
out_req:
	p9_req_put(req);
	if (!err)
		return 0;
out_fid:
	ida_free(&c->fids, v->root_fid);
	return err;
}

static void mrx9p_finalize_v_net_root(struct rx_v_net_root *vnr)
{
	struct mrx9p_vnr *v = vnr->ext;

	p9_fid_clunk(mrx9p_conn(vnr), v->root_fid);
}

/* ---- names ---- */

static int mrx9p_lookup(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct rx_fcb *parent = ctx->info.create.parent;
	struct p9_str name;
	u32 from, fid;
	int err;

	if (parent) {
		name.s = ctx->info.create.name.name;
		name.len = ctx->info.create.name.len;
		from = fcb_ext(parent)->fid;
		err = mrx9p_walk(c, from, 1, &name, &fid);
	} else {
		from = ((struct mrx9p_vnr *)ctx->v_net_root->ext)->root_fid;
		err = mrx9p_walk(c, from, 0, NULL, &fid);
	}
	if (err)
		return err;
	err = mrx9p_getattr(c, fid, ctx->info.create.attrs);
	if (err) {
		p9_fid_clunk(c, fid);
		return err;
	}
	ctx->mrx_context[0] = (void *)(uintptr_t)fid;
	return 0;
}

static void mrx9p_fcb_found(struct rx_context *ctx, struct rx_fcb *fcb,
			    bool is_new)
{
	u32 fid = (u32)(uintptr_t)ctx->mrx_context[0];

	if (fcb && is_new)
		fcb_ext(fcb)->fid = fid;
	else
		p9_fid_clunk(ctx_conn(ctx), fid);
}

static void mrx9p_deallocate_fcb(struct rx_fcb *fcb)
{
	struct inode *inode = rx_fcb_inode(fcb);
	struct rx_net_root *nr = rx_sb_net_root(inode->i_sb);

	p9_fid_clunk(nr->srv_call->ext, fcb_ext(fcb)->fid);
}

static struct p9_str ctx_name(struct rx_context *ctx)
{
	struct p9_str s = {
		.s = ctx->info.create.name.name,
		.len = ctx->info.create.name.len,
	};
	return s;
}

static int mrx9p_create(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_wbuf w;
	struct p9_req *req;
	u32 fid, cap = MRX9P_SMALL + name.len;
	int err;

	/* Tlcreate turns a clone of the directory fid into the new file */
	err = mrx9p_walk(c, fcb_ext(ctx->info.create.parent)->fid, 0, NULL,
			 &fid);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto out;
	}
	err = p9_enc_lcreate(&w, req->tx, cap, req->tag, fid, &name, O_RDWR,
			     ctx->info.create.mode & 07777,
			     from_kgid(&init_user_ns, current_fsgid()));
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RLCREATE, 0);
	}
	p9_req_put(req);
out:
	p9_fid_clunk(c, fid);
	return err;
}

static int mrx9p_mkdir(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_wbuf w;
	struct p9_req *req;
	u32 cap = MRX9P_SMALL + name.len;
	int err;

	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = p9_enc_mkdir(&w, req->tx, cap, req->tag,
			   fcb_ext(ctx->info.create.parent)->fid, &name,
			   ctx->info.create.mode & 07777,
			   from_kgid(&init_user_ns, current_fsgid()));
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RMKDIR, 0);
	}
	p9_req_put(req);
	return err;
}

/*
 * Servers without Tunlinkat (diod among them): walk to the name and
 * Tremove it, which also clunks the fid whatever the outcome.  The type
 * check keeps rmdir from removing a file and unlink a directory.
 */
static int mrx9p_remove_fallback(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct rx_attrs attrs = {};
	struct p9_wbuf w;
	struct p9_req *req;
	u32 fid;
	int err;

	err = mrx9p_walk(c, fcb_ext(ctx->info.create.parent)->fid, 1, &name,
			 &fid);
	if (err)
		return err;
	err = mrx9p_getattr(c, fid, &attrs);
	if (!err && ctx->minor == RX_MN_RMDIR && !S_ISDIR(attrs.mode))
		err = -ENOTDIR;
	if (!err && ctx->minor != RX_MN_RMDIR && S_ISDIR(attrs.mode))
		err = -EISDIR;
	if (err) {
		p9_fid_clunk(c, fid);
		return err;
	}
	req = p9_req_alloc(c, MRX9P_SMALL, 16);
	if (IS_ERR(req)) {
		p9_fid_clunk(c, fid);
		return PTR_ERR(req);
	}
	req->tx_len = p9_enc_fid_op(&w, req->tx, MRX9P_SMALL, P9_TREMOVE,
				    req->tag, fid);
	err = p9_rpc(req, P9_RREMOVE, 0);
	p9_req_put(req);
	if (err != -EINTR && err != -ETIMEDOUT)
		ida_free(&c->fids, fid);
	return err;
}

static int mrx9p_unlink(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_wbuf w;
	struct p9_req *req;
	u32 cap = MRX9P_SMALL + name.len;
	int err;

	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = p9_enc_unlinkat(&w, req->tx, cap, req->tag,
			      fcb_ext(ctx->info.create.parent)->fid, &name,
			      ctx->minor == RX_MN_RMDIR ? P9_AT_REMOVEDIR : 0);
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RUNLINKAT, 0);
	}
	p9_req_put(req);
	if (err == -EOPNOTSUPP)
		err = mrx9p_remove_fallback(ctx);
	return err;
}

/* ---- open and close ---- */

static int mrx9p_open(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_open *o = open_ext(ctx->srv_open);
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_qid qid;
	struct p9_req *req;
	u32 fid, iounit;
	int err;

	o->fid = P9_NOFID;
	err = mrx9p_walk(c, fcb_ext(ctx->fcb)->fid, 0, NULL, &fid);
	if (err)
		return err;
	req = p9_req_alloc(c, MRX9P_SMALL, 32);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
		goto out_fid;
	}
	/* create, truncate and append are done by the VFS and by rdbss */
	req->tx_len = p9_enc_lopen(&w, req->tx, MRX9P_SMALL, req->tag, fid,
				   ctx->info.create.open_flags & O_ACCMODE);
	err = p9_rpc(req, P9_RLOPEN, 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_open(&r, &qid, &iounit);
	}
	p9_req_put(req);
	if (err)
		goto out_fid;
	o->fid = fid;
	o->iounit = iounit;
	return 0;

out_fid:
	p9_fid_clunk(c, fid);
	return err;
}

static void mrx9p_close_srv_open(struct rx_srv_open *so)
{
	struct mrx9p_open *o = so->ext;

	p9_fid_clunk(mrx9p_conn(so->v_net_root), o->fid);
}

/* ---- metadata ---- */

static int mrx9p_query_info(struct rx_context *ctx)
{
	return mrx9p_getattr(ctx_conn(ctx), fcb_ext(ctx->fcb)->fid,
			     ctx->info.query_info.attrs);
}

static int mrx9p_set_info(struct rx_context *ctx)
{
	struct iattr *ia = ctx->info.set_info.iattr;
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_setattr sa = {};
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	if (ia->ia_valid & ATTR_MODE) {
		sa.valid |= P9_SETATTR_MODE;
		sa.mode = ia->ia_mode;
	}
	if (ia->ia_valid & ATTR_UID) {
		sa.valid |= P9_SETATTR_UID;
		sa.uid = from_kuid(&init_user_ns, ia->ia_uid);
	}
	if (ia->ia_valid & ATTR_GID) {
		sa.valid |= P9_SETATTR_GID;
		sa.gid = from_kgid(&init_user_ns, ia->ia_gid);
	}
	if (ia->ia_valid & ATTR_SIZE) {
		sa.valid |= P9_SETATTR_SIZE;
		sa.size = ia->ia_size;
	}
	if (ia->ia_valid & ATTR_ATIME) {
		sa.valid |= P9_SETATTR_ATIME;
		if (ia->ia_valid & ATTR_ATIME_SET) {
			sa.valid |= P9_SETATTR_ATIME_SET;
			sa.atime_sec = ia->ia_atime.tv_sec;
			sa.atime_nsec = ia->ia_atime.tv_nsec;
		}
	}
	if (ia->ia_valid & ATTR_MTIME) {
		sa.valid |= P9_SETATTR_MTIME;
		if (ia->ia_valid & ATTR_MTIME_SET) {
			sa.valid |= P9_SETATTR_MTIME_SET;
			sa.mtime_sec = ia->ia_mtime.tv_sec;
			sa.mtime_nsec = ia->ia_mtime.tv_nsec;
		}
	}
	if (ia->ia_valid & ATTR_CTIME)
		sa.valid |= P9_SETATTR_CTIME;

	req = p9_req_alloc(c, MRX9P_SMALL, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->tx_len = p9_enc_setattr(&w, req->tx, MRX9P_SMALL, req->tag,
				     fcb_ext(ctx->fcb)->fid, &sa);
	err = p9_rpc(req, P9_RSETATTR, 0);
	p9_req_put(req);
	return err;
}

static int mrx9p_query_directory(struct rx_context *ctx)
{
	struct dir_context *actor = ctx->info.query_dir.actor;
	struct p9_conn *c = ctx_conn(ctx);
	u32 fid = open_ext(ctx->srv_open)->fid;
	u32 count = min_t(u32, c->msize - P9_IOHDRSZ, 64 * 1024);
	struct p9_dirent de;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u32 len;
	int err = 0;

	for (;;) {
		loff_t start = actor->pos;

		req = p9_req_alloc(c, MRX9P_SMALL, 4 + count);
		if (IS_ERR(req))
			return PTR_ERR(req);
		req->tx_len = p9_enc_readdir(&w, req->tx, MRX9P_SMALL, req->tag,
					     fid, actor->pos, count);
		err = p9_rpc(req, P9_RREADDIR, 0);
		if (err)
			goto out_req;
		p9_req_rbuf(req, &r);
		err = p9_dec_count(&r, &len);
		if (!err && len != r.len - r.pos)
			err = -EPROTO;
		if (err)
			goto out_req;
		if (!len) {
			ctx->info.query_dir.eof = true;
			goto out_req;
		}
		while (r.pos < r.len) {
			err = p9_dec_dirent(&r, &de);
			if (err)
				goto out_req;
			if (!rx_dir_emit(ctx, de.name.s, de.name.len,
					 de.qid.path, de.type, de.offset))
				goto out_req;	/* caller's buffer is full */
		}
		p9_req_put(req);
		if (actor->pos == start) {
			pr_warn_ratelimited("rx9p: %s: readdir made no progress\n",
					    c->addr_str);
			return -EIO;
		}
	}
out_req:
	p9_req_put(req);
	if (err == -EPROTO)
		pr_warn_ratelimited("rx9p: %s: malformed Rreaddir\n", c->addr_str);
	return err;
}

static int mrx9p_query_volume(struct rx_context *ctx)
{
	struct kstatfs *buf = ctx->info.volume.buf;
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_statfs st;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 80);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->tx_len = p9_enc_fid_op(&w, req->tx, MRX9P_SMALL, P9_TSTATFS,
				    req->tag, fcb_ext(ctx->fcb)->fid);
	err = p9_rpc(req, P9_RSTATFS, 0);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_statfs(&r, &st);
	}
	p9_req_put(req);
	if (err)
		return err;
	buf->f_bsize = st.bsize;
	buf->f_blocks = st.blocks;
	buf->f_bfree = st.bfree;
	buf->f_bavail = st.bavail;
	buf->f_files = st.files;
	buf->f_ffree = st.ffree;
	buf->f_fsid.val[0] = (u32)st.fsid;
	buf->f_fsid.val[1] = (u32)(st.fsid >> 32);
	buf->f_namelen = min_t(u32, st.namelen, NAME_MAX);
	return 0;
}

/* ---- low I/O ---- */

static void mrx9p_rw_done(struct p9_req *req)
{
	struct rx_context *ctx = req->priv;
	struct p9_conn *c = req->conn;
	struct p9_rbuf r;
	u32 count, ecode;
	int status = req->status;

	spin_lock_bh(&c->lock);
	ctx->mrx_context[0] = NULL;
	spin_unlock_bh(&c->lock);

	if (!status) {
		p9_req_rbuf(req, &r);
		if (req->rtype == P9_RLERROR) {
			status = p9_dec_lerror(&r, &ecode) ?: p9_errno(ecode);
		} else if (req->rtype == P9_RREAD &&
			   ctx->lowio.operation == LOWIO_OP_READ) {
			status = p9_dec_count(&r, &count);
			ctx->information = count;
		} else if (req->rtype == P9_RWRITE &&
			   ctx->lowio.operation == LOWIO_OP_WRITE) {
			status = p9_dec_count(&r, &count);
			if (!status && count > ctx->lowio.params.rw.count)
				status = -EPROTO;
			ctx->information = count;
		} else {
			status = -EPROTO;
		}
	}
	ctx->stored_status = status;
	rx_lowio_completion(ctx);
}

/* MRxCancelRoutine: give up the request unless its reply is arriving. */
static int mrx9p_cancel(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_req *req;
	bool orphaned = false;

	spin_lock_bh(&c->lock);
	req = ctx->mrx_context[0];
	if (req && req->state == P9_REQ_SENT) {
		req->state = P9_REQ_ORPHANED;
		ctx->mrx_context[0] = NULL;
		orphaned = true;
	}
	spin_unlock_bh(&c->lock);
	if (orphaned) {
		ctx->stored_status = -EINTR;
		rx_lowio_completion(ctx);
	}
	return 0;
}

static int mrx9p_lowio_rw(struct rx_context *ctx)
{
	struct rx_srv_open *so = ctx->srv_open;
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_open *o = open_ext(so);
	struct iov_iter *iter = &ctx->lowio.params.rw.iter;
	bool is_read = ctx->lowio.operation == LOWIO_OP_READ;
	u32 max = c->msize - P9_IOHDRSZ;
	struct p9_wbuf w;
	struct p9_req *req;
	size_t count;
	int err;

	if (o->iounit && o->iounit < max)
		max = o->iounit;
	count = min_t(size_t, ctx->lowio.params.rw.count, max);
	if (!count)
		return 0;

	if (is_read) {
		req = p9_req_alloc(c, MRX9P_SMALL, 16);
		if (IS_ERR(req))
			return PTR_ERR(req);
		req->tx_len = p9_enc_read(&w, req->tx, MRX9P_SMALL, req->tag,
					  o->fid, ctx->lowio.params.rw.offset,
					  count);
		req->data = iter;
		req->data_max = count;
	} else {
		size_t copied;

		req = p9_req_alloc(c, P9_IOHDRSZ + count, 16);
		if (IS_ERR(req))
			return PTR_ERR(req);
		err = p9_enc_write_hdr(&w, req->tx, P9_IOHDRSZ + count,
				       req->tag, o->fid,
				       ctx->lowio.params.rw.offset, count);
		copied = err < 0 ? 0 : copy_from_iter(req->tx + err, count,
							iter);
		if (copied != count && copied)
			err = p9_enc_write_hdr(&w, req->tx, P9_IOHDRSZ + count,
					       req->tag, o->fid,
					       ctx->lowio.params.rw.offset,
					       copied);
		if (err < 0 || !copied) {
			p9_req_abandon(c, req);
			p9_req_put(req);
			return err < 0 ? err : -EFAULT;
		}
		req->tx_len = err + copied;
		ctx->lowio.params.rw.count = copied;
	}
	req->done = mrx9p_rw_done;
	req->priv = ctx;
	ctx->mrx_context[0] = req;
	ctx->mrx_cancel = mrx9p_cancel;

	err = p9_conn_send(c, req);
	if (err) {
		ctx->mrx_context[0] = NULL;
		p9_req_abandon(c, req);
		p9_req_put(req);
		return err;
	}
	p9_req_put(req);
	return RX_STATUS_PENDING;
}

const struct rx_minirdr_ops mrx9p_ops = {
	.parameters		= mrx9p_param_spec,
	.alloc_opts		= mrx9p_alloc_opts,
	.free_opts		= mrx9p_free_opts,
	.parse_param		= mrx9p_parse_param,
	.srv_call_key		= mrx9p_srv_call_key,
	.show_options		= mrx9p_show_options,
	.create_srv_call	= mrx9p_create_srv_call,
	.finalize_srv_call	= mrx9p_finalize_srv_call,
	.create_v_net_root	= mrx9p_create_v_net_root,
	.finalize_v_net_root	= mrx9p_finalize_v_net_root,
	.lookup			= mrx9p_lookup,
	.fcb_found		= mrx9p_fcb_found,
	.create			= mrx9p_create,
	.mkdir			= mrx9p_mkdir,
	.unlink			= mrx9p_unlink,
	.deallocate_fcb		= mrx9p_deallocate_fcb,
	.open			= mrx9p_open,
	.close_srv_open		= mrx9p_close_srv_open,
	.query_info		= mrx9p_query_info,
	.set_info		= mrx9p_set_info,
	.query_directory	= mrx9p_query_directory,
	.query_volume		= mrx9p_query_volume,
	.lowio_submit = {
		[LOWIO_OP_READ]		= mrx9p_lowio_rw,
		[LOWIO_OP_WRITE]	= mrx9p_lowio_rw,
	},
};
