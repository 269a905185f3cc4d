// SPDX-License-Identifier: GPL-2.0
/*
 * Direct I/O, and all I/O of uncached files: low I/O READ/WRITE straight
 * between the caller's memory and the mini-redirector.  User pages are
 * pinned with rx_new_map_user_buffer() (RxNewMapUserBuffer), so the
 * transport may fill or drain them from any context; a small request goes
 * through a kernel copy instead; kernel-backed iterators are passed as
 * they are.
 */
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/uio.h>
#include "internal.h"

/* Keep the page cache coherent with data that bypasses it. */
static int rx_dio_sync_cache(struct inode *inode, loff_t pos, size_t count)
{
	int err;

	if (!count || !inode->i_mapping->nrpages)
		return 0;
	err = filemap_write_and_wait_range(inode->i_mapping, pos,
					   pos + count - 1);
	if (err)
		return err;
	invalidate_inode_pages2_range(inode->i_mapping, pos >> PAGE_SHIFT,
				      (pos + count - 1) >> PAGE_SHIFT);
	return 0;
}

/* Low I/O operations one direct I/O keeps in flight at most. */
#define RX_DIO_DEPTH	8
/*
 * User I/O up to this size goes through a kernel copy: cheaper than
 * pinning and releasing the pages, and the transport then never holds a
 * user page (small cache=none reads and writes are the common case).
 */
#define RX_DIO_BOUNCE	(4 * PAGE_SIZE)

/* One chunk's kernel copy of user memory. */
struct rx_dio_bounce {
	void *buf;
	struct kvec kv;
	struct iov_iter user;	/* a READ's destination, filled at the end */
};

/* One wave of concurrent chunks of a direct I/O. */
struct rx_dio_wave {
	atomic_t pending;
	struct completion done;
	unsigned int nr;
	struct rx_context *ctx[RX_DIO_DEPTH];
	size_t mapped[RX_DIO_DEPTH];
	struct rx_dio_bounce bounce[RX_DIO_DEPTH];
};

/* A chunk's completion: may run at DISPATCH; the waiter does the rest. */
static int rx_dio_chunk_done(struct rx_context *ctx)
{
	struct rx_dio_wave *wave = ctx->io_request;

	if (atomic_dec_and_test(&wave->pending))
		complete(&wave->done);
	return ctx->stored_status;
}

/*
 * Point @ctx at a kernel copy of the next @chunk bytes of @iter (advanced
 * past them); a WRITE's data is copied now, a READ's at the end
 * (rx_dio_unbounce()).  Returns the bytes covered, 0 if none.
 */
static size_t rx_dio_bounce(struct rx_context *ctx, struct rx_dio_bounce *b,
			    struct iov_iter *iter, size_t chunk, bool write)
{
	size_t n = chunk;

	b->buf = kmalloc(chunk, GFP_KERNEL);
	if (!b->buf)
		return 0;
	if (write) {
		n = copy_from_iter(b->buf, chunk, iter);
	} else {
		b->user = *iter;
		iov_iter_truncate(&b->user, chunk);
		iov_iter_advance(iter, chunk);
	}
	if (!n) {
		kfree(b->buf);
		b->buf = NULL;
		return 0;
	}
	b->kv.iov_base = b->buf;
	b->kv.iov_len = n;
	iov_iter_kvec(&ctx->lowio.params.rw.iter, write ? WRITE : READ, &b->kv,
		      1, n);
	ctx->lowio.params.rw.count = n;
	return n;
}

/*
 * After a chunk: a READ's @got bytes go to the caller's memory; returns
 * how many could be (fewer: a fault).  Frees the copy.
 */
static size_t rx_dio_unbounce(struct rx_dio_bounce *b, ssize_t got,
			      bool write)
{
	if (!b->buf)
		return got;
	if (!write && got > 0)
		got = copy_to_iter(b->buf, got, &b->user);
	kfree(b->buf);
	b->buf = NULL;
	return got;
}

/*
 * Map and submit one chunk of @iter (advanced past it) at @pos.  Returns
 * the bytes it covers, or an error if nothing could be submitted.
 */
static ssize_t rx_dio_submit_chunk(struct rx_dio_wave *wave, struct file *file,
				   struct iov_iter *iter, loff_t pos,
				   size_t max, bool write)
{
	size_t chunk = min(iov_iter_count(iter), max), mapped;
	struct rx_context *ctx;

	ctx = rx_create_file_context(file, write ? RX_MJ_WRITE : RX_MJ_READ,
				     0, GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	set_bit(RX_CONTEXT_ASYNC_OPERATION, &ctx->flags);
	ctx->lowio.operation = write ? LOWIO_OP_WRITE : LOWIO_OP_READ;
	ctx->lowio.params.rw.flags = LOWIO_RW_DIRECT_IO;
	ctx->lowio.flags = LOWIO_CONTEXT_FLAG_CAN_COMPLETE_AT_DISPATCH;
	ctx->lowio.completion = rx_dio_chunk_done;
	ctx->io_request = wave;
	wave->bounce[wave->nr].buf = NULL;
	if (user_backed_iter(iter) && chunk <= RX_DIO_BOUNCE) {
		mapped = rx_dio_bounce(ctx, &wave->bounce[wave->nr], iter,
				       chunk, write);
		if (!mapped) {
			rx_dereference_context(ctx);
			return -EFAULT;
		}
	} else if (user_backed_iter(iter)) {
		/* pins the pages and advances @iter past them */
		if (!rx_new_map_user_buffer(ctx, iter, chunk)) {
			rx_dereference_context(ctx);
			return -EFAULT;
		}
		mapped = ctx->lowio.params.rw.count;
	} else {
		ctx->lowio.params.rw.iter = *iter;
		iov_iter_truncate(&ctx->lowio.params.rw.iter, chunk);
		ctx->lowio.params.rw.count = chunk;
		iov_iter_advance(iter, chunk);
		mapped = chunk;
	}
	ctx->lowio.params.rw.offset = pos;
	wave->ctx[wave->nr] = ctx;
	wave->mapped[wave->nr] = mapped;
	wave->nr++;
	atomic_inc(&wave->pending);
	rx_lowio_submit(ctx);	/* the completion routine runs exactly once */
	return mapped;
}

/* Wait for every chunk of @wave; a fatal signal cancels what is left. */
static void rx_dio_wait(struct rx_dio_wave *wave)
{
	unsigned int i;

	if (atomic_dec_and_test(&wave->pending))
		return;		/* the submitter's own count was the last */
	if (!wait_for_completion_killable(&wave->done))
		return;
	for (i = 0; i < wave->nr; i++) {
		struct rx_context *ctx = wave->ctx[i];

		set_bit(RX_CONTEXT_CANCELLED, &ctx->flags);
		if (!test_bit(RX_CONTEXT_COMPLETED, &ctx->flags) &&
		    ctx->mrx_cancel)
			ctx->mrx_cancel(ctx);
	}
	wait_for_completion(&wave->done);
}

/*
 * A direct write that neither extends the file nor has privileges to
 * drop, and goes out as one request (which the server applies whole),
 * can share i_rwsem with others like it, so that several writers of one
 * file each keep a request in flight.  Truncates, extending or larger
 * writes and buffered writes still exclude them.
 */
static bool rx_dio_write_shared(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t count = iov_iter_count(from);

	return !(iocb->ki_flags & IOCB_APPEND) && IS_NOSEC(inode) &&
	       count <= rx_max_io(inode, true) &&
	       iocb->ki_pos + count <= i_size_read(inode);
}

/* Take i_rwsem for a direct write; returns whether it is held shared. */
static bool rx_dio_write_lock(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);

	if (rx_dio_write_shared(iocb, from)) {
		inode_lock_shared(inode);
		if (rx_dio_write_shared(iocb, from))
			return true;
		inode_unlock_shared(inode);
	}
	inode_lock(inode);
	return false;
}

/**
 * rx_direct_io - move data between @iter and the server, bypassing the cache
 * @iocb: the request
 * @iter: the caller's buffer
 * @write: direction
 *
 * Splits at the mini-redirector's max_read or max_write and keeps up to RX_DIO_DEPTH
 * low I/O operations in flight (RDBSS splits large I/O the same way).  The
 * result counts bytes up to the first error or short transfer (end of
 * file, a short write); later chunks that completed are not counted.
 * Returns the bytes moved, or an error if none were.  PASSIVE.
 */
ssize_t rx_direct_io(struct kiocb *iocb, struct iov_iter *iter, bool write)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	size_t max = rx_max_io(inode, write);
	struct rx_dio_wave *wave;
	loff_t pos, start;
	ssize_t ret = 0;
	int status = 0;
	bool done = false, shared = false;

	if (write) {
		shared = rx_dio_write_lock(iocb, iter);
		ret = generic_write_checks(iocb, iter);
		if (ret <= 0)
			goto out_unlock;
		/* a shared writer found nothing to drop (IS_NOSEC) */
		ret = shared ? 0 : file_remove_privs(file);
		if (ret)
			goto out_unlock;
	}
	start = iocb->ki_pos;
	pos = start;
	status = rx_dio_sync_cache(inode, pos, iov_iter_count(iter));
	if (status)
		goto out;
	wave = kmalloc(sizeof(*wave), GFP_KERNEL);
	if (!wave) {
		status = -ENOMEM;
		goto out;
	}

	while (!done && iov_iter_count(iter)) {
		size_t submitted = 0, good = 0;
		unsigned int i;

		wave->nr = 0;
		atomic_set(&wave->pending, 1);	/* the submitter's */
		init_completion(&wave->done);
		while (wave->nr < RX_DIO_DEPTH && iov_iter_count(iter)) {
			ssize_t n = rx_dio_submit_chunk(wave, file, iter,
							pos + submitted, max,
							write);

			if (n < 0) {
				status = n;
				break;
			}
			submitted += n;
		}
		rx_dio_wait(wave);

		for (i = 0; i < wave->nr; i++) {
			struct rx_context *ctx = wave->ctx[i];
			int st = rx_status_to_errno(ctx->stored_status);
			ssize_t got = st ? 0 : ctx->information;
			size_t copied;

			if (got < 0 || got > wave->mapped[i]) {
				st = -EIO;
				got = 0;
			}
			copied = rx_dio_unbounce(&wave->bounce[i], got, write);
			if (copied < (size_t)got) {
				/* the caller's memory went away: a short read */
				got = copied;
				st = copied ? 0 : -EFAULT;
			}
			if (!done) {
				good += got;
				if (st || got < wave->mapped[i]) {
					/* error, end of file or a short write */
					status = st;
					done = true;
				}
			}
			rx_unmap_user_buffer(ctx);
			rx_dereference_context(ctx);
		}
		if (status)
			done = true;	/* also a chunk that could not start */
		iov_iter_revert(iter, submitted - good);
		pos += good;
	}
	kfree(wave);

	if (write && pos > start) {
		/* pages mapped meanwhile must not hide what we wrote */
		invalidate_inode_pages2_range(inode->i_mapping,
					      start >> PAGE_SHIFT,
					      (pos - 1) >> PAGE_SHIFT);
		/* a shared writer ended inside the file it saw */
		if (!shared && pos > i_size_read(inode))
			i_size_write(inode, pos);
		/* mtime, ctime and blocks changed on the server */
		rx_invalidate_attrs(inode);
	}
out:
	iocb->ki_pos = pos;
	ret = pos > start ? pos - start : status;
out_unlock:
	if (write && shared)
		inode_unlock_shared(inode);
	else if (write)
		inode_unlock(inode);
	if (write && ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}
