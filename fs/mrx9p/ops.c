// SPDX-License-Identifier: GPL-2.0
/*
 * The mrx9p dispatch table (MINIRDR_DISPATCH) and the connection and
 * attach entries.
 */
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/statfs.h>
#include <linux/uio.h>
#include "mrx9p.h"

static int mrx9p_create_srv_call(struct rx_srv_call *sc, void *opts,
				 struct fs_context *fc)
{
	struct mrx9p_opts *o = opts;
	struct p9_conn *c = sc->ext;
	int err;

	c->debug_id = rx_next_debug_id();
	err = p9_conn_open(c, o, fc);
	if (err)
		return err;
	err = p9_version(c, o->msize, fc);
	if (!err)
		err = mrx9p_open_channels(c, o, fc);
	if (err) {
		p9_conn_close(c);
		return err;
	}
	mrx9p_debug_conn_add(c);
	return 0;
}

static void mrx9p_finalize_srv_call(struct rx_srv_call *sc)
{
	mrx9p_close_channels(sc->ext);
	mrx9p_debug_conn_del(sc->ext);
	p9_conn_close(sc->ext);
}

static void mrx9p_umount_begin(struct rx_net_root *nr)
{
	mrx9p_abort_channels(nr->srv_call->ext);
	p9_conn_abort(nr->srv_call->ext);
	/* the next mount of this server connects afresh */
	rx_orphan_srv_call(nr->srv_call);
}

/**
 * mrx9p_attach - Tattach @v's root fid as its user
 * @c: the connection
 * @v: the v_net_root extension (root_fid, n_uname set)
 * @o: the mount options (uname, aname)
 *
 * Bounded by the connection timeout.  PASSIVE.
 */
int mrx9p_attach(struct p9_conn *c, struct mrx9p_vnr *v,
		 const struct mrx9p_opts *o)
{
	u32 cap = MRX9P_SMALL + strlen(o->uname) + strlen(o->aname);
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_qid qid;
	struct p9_req *req;
	int err;

	req = p9_req_alloc(c, cap, 32);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->recovery = current_work() == &c->recover_work.work;
	err = p9_enc_attach(&w, req->tx, cap, req->tag, v->root_fid, P9_NOFID,
			    o->uname, o->aname, v->n_uname);
	if (err >= 0) {
		req->tx_len = err;
		err = p9_rpc(req, P9_RATTACH, c->timeout);
	}
	if (!err) {
		p9_req_rbuf(req, &r);
		err = p9_dec_qid(&r, &qid);
	}
	pr_debug("rx9p: %s: Tattach fid %u uid %u aname '%s': %d\n",
		 c->addr_str, v->root_fid, v->n_uname, o->aname, err);
	p9_req_put(req);
	return err;
}

/* The largest READ or WRITE: what msize leaves, capped at @cap (0: none). */
static size_t mrx9p_io_size(u32 msize, u32 cap)
{
	size_t max = msize - P9_IOHDRSZ;

	if (cap && cap < max)
		max = cap;
	return max_t(size_t, round_down(max, PAGE_SIZE), PAGE_SIZE);
}

static int mrx9p_create_v_net_root(struct rx_v_net_root *vnr,
				   struct fs_context *fc)
{
	struct mrx9p_opts *o = mrx9p_opts(vnr);
	struct p9_conn *c = mrx9p_conn(vnr);
	struct mrx9p_vnr *v = vnr->ext;
	u32 n_uname;
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
	v->n_uname = n_uname;
	v->vnr = vnr;
	mutex_init(&v->chan_lock);
	err = p9_fid_alloc(c, &v->root_fid);
	if (err)
		return err;
	err = mrx9p_attach(c, v, o);
	if (err && fc)
		errorfc(fc, "%s: attach to '%s' as '%s' failed: error %d",
			c->addr_str, o->aname, o->uname, err);
	else if (err)
		pr_warn_ratelimited("rx9p: %s: attach as uid %u refused: error %d\n",
				    c->addr_str, n_uname, err);
	vnr->net_root->per_user = o->access == MRX9P_ACCESS_USER;
	/*
	 * One Tread/Twrite carries at most msize less its header, in whole
	 * pages; rsize and wsize lower that (a server may grant a large
	 * msize and still fail large reads: nfs-ganesha 4.3).
	 */
	vnr->net_root->max_read = mrx9p_io_size(c->msize, o->rsize);
	vnr->net_root->max_write = mrx9p_io_size(c->msize, o->wsize);
	vnr->net_root->buffering = o->cache;
	/* attributes stay fresh this long between revalidations */
	vnr->net_root->attr_timeout = o->cache == RX_BUFFERING_LOOSE ? 30 * HZ :
				      o->cache == RX_BUFFERING_CTO ? HZ : 0;
	vnr->net_root->close_delay = o->closetimeo * HZ;
	if (err) {
		ida_free(&c->fids, v->root_fid);
		return err;
	}
	/* from here on a lost connection is re-established, not fatal */
	mutex_lock(&c->recov_lock);
	list_add_tail(&v->link, &c->roots);
	mutex_unlock(&c->recov_lock);
	spin_lock_bh(&c->lock);
	c->recoverable = true;
	spin_unlock_bh(&c->lock);
	return 0;
}

static void mrx9p_finalize_v_net_root(struct rx_v_net_root *vnr)
{
	struct mrx9p_vnr *v = vnr->ext;
	struct p9_conn *c = mrx9p_conn(vnr);

	mrx9p_free_chan_roots(v);
	mutex_lock(&c->recov_lock);
	list_del(&v->link);
	mutex_unlock(&c->recov_lock);
	p9_fid_clunk(c, v->root_fid);
}

const struct rx_minirdr_ops mrx9p_ops = {
	.parameters		= mrx9p_param_spec,
	.alloc_opts		= mrx9p_alloc_opts,
	.free_opts		= mrx9p_free_opts,
	.parse_param		= mrx9p_parse_param,
	.srv_call_key		= mrx9p_srv_call_key,
	.show_options		= mrx9p_show_options,
	.show_stats		= mrx9p_show_stats,
	.debug_show_srv_call	= mrx9p_debug_show_srv_call,
	.debug_show_context	= mrx9p_debug_show_context,
	.create_srv_call	= mrx9p_create_srv_call,
	.finalize_srv_call	= mrx9p_finalize_srv_call,
	.umount_begin		= mrx9p_umount_begin,
	.create_v_net_root	= mrx9p_create_v_net_root,
	.finalize_v_net_root	= mrx9p_finalize_v_net_root,
	.lookup			= mrx9p_lookup,
	.fcb_found		= mrx9p_fcb_found,
	.create			= mrx9p_create,
	.mkdir			= mrx9p_mkdir,
	.unlink			= mrx9p_unlink,
	.rename			= mrx9p_rename,
	.link			= mrx9p_link,
	.symlink		= mrx9p_symlink,
	.mknod			= mrx9p_mknod,
	.readlink		= mrx9p_readlink,
	.deallocate_fcb		= mrx9p_deallocate_fcb,
	.open			= mrx9p_open,
	.close_srv_open		= mrx9p_close_srv_open,
	.flush			= mrx9p_flush,
	.query_info		= mrx9p_query_info,
	.set_info		= mrx9p_set_info,
	.query_directory	= mrx9p_query_directory,
	.query_volume		= mrx9p_query_volume,
	.query_ea		= mrx9p_query_ea,
	.set_ea			= mrx9p_set_ea,
	.lowio_submit = {
		[LOWIO_OP_READ]		= mrx9p_lowio_rw,
		[LOWIO_OP_WRITE]	= mrx9p_lowio_rw,
		[LOWIO_OP_SHAREDLOCK]	= mrx9p_lowio_lock,
		[LOWIO_OP_EXCLUSIVELOCK] = mrx9p_lowio_lock,
		[LOWIO_OP_UNLOCK]	= mrx9p_lowio_lock,
	},
};
