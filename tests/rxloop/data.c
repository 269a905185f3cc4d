// SPDX-License-Identifier: GPL-2.0
/*
 * File data: a sparse array of pages per regular file.  Holes and the
 * bytes past the end of a file's last page read as zeroes; the tail of
 * the last page is kept zeroed so that extending a file zero-fills it.
 *
 * Readers take a reference on each page and copy without a lock, so a
 * read into a buffer mapped from an rxloop file (which faults into a READ
 * of that file) cannot deadlock; writers and truncation serialise on
 * io_mutex.
 */
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/uio.h>
#include "rxloop.h"

static int rxloop_data_type(struct rxloop_node *node)
{
	if (S_ISREG(node->type))
		return 0;
	return S_ISDIR(node->type) ? -EISDIR : -EINVAL;
}

static struct page *rxloop_page_get(struct rxloop_node *node, pgoff_t index)
{
	struct page *page;

	xa_lock(&node->pages);
	page = xa_load(&node->pages, index);
	if (page)
		get_page(page);
	xa_unlock(&node->pages);
	return page;
}

/* Copy up to @count bytes from @pos to @iter; returns the bytes copied. */
ssize_t rxloop_read(struct rxloop_node *node, loff_t pos, size_t count,
		    struct iov_iter *iter)
{
	size_t done = 0;
	u64 size;
	int err;

	err = rxloop_data_type(node);
	if (err)
		return err;
	if (pos < 0)
		return -EINVAL;
	spin_lock(&node->lock);
	size = node->size;
	spin_unlock(&node->lock);
	if (pos >= size)
		return 0;
	count = min_t(u64, count, size - pos);

	while (done < count) {
		loff_t off = pos + done;
		size_t in = offset_in_page(off);
		size_t len = min_t(size_t, PAGE_SIZE - in, count - done);
		struct page *page = rxloop_page_get(node, off >> PAGE_SHIFT);
		size_t n;

		if (page) {
			n = copy_page_to_iter(page, in, len, iter);
			put_page(page);
		} else {
			n = iov_iter_zero(len, iter);
		}
		done += n;
		if (n < len)
			break;
	}
	/* nothing copied of something asked for: the buffer faulted */
	return done || !count ? done : -EFAULT;
}

/* The page at @index, allocated (zeroed) if missing; io_mutex held. */
static struct page *rxloop_page_make(struct rxloop_node *node, pgoff_t index)
{
	struct rxloop_server *srv = node->srv;
	struct page *page;
	int err;

	page = xa_load(&node->pages, index);
	if (page)
		return page;
	err = rxloop_charge(srv, PAGE_SIZE);
	if (err)
		return ERR_PTR(err);
	/* may be called from writeback: no recursion into filesystems */
	page = alloc_page(GFP_NOFS | __GFP_ZERO);
	if (!page) {
		err = -ENOMEM;
		goto fail;
	}
	err = xa_err(xa_store(&node->pages, index, page, GFP_NOFS));
	if (err)
		goto fail;
	spin_lock(&node->lock);
	node->nr_pages++;
	spin_unlock(&node->lock);
	return page;

fail:
	if (page)
		__free_page(page);
	rxloop_uncharge(srv, PAGE_SIZE);
	return ERR_PTR(err);
}

/* Copy up to @count bytes from @iter to @pos; returns the bytes copied. */
ssize_t rxloop_write(struct rxloop_node *node, loff_t pos, size_t count,
		     struct iov_iter *iter)
{
	struct timespec64 now;
	size_t done = 0;
	int err;

	err = rxloop_data_type(node);
	if (err)
		return err;
	if (pos < 0)
		return -EINVAL;
	if (pos >= MAX_LFS_FILESIZE)
		return count ? -EFBIG : 0;
	count = min_t(u64, count, MAX_LFS_FILESIZE - pos);
	if (!count)
		return 0;

	mutex_lock(&node->io_mutex);
	while (done < count) {
		loff_t off = pos + done;
		size_t in = offset_in_page(off);
		size_t len = min_t(size_t, PAGE_SIZE - in, count - done);
		struct page *page;
		size_t n;

		page = rxloop_page_make(node, off >> PAGE_SHIFT);
		if (IS_ERR(page)) {
			err = PTR_ERR(page);
			break;
		}
		n = copy_page_from_iter(page, in, len, iter);
		done += n;
		if (n < len) {
			err = -EFAULT;
			break;
		}
	}
	if (done) {
		rxloop_now(&now);
		spin_lock(&node->lock);
		if (pos + done > node->size)
			node->size = pos + done;
		node->mtime = now;
		node->ctime = now;
		node->change++;
		spin_unlock(&node->lock);
	}
	mutex_unlock(&node->io_mutex);
	return done ? done : err;
}

/* Set the size; pages past it go, the new last page's tail is zeroed. */
static void rxloop_truncate(struct rxloop_node *node, loff_t size)
{
	struct rxloop_server *srv = node->srv;
	unsigned long index;
	struct page *page;
	u64 freed = 0;

	mutex_lock(&node->io_mutex);
	xa_for_each_start(&node->pages, index, page,
			  DIV_ROUND_UP_ULL(size, PAGE_SIZE)) {
		xa_erase(&node->pages, index);
		put_page(page);
		rxloop_uncharge(srv, PAGE_SIZE);
		freed++;
	}
	if (offset_in_page(size)) {
		page = xa_load(&node->pages, size >> PAGE_SHIFT);
		if (page)
			zero_user_segment(page, offset_in_page(size),
					  PAGE_SIZE);
	}
	spin_lock(&node->lock);
	node->size = size;
	node->nr_pages -= freed;
	spin_unlock(&node->lock);
	mutex_unlock(&node->io_mutex);
}

void rxloop_free_data(struct rxloop_node *node)
{
	unsigned long index;
	struct page *page;

	xa_for_each(&node->pages, index, page) {
		put_page(page);
		rxloop_uncharge(node->srv, PAGE_SIZE);
	}
	xa_destroy(&node->pages);
	node->nr_pages = 0;
}

static bool rxloop_time_ok(const struct timespec64 *ts)
{
	return ts->tv_nsec >= 0 && ts->tv_nsec < NSEC_PER_SEC;
}

/* setattr: everything is checked before anything changes. */
int rxloop_setattr(struct rxloop_node *node, const struct iattr *ia)
{
	unsigned int valid = ia->ia_valid;
	struct timespec64 now;
	u32 uid = 0, gid = 0;
	int err;

	if (valid & ATTR_UID) {
		uid = from_kuid(&init_user_ns, ia->ia_uid);
		if (uid == (u32)-1)
			return -EINVAL;
	}
	if (valid & ATTR_GID) {
		gid = from_kgid(&init_user_ns, ia->ia_gid);
		if (gid == (u32)-1)
			return -EINVAL;
	}
	if ((valid & ATTR_ATIME_SET) && !rxloop_time_ok(&ia->ia_atime))
		return -EINVAL;
	if ((valid & ATTR_MTIME_SET) && !rxloop_time_ok(&ia->ia_mtime))
		return -EINVAL;
	if (valid & ATTR_SIZE) {
		err = rxloop_data_type(node);
		if (err)
			return err;
		if (ia->ia_size < 0)
			return -EINVAL;
		if (ia->ia_size > MAX_LFS_FILESIZE)
			return -EFBIG;
		rxloop_truncate(node, ia->ia_size);
	}

	rxloop_now(&now);
	spin_lock(&node->lock);
	if (valid & ATTR_MODE)
		node->mode = node->type | (ia->ia_mode & 07777);
	if (valid & ATTR_UID)
		node->uid = uid;
	if (valid & ATTR_GID)
		node->gid = gid;
	if (valid & ATTR_ATIME)
		node->atime = (valid & ATTR_ATIME_SET) ? ia->ia_atime : now;
	if (valid & ATTR_MTIME)
		node->mtime = (valid & ATTR_MTIME_SET) ? ia->ia_mtime : now;
	else if (valid & ATTR_SIZE)
		node->mtime = now;
	/* any attribute change is a status change */
	node->ctime = now;
	node->change++;
	spin_unlock(&node->lock);
	return 0;
}
