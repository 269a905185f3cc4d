// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: delayed close (fs/rdbss/scavenger.c) on rxloop.  The last close
 * of a file leaves its srv_open dormant for close_delay; the next
 * compatible open takes it up without opening on the server; the
 * scavenger closes it once the delay is over; an orphaned dormant one is
 * closed at once; without a delay every last close closes; an eviction
 * waits for the scavenger's close of the file in progress.
 */
#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <rdbss/minirdr.h>
#include "../../fs/rdbss/internal.h"
#include "../rxloop/rxloop.h"
#include "rxloop_mount.h"

static int scavenger_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct rxl_env), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void scavenger_exit(struct kunit *test)
{
	if (test->priv)
		rxl_cleanup(test->priv);
}

static struct rxloop_mount *mount_of(struct vfsmount *mnt)
{
	return rx_sb_net_root(mnt->mnt_sb)->ext;
}

static u64 opens(struct vfsmount *mnt)
{
	return atomic64_read(&mount_of(mnt)->opens);
}

static u64 closes(struct vfsmount *mnt)
{
	return atomic64_read(&mount_of(mnt)->closes);
}

/*
 * A mount with @opts on a server where "f" exists, made through another
 * mount: this one keeps no writable (write-behind) open of it.
 */
static struct vfsmount *mount_with_file(struct kunit *test, const char *srv,
					const char *opts)
{
	rxl_open(test, test->priv,
		 rxl_mount(test, test->priv, srv, "cache=loose"),
		 "f", O_CREAT | O_RDWR);
	return rxl_mount(test, test->priv, srv, opts);
}

/* Open "f" read-only and close it; the srv_open it used. */
static struct rx_srv_open *open_close(struct kunit *test,
				      struct vfsmount *mnt)
{
	struct rx_srv_open *so;
	struct file *f;

	f = file_open_root_mnt(mnt, "f", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(f));
	so = ((struct rx_fobx *)f->private_data)->srv_open;
	__fput_sync(f);
	return so;
}

static void dormant_taken_up(struct kunit *test)
{
	struct rx_srv_open *so;
	struct vfsmount *mnt;
	u64 o, c;
	int i;

	mnt = mount_with_file(test, "kunit-scav-1", "cache=cto,close_delay=600000");
	o = opens(mnt);
	c = closes(mnt);
	so = open_close(test, mnt);
	KUNIT_EXPECT_EQ(test, opens(mnt), o + 1);
	KUNIT_EXPECT_EQ(test, closes(mnt), c);
	KUNIT_EXPECT_TRUE(test, test_bit(RX_SO_DORMANT, &so->flags));
	KUNIT_EXPECT_EQ(test, so->handles, 0U);
	KUNIT_EXPECT_EQ(test, rx_sb_net_root(mnt->mnt_sb)->n_dormant, 1U);
	/* four more open/close rounds reuse it: nothing opened or closed */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_PTR_EQ(test, open_close(test, mnt), so);
	KUNIT_EXPECT_EQ(test, opens(mnt), o + 1);
	KUNIT_EXPECT_EQ(test, closes(mnt), c);
	KUNIT_EXPECT_EQ(test, rx_sb_net_root(mnt->mnt_sb)->n_dormant, 1U);
}

/* While a handle uses it, it is not dormant; two handles, one srv_open. */
static void handles_counted(struct kunit *test)
{
	struct rx_srv_open *so;
	struct vfsmount *mnt;
	struct file *a, *b;

	mnt = mount_with_file(test, "kunit-scav-2", "close_delay=600000");
	a = file_open_root_mnt(mnt, "f", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = file_open_root_mnt(mnt, "f", O_RDONLY, 0);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	so = ((struct rx_fobx *)a->private_data)->srv_open;
	KUNIT_EXPECT_PTR_EQ(test, ((struct rx_fobx *)b->private_data)->srv_open, so);
	KUNIT_EXPECT_EQ(test, so->handles, 2U);
	__fput_sync(a);
	KUNIT_EXPECT_FALSE(test, test_bit(RX_SO_DORMANT, &so->flags));
	__fput_sync(b);
	KUNIT_EXPECT_TRUE(test, test_bit(RX_SO_DORMANT, &so->flags));
}

/* The scavenger closes it once the delay is over (bounded wait). */
static void dormant_expires(struct kunit *test)
{
	struct vfsmount *mnt;
	u64 c;
	int i;

	mnt = mount_with_file(test, "kunit-scav-3", "close_delay=20");
	c = closes(mnt);
	open_close(test, mnt);
	for (i = 0; i < 500 && closes(mnt) == c; i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, closes(mnt), c + 1);
	KUNIT_EXPECT_EQ(test, rx_sb_net_root(mnt->mnt_sb)->n_dormant, 0U);
	/* the next open is a new one on the server */
	open_close(test, mnt);
	KUNIT_EXPECT_EQ(test, opens(mnt), closes(mnt) + 1);
}

/* Orphaned while dormant: not busy, closed with the caller's reference. */
static void dormant_orphaned(struct kunit *test)
{
	struct rx_srv_open *so;
	struct vfsmount *mnt;
	u64 o, c;

	mnt = mount_with_file(test, "kunit-scav-4", "close_delay=600000");
	c = closes(mnt);
	so = open_close(test, mnt);
	KUNIT_ASSERT_TRUE(test, test_bit(RX_SO_DORMANT, &so->flags));
	kref_get(&so->kref);
	KUNIT_EXPECT_FALSE(test, rx_orphan_srv_open(so));
	KUNIT_EXPECT_FALSE(test, test_bit(RX_SO_DORMANT, &so->flags));
	KUNIT_EXPECT_EQ(test, rx_sb_net_root(mnt->mnt_sb)->n_dormant, 0U);
	KUNIT_EXPECT_EQ(test, closes(mnt), c);
	rx_put_srv_open(so);
	KUNIT_EXPECT_EQ(test, closes(mnt), c + 1);
	/* and no open takes it up: the next one opens on the server */
	o = opens(mnt);
	open_close(test, mnt);
	KUNIT_EXPECT_EQ(test, opens(mnt), o + 1);
}

#define RACE_ROUNDS	400

struct race {
	struct vfsmount *mnt;
	struct completion done;
	int err;
};

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
		if (!(i % 16))
			usleep_range(500, 1500);
	}
	complete(&r->done);
	return 0;
}

/*
 * Two tasks open and close one file while the scavenger expires it every
 * jiffy: opens take up dormant srv_opens, and srv_opens the scavenger is
 * closing, which then go dormant again (list corruption and use after
 * free show under KASAN and list debugging).  Every open made on the
 * server is closed once the delay is over.
 */
static void dormant_races(struct kunit *test)
{
	struct rx_net_root *nr;
	struct task_struct *t;
	struct vfsmount *mnt;
	struct race r[2];
	int i;

	mnt = mount_with_file(test, "kunit-scav-6", "close_delay=1");
	nr = rx_sb_net_root(mnt->mnt_sb);
	for (i = 0; i < 2; i++) {
		r[i].mnt = mnt;
		r[i].err = 0;
		init_completion(&r[i].done);
		t = kthread_run(race_thread, &r[i], "rx-scav-race/%d", i);
		KUNIT_EXPECT_FALSE(test, IS_ERR(t));
		if (IS_ERR(t))
			complete(&r[i].done);
	}
	for (i = 0; i < 2; i++) {
		wait_for_completion(&r[i].done);
		KUNIT_EXPECT_EQ(test, r[i].err, 0);
	}
	for (i = 0; i < 500 && READ_ONCE(nr->n_dormant); i++)
		msleep(20);
	KUNIT_EXPECT_EQ(test, READ_ONCE(nr->n_dormant), 0U);
	KUNIT_EXPECT_GT(test, opens(mnt), 1ULL);
	KUNIT_EXPECT_EQ(test, opens(mnt), closes(mnt));
}

struct scav_wait {
	struct rx_fcb *fcb;
	struct completion done;
};

static int scavenge_fcb_thread(void *arg)
{
	struct scav_wait *w = arg;

	rx_scavenge_fcb(w->fcb);
	complete_all(&w->done);	/* waited for more than once */
	return 0;
}

/*
 * The scavenger's close of a dormant srv_open is slow (a close waiting
 * for a reconnection): the srv_open has left fcb->srv_opens already, but
 * rx_scavenge_fcb() -- what an eviction calls before the inode is freed
 * -- must wait until that close has ended.
 */
static void scavenge_waits_for_close(struct kunit *test)
{
	struct completion gate;
	struct rxloop_mount *m;
	struct task_struct *t;
	struct rx_srv_open *so;
	struct vfsmount *mnt;
	struct scav_wait w;
	unsigned long early;
	int i;

	mnt = mount_with_file(test, "kunit-scav-7", "close_delay=20");
	m = mount_of(mnt);
	init_completion(&gate);
	so = open_close(test, mnt);
	w.fcb = so->fcb;
	WRITE_ONCE(m->close_gate, &gate);
	for (i = 0; i < 500 && !atomic_read(&m->close_waiting); i++)
		msleep(20);
	if (atomic_read(&m->close_waiting) != 1) {
		WRITE_ONCE(m->close_gate, NULL);
		complete_all(&gate);
		KUNIT_FAIL(test, "closes waiting at the gate: %d",
			   atomic_read(&m->close_waiting));
		return;
	}
	spin_lock(&w.fcb->lock);
	KUNIT_EXPECT_TRUE(test, list_empty(&w.fcb->srv_opens));
	spin_unlock(&w.fcb->lock);
	init_completion(&w.done);
	t = kthread_run(scavenge_fcb_thread, &w, "rx-scav-wait");
	if (IS_ERR(t)) {
		WRITE_ONCE(m->close_gate, NULL);
		complete_all(&gate);
		KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
		return;
	}
	early = wait_for_completion_timeout(&w.done, msecs_to_jiffies(200));
	KUNIT_EXPECT_EQ(test, early, 0UL);
	WRITE_ONCE(m->close_gate, NULL);
	complete_all(&gate);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&w.done, 10 * HZ));
	wait_for_completion(&w.done);
	KUNIT_EXPECT_EQ(test, atomic_read(&w.fcb->closing), 0);
}

/* Without a delay the last close closes, as before. */
static void no_delay_closes(struct kunit *test)
{
	struct vfsmount *mnt;
	u64 c;

	mnt = mount_with_file(test, "kunit-scav-5", "cache=cto");
	c = closes(mnt);
	open_close(test, mnt);
	KUNIT_EXPECT_EQ(test, closes(mnt), c + 1);
	KUNIT_EXPECT_EQ(test, rx_sb_net_root(mnt->mnt_sb)->n_dormant, 0U);
}

static struct kunit_case scavenger_cases[] = {
	KUNIT_CASE(dormant_taken_up),
	KUNIT_CASE(handles_counted),
	KUNIT_CASE(dormant_expires),
	KUNIT_CASE(dormant_orphaned),
	KUNIT_CASE(dormant_races),
	KUNIT_CASE(no_delay_closes),
	KUNIT_CASE(scavenge_waits_for_close),
	{}
};

static struct kunit_suite scavenger_suite = {
	.name = "rdbss_scavenger",
	.init = scavenger_init,
	.exit = scavenger_exit,
	.test_cases = scavenger_cases,
};

kunit_test_suite(scavenger_suite);
MODULE_LICENSE("GPL");
