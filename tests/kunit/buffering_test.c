// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: buffering state changes (RxChangeBufferingState) on rxloop files:
 * what reaches the server and what stays in the page cache when caching is
 * dropped, raised, or changed at the request of DISPATCH-level code.
 */
#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rdbss/minirdr.h>
#include <rdbss/worker.h>
#include "../rxloop/rxloop_ioctl.h"
#include "rxloop_mount.h"

#define LEN	(2 * PAGE_SIZE)

static int buffering_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct rxl_env), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void buffering_exit(struct kunit *test)
{
	if (test->priv)
		rxl_cleanup(test->priv);
}

static void write_all(struct kunit *test, struct file *f, char c, size_t len)
{
	char *buf = kunit_kmalloc(test, len, GFP_KERNEL);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	memset(buf, c, len);
	KUNIT_ASSERT_EQ(test, kernel_write(f, buf, len, &pos), (ssize_t)len);
}

/* Read @len bytes from the start of @f: are they all @c? */
static void expect_data(struct kunit *test, struct file *f, char c,
			size_t len)
{
	char *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	loff_t pos = 0;

	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_EQ(test, kernel_read(f, buf, len, &pos), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, buf[0], c);
	KUNIT_EXPECT_NULL(test, memchr_inv(buf, c, len));
}

static bool has_dirty(struct file *f)
{
	return mapping_tagged(f->f_mapping, PAGECACHE_TAG_DIRTY);
}

static void drop_caching_writes_dirty_pages(struct kunit *test)
{
	struct vfsmount *cached, *server;
	struct rx_fcb *fcb;
	struct file *f;

	cached = rxl_mount(test, test->priv, "kunit-buffering-1",
			   "cache=loose");
	/* the same server, uncached: what it holds */
	server = rxl_mount(test, test->priv, "kunit-buffering-1",
			   "cache=none");
	f = rxl_open(test, test->priv, cached, "f", O_CREAT | O_RDWR);
	fcb = rx_inode_fcb(file_inode(f));

	write_all(test, f, 'w', LEN);
	KUNIT_ASSERT_EQ(test, rxl_ops(cached, RXLOOP_OP_WRITE), 0ULL);
	KUNIT_ASSERT_TRUE(test, has_dirty(f));

	KUNIT_EXPECT_EQ(test, rx_change_buffering_state(fcb, RX_BUFFERING_NONE),
			0);
	KUNIT_EXPECT_EQ(test, (int)fcb->buffering, (int)RX_BUFFERING_NONE);
	KUNIT_EXPECT_GT(test, rxl_ops(cached, RXLOOP_OP_WRITE), 0ULL);
	KUNIT_EXPECT_EQ(test, rxl_bytes_written(cached), (u64)LEN);
	KUNIT_EXPECT_FALSE(test, has_dirty(f));
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0UL);
	expect_data(test, rxl_open(test, test->priv, server, "f", O_RDONLY),
		    'w', LEN);
}

static void drop_caching_drops_clean_pages(struct kunit *test)
{
	struct vfsmount *cached, *server;
	struct file *w, *r;
	struct rx_fcb *fcb;
	u64 reads;

	cached = rxl_mount(test, test->priv, "kunit-buffering-2",
			   "cache=loose");
	server = rxl_mount(test, test->priv, "kunit-buffering-2",
			   "cache=none");
	w = rxl_open(test, test->priv, server, "f", O_CREAT | O_RDWR);
	write_all(test, w, 'o', LEN);
	r = rxl_open(test, test->priv, cached, "f", O_RDONLY);
	fcb = rx_inode_fcb(file_inode(r));

	expect_data(test, r, 'o', LEN);
	reads = rxl_ops(cached, RXLOOP_OP_READ);
	KUNIT_ASSERT_GT(test, reads, 0ULL);
	/* the server's copy changes; the loose cache still has the old one */
	write_all(test, w, 'n', LEN);
	expect_data(test, r, 'o', LEN);
	KUNIT_ASSERT_EQ(test, rxl_ops(cached, RXLOOP_OP_READ), reads);

	KUNIT_EXPECT_EQ(test, rx_change_buffering_state(fcb, RX_BUFFERING_NONE),
			0);
	KUNIT_EXPECT_EQ(test, r->f_mapping->nrpages, 0UL);
	KUNIT_EXPECT_EQ(test, rxl_ops(cached, RXLOOP_OP_WRITE), 0ULL);
	/* caching again: the next read has to ask the server */
	KUNIT_EXPECT_EQ(test,
			rx_change_buffering_state(fcb, RX_BUFFERING_LOOSE), 0);
	expect_data(test, r, 'n', LEN);
	KUNIT_EXPECT_GT(test, rxl_ops(cached, RXLOOP_OP_READ), reads);
}

static void raising_changes_nothing(struct kunit *test)
{
	struct vfsmount *mnt;
	unsigned long pages;
	struct rx_fcb *fcb;
	struct file *f;
	u64 ops;

	mnt = rxl_mount(test, test->priv, "kunit-buffering-3", "cache=cto");
	f = rxl_open(test, test->priv, mnt, "f", O_CREAT | O_RDWR);
	fcb = rx_inode_fcb(file_inode(f));
	/* two clean cached pages, then the first one dirty again */
	write_all(test, f, 'c', LEN);
	KUNIT_ASSERT_EQ(test, vfs_fsync(f, 0), 0);
	write_all(test, f, 'd', PAGE_SIZE);
	pages = f->f_mapping->nrpages;
	KUNIT_ASSERT_EQ(test, pages, LEN >> PAGE_SHIFT);
	KUNIT_ASSERT_TRUE(test, has_dirty(f));
	ops = rxl_all_ops(mnt);

	KUNIT_EXPECT_EQ(test,
			rx_change_buffering_state(fcb, RX_BUFFERING_LOOSE), 0);
	KUNIT_EXPECT_EQ(test, (int)fcb->buffering, (int)RX_BUFFERING_LOOSE);
	KUNIT_EXPECT_EQ(test,
			rx_change_buffering_state(fcb, RX_BUFFERING_LOOSE), 0);
	KUNIT_EXPECT_EQ(test, rxl_all_ops(mnt), ops);
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, pages);
	KUNIT_EXPECT_TRUE(test, has_dirty(f));
	/* the cache still serves reads */
	expect_data(test, f, 'd', PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, rxl_all_ops(mnt), ops);
}

static void dispatch_request_applied_by_worker(struct kunit *test)
{
	enum rx_buffering during;
	enum rx_level level;
	struct vfsmount *mnt;
	struct rx_fcb *fcb;
	struct file *f;
	u64 writes;

	/* write-back completions arrive in softirq, as from a socket */
	mnt = rxl_mount(test, test->priv, "kunit-buffering-4",
			"cache=loose,complete=softirq");
	f = rxl_open(test, test->priv, mnt, "f", O_CREAT | O_RDWR);
	fcb = rx_inode_fcb(file_inode(f));
	write_all(test, f, 's', LEN);
	KUNIT_ASSERT_TRUE(test, has_dirty(f));

	local_bh_disable();
	level = rx_current_level();
	rx_request_buffering_change(fcb, RX_BUFFERING_NONE);
	during = READ_ONCE(fcb->buffering);
	writes = rxl_ops(mnt, RXLOOP_OP_WRITE);
	local_bh_enable();

	KUNIT_EXPECT_EQ(test, (int)level, (int)RX_LEVEL_DISPATCH);
	/* nothing is done at DISPATCH: writing back sleeps */
	KUNIT_EXPECT_EQ(test, (int)during, (int)RX_BUFFERING_LOOSE);
	KUNIT_EXPECT_EQ(test, writes, 0ULL);

	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, (int)fcb->buffering, (int)RX_BUFFERING_NONE);
	KUNIT_EXPECT_EQ(test, rxl_bytes_written(mnt), (u64)LEN);
	KUNIT_EXPECT_FALSE(test, has_dirty(f));
	KUNIT_EXPECT_EQ(test, f->f_mapping->nrpages, 0UL);
}

static struct kunit_case buffering_cases[] = {
	KUNIT_CASE(drop_caching_writes_dirty_pages),
	KUNIT_CASE(drop_caching_drops_clean_pages),
	KUNIT_CASE(raising_changes_nothing),
	KUNIT_CASE(dispatch_request_applied_by_worker),
	{}
};

static struct kunit_suite buffering_suite = {
	.name = "rdbss_buffering",
	.init = buffering_init,
	.exit = buffering_exit,
	.test_cases = buffering_cases,
};

kunit_test_suite(buffering_suite);
