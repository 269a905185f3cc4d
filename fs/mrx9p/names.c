// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace: lookup, create, mkdir, mknod, symlink, link, unlink,
 * rmdir, rename and readlink as 9P2000.L requests.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

int mrx9p_lookup(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct rx_fcb *parent = ctx->info.create.parent;
	struct mrx9p_pfid *dir;
	struct p9_str name;
	u32 from, fid;
	int err;

	if (parent) {
		name.s = ctx->info.create.name.name;
		name.len = ctx->info.create.name.len;
		dir = mrx9p_fcb_fid(ctx, parent);
		err = mrx9p_walk(c, pfid_num(dir), 1, &name, &fid);
		mrx9p_pfid_put(c, dir);
	} else {
		from = ((struct mrx9p_vnr *)ctx->v_net_root->ext)->root_fid;
		err = mrx9p_walk(c, from, 0, NULL, &fid);
	}
	if (err)
		return err;
	err = mrx9p_getattr(ctx, ctx_conn(ctx), fid, ctx->info.create.attrs);
	if (err) {
		p9_fid_clunk(c, fid);
		return err;
	}
	ctx->mrx_context[0] = (void *)(uintptr_t)fid;
	return 0;
}

void mrx9p_fcb_found(struct rx_context *ctx, struct rx_fcb *fcb,
		     bool is_new)
{
	u32 fid = (u32)(uintptr_t)ctx->mrx_context[0];
	u32 ofid = (u32)(uintptr_t)ctx->mrx_context[1];
	struct mrx9p_fcb *f;

	if (!fcb) {
		p9_fid_release(ctx_conn(ctx), fid);
		p9_fid_release(ctx_conn(ctx), ofid);
		return;
	}
	mrx9p_fcb_set_fid(ctx, fcb, fid);
	if (!ofid)
		return;
	/* a create: keep its open fid for the open that follows */
	f = fcb_ext(fcb);
	spin_lock(&fcb->lock);
	swap(f->created_fid, ofid);
	f->created_iounit = (u32)(uintptr_t)ctx->mrx_context[2];
	f->created_uid = ctx->v_net_root->uid;
	f->created_epoch = READ_ONCE(ctx_conn(ctx)->epoch);
	spin_unlock(&fcb->lock);
	p9_fid_release(ctx_conn(ctx), ofid);
}

void mrx9p_deallocate_fcb(struct rx_fcb *fcb)
{
	struct inode *inode = rx_fcb_inode(fcb);

	struct p9_conn *c = rx_sb_net_root(inode->i_sb)->srv_call->ext;

	mrx9p_fcb_free_fids(c, fcb);
	p9_fid_release(c, fcb_ext(fcb)->created_fid);
}

/*
 * Tlcreate on a clone of the directory fid opens the new file: keep that
 * fid for the open that follows (fcb_found() stores it), and walk a path
 * fid to the new name for the FCB, with its attributes.
 */
static int mrx9p_create_in(struct rx_context *ctx, u32 dfid)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	u32 ofid, pfid, iounit, cap = MRX9P_SMALL + name.len;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_qid qid;
	struct p9_req *req;
	int err;

	err = mrx9p_walk(c, dfid, 0, NULL, &ofid);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req)) {
		p9_fid_clunk(c, ofid);
		return PTR_ERR(req);
	}
	/*
	 * Exclusive: a name another client made since our lookup is not
	 * taken for a new file (rdbss looks it up again on EEXIST).
	 */
	err = mrx9p_rpc(req, p9_enc_lcreate(&w, req->tx, cap, req->tag, ofid,
					    &name, O_RDWR | P9_DOTL_EXCL,
					    ctx->info.create.mode & 07777,
					    from_kgid(&init_user_ns,
						      current_fsgid())),
			P9_RLCREATE);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_open(&r, &qid, &iounit);
	}
	p9_req_put(req);
	if (err) {
		p9_fid_clunk(c, ofid);
		return err;
	}
	/* the file exists now: describing it is an optimisation only */
	if (!ctx->info.create.attrs ||
	    mrx9p_walk(c, dfid, 1, &name, &pfid)) {
		p9_fid_clunk(c, ofid);
		return 0;
	}
	if (mrx9p_getattr(ctx, ctx_conn(ctx), pfid, ctx->info.create.attrs)) {
		ctx->info.create.attrs->mode = 0;
		p9_fid_clunk(c, pfid);
		p9_fid_clunk(c, ofid);
		return 0;
	}
	/* a server that ignores EXCL (ganesha) opened a file already there */
	if (ctx->info.create.attrs->size) {
		p9_fid_release(c, pfid);
		p9_fid_release(c, ofid);
		return -EEXIST;
	}
	ctx->mrx_context[0] = (void *)(uintptr_t)pfid;
	ctx->mrx_context[1] = (void *)(uintptr_t)ofid;
	ctx->mrx_context[2] = (void *)(uintptr_t)iounit;
	return 0;
}

int mrx9p_create(struct rx_context *ctx)
{
	struct mrx9p_pfid *dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	int err;

	err = mrx9p_create_in(ctx, pfid_num(dir));
	mrx9p_pfid_put(ctx_conn(ctx), dir);
	return err;
}

int mrx9p_mkdir(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_wbuf w;
	struct p9_req *req;
	struct mrx9p_pfid *dir;
	u32 cap = MRX9P_SMALL + name.len;
	int err;

	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req))
		return PTR_ERR(req);
	dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	err = p9_enc_mkdir(&w, req->tx, cap, req->tag, pfid_num(dir), &name,
			   ctx->info.create.mode & 07777,
			   from_kgid(&init_user_ns, current_fsgid()));
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RMKDIR, 0);
	}
	p9_req_put(req);
	mrx9p_pfid_put(c, dir);
	return err;
}

/*
 * Servers without Tunlinkat (diod among them): walk to the name and
 * Tremove it, which also clunks the fid whatever the outcome.  The type
 * check (the walk's qid says what the name is now) keeps rmdir from
 * removing a file and unlink a directory.
 */
static int mrx9p_remove_fallback(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_wbuf w;
	struct p9_req *req;
	struct mrx9p_pfid *dir;
	struct p9_qid qid;
	bool isdir;
	u32 fid;
	int err;

	dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	err = mrx9p_walk_qid(c, pfid_num(dir), 1, &name, &fid, &qid);
	mrx9p_pfid_put(c, dir);
	if (err)
		return err;
	isdir = qid.type & P9_QTDIR;
	if (ctx->minor == RX_MN_RMDIR && !isdir)
		err = -ENOTDIR;
	if (ctx->minor != RX_MN_RMDIR && isdir)
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

int mrx9p_unlink(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_wbuf w;
	struct p9_req *req;
	struct mrx9p_pfid *dir;
	u32 cap = MRX9P_SMALL + name.len;
	int err;

	if (READ_ONCE(c->no_unlinkat))
		return mrx9p_remove_fallback(ctx);
	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	err = p9_enc_unlinkat(&w, req->tx, cap, req->tag, pfid_num(dir), &name,
			      ctx->minor == RX_MN_RMDIR ? P9_AT_REMOVEDIR : 0);
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RUNLINKAT, 0);
	}
	p9_req_put(req);
	mrx9p_pfid_put(c, dir);
	if (err == -EOPNOTSUPP) {
		WRITE_ONCE(c->no_unlinkat, true);
		err = mrx9p_remove_fallback(ctx);
	}
	return err;
}

static int mrx9p_renameat(struct p9_conn *c, u32 olddfid,
			  const struct p9_str *oldname, u32 newdfid,
			  const struct p9_str *newname)
{
	u32 cap = MRX9P_SMALL + oldname->len + newname->len;
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	err = mrx9p_rpc(req, p9_enc_renameat(&w, req->tx, cap, req->tag,
					     olddfid, oldname, newdfid,
					     newname), P9_RRENAMEAT);
	p9_req_put(req);
	return err;
}

/* Servers without Trenameat: walk to the old name and Trename the fid. */
static int mrx9p_rename_fallback(struct p9_conn *c, u32 olddfid,
				 const struct p9_str *oldname, u32 newdfid,
				 const struct p9_str *newname)
{
	u32 cap = MRX9P_SMALL + newname->len, fid;
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	err = mrx9p_walk(c, olddfid, 1, oldname, &fid);
	if (err)
		return err;
	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req)) {
		err = PTR_ERR(req);
	} else {
		err = mrx9p_rpc(req, p9_enc_rename(&w, req->tx, cap, req->tag,
						   fid, newdfid, newname),
				P9_RRENAME);
		p9_req_put(req);
	}
	/* nothing to learn from its answer: do not wait for it */
	p9_fid_release(c, fid);
	return err;
}

static int mrx9p_rename_in(struct rx_context *ctx, u32 olddfid, u32 newdfid)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str oldname = {
		.s = ctx->info.rename.old_name.name,
		.len = ctx->info.rename.old_name.len,
	};
	struct p9_str newname = {
		.s = ctx->info.rename.new_name.name,
		.len = ctx->info.rename.new_name.len,
	};
	u32 fid;
	int err;

	if (ctx->info.rename.flags & RENAME_NOREPLACE) {
		/* 9P has no such flag: look first (racy against others) */
		err = mrx9p_walk(c, newdfid, 1, &newname, &fid);
		if (!err) {
			p9_fid_clunk(c, fid);
			return -EEXIST;
		}
		if (err != -ENOENT)
			return err;
	}
	err = -EOPNOTSUPP;
	if (!READ_ONCE(c->no_renameat))
		err = mrx9p_renameat(c, olddfid, &oldname, newdfid, &newname);
	if (err == -EOPNOTSUPP) {
		WRITE_ONCE(c->no_renameat, true);
		err = mrx9p_rename_fallback(c, olddfid, &oldname, newdfid,
					    &newname);
	}
	if (err)
		return err;
	/*
	 * Path-based servers keep the renamed object's fid at the old name:
	 * walk it again; below a renamed directory every fid is suspect.
	 */
	if (S_ISDIR(rx_fcb_inode(ctx->info.rename.fcb)->i_mode))
		atomic_inc(&c->rename_gen);
	if (!mrx9p_walk(c, newdfid, 1, &newname, &fid))
		mrx9p_fcb_set_fid(ctx, ctx->info.rename.fcb, fid);
	return 0;
}

int mrx9p_rename(struct rx_context *ctx)
{
	struct mrx9p_pfid *from = mrx9p_fcb_fid(ctx, ctx->info.rename.old_parent);
	struct mrx9p_pfid *to = mrx9p_fcb_fid(ctx, ctx->info.rename.new_parent);
	int err;

	err = mrx9p_rename_in(ctx, pfid_num(from), pfid_num(to));
	mrx9p_pfid_put(ctx_conn(ctx), from);
	mrx9p_pfid_put(ctx_conn(ctx), to);
	return err;
}

int mrx9p_link(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	u32 cap = MRX9P_SMALL + name.len;
	struct p9_wbuf w;
	struct mrx9p_pfid *dir, *target;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, cap, 16);
	if (IS_ERR(req))
		return PTR_ERR(req);
	dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	target = mrx9p_fcb_fid(ctx, ctx->info.create.target);
	err = mrx9p_rpc(req, p9_enc_link(&w, req->tx, cap, req->tag,
					 pfid_num(dir), pfid_num(target),
					 &name), P9_RLINK);
	p9_req_put(req);
	mrx9p_pfid_put(c, dir);
	mrx9p_pfid_put(c, target);
	return err;
}

int mrx9p_symlink(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	struct p9_str target;
	struct p9_wbuf w;
	struct p9_req *req;
	struct mrx9p_pfid *dir;
	size_t tlen = strlen(ctx->info.create.symlink);
	u32 cap;
	int err;

	if (tlen > PATH_MAX)
		return -ENAMETOOLONG;
	target.s = ctx->info.create.symlink;
	target.len = tlen;
	cap = MRX9P_SMALL + name.len + tlen;
	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req))
		return PTR_ERR(req);
	dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	err = mrx9p_rpc(req, p9_enc_symlink(&w, req->tx, cap, req->tag,
					    pfid_num(dir), &name, &target,
					    from_kgid(&init_user_ns,
						      current_fsgid())),
			P9_RSYMLINK);
	p9_req_put(req);
	mrx9p_pfid_put(c, dir);
	return err;
}

int mrx9p_mknod(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct p9_str name = ctx_name(ctx);
	u32 cap = MRX9P_SMALL + name.len;
	dev_t rdev = ctx->info.create.rdev;
	struct mrx9p_pfid *dir;
	struct p9_wbuf w;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req))
		return PTR_ERR(req);
	dir = mrx9p_fcb_fid(ctx, ctx->info.create.parent);
	err = mrx9p_rpc(req, p9_enc_mknod(&w, req->tx, cap, req->tag,
					  pfid_num(dir), &name,
					  ctx->info.create.mode,
					  MAJOR(rdev), MINOR(rdev),
					  from_kgid(&init_user_ns,
						    current_fsgid())),
			P9_RMKNOD);
	p9_req_put(req);
	mrx9p_pfid_put(c, dir);
	return err;
}

int mrx9p_readlink(struct rx_context *ctx)
{
	struct p9_conn *c = ctx_conn(ctx);
	struct mrx9p_pfid *pf;
	struct p9_str target;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, MRX9P_SMALL, 2 + PATH_MAX);
	if (IS_ERR(req))
		return PTR_ERR(req);
	pf = mrx9p_fcb_fid(ctx, ctx->fcb);
	err = mrx9p_rpc(req, p9_enc_fid_op(&w, req->tx, MRX9P_SMALL,
					   P9_TREADLINK, req->tag, pfid_num(pf)),
			P9_RREADLINK);
	mrx9p_pfid_put(c, pf);
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_str(&r, &target);
	}
	if (!err) {
		if (target.len > ctx->info.readlink.size) {
			err = -ENAMETOOLONG;
		} else {
			memcpy(ctx->info.readlink.buf, target.s, target.len);
			ctx->information = target.len;
		}
	}
	p9_req_put(req);
	return err;
}
