// SPDX-License-Identifier: GPL-2.0
/*
 * SRV_CALL, NET_ROOT, V_NET_ROOT, SRV_OPEN and FOBX: creation, sharing and
 * finalization.  FCBs live in inodes (inode.c).
 */
#include <linux/ktime.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/cred.h>
#include "internal.h"
#include "trace.h"

#define RX_EXT_ALIGN 16

/* Allocate an object of @size followed by a mini-redirector extension. */
static void *rx_alloc_ext(size_t size, size_t ext_size, gfp_t gfp)
{
	return kzalloc(ALIGN(size, RX_EXT_ALIGN) + ext_size, gfp);
}

static void *rx_ext_of(void *obj, size_t size, size_t ext_size)
{
	return ext_size ? obj + ALIGN(size, RX_EXT_ALIGN) : NULL;
}

struct rx_srv_call *rx_find_or_create_srv_call(struct rx_minirdr *mr,
					       void *opts,
					       struct fs_context *fc)
{
	struct rx_srv_call *sc;
	char *key;
	int err;

	key = mr->ops->srv_call_key(opts, fc);
	if (IS_ERR(key))
		return ERR_CAST(key);

	mutex_lock(&mr->lock);
	list_for_each_entry(sc, &mr->srv_calls, link) {
		if (!strcmp(sc->key, key)) {
			kref_get(&sc->kref);
			sc->mounts++;
			mutex_unlock(&mr->lock);
			kfree(key);
			return sc;
		}
	}

	sc = rx_alloc_ext(sizeof(*sc), mr->srv_call_ext_size, GFP_KERNEL);
	if (sc)
		sc->ext = rx_ext_of(sc, sizeof(*sc), mr->srv_call_ext_size);
	if (!sc) {
		err = -ENOMEM;
		goto fail;
	}
	kref_init(&sc->kref);
	INIT_LIST_HEAD(&sc->debug_link);
	sc->minirdr = mr;
	sc->key = key;
	sc->mounts = 1;
	/*
	 * Connecting under mr->lock serialises mounts of one mini-redirector
	 * while a connection is made; it also makes two mounts of the same
	 * server share one srv_call without a winner race.
	 */
	err = mr->ops->create_srv_call(sc, opts, fc);
	if (err) {
		kfree(sc);
		goto fail;
	}
	list_add(&sc->link, &mr->srv_calls);
	rx_debug_srv_call_add(sc);
	mutex_unlock(&mr->lock);
	pr_debug("rdbss: %s: new srv_call %s\n", mr->name, key);
	return sc;

fail:
	mutex_unlock(&mr->lock);
	kfree(key);
	return ERR_PTR(err);
}

/* Phase one of finalization: out of the table, so no mount finds it. */
static void rx_srv_call_unlink(struct kref *kref)
{
	struct rx_srv_call *sc = container_of(kref, struct rx_srv_call, kref);

	list_del_init(&sc->link);	/* may be orphaned already */
}

/**
 * rx_orphan_srv_call - take a srv_call out of the lookup table
 * @sc: a srv_call whose connection was given up (umount -f)
 *
 * Mounts that hold it keep it; a new mount of the same server gets a new
 * srv_call instead of a dead one.  PASSIVE.
 */
void rx_orphan_srv_call(struct rx_srv_call *sc)
{
	struct rx_minirdr *mr = sc->minirdr;

	mutex_lock(&mr->lock);
	list_del_init(&sc->link);
	mutex_unlock(&mr->lock);
}
EXPORT_SYMBOL_GPL(rx_orphan_srv_call);

void rx_put_srv_call(struct rx_srv_call *sc)
{
	struct rx_minirdr *mr = sc->minirdr;
	bool last;

	/* every reference is taken under mr->lock: drop it under it too */
	mutex_lock(&mr->lock);
	sc->mounts--;
	last = kref_put(&sc->kref, rx_srv_call_unlink);
	mutex_unlock(&mr->lock);
	if (!last)
		return;
	/* phase two: disconnect, outside the lock */
	pr_debug("rdbss: %s: srv_call %s: last mount gone\n", mr->name,
		 sc->key);
	rx_debug_srv_call_del(sc);
	if (mr->ops->finalize_srv_call)
		mr->ops->finalize_srv_call(sc);
	kfree(sc->key);
	kfree(sc);
}

/* The caller's srv_call reference and @opts pass to the net_root. */
struct rx_net_root *rx_create_net_root(struct rx_srv_call *sc, void *opts)
{
	struct rx_net_root *nr;

	nr = rx_alloc_ext(sizeof(*nr), sc->minirdr->net_root_ext_size, GFP_KERNEL);
	if (nr)
		nr->ext = rx_ext_of(nr, sizeof(*nr), sc->minirdr->net_root_ext_size);
	if (!nr)
		return NULL;
	if (rx_stats_init(&nr->stats)) {
		kfree(nr);
		return NULL;
	}
	kref_init(&nr->kref);
	nr->srv_call = sc;
	nr->opts = opts;
	mutex_init(&nr->v_net_roots_lock);
	INIT_LIST_HEAD(&nr->v_net_roots);
	rx_scavenger_init(nr);
	rx_debug_net_root_add(nr);
	return nr;
}

static void rx_v_net_root_release(struct kref *kref)
{
	struct rx_v_net_root *vnr = container_of(kref, struct rx_v_net_root,
						 kref);
	const struct rx_minirdr_ops *ops = vnr->net_root->srv_call->minirdr->ops;

	if (ops->finalize_v_net_root)
		ops->finalize_v_net_root(vnr);
	kfree(vnr);
}

static void rx_net_root_release(struct kref *kref)
{
	struct rx_net_root *nr = container_of(kref, struct rx_net_root, kref);
	struct rx_minirdr *mr = nr->srv_call->minirdr;
	struct rx_v_net_root *vnr, *tmp;

	rx_debug_net_root_del(nr);
	/* Each v_net_root on the list holds one reference of the list's. */
	list_for_each_entry_safe(vnr, tmp, &nr->v_net_roots, link) {
		list_del(&vnr->link);
		kref_put(&vnr->kref, rx_v_net_root_release);
	}
	if (mr->ops->free_opts)
		mr->ops->free_opts(nr->opts);
	rx_put_srv_call(nr->srv_call);
	rx_stats_destroy(&nr->stats);
	kfree(nr);
}

void rx_put_net_root(struct rx_net_root *nr)
{
	kref_put(&nr->kref, rx_net_root_release);
}

/* Attach as the mounting user: the net_root's first v_net_root. */
struct rx_v_net_root *rx_create_v_net_root(struct rx_net_root *nr,
					   struct fs_context *fc)
{
	struct rx_minirdr *mr = nr->srv_call->minirdr;
	struct rx_v_net_root *vnr;
	int err;

	vnr = rx_alloc_ext(sizeof(*vnr), mr->v_net_root_ext_size, GFP_KERNEL);
	if (vnr)
		vnr->ext = rx_ext_of(vnr, sizeof(*vnr), mr->v_net_root_ext_size);
	if (!vnr)
		return ERR_PTR(-ENOMEM);
	kref_init(&vnr->kref);
	vnr->net_root = nr;
	vnr->uid = current_fsuid();
	err = mr->ops->create_v_net_root(vnr, fc);
	if (err) {
		kfree(vnr);
		return ERR_PTR(err);
	}
	mutex_lock(&nr->v_net_roots_lock);
	list_add_tail(&vnr->link, &nr->v_net_roots);
	mutex_unlock(&nr->v_net_roots_lock);
	return vnr;
}

/**
 * rx_get_v_net_root - the view of @net_root the calling user acts through
 * @net_root: the share
 *
 * With per-user views (net_root->per_user) each user gets its own
 * v_net_root, attached on first use; otherwise all share the mount's.
 * Returns a referenced v_net_root or an ERR_PTR (the server refused the
 * user's attach).  PASSIVE.
 */
struct rx_v_net_root *rx_get_v_net_root(struct rx_net_root *net_root)
{
	const struct rx_minirdr_ops *ops = net_root->srv_call->minirdr->ops;
	kuid_t uid = current_fsuid();
	struct rx_v_net_root *vnr;
	int err;

	mutex_lock(&net_root->v_net_roots_lock);
	list_for_each_entry(vnr, &net_root->v_net_roots, link) {
		if (!net_root->per_user || uid_eq(vnr->uid, uid)) {
			kref_get(&vnr->kref);
			mutex_unlock(&net_root->v_net_roots_lock);
			return vnr;
		}
	}
	vnr = rx_alloc_ext(sizeof(*vnr),
			   net_root->srv_call->minirdr->v_net_root_ext_size,
			   GFP_KERNEL);
	if (!vnr) {
		err = -ENOMEM;
		goto fail;
	}
	vnr->ext = rx_ext_of(vnr, sizeof(*vnr),
			     net_root->srv_call->minirdr->v_net_root_ext_size);
	kref_init(&vnr->kref);
	vnr->net_root = net_root;
	vnr->uid = uid;
	err = ops->create_v_net_root(vnr, NULL);
	if (err) {
		kfree(vnr);
		goto fail;
	}
	/* one reference for the list, one for the caller */
	kref_get(&vnr->kref);
	list_add_tail(&vnr->link, &net_root->v_net_roots);
	mutex_unlock(&net_root->v_net_roots_lock);
	return vnr;
fail:
	mutex_unlock(&net_root->v_net_roots_lock);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(rx_get_v_net_root);

void rx_put_v_net_root(struct rx_v_net_root *vnr)
{
	kref_put(&vnr->kref, rx_v_net_root_release);
}
EXPORT_SYMBOL_GPL(rx_put_v_net_root);

struct rx_srv_open *rx_alloc_srv_open(struct rx_fcb *fcb,
				      struct rx_v_net_root *vnr,
				      unsigned int open_flags)
{
	const struct rx_minirdr *mr = vnr->net_root->srv_call->minirdr;
	struct rx_srv_open *so;

	so = rx_alloc_ext(sizeof(*so), mr->srv_open_ext_size, GFP_KERNEL);
	if (so)
		so->ext = rx_ext_of(so, sizeof(*so), mr->srv_open_ext_size);
	if (!so)
		return NULL;
	kref_init(&so->kref);
	INIT_LIST_HEAD(&so->link);
	INIT_LIST_HEAD(&so->dormant_link);
	INIT_LIST_HEAD(&so->scavenge_link);
	so->debug_id = rx_next_debug_id();
	so->fcb = fcb;
	kref_get(&vnr->kref);
	so->v_net_root = vnr;
	so->open_flags = open_flags;
	return so;
}

static void rx_srv_open_release(struct kref *kref)
{
	struct rx_srv_open *so = container_of(kref, struct rx_srv_open, kref);
	struct rx_v_net_root *vnr = so->v_net_root;
	const struct rx_minirdr_ops *ops = vnr->net_root->srv_call->minirdr->ops;

	spin_lock(&so->fcb->lock);
	list_del(&so->link);
	spin_unlock(&so->fcb->lock);
	trace_rdbss_srv_open(so, RX_TRACE_SO_CLOSE);
	if (ops->close_srv_open) {
		u64 start = ktime_get_ns();

		ops->close_srv_open(so);
		rx_stats_op(&vnr->net_root->stats, RX_OP_CLOSE, 0, 0, start);
	}
	rx_put_v_net_root(vnr);
	kfree(so);
}

/**
 * rx_put_srv_open - drop a reference; the last closes the server handle
 * @so: the srv_open
 *
 * PASSIVE (closing talks to the server).
 */
void rx_put_srv_open(struct rx_srv_open *so)
{
	kref_put(&so->kref, rx_srv_open_release);
}
EXPORT_SYMBOL_GPL(rx_put_srv_open);

/**
 * rx_orphan_srv_open - the server lost @so for good (RxOrphanSrvOpens)
 * @so: the srv_open, referenced by the caller
 *
 * Marks it orphaned: no new open collapses onto it and write-behind stops
 * using it (the FCB's write-behind open is given up, so the next writable
 * open takes its place).  Returns whether anything still needs it: a file
 * open on it, I/O in flight, or dirty pages it was to write back.  An
 * orphan nobody needs goes quietly when its last reference does.
 * PASSIVE; the caller must not hold locks the close path takes.
 */
bool rx_orphan_srv_open(struct rx_srv_open *so)
{
	struct rx_fcb *fcb = so->fcb;
	bool wb = false, busy;

	set_bit(RX_SO_ORPHANED, &so->flags);
	/* a dormant one is used by nobody: closing it is all that is left */
	rx_srv_open_drop_dormant(so);
	spin_lock(&fcb->lock);
	if (fcb->wb_srv_open == so) {
		fcb->wb_srv_open = NULL;
		wb = true;
	}
	/* the caller's reference, and the write-behind one just taken */
	busy = kref_read(&so->kref) > 1 + wb;
	spin_unlock(&fcb->lock);
	if (wb && mapping_tagged(rx_fcb_inode(fcb)->i_mapping,
				 PAGECACHE_TAG_DIRTY))
		busy = true;
	trace_rdbss_srv_open(so, RX_TRACE_SO_ORPHAN);
	if (wb)
		rx_put_srv_open(so);
	return busy;
}
EXPORT_SYMBOL_GPL(rx_orphan_srv_open);

struct rx_fobx *rx_alloc_fobx(const struct rx_minirdr *mr,
			      struct rx_srv_open *so)
{
	struct rx_fobx *fobx;

	fobx = rx_alloc_ext(sizeof(*fobx), mr->fobx_ext_size, GFP_KERNEL);
	if (fobx)
		fobx->ext = rx_ext_of(fobx, sizeof(*fobx), mr->fobx_ext_size);
	/* the caller's reference and handle count on @so pass to the fobx */
	if (fobx)
		fobx->srv_open = so;
	return fobx;
}

/* The last close of a handle: its srv_open may stay dormant a while. */
void rx_free_fobx(struct rx_fobx *fobx)
{
	rx_srv_open_handle_closed(fobx->srv_open);
	kfree(fobx);
}
