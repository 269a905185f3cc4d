// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: srv_call lookup and sharing, finalization, and the workers.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <rdbss/minirdr.h>
#include <rdbss/worker.h>
#include "../../fs/rdbss/internal.h"

static struct {
	int creates;
	int finalizes;
	int fail_create;
} objs;

static char *obj_key(void *opts, struct fs_context *fc)
{
	return kstrdup(opts, GFP_KERNEL) ?: ERR_PTR(-ENOMEM);
}

static int obj_create_srv_call(struct rx_srv_call *sc, void *opts,
			       struct fs_context *fc)
{
	if (objs.fail_create)
		return -ECONNREFUSED;
	objs.creates++;
	/* the extension is there and zeroed */
	return *(u64 *)sc->ext ? -EINVAL : 0;
}

static void obj_finalize_srv_call(struct rx_srv_call *sc)
{
	objs.finalizes++;
}

static const struct rx_minirdr_ops obj_ops = {
	.srv_call_key = obj_key,
	.create_srv_call = obj_create_srv_call,
	.finalize_srv_call = obj_finalize_srv_call,
};

static struct rx_minirdr obj_minirdr = {
	.name = "rxobjtest",
	.ops = &obj_ops,
	.srv_call_ext_size = 64,
};

static int objects_init(struct kunit *test)
{
	memset(&objs, 0, sizeof(objs));
	mutex_init(&obj_minirdr.lock);
	INIT_LIST_HEAD(&obj_minirdr.srv_calls);
	return 0;
}

static void srv_call_shared_by_key(struct kunit *test)
{
	struct rx_srv_call *a, *b, *c;

	a = rx_find_or_create_srv_call(&obj_minirdr, "tcp/10.0.0.1/564", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	b = rx_find_or_create_srv_call(&obj_minirdr, "tcp/10.0.0.1/564", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	c = rx_find_or_create_srv_call(&obj_minirdr, "tcp/10.0.0.2/564", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(c));
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_PTR_NE(test, a, c);
	KUNIT_EXPECT_EQ(test, objs.creates, 2);
	KUNIT_EXPECT_EQ(test, a->mounts, 2U);
	KUNIT_EXPECT_EQ(test, kref_read(&a->kref), 2U);

	/* two-phase: the first put leaves it shared and connected */
	rx_put_srv_call(b);
	KUNIT_EXPECT_EQ(test, objs.finalizes, 0);
	KUNIT_EXPECT_EQ(test, a->mounts, 1U);
	rx_put_srv_call(a);
	KUNIT_EXPECT_EQ(test, objs.finalizes, 1);
	rx_put_srv_call(c);
	KUNIT_EXPECT_EQ(test, objs.finalizes, 2);
	KUNIT_EXPECT_TRUE(test, list_empty(&obj_minirdr.srv_calls));
}

static void srv_call_not_found_after_finalize(struct kunit *test)
{
	struct rx_srv_call *a, *b;

	a = rx_find_or_create_srv_call(&obj_minirdr, "k", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(a));
	rx_put_srv_call(a);
	/* the finalized one is gone from the table: a new one is made */
	b = rx_find_or_create_srv_call(&obj_minirdr, "k", NULL);
	KUNIT_ASSERT_FALSE(test, IS_ERR(b));
	KUNIT_EXPECT_EQ(test, objs.creates, 2);
	rx_put_srv_call(b);
	KUNIT_EXPECT_TRUE(test, list_empty(&obj_minirdr.srv_calls));
}

static void srv_call_create_failure(struct kunit *test)
{
	struct rx_srv_call *a;

	objs.fail_create = 1;
	a = rx_find_or_create_srv_call(&obj_minirdr, "down", NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(a), -ECONNREFUSED);
	KUNIT_EXPECT_TRUE(test, list_empty(&obj_minirdr.srv_calls));
	KUNIT_EXPECT_EQ(test, objs.finalizes, 0);
}

/* ---- workers ---- */

static struct {
	enum rx_level level;
	bool in_fsp;
	struct completion done;
} posted;

static void record_routine(struct rx_context *ctx)
{
	posted.level = rx_current_level();
	posted.in_fsp = test_bit(RX_CONTEXT_IN_FSP, &ctx->flags);
	complete(&posted.done);
}

static void post_to_worker_is_passive(struct kunit *test)
{
	struct rx_context *ctx = rx_create_context(&obj_minirdr, RX_MJ_READ, 0,
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&posted.done);
	rx_post_to_worker(ctx, record_routine);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&posted.done, 5 * HZ),
			0UL);
	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, (int)posted.level, (int)RX_LEVEL_PASSIVE);
	KUNIT_EXPECT_TRUE(test, posted.in_fsp);
	rx_dereference_context(ctx);
}

static void post_to_dispatch_is_softirq(struct kunit *test)
{
	struct rx_context *ctx = rx_create_context(&obj_minirdr, RX_MJ_READ, 0,
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	init_completion(&posted.done);
	rx_post_to_dispatch(ctx, record_routine);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&posted.done, 5 * HZ),
			0UL);
	KUNIT_EXPECT_EQ(test, (int)posted.level, (int)RX_LEVEL_DISPATCH);
	KUNIT_EXPECT_FALSE(test, posted.in_fsp);
	rx_dereference_context(ctx);
}

static atomic_t ran;

static void count_it(void *arg)
{
	atomic_inc(&ran);
}

static void dispatch_alloc_failure(struct kunit *test)
{
	atomic_set(&ran, 0);
	rx_test_fail_dispatch_alloc = 1;
	KUNIT_EXPECT_EQ(test, rx_dispatch_to_worker(count_it, NULL, GFP_KERNEL),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, rx_dispatch_to_worker(count_it, NULL, GFP_KERNEL),
			0);
	rx_flush_workers();
	/* the refused item never runs; the accepted one does */
	KUNIT_EXPECT_EQ(test, atomic_read(&ran), 1);
}

static struct kunit_case objects_cases[] = {
	KUNIT_CASE(srv_call_shared_by_key),
	KUNIT_CASE(srv_call_not_found_after_finalize),
	KUNIT_CASE(srv_call_create_failure),
	KUNIT_CASE(post_to_worker_is_passive),
	KUNIT_CASE(post_to_dispatch_is_softirq),
	KUNIT_CASE(dispatch_alloc_failure),
	{}
};

static struct kunit_suite objects_suite = {
	.name = "rdbss_objects",
	.init = objects_init,
	.test_cases = objects_cases,
};

kunit_test_suite(objects_suite);
