// SPDX-License-Identifier: GPL-2.0
/*
 * Delayed close: the RDBSS scavenger.  When the last handle (fobx) of a
 * regular file's srv_open closes, the srv_open is not closed on the server
 * but made dormant for net_root->close_delay, so that the open which a
 * build tool or a script makes a moment later takes it up again without a
 * round trip to open and one to close.  Close-to-open still holds: every
 * open revalidates the file's attributes before it looks for a srv_open
 * to share (rx_open_common()).
 *
 * A dormant srv_open ends when its time is up (the scavenger work), when
 * the file is unlinked or renamed or its inode is evicted (so memory
 * pressure, which evicts inodes, and umount end them too), when the list
 * grows past RX_DORMANT_MAX (the oldest go first), or when a reconnect
 * cannot reopen it.
 */
#include <linux/sched/mm.h>
#include "internal.h"
#include "trace.h"

/* dormant srv_opens per net_root before the oldest are closed early */
#define RX_DORMANT_MAX	1024

void rx_scavenger_init(struct rx_net_root *nr)
{
	spin_lock_init(&nr->dormant_lock);
	INIT_LIST_HEAD(&nr->dormant);
	mutex_init(&nr->scavenge_lock);
	INIT_DELAYED_WORK(&nr->scavenge_work, rx_scavenge_work);
}

/*
 * Take @so off the dormant list once its RX_SO_DORMANT bit was cleared by
 * the caller (who now owns the list's reference).  Under fcb->lock or not:
 * dormant_lock nests inside it.
 */
static void rx_dormant_unlink(struct rx_net_root *nr, struct rx_srv_open *so)
{
	spin_lock(&nr->dormant_lock);
	list_del_init(&so->dormant_link);
	nr->n_dormant--;
	spin_unlock(&nr->dormant_lock);
}

/**
 * rx_srv_open_take_dormant - a new open takes up @so if it is dormant
 * @so: a srv_open of the FCB, under fcb->lock
 *
 * Returns true if @so was dormant: the caller now holds the dormant
 * list's reference (RxpCollapseOpen reviving a closed SRV_OPEN).
 */
bool rx_srv_open_take_dormant(struct rx_srv_open *so)
{
	lockdep_assert_held(&so->fcb->lock);
	if (!test_and_clear_bit(RX_SO_DORMANT, &so->flags))
		return false;
	rx_dormant_unlink(so->v_net_root->net_root, so);
	trace_rdbss_srv_open(so, RX_TRACE_SO_REVIVE);
	return true;
}

/*
 * @so, whose RX_SO_DORMANT bit the caller cleared, leaves the dormant list
 * for the caller's private @list (scavenge_link, under scavenge_lock):
 * an open may take it up again, and close it again, meanwhile.
 */
static void rx_dormant_expire(struct rx_net_root *nr, struct rx_srv_open *so,
			      struct list_head *list)
{
	lockdep_assert_held(&nr->dormant_lock);
	list_del_init(&so->dormant_link);
	nr->n_dormant--;
	atomic_inc(&so->fcb->closing);
	list_add_tail(&so->scavenge_link, list);
}

/* Close the srv_opens on @list (their dormant references), PASSIVE. */
static void rx_close_dormant(struct list_head *list)
{
	struct rx_srv_open *so, *tmp;
	unsigned int nofs;

	/*
	 * Closing allocates; reclaim from here must not evict an inode of
	 * ours, whose rx_scavenge_fcb() would wait for us.
	 */
	nofs = memalloc_nofs_save();
	list_for_each_entry_safe(so, tmp, list, scavenge_link) {
		struct rx_fcb *fcb = so->fcb;

		list_del_init(&so->scavenge_link);
		rx_put_srv_open(so);
		/* the inode lives on: its eviction waits for scavenge_lock */
		atomic_dec(&fcb->closing);
	}
	memalloc_nofs_restore(nofs);
}

/**
 * rx_srv_open_handle_closed - the handle of a fobx on @so went away
 * @so: the srv_open; the fobx's reference passes to this function
 *
 * The last handle of a regular file's srv_open makes it dormant if the
 * net_root delays closes; otherwise the reference is dropped (and the
 * last one closes it on the server).  PASSIVE.
 */
void rx_srv_open_handle_closed(struct rx_srv_open *so)
{
	struct rx_fcb *fcb = so->fcb;
	struct rx_net_root *nr = so->v_net_root->net_root;
	unsigned long delay = READ_ONCE(nr->close_delay);
	bool keep, over = false;

	spin_lock(&fcb->lock);
	keep = !--so->handles && delay &&
	       S_ISREG(rx_fcb_inode(fcb)->i_mode) &&
	       rx_fcb_inode(fcb)->i_nlink &&
	       !test_bit(RX_SO_ORPHANED, &so->flags);
	if (keep) {
		spin_lock(&nr->dormant_lock);
		so->dormant_since = jiffies;
		set_bit(RX_SO_DORMANT, &so->flags);
		list_add_tail(&so->dormant_link, &nr->dormant);
		over = ++nr->n_dormant > RX_DORMANT_MAX;
		spin_unlock(&nr->dormant_lock);
	}
	spin_unlock(&fcb->lock);
	if (!keep) {
		rx_put_srv_open(so);
		return;
	}
	trace_rdbss_srv_open(so, RX_TRACE_SO_DORMANT);
	/*
	 * A scavenger already due runs no later than this one would, and
	 * queues itself again for what is left.
	 */
	rx_queue_passive_delayed(&nr->scavenge_work, over ? 0 : delay, over);
}

/* The scavenger: close the dormant srv_opens whose time is up. */
void rx_scavenge_work(struct work_struct *work)
{
	struct rx_net_root *nr = container_of(to_delayed_work(work),
					      struct rx_net_root,
					      scavenge_work);
	unsigned long delay = READ_ONCE(nr->close_delay), next = 0;
	struct rx_srv_open *so, *tmp;
	bool more = false;
	LIST_HEAD(expired);

	mutex_lock(&nr->scavenge_lock);
	spin_lock(&nr->dormant_lock);
	list_for_each_entry_safe(so, tmp, &nr->dormant, dormant_link) {
		if (nr->n_dormant <= RX_DORMANT_MAX &&
		    time_before(jiffies, so->dormant_since + delay)) {
			next = so->dormant_since + delay;
			more = true;
			break;
		}
		/* a collapsing open cleared it first: it unlinks it */
		if (test_and_clear_bit(RX_SO_DORMANT, &so->flags))
			rx_dormant_expire(nr, so, &expired);
	}
	spin_unlock(&nr->dormant_lock);
	rx_close_dormant(&expired);
	/*
	 * For the oldest left, even if a close meanwhile queued this work
	 * for later (its time is now + delay; the oldest's is sooner).
	 */
	if (more)
		rx_queue_passive_delayed(&nr->scavenge_work,
					 READ_ONCE(nr->n_dormant) > RX_DORMANT_MAX ?
					 0 : max_t(long, next - jiffies, 1),
					 true);
	mutex_unlock(&nr->scavenge_lock);
}

/**
 * rx_scavenge_fcb - close the dormant srv_opens of @fcb now
 * @fcb: a file about to be unlinked, renamed or evicted
 *
 * Also waits for the scavenger's closes in progress, so that none still
 * touches @fcb when its inode is freed.  PASSIVE.
 */
void rx_scavenge_fcb(struct rx_fcb *fcb)
{
	struct rx_net_root *nr = rx_fcb_net_root(fcb);
	struct rx_srv_open *so;
	LIST_HEAD(expired);
	bool none;

	/*
	 * No srv_open, none being closed: nothing to wait for (most
	 * evictions).  A srv_open leaves fcb->srv_opens before its close on
	 * the server ends, which may wait for a reconnection and still use
	 * the inode: a scavenger's close is counted in fcb->closing from
	 * before it leaves the list until it has ended.
	 */
	spin_lock(&fcb->lock);
	none = list_empty(&fcb->srv_opens) && !atomic_read(&fcb->closing);
	spin_unlock(&fcb->lock);
	if (none)
		return;
	mutex_lock(&nr->scavenge_lock);
	spin_lock(&fcb->lock);
	list_for_each_entry(so, &fcb->srv_opens, link) {
		if (!test_and_clear_bit(RX_SO_DORMANT, &so->flags))
			continue;
		spin_lock(&nr->dormant_lock);
		rx_dormant_expire(nr, so, &expired);
		spin_unlock(&nr->dormant_lock);
	}
	spin_unlock(&fcb->lock);
	rx_close_dormant(&expired);
	mutex_unlock(&nr->scavenge_lock);
}

/**
 * rx_srv_open_drop_dormant - @so will not be taken up again (orphaned)
 * @so: a srv_open the caller holds a reference to
 *
 * Returns whether it was dormant (its list reference is dropped).
 */
bool rx_srv_open_drop_dormant(struct rx_srv_open *so)
{
	if (!test_and_clear_bit(RX_SO_DORMANT, &so->flags))
		return false;
	rx_dormant_unlink(so->v_net_root->net_root, so);
	/* not the last reference: the caller holds one */
	rx_put_srv_open(so);
	return true;
}

/**
 * rx_fcb_open_in_use - whether a srv_open of @fcb is used (not dormant)
 * @fcb: the file
 */
bool rx_fcb_open_in_use(struct rx_fcb *fcb)
{
	struct rx_srv_open *so;
	bool used = false;

	spin_lock(&fcb->lock);
	list_for_each_entry(so, &fcb->srv_opens, link)
		if (!test_bit(RX_SO_DORMANT, &so->flags)) {
			used = true;
			break;
		}
	spin_unlock(&fcb->lock);
	return used;
}

/* umount: the inodes are gone, and with them every dormant srv_open. */
void rx_scavenger_stop(struct rx_net_root *nr)
{
	cancel_delayed_work_sync(&nr->scavenge_work);
	WARN_ON_ONCE(!list_empty(&nr->dormant));
}
