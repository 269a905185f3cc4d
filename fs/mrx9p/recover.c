// SPDX-License-Identifier: GPL-2.0
/*
 * Reconnection (the RDBSS NEEDRECONNECT path for a 9P connection).
 *
 * 9P state lives in fids, and fids die with the socket.  Once a mount is
 * complete, a lost socket is not fatal: recover_work connects again with
 * exponential backoff, renegotiates the version (the message size must
 * not shrink: I/O is already split by it), attaches every root fid again,
 * walks every path fid and reopens every open fid from the paths of their
 * inodes -- each under the fid number it had, so requests encoded before
 * the loss stay valid -- and then sends the idempotent requests that were
 * in flight and everything issued meanwhile.  Non-idempotent requests in
 * flight have already failed with -EIO: whether the server applied them
 * cannot be known.
 *
 * What cannot come back: POSIX locks (the server dropped them with the
 * old connection) and files unlinked while open (no path leads to them):
 * such opens are orphaned (rx_orphan_srv_open()).
 */
#include <linux/fs.h>
#include <linux/sched/mm.h>
#include <linux/workqueue.h>
#include "mrx9p.h"
#include "trace.h"

#define MRX9P_BACKOFF_MAX	30	/* seconds between attempts, at most */

/* The socket failed, or the connection died, since recovery began. */
static bool mrx9p_lost_again(struct p9_conn *c)
{
	return READ_ONCE(c->err) || READ_ONCE(c->sock_err);
}

/* Put a new socket in place of the failed one. */
static int mrx9p_replace_socket(struct p9_conn *c)
{
	struct socket *sock, *old;
	int err;

	err = p9_sock_connect(c, &sock);
	if (err)
		return err;
	/* the old socket's callbacks and reader must be quiet first */
	p9_sock_detach(c);
	cancel_work_sync(&c->rx_work);
	mutex_lock(&c->sock_lock);
	mutex_lock(&c->tx_lock);
	spin_lock_bh(&c->rx_lock);
	old = c->sock;
	c->sock = sock;
	c->rx_err = 0;
	p9_rx_reset(c);
	spin_unlock_bh(&c->rx_lock);
	spin_lock_bh(&c->lock);
	c->sock_err = 0;
	c->shut = false;
	spin_unlock_bh(&c->lock);
	mutex_unlock(&c->tx_lock);
	mutex_unlock(&c->sock_lock);
	sock_release(old);
	p9_sock_attach(c);
	return 0;
}

static struct mrx9p_vnr *mrx9p_root_for(struct p9_conn *c,
					struct mrx9p_ufid *u)
{
	struct rx_net_root *nr = rx_fcb_net_root(u->fcb);
	struct mrx9p_vnr *v;

	list_for_each_entry(v, &c->roots, link)
		if (v->vnr->net_root == nr &&
		    (!nr->per_user || uid_eq(v->vnr->uid, u->uid)))
			return v;
	return NULL;
}

/*
 * Rebuild every fid the server forgot.  A file the server no longer has
 * is not an error here: its next use fails with the server's answer.
 * Returns an error only if the connection was lost again.
 */
static int mrx9p_restore_fids(struct p9_conn *c)
{
	struct mrx9p_vnr *v;
	struct mrx9p_ufid *u;
	struct mrx9p_open *o;
	unsigned int roots = 0, fids = 0, opens = 0, nofs;
	int err = 0;

	/*
	 * Reclaim from under recov_lock must not evict an inode of ours:
	 * closing its srv_opens takes recov_lock (and rdbss's scavenger,
	 * which waits for it, may be what eviction waits for).
	 */
	nofs = memalloc_nofs_save();
	mutex_lock(&c->recov_lock);
	list_for_each_entry(v, &c->roots, link) {
		err = mrx9p_attach(c, v, mrx9p_opts(v->vnr));
		if (mrx9p_lost_again(c))
			goto out;
		if (err)
			pr_warn_ratelimited("rx9p: %s: attach as uid %u refused after reconnecting: error %d\n",
					    c->addr_str, v->n_uname, err);
		roots++;
	}
	list_for_each_entry(u, &c->ufids, conn_link) {
		v = mrx9p_root_for(c, u);
		if (!v)
			continue;
		err = mrx9p_walk_inode(c, v->root_fid, rx_fcb_inode(u->fcb),
				       u->pf->fid, NULL);
		if (mrx9p_lost_again(c))
			goto out;
		fids++;
	}
	list_for_each_entry(o, &c->opens, link) {
		/* this channel's attach of the open's v_net_root */
		struct mrx9p_vnr *ov = mrx9p_chan_vnr(o->so->v_net_root->ext, c);
		u32 iounit;

		if (o->lost)
			continue;	/* orphaned at an earlier reconnect */
		err = ov ? mrx9p_walk_inode(c, ov->root_fid,
					    rx_fcb_inode(o->so->fcb), o->fid,
					    NULL) : -ENOENT;
		if (!err)
			err = mrx9p_lopen(c, o->fid, o->lflags, &iounit);
		if (mrx9p_lost_again(c))
			goto out;
		if (err) {
			/* at once: no open may collapse onto it from now */
			set_bit(RX_SO_ORPHANED, &o->so->flags);
			WRITE_ONCE(o->lost, err);
		} else {
			opens++;
		}
	}
	pr_debug("rx9p: %s: restored %u roots, %u fids, %u open files\n",
		 c->addr_str, roots, fids, opens);
out:
	mutex_unlock(&c->recov_lock);
	memalloc_nofs_restore(nofs);
	return mrx9p_lost_again(c) ? -ECONNRESET : 0;
}

/*
 * Tell rdbss about the opens the server lost for good, outside recov_lock
 * (dropping the FCB's write-behind reference may close the srv_open).
 * Only an orphan something still needs is worth a warning: a write-behind
 * open kept after close, of a file whose name went (cache=none drops
 * unused names), is lost with nothing to lose.
 */
static void mrx9p_orphan_lost_opens(struct p9_conn *c)
{
	struct mrx9p_open *o;
	struct rx_srv_open *so;
	struct inode *inode;
	int lost = 0;

	for (;;) {
		so = NULL;
		inode = NULL;
		mutex_lock(&c->recov_lock);
		list_for_each_entry(o, &c->opens, link) {
			if (!o->lost || o->orphaned)
				continue;
			o->orphaned = true;
			/*
			 * The inode too: the srv_open must not outlive it.  One
			 * being evicted closes its srv_opens itself.
			 */
			inode = igrab(rx_fcb_inode(o->so->fcb));
			if (!inode)
				continue;
			if (kref_get_unless_zero(&o->so->kref)) {
				so = o->so;
				lost = o->lost;
				break;
			}
			/* its last close is running: nothing to tell */
			break;
		}
		mutex_unlock(&c->recov_lock);
		if (!so) {
			if (!inode)
				return;
			iput(inode);
			continue;
		}
		if (rx_orphan_srv_open(so))
			pr_warn_ratelimited("rx9p: %s: an open file could not be reopened after reconnecting (error %d); its I/O fails\n",
					    c->addr_str, lost);
		else
			pr_debug("rx9p: %s: an unused open (inode %llu) could not be reopened (error %d); dropped\n",
				 c->addr_str, (u64)rx_fcb_inode(so->fcb)->i_ino,
				 lost);
		rx_put_srv_open(so);
		iput(inode);
	}
}

/**
 * mrx9p_recover_work - reconnect a connection whose socket failed
 * @work: conn->recover_work
 *
 * Queued by rx_work once it has sorted the failed socket's requests; runs
 * again with backoff until the server is back or the connection dies
 * (unmount, umount -f).  PASSIVE, on system_unbound_wq: it waits for
 * replies that mrx9p_wq's reader delivers.
 */
void mrx9p_recover_work(struct work_struct *work)
{
	struct p9_conn *c = container_of(to_delayed_work(work), struct p9_conn,
					 recover_work);
	u32 msize = c->msize;
	int err;

	if (READ_ONCE(c->err))
		return;
	err = mrx9p_replace_socket(c);
	if (!err)
		err = p9_version(c, msize, NULL);
	if (!err && c->msize != msize) {
		pr_warn_ratelimited("rx9p: %s: the server now offers msize %u, not %u; giving up on it\n",
				    c->addr_str, c->msize, msize);
		c->msize = msize;
		p9_conn_abort(c);
		return;
	}
	if (!err)
		err = mrx9p_restore_fids(c);
	if (err) {
		pr_debug("rx9p: %s: reconnecting failed: error %d; next try in %us\n",
			 c->addr_str, err, clamp(c->backoff * 2, 1U, MRX9P_BACKOFF_MAX));
		if (READ_ONCE(c->err))
			return;
		/* a half-made socket: make rx_work sort what it carried */
		if (err == -ETIMEDOUT)
			p9_conn_fail(c, err);
		c->backoff = clamp(c->backoff * 2, 1U, MRX9P_BACKOFF_MAX);
		queue_delayed_work(system_unbound_wq, &c->recover_work,
				   c->backoff * HZ);
		return;
	}

	spin_lock_bh(&c->lock);
	c->recovering = false;
	c->backoff = 0;
	c->epoch++;
	c->reconnects++;
	spin_unlock_bh(&c->lock);
	/* fids walked on the old socket while we worked: walk them again */
	atomic_inc(&c->rename_gen);
	trace_mrx9p_conn(c, P9_TRACE_RECONNECTED, 0);
	pr_info_ratelimited("rx9p: %s: reconnected\n", c->addr_str);
	p9_conn_resend(c);
	mrx9p_orphan_lost_opens(c);
}
