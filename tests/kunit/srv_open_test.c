// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the objects below a mount, on rxloop: srv_opens shared by
 * compatible opens (RDBSS's collapsing) under one fcb, opens racing with
 * the last close of the srv_open they would share, orphaned srv_opens
 * (lost by the server) that no open shares and write-behind gives up, and
 * a mini-redirector that cannot be unregistered while mounted.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <rdbss/minirdr.h>
#include "../rxloop/rxloop.h"
#include "rxloop_mount.h"

static int srv_open_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct rxl_env), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void srv_open_exit(struct kunit *test)
{
	if (test->priv)
		rxl_cleanup(test->priv);
}

static struct rx_srv_open *srv_open_of(struct file *f)
{
	return ((struct rx_fobx *)f->private_data)->srv_open;
}

static u64 opens(struct vfsmount *mnt)
{
	return atomic64_read(&((struct rxloop_mount *)
			       rx_sb_net_root(mnt->mnt_sb)->ext)->opens);
}

/* Opens with the same access share one srv_open; other access opens one. */
static void compatible_opens_collapse(struct kunit *test)
{
	struct vfsmount *mnt;
	struct file *w, *r1, *r2, *r3;
	u64 base;

	mnt = rxl_mount(test, test->priv, "kunit-srv-open-1", "cache=none");
	w = rxl_open(test, test->priv, mnt, "f", O_CREAT | O_RDWR);
	base = opens(mnt);
	r1 = rxl_open(test, test->priv, mnt, "f", O_RDONLY);
	KUNIT_EXPECT_EQ(test, opens(mnt), base + 1);
	KUNIT_EXPECT_PTR_NE(test, srv_open_of(r1), srv_open_of(w));
	r2 = rxl_open(test, test->priv, mnt, "f", O_RDONLY);
	KUNIT_EXPECT_EQ(test, opens(mnt), base + 1);
	KUNIT_EXPECT_PTR_EQ(test, srv_open_of(r2), srv_open_of(r1));
	/* a second read-write open shares the first */
	r3 = rxl_open(test, test->priv, mnt, "f", O_RDWR);
	KUNIT_EXPECT_EQ(test, opens(mnt), base + 1);
	KUNIT_EXPECT_PTR_EQ(test, srv_open_of(r3), srv_open_of(w));
	/* the fobx is per open file, the srv_open and fcb shared */
	KUNIT_EXPECT_PTR_NE(test, r1->private_data, r2->private_data);
	KUNIT_EXPECT_PTR_EQ(test, srv_open_of(r1)->fcb, srv_open_of(w)->fcb);
}

#define RACE_ROUNDS	500

struct race {
	struct vfsmount *mnt;
	struct completion done;
	int err;
};

/* Open and close the same file read-only, as fast as it goes. */
static int race_thread(void *arg)
{
	struct race *r = arg;
	struct file *f;
	int i;

	for (i = 0; i < RACE_ROUNDS && !r->err; i++) {
		f = file_open_root_mnt(r->mnt, "f", O_RDONLY, 0);
		if (IS_ERR(f)) {
			r->err = PTR_ERR(f);
			break;
		}
		__fput_sync(f);
		if (!(i % 64))
			cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * Two tasks open and close one file: each open may find the srv_open the
 * other's close is releasing, and must then open a new one rather than
 * take a reference on one being freed (KASAN reports that).  Every open
 * made on the server is closed at the end.
 */
static void open_races_last_close(struct kunit *test)
{
	struct race r[2];
	struct rxloop_mount *st;
	struct task_struct *t;
	struct vfsmount *mnt;
	int i;

	/* made through another mount: no writable open is kept on this one */
	rxl_open(test, test->priv,
		 rxl_mount(test, test->priv, "kunit-srv-open-3", "cache=loose"),
		 "f", O_CREAT | O_RDWR);
	mnt = rxl_mount(test, test->priv, "kunit-srv-open-3", "cache=none");
	st = rx_sb_net_root(mnt->mnt_sb)->ext;
	for (i = 0; i < 2; i++) {
		r[i].mnt = mnt;
		r[i].err = 0;
		init_completion(&r[i].done);
		t = kthread_run(race_thread, &r[i], "rx-open-race/%d", i);
		/* no assertion here: a started thread uses r[] until done */
		KUNIT_EXPECT_FALSE(test, IS_ERR(t));
		if (IS_ERR(t))
			complete(&r[i].done);
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&r[i].done);
		KUNIT_EXPECT_EQ(test, r[i].err, 0);
	}
	KUNIT_EXPECT_GT(test, atomic64_read(&st->opens), 1LL);
	KUNIT_EXPECT_EQ(test, atomic64_read(&st->opens),
			atomic64_read(&st->closes));
}

static u64 closes(struct vfsmount *mnt)
{
	return atomic64_read(&((struct rxloop_mount *)
			       rx_sb_net_root(mnt->mnt_sb)->ext)->closes);
}

/*
 * An orphan still open as a file is "busy"; the next open of the same
 * access makes a new srv_open, which becomes the write-behind one.
 */
static void orphan_busy_not_collapsed(struct kunit *test)
{
	struct rx_srv_open *so, *so2;
	struct vfsmount *mnt;
	struct file *w, *w2;
	u64 base, closed;

	mnt = rxl_mount(test, test->priv, "kunit-srv-open-5", "cache=loose");
	w = rxl_open(test, test->priv, mnt, "f", O_CREAT | O_RDWR);
	so = srv_open_of(w);
	KUNIT_ASSERT_PTR_EQ(test, so->fcb->wb_srv_open, so);
	base = opens(mnt);
	closed = closes(mnt);
	kref_get(&so->kref);
	KUNIT_EXPECT_TRUE(test, rx_orphan_srv_open(so));
	KUNIT_EXPECT_TRUE(test, test_bit(RX_SO_ORPHANED, &so->flags));
	KUNIT_EXPECT_NULL(test, so->fcb->wb_srv_open);
	rx_put_srv_open(so);
	/* the file keeps it: nothing was closed on the server */
	KUNIT_EXPECT_EQ(test, closes(mnt), closed);
	w2 = rxl_open(test, test->priv, mnt, "f", O_RDWR);
	so2 = srv_open_of(w2);
	KUNIT_EXPECT_PTR_NE(test, so2, so);
	KUNIT_EXPECT_EQ(test, opens(mnt), base + 1);
	KUNIT_EXPECT_PTR_EQ(test, so->fcb->wb_srv_open, so2);
}

/*
 * An orphan only the write-behind slot held (its file closed, nothing
 * dirty) is not busy, and goes with the orphaning caller's reference.
 */
static void orphan_idle_released(struct kunit *test)
{
	struct rx_srv_open *so;
	struct vfsmount *mnt;
	struct file *f;
	u64 closed;

	mnt = rxl_mount(test, test->priv, "kunit-srv-open-6", "cache=loose");
	f = file_open_root_mnt(mnt, "g", O_CREAT | O_RDWR, 0644);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	so = srv_open_of(f);
	kref_get(&so->kref);
	__fput_sync(f);
	KUNIT_ASSERT_PTR_EQ(test, so->fcb->wb_srv_open, so);
	closed = closes(mnt);
	KUNIT_EXPECT_FALSE(test, rx_orphan_srv_open(so));
	KUNIT_EXPECT_EQ(test, closes(mnt), closed);
	rx_put_srv_open(so);
	KUNIT_EXPECT_EQ(test, closes(mnt), closed + 1);
	KUNIT_EXPECT_EQ(test, opens(mnt), closes(mnt));
}

static void unregister_refused_while_mounted(struct kunit *test)
{
	struct rx_minirdr *mr;
	struct vfsmount *mnt;

	mnt = rxl_mount(test, test->priv, "kunit-srv-open-4", "cache=none");
	mr = rx_sb_net_root(mnt->mnt_sb)->srv_call->minirdr;
	KUNIT_EXPECT_GE(test, mr->mounts, 1U);
	KUNIT_EXPECT_EQ(test, rx_unregister_minirdr(mr), -EBUSY);
	KUNIT_EXPECT_FALSE(test, mr->unregistering);
	/* still registered: another mount works */
	rxl_mount(test, test->priv, "kunit-srv-open-4", "cache=loose");
	KUNIT_EXPECT_GE(test, mr->mounts, 2U);
}

static struct kunit_case srv_open_cases[] = {
	KUNIT_CASE(compatible_opens_collapse),
	KUNIT_CASE(open_races_last_close),
	KUNIT_CASE(orphan_busy_not_collapsed),
	KUNIT_CASE(orphan_idle_released),
	KUNIT_CASE(unregister_refused_while_mounted),
	{}
};

static struct kunit_suite srv_open_suite = {
	.name = "rdbss_srv_open",
	.init = srv_open_init,
	.exit = srv_open_exit,
	.test_cases = srv_open_cases,
};

kunit_test_suite(srv_open_suite);
MODULE_LICENSE("GPL");
