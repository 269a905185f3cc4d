// SPDX-License-Identifier: GPL-2.0
/*
 * Direct I/O, and all I/O of uncached files: low I/O READ/WRITE straight
 * between the caller's memory and the mini-redirector.  User pages are
 * pinned with rx_new_map_user_buffer() (RxNewMapUserBuffer), so the
 * transport may fill or drain them from any context; kernel-backed
 * iterators are passed as they are.
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

/**
 * rx_direct_io - move data between @iter and the server, bypassing the cache
 * @iocb: the request
 * @iter: the caller's buffer
 * @write: direction
 *
 * Splits at the mini-redirector's max_io.  Returns the bytes moved, or an
 * error if none were.  PASSIVE.
 */
ssize_t rx_direct_io(struct kiocb *iocb, struct iov_iter *iter, bool write)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	size_t max = rx_max_io(inode);
	struct rx_context *ctx;
	loff_t pos, start;
	ssize_t ret = 0;
	int status = 0;

	if (write) {
		inode_lock(inode);
		ret = generic_write_checks(iocb, iter);
		if (ret <= 0)
			goto out_unlock;
		ret = file_remove_privs(file);
		if (ret)
			goto out_unlock;
	}
	start = iocb->ki_pos;
	pos = start;
	status = rx_dio_sync_cache(inode, pos, iov_iter_count(iter));
	if (status)
		goto out;

	ctx = rx_create_file_context(file, write ? RX_MJ_WRITE : RX_MJ_READ,
				     0, GFP_KERNEL);
	if (!ctx) {
		status = -ENOMEM;
		goto out;
	}
	set_bit(RX_CONTEXT_WAIT, &ctx->flags);
	ctx->lowio.operation = write ? LOWIO_OP_WRITE : LOWIO_OP_READ;
	ctx->lowio.params.rw.flags = LOWIO_RW_DIRECT_IO;

	while (iov_iter_count(iter)) {
		size_t chunk = min(iov_iter_count(iter), max), mapped;
		bool user = user_backed_iter(iter);
		ssize_t got;

		if (user) {
			if (!rx_new_map_user_buffer(ctx, iter, chunk)) {
				status = -EFAULT;
				break;
			}
			mapped = ctx->lowio.params.rw.count;
		} else {
			ctx->lowio.params.rw.iter = *iter;
			iov_iter_truncate(&ctx->lowio.params.rw.iter, chunk);
			ctx->lowio.params.rw.count = chunk;
			mapped = chunk;
		}
		ctx->lowio.params.rw.offset = pos;
		status = rx_status_to_errno(rx_lowio_submit(ctx));
		got = status ? 0 : ctx->information;
		if (got < 0 || got > mapped) {
			status = -EIO;
			got = 0;
		}
		if (user) {
			rx_unmap_user_buffer(ctx);
			iov_iter_revert(iter, mapped - got);
		} else {
			iov_iter_advance(iter, got);
		}
		pos += got;
		if (status || got < mapped)
			break;	/* error, end of file or a short write */
	}
	rx_dereference_context(ctx);

	if (write && pos > start) {
		/* pages mapped meanwhile must not hide what we wrote */
		invalidate_inode_pages2_range(inode->i_mapping,
					      start >> PAGE_SHIFT,
					      (pos - 1) >> PAGE_SHIFT);
		if (pos > i_size_read(inode))
			i_size_write(inode, pos);
	}
out:
	iocb->ki_pos = pos;
	ret = pos > start ? pos - start : status;
out_unlock:
	if (write)
		inode_unlock(inode);
	if (write && ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}
