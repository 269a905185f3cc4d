// SPDX-License-Identifier: GPL-2.0
/*
 * Files: open/close (SRV_OPEN and FOBX), reads through the page cache with
 * read_folio mapped onto low I/O READ, and write-through writes mapped onto
 * low I/O WRITE.
 */
#include <linux/fs.h>
#include <linux/bvec.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/uio.h>
#include "internal.h"

int rx_open_common(struct inode *inode, struct file *file)
{
	struct rx_minirdr *mr = rx_sb_minirdr(inode->i_sb);
	struct rx_fcb *fcb = rx_inode_fcb(inode);
	struct rx_v_net_root *vnr;
	struct rx_srv_open *so;
	struct rx_context *ctx;
	struct rx_fobx *fobx;
	int status;

	if (!mr->ops->open)
		return -EOPNOTSUPP;
	/* close-to-open: see the server's latest copy at open */
	if (fcb->buffering != RX_BUFFERING_LOOSE) {
		status = rx_refresh_inode(inode, true);
		if (status)
			return status;
	}

	vnr = rx_get_v_net_root(rx_sb_net_root(inode->i_sb));
	so = rx_alloc_srv_open(fcb, vnr, file->f_flags);
	rx_put_v_net_root(vnr);
	if (!so)
		return -ENOMEM;
	ctx = rx_create_context(mr, RX_MJ_CREATE, RX_MN_OPEN, GFP_KERNEL);
	if (!ctx) {
		status = -ENOMEM;
		goto out_so;
	}
	ctx->fcb = fcb;
	ctx->srv_open = so;
	ctx->v_net_root = so->v_net_root;
	ctx->info.create.open_flags = file->f_flags;
	rx_prepare_call_down(ctx);
	status = mr->ops->open(ctx);
	rx_dereference_context(ctx);
	if (status)
		goto out_so;

	fobx = rx_alloc_fobx(mr, so);
	if (!fobx) {
		status = -ENOMEM;
		goto out_so;
	}
	spin_lock(&fcb->lock);
	list_add(&so->link, &fcb->srv_opens);
	spin_unlock(&fcb->lock);
	file->private_data = fobx;
	return 0;

out_so:
	rx_put_srv_open(so);
	return rx_status_to_errno(status);
}

int rx_release_common(struct inode *inode, struct file *file)
{
	struct rx_fobx *fobx = file->private_data;

	if (fobx)
		rx_free_fobx(fobx);
	return 0;
}

/* A srv_open of @fcb that can serve reads, referenced, or NULL. */
static struct rx_srv_open *rx_find_read_srv_open(struct rx_fcb *fcb)
{
	struct rx_srv_open *so;

	spin_lock(&fcb->lock);
	list_for_each_entry(so, &fcb->srv_opens, link) {
		if ((so->open_flags & O_ACCMODE) != O_WRONLY) {
			kref_get(&so->kref);
			spin_unlock(&fcb->lock);
			return so;
		}
	}
	spin_unlock(&fcb->lock);
	return NULL;
}

static struct rx_context *rx_rw_context(struct inode *inode,
					struct rx_srv_open *so, u8 major)
{
	struct rx_context *ctx;

	ctx = rx_create_context(rx_sb_minirdr(inode->i_sb), major, 0,
				GFP_NOFS);
	if (!ctx)
		return NULL;
	ctx->fcb = rx_inode_fcb(inode);
	ctx->srv_open = so;
	ctx->v_net_root = so->v_net_root;
	set_bit(RX_CONTEXT_WAIT, &ctx->flags);
	ctx->lowio.operation = major == RX_MJ_READ ? LOWIO_OP_READ :
						     LOWIO_OP_WRITE;
	return ctx;
}

static int rx_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->mapping->host;
	size_t len = folio_size(folio), done = 0;
	struct rx_srv_open *so;
	struct rx_context *ctx;
	struct bio_vec bv;
	int status = 0;

	if (file && file->private_data) {
		so = ((struct rx_fobx *)file->private_data)->srv_open;
		kref_get(&so->kref);
	} else {
		so = rx_find_read_srv_open(rx_inode_fcb(inode));
	}
	if (!so) {
		status = -EBADF;
		goto out;
	}
	ctx = rx_rw_context(inode, so, RX_MJ_READ);
	if (!ctx) {
		status = -ENOMEM;
		goto out_so;
	}
	ctx->lowio.params.rw.flags = LOWIO_RW_PAGING_IO;
	while (done < len) {
		bv.bv_page = folio_page(folio, 0);
		bv.bv_offset = done;
		bv.bv_len = len - done;
		ctx->lowio.params.rw.offset = folio_pos(folio) + done;
		ctx->lowio.params.rw.count = len - done;
		iov_iter_bvec(&ctx->lowio.params.rw.iter, ITER_DEST, &bv, 1,
			      len - done);
		status = rx_status_to_errno(rx_lowio_submit(ctx));
		if (status)
			break;
		if (ctx->information <= 0 || ctx->information > len - done)
			break;	/* end of file */
		done += ctx->information;
	}
	rx_dereference_context(ctx);
	if (!status) {
		if (done < len)
			folio_zero_range(folio, done, len - done);
		folio_mark_uptodate(folio);
	}
out_so:
	rx_put_srv_open(so);
out:
	folio_unlock(folio);
	return status;
}

static ssize_t rx_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	struct rx_fobx *fobx = file->private_data;
	struct rx_context *ctx;
	loff_t start, pos;
	ssize_t ret;
	int status = 0;

	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto out_unlock;
	ctx = rx_rw_context(inode, fobx->srv_open, RX_MJ_WRITE);
	if (!ctx) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	start = iocb->ki_pos;
	pos = start;
	while (iov_iter_count(from)) {
		size_t count = iov_iter_count(from);

		ctx->lowio.params.rw.offset = pos;
		ctx->lowio.params.rw.count = count;
		/* the mini-redirector copies the data during submit */
		ctx->lowio.params.rw.iter = *from;
		status = rx_status_to_errno(rx_lowio_submit(ctx));
		if (status)
			break;
		if (ctx->information <= 0 || ctx->information > count) {
			status = -EIO;
			break;
		}
		iov_iter_advance(from, ctx->information);
		pos += ctx->information;
	}
	rx_dereference_context(ctx);

	if (pos > start) {
		invalidate_inode_pages2_range(inode->i_mapping,
					      start >> PAGE_SHIFT,
					      (pos - 1) >> PAGE_SHIFT);
		if (pos > i_size_read(inode))
			i_size_write(inode, pos);
		iocb->ki_pos = pos;
		ret = pos - start;
	} else {
		ret = status;
	}
out_unlock:
	inode_unlock(inode);
	return ret;
}

const struct address_space_operations rx_aops = {
	.read_folio	= rx_read_folio,
};

const struct file_operations rx_file_ops = {
	.open		= rx_open_common,
	.release	= rx_release_common,
	.llseek		= generic_file_llseek,
	.read_iter	= generic_file_read_iter,
	.write_iter	= rx_write_iter,
	.mmap		= generic_file_readonly_mmap,
	.fsync		= noop_fsync,
};
