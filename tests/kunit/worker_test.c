// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: what rx_post_to_worker(), rx_post_to_dispatch() and
 * rx_flush_workers() promise in include/rdbss/worker.h, order included:
 * DISPATCH items posted on one CPU run in posting order; PASSIVE items
 * run concurrently (an unbound workqueue, like RDBSS's several worker
 * threads per queue) in no promised order.
 */
#include <kunit/test.h>
#include <linux/bottom_half.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/sched.h>
#include <rdbss/minirdr.h>
#include <rdbss/worker.h>

#define NR_POSTED	8

static struct rx_minirdr worker_minirdr = { .name = "rxworkertest" };

static struct {
	atomic_t runs[NR_POSTED];
	atomic_t passive;
	atomic_t in_fsp;
	atomic_t total;
	atomic_t in_poster;	/* ran in the posting task: inline */
	struct task_struct *poster;
	unsigned int nap_ms;
} w;

static int index_of(struct rx_context *ctx)
{
	return (int)(unsigned long)ctx->mrx_context[0];
}

static void posted(struct rx_context *ctx)
{
	if (w.nap_ms)
		msleep(w.nap_ms);
	atomic_inc(&w.runs[index_of(ctx)]);
	if (rx_current_level() == RX_LEVEL_PASSIVE)
		atomic_inc(&w.passive);
	if (test_bit(RX_CONTEXT_IN_FSP, &ctx->flags))
		atomic_inc(&w.in_fsp);
	if (current == READ_ONCE(w.poster))
		atomic_inc(&w.in_poster);
	atomic_inc(&w.total);
	/* the poster's reference came with the item */
	rx_dereference_context(ctx);
}

static struct rx_context *new_ctx(struct kunit *test, struct rx_context **all,
				  int i)
{
	struct rx_context *ctx;

	ctx = rx_create_context(&worker_minirdr, RX_MJ_READ, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->mrx_context[0] = (void *)(unsigned long)i;
	/* ours, to look at the context after the routine dropped its own */
	rx_reference_context(ctx);
	all[i] = ctx;
	return ctx;
}

static int worker_init(struct kunit *test)
{
	memset(&w, 0, sizeof(w));
	test->priv = kunit_kcalloc(test, NR_POSTED, sizeof(struct rx_context *),
				   GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void worker_exit(struct kunit *test)
{
	struct rx_context **all = test->priv;
	int i;

	rx_flush_workers();
	for (i = 0; all && i < NR_POSTED; i++)
		if (all[i])
			rx_dereference_context(all[i]);
}

/* Each item runs once, at PASSIVE in the worker, before the flush returns. */
static void flush_waits_for_every_item(struct kunit *test)
{
	struct rx_context **all = test->priv;
	int i;

	w.nap_ms = 10;
	for (i = 0; i < NR_POSTED; i++)
		rx_post_to_worker(new_ctx(test, all, i), posted);
	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, atomic_read(&w.total), NR_POSTED);
	for (i = 0; i < NR_POSTED; i++) {
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&w.runs[i]), 1,
				    "item %d", i);
		/* the routine dropped the reference it was given */
		KUNIT_EXPECT_EQ(test, refcount_read(&all[i]->ref), 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&w.passive), NR_POSTED);
	KUNIT_EXPECT_EQ(test, atomic_read(&w.in_fsp), NR_POSTED);
}

/*
 * "Any context": from DISPATCH, and with interrupts off, the item runs
 * later in the worker, never inline in the poster.  The contexts are made
 * first: allocating them may sleep.  (Another CPU's worker may run an item
 * before the poster leaves its section; that is allowed.)
 */
static void post_from_any_context(struct kunit *test)
{
	struct rx_context **all = test->priv;
	struct rx_context *a = new_ctx(test, all, 0);
	struct rx_context *b = new_ctx(test, all, 1);
	unsigned long flags;

	WRITE_ONCE(w.poster, current);
	local_bh_disable();
	rx_post_to_worker(a, posted);
	local_bh_enable();

	local_irq_save(flags);
	rx_post_to_worker(b, posted);
	local_irq_restore(flags);

	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, atomic_read(&w.in_poster), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&w.total), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&w.passive), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&w.in_fsp), 2);
}

/* Once its routine has run, a context's item may be posted again. */
static void context_reposted_after_run(struct kunit *test)
{
	struct rx_context **all = test->priv;
	struct rx_context *ctx = new_ctx(test, all, 0);

	rx_post_to_worker(ctx, posted);
	rx_flush_workers();
	rx_reference_context(ctx);
	rx_post_to_worker(ctx, posted);
	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, atomic_read(&w.runs[0]), 2);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
}

static struct {
	atomic_t seq;
	int order[NR_POSTED];
	int dispatch_level;
	struct completion all_ran;
} d;

static void dispatched(struct rx_context *ctx)
{
	int n = atomic_inc_return(&d.seq) - 1;

	if (n < NR_POSTED)
		d.order[n] = index_of(ctx);
	if (rx_current_level() == RX_LEVEL_DISPATCH)
		d.dispatch_level++;
	rx_dereference_context(ctx);
	if (n == NR_POSTED - 1)
		complete(&d.all_ran);
}

/* DISPATCH items posted on one CPU run there, in softirq, in order. */
static void dispatch_runs_in_posting_order(struct kunit *test)
{
	struct rx_context **all = test->priv;
	int i;

	atomic_set(&d.seq, 0);
	d.dispatch_level = 0;
	init_completion(&d.all_ran);
	for (i = 0; i < NR_POSTED; i++)
		new_ctx(test, all, i);
	/* none runs before the last is posted: all on this CPU's queue */
	local_bh_disable();
	for (i = 0; i < NR_POSTED; i++)
		rx_post_to_dispatch(all[i], dispatched);
	local_bh_enable();
	wait_for_completion(&d.all_ran);
	KUNIT_EXPECT_EQ(test, atomic_read(&d.seq), NR_POSTED);
	KUNIT_EXPECT_EQ(test, d.dispatch_level, NR_POSTED);
	for (i = 0; i < NR_POSTED; i++)
		KUNIT_EXPECT_EQ_MSG(test, d.order[i], i, "position %d", i);
}

static struct kunit_case worker_cases[] = {
	KUNIT_CASE(flush_waits_for_every_item),
	KUNIT_CASE(post_from_any_context),
	KUNIT_CASE(context_reposted_after_run),
	KUNIT_CASE(dispatch_runs_in_posting_order),
	{}
};

static struct kunit_suite worker_suite = {
	.name = "rdbss_worker",
	.init = worker_init,
	.exit = worker_exit,
	.test_cases = worker_cases,
};

kunit_test_suite(worker_suite);
