// SPDX-License-Identifier: GPL-2.0
/*
 * Buffering state of an FCB (RxChangeBufferingState): what the page cache
 * may hold for a file.  Dropping write caching writes dirty data back;
 * dropping read caching throws cached pages away.
 */
#include <linux/fs.h>
#include <linux/pagemap.h>
#include "internal.h"
#include "trace.h"

static bool rx_caches(enum rx_buffering b)
{
	return b != RX_BUFFERING_NONE;
}

/**
 * rx_change_buffering_state - move @fcb to buffering state @state
 * @fcb: the file
 * @state: the new state
 *
 * PASSIVE.  Returns 0, or the writeback error that kept dirty data from
 * reaching the server (the state changes anyway).
 */
int rx_change_buffering_state(struct rx_fcb *fcb, enum rx_buffering state)
{
	struct inode *inode = rx_fcb_inode(fcb);
	enum rx_buffering old;
	int err = 0;

	rx_assert_passive();
	spin_lock(&fcb->lock);
	old = fcb->buffering;
	fcb->buffering = state;
	spin_unlock(&fcb->lock);
	if (old == state)
		return 0;
	trace_rdbss_buffering(inode, old, state);
	if (!S_ISREG(inode->i_mode))
		return 0;
	if (rx_caches(old) && !rx_caches(state)) {
		err = filemap_write_and_wait(inode->i_mapping);
		invalidate_inode_pages2(inode->i_mapping);
		if (err)
			pr_debug("rdbss: inode %llu: writeback before giving up caching failed: %d\n",
				 (u64)inode->i_ino, err);
	}
	return err;
}
EXPORT_SYMBOL_GPL(rx_change_buffering_state);

void rx_buffering_work(struct work_struct *work)
{
	struct rx_fcb *fcb = container_of(work, struct rx_fcb, buffering_work);

	rx_change_buffering_state(fcb, READ_ONCE(fcb->requested_buffering));
}

/**
 * rx_request_buffering_change - ask for a buffering change from any context
 * @fcb: the file
 * @state: the new state
 *
 * For break indications that arrive at DISPATCH: the change is applied
 * by the PASSIVE worker.  The request is dropped if the inode is evicted
 * first.
 */
void rx_request_buffering_change(struct rx_fcb *fcb, enum rx_buffering state)
{
	WRITE_ONCE(fcb->requested_buffering, state);
	rx_queue_passive(&fcb->buffering_work);
}
EXPORT_SYMBOL_GPL(rx_request_buffering_change);
