// SPDX-License-Identifier: GPL-2.0
/*
 * address_space operations mapped onto low I/O.
 *
 * Reads: read_folio is a synchronous READ; readahead batches contiguous
 * folios up to the mini-redirector's max_read into asynchronous READs whose
 * completion (allowed at DISPATCH) marks folios uptodate and unlocks them.
 * Writes: write_begin/write_end dirty the page cache; writepages
 * (write-behind) batches contiguous dirty folios into asynchronous WRITEs
 * whose completion ends their writeback.
 */
#include <linux/bvec.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/writeback.h>
#include "internal.h"

/*
 * One file's write-behind in flight at most, KiB (0: unbounded).  8 MiB
 * keeps well over a hundred 64 KiB WRITEs or eight 1 MiB ones going,
 * more than loopback or a LAN needs to stay busy.
 */
static unsigned int rx_wb_max_inflight = 8192;
module_param_named(wb_max_inflight_kb, rx_wb_max_inflight, uint, 0600);
MODULE_PARM_DESC(wb_max_inflight_kb,
		 "one file's write-behind in flight at most, KiB (default 8192, 0: unbounded)");

/* A batch of contiguous folios moved by one low I/O operation. */
struct rx_io_batch {
	struct rx_context *ctx;		/* the low I/O that moves it */
	struct inode *inode;
	struct rx_srv_open *so;
	loff_t pos;
	size_t len;
	unsigned int nr;
	unsigned int max;
	bool sync;			/* write-behind someone waits for */
	struct folio **folios;
	struct bio_vec *bvec;
};

size_t rx_max_io(struct inode *inode, bool write)
{
	struct rx_net_root *nr = rx_sb_net_root(inode->i_sb);
	size_t max = write ? nr->max_write : nr->max_read;

	if (!max)
		max = 64 * 1024;
	return max_t(size_t, round_down(max, PAGE_SIZE), PAGE_SIZE);
}

static struct rx_context *rx_io_context(struct inode *inode,
					struct rx_srv_open *so, u8 major,
					bool sync)
{
	struct rx_context *ctx;

	ctx = rx_create_context(rx_sb_minirdr(inode->i_sb), major, 0,
				GFP_NOFS);
	if (!ctx)
		return NULL;
	ctx->fcb = rx_inode_fcb(inode);
	ctx->srv_open = so;
	ctx->v_net_root = so->v_net_root;
	set_bit(sync ? RX_CONTEXT_WAIT : RX_CONTEXT_ASYNC_OPERATION,
		&ctx->flags);
	ctx->lowio.operation = major == RX_MJ_READ ? LOWIO_OP_READ :
						     LOWIO_OP_WRITE;
	ctx->lowio.params.rw.flags = LOWIO_RW_PAGING_IO;
	return ctx;
}

static struct rx_io_batch *rx_batch_alloc(struct inode *inode,
					  struct rx_srv_open *so,
					  unsigned int max, bool write)
{
	struct rx_io_batch *b;

	b = kzalloc(sizeof(*b), GFP_NOFS);
	if (!b)
		return NULL;
	b->folios = kcalloc(max, sizeof(*b->folios), GFP_NOFS);
	b->bvec = kcalloc(max, sizeof(*b->bvec), GFP_NOFS);
	b->ctx = rx_io_context(inode, so, write ? RX_MJ_WRITE : RX_MJ_READ,
			       false);
	if (!b->folios || !b->bvec || !b->ctx) {
		if (b->ctx)
			rx_dereference_context(b->ctx);
		kfree(b->folios);
		kfree(b->bvec);
		kfree(b);
		return NULL;
	}
	b->ctx->io_request = b;
	b->inode = inode;
	b->max = max;
	kref_get(&so->kref);
	b->so = so;
	return b;
}

static void rx_batch_add(struct rx_io_batch *b, struct folio *folio,
			 size_t len)
{
	b->folios[b->nr] = folio;
	b->bvec[b->nr].bv_page = folio_page(folio, 0);
	b->bvec[b->nr].bv_offset = 0;
	b->bvec[b->nr].bv_len = len;
	b->nr++;
	b->len += len;
}

/* PASSIVE: dropping the srv_open may close it on the server. */
static void rx_batch_free(struct rx_io_batch *b)
{
	rx_put_srv_open(b->so);
	kfree(b->folios);
	kfree(b->bvec);
	kfree(b);
}

static void rx_batch_release_posted(struct rx_context *ctx)
{
	rx_batch_free(ctx->io_request);
	ctx->io_request = NULL;
	rx_dereference_context(ctx);
}

/* Free @ctx's batch now, or from the PASSIVE worker at DISPATCH. */
static void rx_batch_release(struct rx_context *ctx)
{
	if (rx_current_level() == RX_LEVEL_PASSIVE) {
		rx_batch_free(ctx->io_request);
		ctx->io_request = NULL;
		return;
	}
	rx_reference_context(ctx);
	rx_post_to_worker(ctx, rx_batch_release_posted);
}

/**
 * rx_file_srv_open - the srv_open to move data of @fcb through
 * @file: the file the operation came from, or NULL
 * @fcb: the file's FCB
 * @write: it must allow writing
 *
 * Returns a referenced srv_open or NULL.  Any context (spinlock only).
 */
struct rx_srv_open *rx_file_srv_open(struct file *file, struct rx_fcb *fcb,
				     bool write)
{
	struct rx_fobx *fobx = file ? file->private_data : NULL;
	struct rx_srv_open *so;
	unsigned int acc;

	spin_lock(&fcb->lock);
	if (fobx) {
		so = fobx->srv_open;
		acc = so->open_flags & O_ACCMODE;
		if (write ? acc != O_RDONLY : acc != O_WRONLY)
			goto found;
	}
	/* an orphan is flagged before rx_orphan_srv_open() empties the slot */
	if (write && fcb->wb_srv_open &&
	    !test_bit(RX_SO_ORPHANED, &fcb->wb_srv_open->flags)) {
		so = fcb->wb_srv_open;
		goto found;
	}
	list_for_each_entry(so, &fcb->srv_opens, link) {
		acc = so->open_flags & O_ACCMODE;
		if (test_bit(RX_SO_ORPHANED, &so->flags))
			continue;
		/* skip one whose last close is running (see file.c) */
		if ((write ? acc != O_RDONLY : acc != O_WRONLY) &&
		    kref_get_unless_zero(&so->kref))
			goto unlock;
	}
	spin_unlock(&fcb->lock);
	return NULL;
found:
	kref_get(&so->kref);
unlock:
	spin_unlock(&fcb->lock);
	return so;
}

/*
 * Fill @folio from the server, synchronously, looping over short reads;
 * the folio stays locked.  Past the end of file it is zeroed.
 */
static int rx_fill_folio(struct rx_srv_open *so, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	size_t len = folio_size(folio), done = 0, chunk;
	size_t max = rx_max_io(inode, false);
	struct rx_context *ctx;
	struct bio_vec bv;
	int status = 0;

	ctx = rx_io_context(inode, so, RX_MJ_READ, true);
	if (!ctx)
		return -ENOMEM;
	rx_stats_event(rx_inode_stats(inode), RX_EV_READ_FOLIO);
	while (done < len) {
		chunk = min(len - done, max);
		bv.bv_page = folio_page(folio, 0);
		bv.bv_offset = done;
		bv.bv_len = chunk;
		ctx->lowio.params.rw.offset = folio_pos(folio) + done;
		ctx->lowio.params.rw.count = chunk;
		iov_iter_bvec(&ctx->lowio.params.rw.iter, ITER_DEST, &bv, 1,
			      chunk);
		status = rx_status_to_errno(rx_lowio_submit(ctx));
		if (status)
			break;
		if (ctx->information <= 0 || ctx->information > chunk)
			break;	/* end of file */
		done += ctx->information;
	}
	rx_dereference_context(ctx);
	if (status)
		return status;
	if (done < len)
		folio_zero_range(folio, done, len - done);
	rx_stats_add(rx_inode_stats(inode), RX_BYTES_PAGES_READ,
		     folio_nr_pages(folio));
	folio_mark_uptodate(folio);
	return 0;
}

static int rx_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	struct rx_srv_open *so;
	int err;

	so = rx_file_srv_open(file, rx_inode_fcb(inode), false);
	if (!so) {
		err = -EBADF;
	} else {
		err = rx_fill_folio(so, folio);
		rx_put_srv_open(so);
	}
	folio_unlock(folio);
	return err;
}

/* READ completion: may run at DISPATCH. */
static int rx_read_batch_done(struct rx_context *ctx)
{
	struct rx_io_batch *b = ctx->io_request;
	loff_t isize = i_size_read(b->inode);
	size_t got = 0;
	unsigned int i;

	if (!ctx->stored_status && ctx->information > 0)
		got = min_t(size_t, ctx->information, b->len);
	for (i = 0; i < b->nr; i++) {
		struct folio *folio = b->folios[i];
		loff_t fpos = folio_pos(folio);
		size_t off = fpos - b->pos, flen = folio_size(folio);

		if (got >= off + flen) {
			rx_stats_add(rx_inode_stats(b->inode),
				     RX_BYTES_PAGES_READ, folio_nr_pages(folio));
			folio_mark_uptodate(folio);
		} else if (!ctx->stored_status && b->pos + got >= isize) {
			/* the server's file ends inside or before this folio */
			size_t have = got > off ? got - off : 0;

			folio_zero_range(folio, have, flen - have);
			folio_mark_uptodate(folio);
		}
		/* otherwise left !uptodate: read_folio will retry it */
		folio_unlock(folio);
	}
	rx_batch_release(ctx);
	return ctx->stored_status;
}

static int rx_write_batch_done(struct rx_context *ctx);

/* Start the batch's low I/O; its completion routine owns it from here. */
static void rx_submit_batch(struct rx_io_batch *b, bool write)
{
	struct rx_context *ctx = b->ctx;

	ctx->lowio.flags = LOWIO_CONTEXT_FLAG_CAN_COMPLETE_AT_DISPATCH;
	ctx->lowio.params.rw.offset = b->pos;
	ctx->lowio.params.rw.count = b->len;
	iov_iter_bvec(&ctx->lowio.params.rw.iter, write ? ITER_SOURCE : ITER_DEST,
		      b->bvec, b->nr, b->len);
	ctx->lowio.completion = write ? rx_write_batch_done : rx_read_batch_done;
	rx_lowio_submit(ctx);
	rx_dereference_context(ctx);
}

static void rx_readahead(struct readahead_control *ractl)
{
	struct inode *inode = ractl->mapping->host;
	size_t max = rx_max_io(inode, false);
	struct rx_srv_open *so;
	struct rx_io_batch *b;
	struct folio *folio;

	so = rx_file_srv_open(ractl->file, rx_inode_fcb(inode), false);
	if (!so)
		return;	/* the folios left are unlocked by the caller */
	rx_stats_event(rx_inode_stats(inode), RX_EV_READAHEAD);
	while (readahead_count(ractl)) {
		b = rx_batch_alloc(inode, so, max / PAGE_SIZE, false);
		if (!b)
			break;
		/*
		 * readahead_pos() lags one folio behind readahead_folio()
		 * until the next call: take the position from the folio.
		 */
		while (b->nr < b->max && (folio = readahead_folio(ractl))) {
			if (!b->nr)
				b->pos = folio_pos(folio);
			rx_batch_add(b, folio, folio_size(folio));
		}
		if (!b->nr) {
			rx_dereference_context(b->ctx);
			rx_batch_free(b);
			break;
		}
		rx_submit_batch(b, false);
	}
	rx_put_srv_open(so);
}

/*
 * A write-behind batch is no longer in flight: before its folios end
 * writeback, after which the inode (and its FCB) may go.  Any level.
 */
static void rx_wb_batch_landed(struct rx_io_batch *b)
{
	struct rx_fcb *fcb = rx_inode_fcb(b->inode);

	atomic_long_sub(b->len, &fcb->wb_inflight);
	if (wq_has_sleeper(&fcb->wb_wait))
		wake_up(&fcb->wb_wait);
}

/* Errors after which the same write may well succeed later. */
static bool rx_write_error_transient(int err)
{
	return err == -ENOMEM || err == -EAGAIN || err == -EINTR ||
	       err == -ETIMEDOUT;
}

/*
 * A failed write-behind, at PASSIVE (dirtying a folio takes locks that
 * are not softirq-safe).  Transient failures keep the data dirty, to be
 * written again (an fsync or close waiting for it still fails: the data
 * is not on the server yet); others lose it, say so once in a while, and
 * report the error at the next fsync or close.
 */
static void rx_write_batch_failed(struct rx_context *ctx)
{
	struct rx_io_batch *b = ctx->io_request;
	int err = ctx->stored_status;
	unsigned int i;

	if (!err)
		err = -EIO;	/* a server that keeps part of a write */
	if (rx_write_error_transient(err)) {
		for (i = 0; i < b->nr; i++)
			folio_mark_dirty(b->folios[i]);
		if (b->sync)
			mapping_set_error(b->inode->i_mapping, err);
	} else {
		pr_warn_ratelimited("rdbss: %s: write-behind of %zu bytes at %lld of inode %llu failed: error %d\n",
				    ctx->minirdr->name, b->len, b->pos,
				    (unsigned long long)b->inode->i_ino, err);
		mapping_set_error(b->inode->i_mapping, err);
	}
	rx_wb_batch_landed(b);
	for (i = 0; i < b->nr; i++)
		folio_end_writeback(b->folios[i]);
	rx_batch_release(ctx);
}

static void rx_write_batch_failed_posted(struct rx_context *ctx)
{
	rx_write_batch_failed(ctx);
	rx_dereference_context(ctx);
}

/* WRITE completion: may run at DISPATCH. */
static int rx_write_batch_done(struct rx_context *ctx)
{
	struct rx_io_batch *b = ctx->io_request;
	int err = ctx->stored_status;
	struct rx_stats *st;
	unsigned int i;

	if (err || ctx->information < (ssize_t)b->len) {
		if (rx_current_level() == RX_LEVEL_PASSIVE) {
			rx_write_batch_failed(ctx);
		} else {
			rx_reference_context(ctx);
			rx_post_to_worker(ctx, rx_write_batch_failed_posted);
		}
		return err ?: -EIO;
	}
	st = rx_inode_stats(b->inode);
	rx_wb_batch_landed(b);
	for (i = 0; i < b->nr; i++) {
		rx_stats_event(st, RX_EV_WB_FOLIO);
		rx_stats_add(st, RX_BYTES_PAGES_WRITTEN,
			     folio_nr_pages(b->folios[i]));
		folio_end_writeback(b->folios[i]);
	}
	rx_batch_release(ctx);
	return 0;
}

struct rx_wb_state {
	struct inode *inode;
	struct rx_srv_open *so;
	struct rx_io_batch *b;
	size_t max;
};

/*
 * Submit the batch being built, first waiting while this file's
 * write-behind in flight would pass rx_wb_max_inflight (one batch always
 * goes).  The caller holds at most the lock of a folio not in the batch:
 * completions need no folio lock, so the wait ends.  Writers of one file
 * at once (the flusher and an fsync) may each add a batch past the bound.
 */
static void rx_wb_flush(struct rx_wb_state *w)
{
	struct rx_fcb *fcb = rx_inode_fcb(w->inode);
	long max = (long)READ_ONCE(rx_wb_max_inflight) << 10;

	if (w->b) {
		if (max)
			wait_event(fcb->wb_wait,
				   atomic_long_read(&fcb->wb_inflight) + w->b->len <= max ||
				   !atomic_long_read(&fcb->wb_inflight));
		atomic_long_add(w->b->len, &fcb->wb_inflight);
		rx_stats_event(rx_inode_stats(w->inode), RX_EV_WB_BATCH);
		rx_submit_batch(w->b, true);
	}
	w->b = NULL;
}

static int rx_writepage_one(struct folio *folio, struct writeback_control *wbc,
			    void *data)
{
	struct rx_wb_state *w = data;
	loff_t isize = i_size_read(w->inode);
	loff_t fpos = folio_pos(folio);
	size_t len;

	if (fpos >= isize) {
		/* truncated while dirty: nothing to write */
		folio_unlock(folio);
		return 0;
	}
	len = min_t(loff_t, folio_size(folio), isize - fpos);
	if (w->b && (fpos != w->b->pos + w->b->len || w->b->nr == w->b->max ||
		     w->b->len + len > w->max))
		rx_wb_flush(w);
	if (!w->b) {
		w->b = rx_batch_alloc(w->inode, w->so, w->max / PAGE_SIZE,
				      true);
		if (!w->b) {
			folio_redirty_for_writepage(wbc, folio);
			folio_unlock(folio);
			return -ENOMEM;
		}
		w->b->pos = fpos;
		w->b->sync = wbc->sync_mode == WB_SYNC_ALL;
	}
	folio_start_writeback(folio);
	rx_wbc_account(wbc, folio, len);
	folio_unlock(folio);
	rx_batch_add(w->b, folio, len);
	if (len < folio_size(folio))
		rx_wb_flush(w);
	return 0;
}

static int rx_writepages(struct address_space *mapping,
			 struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct rx_wb_state w = { .inode = inode, .max = rx_max_io(inode, true) };
	struct rx_wb_walk walk = { .fn = rx_writepage_one, .data = &w };
	int err;

	/* an inode dirtied only by atime has no data to write */
	if (!mapping_tagged(mapping, PAGECACHE_TAG_DIRTY))
		return 0;
	w.so = rx_file_srv_open(NULL, rx_inode_fcb(inode), true);
	if (!w.so) {
		pr_warn_ratelimited("rdbss: dirty data of inode %llu (mode %o, size %lld) has no open to be written through\n",
				    (unsigned long long)inode->i_ino,
				    inode->i_mode, i_size_read(inode));
		mapping_set_error(mapping, -EBADF);
		return -EBADF;
	}
	err = rx_write_cache_folios(mapping, wbc, &walk);
	rx_wb_flush(&w);
	rx_put_srv_open(w.so);
	return err;
}

/* Write one dirty folio synchronously (invalidation of a dirty page). */
static int rx_launder_folio(struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	loff_t isize = i_size_read(inode);
	struct rx_srv_open *so;
	struct rx_context *ctx;
	struct bio_vec bv;
	size_t len;
	int err;

	if (!folio_clear_dirty_for_io(folio))
		return 0;
	if (folio_pos(folio) >= isize)
		return 0;
	so = rx_file_srv_open(NULL, rx_inode_fcb(inode), true);
	if (!so)
		return -EBADF;
	len = min_t(loff_t, folio_size(folio), isize - folio_pos(folio));
	ctx = rx_io_context(inode, so, RX_MJ_WRITE, true);
	err = -ENOMEM;
	if (ctx) {
		bv.bv_page = folio_page(folio, 0);
		bv.bv_offset = 0;
		bv.bv_len = len;
		ctx->lowio.params.rw.offset = folio_pos(folio);
		ctx->lowio.params.rw.count = len;
		iov_iter_bvec(&ctx->lowio.params.rw.iter, ITER_SOURCE, &bv, 1,
			      len);
		err = rx_status_to_errno(rx_lowio_submit(ctx));
		if (!err && ctx->information != len)
			err = -EIO;
		rx_dereference_context(ctx);
	}
	rx_put_srv_open(so);
	if (err)
		folio_mark_dirty(folio);
	return err;
}

static int rx_write_begin(struct file *file, struct address_space *mapping,
			  loff_t pos, unsigned int len, struct folio **foliop,
			  void **fsdata)
{
	struct inode *inode = mapping->host;
	struct rx_srv_open *so;
	struct folio *folio;
	size_t off;
	int err;

	folio = rx_filemap_get_folio(mapping, pos >> PAGE_SHIFT,
				     FGP_LOCK | FGP_WRITE | FGP_CREAT |
				     FGP_STABLE, mapping_gfp_mask(mapping));
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	*foliop = folio;
	if (folio_test_uptodate(folio))
		return 0;

	off = offset_in_folio(folio, pos);
	if (off == 0 && len >= folio_size(folio))
		return 0;	/* fully overwritten: write_end marks it */
	if (folio_pos(folio) >= i_size_read(inode)) {
		/* nothing on the server here yet */
		folio_zero_range(folio, 0, folio_size(folio));
		folio_mark_uptodate(folio);
		return 0;
	}
	so = rx_file_srv_open(file, rx_inode_fcb(inode), false);
	if (!so) {
		err = -EBADF;
	} else {
		err = rx_fill_folio(so, folio);
		rx_put_srv_open(so);
	}
	if (err) {
		folio_unlock(folio);
		folio_put(folio);
		return err;
	}
	return 0;
}

RX_WRITE_BEGIN(rx_write_begin)

static int rx_write_end(struct file *file, struct address_space *mapping,
			loff_t pos, unsigned int len, unsigned int copied,
			struct folio *folio, void *fsdata)
{
	struct inode *inode = mapping->host;
	loff_t last = pos + copied;

	if (!folio_test_uptodate(folio)) {
		if (copied < len) {
			copied = 0;	/* short copy into a folio not read */
			goto out;
		}
		folio_mark_uptodate(folio);
	}
	if (last > i_size_read(inode))
		i_size_write(inode, last);
	folio_mark_dirty(folio);
out:
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

RX_WRITE_END(rx_write_end)

const struct address_space_operations rx_aops = {
	.read_folio	= rx_read_folio,
	.readahead	= rx_readahead,
	.writepages	= rx_writepages,
	.dirty_folio	= filemap_dirty_folio,
	.write_begin	= rx_write_begin_method,
	.write_end	= rx_write_end_method,
	.launder_folio	= rx_launder_folio,
	.migrate_folio	= filemap_migrate_folio,
};
