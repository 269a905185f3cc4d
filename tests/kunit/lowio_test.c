// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: rx_lowio_submit() / rx_lowio_completion() in every branch, the
 * buffer-address routine, context references and the workers.
 */
#include <kunit/test.h>
#include <linux/bvec.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <rdbss/minirdr.h>
#include <rdbss/worker.h>

/* How the fake mini-redirector finishes a READ. */
enum fake_mode {
	FAKE_NOW,		/* return the final status from submit */
	FAKE_PENDING_WQ,	/* PENDING, complete from a workqueue */
	FAKE_PENDING_NEVER,	/* PENDING, only a cancel completes it */
	FAKE_PENDING_RACE,	/* PENDING, completion races a cancel */
};

struct fake_state {
	enum fake_mode mode;
	int status;
	ssize_t information;
	struct delayed_work work;
	struct rx_context *ctx;
	int completion_ret;
	int cancels;
	struct completion submitted;
	/* exactly-once between completion and cancel */
	spinlock_t lock;
	bool done;
	int deliveries;
	unsigned long race_delay;
};

static struct fake_state fake;

/* Whoever gets here first delivers the one completion. */
static bool fake_claim(void)
{
	bool first;

	spin_lock_bh(&fake.lock);
	first = !fake.done;
	fake.done = true;
	if (first)
		fake.deliveries++;
	spin_unlock_bh(&fake.lock);
	return first;
}

static void fake_complete_work(struct work_struct *work)
{
	struct rx_context *ctx = fake.ctx;

	if (fake.mode == FAKE_PENDING_RACE && !fake_claim())
		return;
	ctx->stored_status = fake.status;
	ctx->information = fake.information;
	fake.completion_ret = rx_lowio_completion(ctx);
}

static int fake_cancel(struct rx_context *ctx)
{
	if (fake.mode == FAKE_PENDING_RACE && !fake_claim())
		return 0;	/* the completion is on its way */
	fake.cancels++;
	ctx->stored_status = -EINTR;
	rx_lowio_completion(ctx);
	return 0;
}

static int fake_submit(struct rx_context *ctx)
{
	fake.ctx = ctx;
	switch (fake.mode) {
	case FAKE_NOW:
		ctx->information = fake.information;
		return fake.status;
	case FAKE_PENDING_WQ:
		schedule_delayed_work(&fake.work, msecs_to_jiffies(20));
		return RX_STATUS_PENDING;
	case FAKE_PENDING_RACE:
		ctx->mrx_cancel = fake_cancel;
		schedule_delayed_work(&fake.work, fake.race_delay);
		complete(&fake.submitted);
		return RX_STATUS_PENDING;
	default:
		ctx->mrx_cancel = fake_cancel;
		complete(&fake.submitted);
		return RX_STATUS_PENDING;
	}
}

static const struct rx_minirdr_ops fake_ops = {
	.lowio_submit = { [LOWIO_OP_READ] = fake_submit },
};

static struct rx_minirdr fake_minirdr = {
	.name = "rxfake",
	.ops = &fake_ops,
};

static int lowio_test_init(struct kunit *test)
{
	memset(&fake, 0, sizeof(fake));
	INIT_DELAYED_WORK(&fake.work, fake_complete_work);
	init_completion(&fake.submitted);
	spin_lock_init(&fake.lock);
	return 0;
}

static void lowio_test_exit(struct kunit *test)
{
	cancel_delayed_work_sync(&fake.work);
}

static struct rx_context *new_read_ctx(struct kunit *test, bool sync)
{
	struct rx_context *ctx;

	ctx = rx_create_context(&fake_minirdr, RX_MJ_READ, 0, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	if (sync)
		set_bit(RX_CONTEXT_WAIT, &ctx->flags);
	else
		set_bit(RX_CONTEXT_ASYNC_OPERATION, &ctx->flags);
	ctx->lowio.operation = LOWIO_OP_READ;
	return ctx;
}

/* Completion routine used by the asynchronous tests. */
static struct {
	int calls;
	enum rx_level level;
	bool in_worker;
	struct completion done;
} routine;

static int test_routine(struct rx_context *ctx)
{
	routine.calls++;
	routine.level = rx_current_level();
	routine.in_worker = test_bit(RX_CONTEXT_IN_FSP, &ctx->flags);
	complete(&routine.done);
	return 42;
}

static void reset_routine(void)
{
	memset(&routine, 0, sizeof(routine));
	init_completion(&routine.done);
}

static void sync_completes_in_submit(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);

	fake.mode = FAKE_NOW;
	fake.status = -EIO;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), -EIO);
	KUNIT_EXPECT_TRUE(test, ctx->lowio.flags & LOWIO_CONTEXT_FLAG_SYNCCALL);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	rx_dereference_context(ctx);
}

static void sync_pending_wakes_waiter(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);

	fake.mode = FAKE_PENDING_WQ;
	fake.status = 0;
	fake.information = 4096;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), 0);
	KUNIT_EXPECT_EQ(test, ctx->information, 4096);
	/* synchronous: completion only wakes the waiter */
	KUNIT_EXPECT_EQ(test, fake.completion_ret, RX_STATUS_MORE_PROCESSING);
	flush_delayed_work(&fake.work);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	rx_dereference_context(ctx);
}

static void sync_tail_runs_routine(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);

	reset_routine();
	ctx->lowio.completion = test_routine;
	fake.mode = FAKE_PENDING_WQ;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), 42);
	KUNIT_EXPECT_EQ(test, routine.calls, 1);
	/* the submitter ran the tail itself, in its own context */
	KUNIT_EXPECT_EQ(test, (int)routine.level, (int)RX_LEVEL_PASSIVE);
	KUNIT_EXPECT_FALSE(test, routine.in_worker);
	flush_delayed_work(&fake.work);
	rx_dereference_context(ctx);
}

static void async_passive_runs_inline(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, false);

	reset_routine();
	ctx->lowio.completion = test_routine;
	fake.mode = FAKE_PENDING_NEVER;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), RX_STATUS_PENDING);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 2);
	/* complete from process context: the routine runs here */
	KUNIT_EXPECT_EQ(test, rx_lowio_completion(ctx), 42);
	KUNIT_EXPECT_EQ(test, routine.calls, 1);
	KUNIT_EXPECT_FALSE(test, routine.in_worker);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	rx_dereference_context(ctx);
}

static void async_dispatch_is_posted(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, false);
	int ret;

	reset_routine();
	ctx->lowio.completion = test_routine;
	fake.mode = FAKE_PENDING_NEVER;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), RX_STATUS_PENDING);
	local_bh_disable();
	KUNIT_EXPECT_EQ(test, (int)rx_current_level(), (int)RX_LEVEL_DISPATCH);
	ret = rx_lowio_completion(ctx);
	KUNIT_EXPECT_EQ(test, routine.calls, 0);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, ret, RX_STATUS_MORE_PROCESSING);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&routine.done, 5 * HZ),
			0UL);
	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, routine.calls, 1);
	KUNIT_EXPECT_EQ(test, (int)routine.level, (int)RX_LEVEL_PASSIVE);
	KUNIT_EXPECT_TRUE(test, routine.in_worker);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	rx_dereference_context(ctx);
}

static void async_dispatch_allowed_runs_inline(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, false);
	int ret;

	reset_routine();
	ctx->lowio.completion = test_routine;
	ctx->lowio.flags = LOWIO_CONTEXT_FLAG_CAN_COMPLETE_AT_DISPATCH;
	fake.mode = FAKE_PENDING_NEVER;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), RX_STATUS_PENDING);
	local_bh_disable();
	ret = rx_lowio_completion(ctx);
	local_bh_enable();
	KUNIT_EXPECT_EQ(test, ret, 42);
	KUNIT_EXPECT_EQ(test, routine.calls, 1);
	KUNIT_EXPECT_EQ(test, (int)routine.level, (int)RX_LEVEL_DISPATCH);
	rx_dereference_context(ctx);
}

struct killer_arg {
	struct rx_context *ctx;
	int ret;
	struct completion done;
};

static int submit_thread(void *data)
{
	struct killer_arg *arg = data;

	allow_signal(SIGKILL);
	arg->ret = rx_lowio_submit(arg->ctx);
	complete(&arg->done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}

static void sync_killed_waiter_cancels(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);
	struct killer_arg arg = { .ctx = ctx };
	struct task_struct *t;

	fake.mode = FAKE_PENDING_NEVER;
	init_completion(&arg.done);
	t = kthread_run(submit_thread, &arg, "rx_lowio_kill");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&fake.submitted, 5 * HZ),
			0UL);
	send_sig(SIGKILL, t, 1);
	KUNIT_ASSERT_GT(test, wait_for_completion_timeout(&arg.done, 5 * HZ),
			0UL);
	kthread_stop(t);
	put_task_struct(t);
	KUNIT_EXPECT_EQ(test, arg.ret, -EINTR);
	KUNIT_EXPECT_EQ(test, fake.cancels, 1);
	KUNIT_EXPECT_TRUE(test, rx_context_cancelled(ctx));
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	/* a cancelled context refuses further calls down */
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), -ECANCELED);
	rx_dereference_context(ctx);
}

/* A kill arriving while the completion is being delivered: one wins. */
static void completion_races_cancel(struct kunit *test)
{
	int i, completed = 0, cancelled = 0;

	fake.mode = FAKE_PENDING_RACE;
	fake.status = 0;
	fake.information = 512;
	for (i = 0; i < 40; i++) {
		struct rx_context *ctx = new_read_ctx(test, true);
		struct killer_arg arg = { .ctx = ctx };
		struct task_struct *t;

		fake.done = false;
		fake.deliveries = 0;
		fake.race_delay = i % 3 ? 0 : 1;
		fake.cancels = 0;
		reinit_completion(&fake.submitted);
		init_completion(&arg.done);
		t = kthread_run(submit_thread, &arg, "rx_lowio_race");
		KUNIT_ASSERT_FALSE(test, IS_ERR(t));
		get_task_struct(t);
		KUNIT_ASSERT_GT(test,
				wait_for_completion_timeout(&fake.submitted, 5 * HZ),
				0UL);
		if (i & 1)
			udelay(i * 5);
		send_sig(SIGKILL, t, 1);
		KUNIT_ASSERT_GT(test,
				wait_for_completion_timeout(&arg.done, 5 * HZ), 0UL);
		kthread_stop(t);
		put_task_struct(t);
		flush_delayed_work(&fake.work);
		KUNIT_EXPECT_EQ(test, fake.deliveries, 1);
		KUNIT_EXPECT_TRUE(test, arg.ret == 0 || arg.ret == -EINTR);
		if (arg.ret == 0)
			completed++;
		else
			cancelled++;
		KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
		rx_dereference_context(ctx);
	}
	kunit_info(test, "%d completed, %d cancelled", completed, cancelled);
	/* with a jiffy's delay the kill comes first at least sometimes */
	KUNIT_EXPECT_GT(test, cancelled, 0);
}

static void submit_without_handler(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);

	ctx->lowio.operation = LOWIO_OP_FSCTL;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), -EOPNOTSUPP);
	ctx->lowio.operation = LOWIO_OP_MAXIMUM;
	KUNIT_EXPECT_EQ(test, rx_lowio_submit(ctx), -EOPNOTSUPP);
	rx_dereference_context(ctx);
}

static void scratch_zeroed_before_call_down(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);

	ctx->mrx_context[0] = ctx;
	ctx->mrx_context[3] = ctx;
	fake.mode = FAKE_NOW;
	rx_lowio_submit(ctx);
	KUNIT_EXPECT_NULL(test, ctx->mrx_context[0]);
	KUNIT_EXPECT_NULL(test, ctx->mrx_context[3]);
	rx_dereference_context(ctx);
}

static void buffer_address(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);
	struct page *page = alloc_page(GFP_KERNEL);
	char buf[64];
	struct kvec kv = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct bio_vec bv;

	KUNIT_ASSERT_NOT_NULL(test, page);
	/* zero count: NULL whatever the buffer */
	iov_iter_kvec(&ctx->lowio.params.rw.iter, ITER_DEST, &kv, 1, sizeof(buf));
	ctx->lowio.params.rw.count = 0;
	KUNIT_EXPECT_NULL(test, rx_lowio_get_buffer_address(ctx));
	/* kernel buffer */
	ctx->lowio.params.rw.count = sizeof(buf);
	KUNIT_EXPECT_PTR_EQ(test, rx_lowio_get_buffer_address(ctx), (void *)buf);
	/* page-backed, at an offset */
	bv.bv_page = page;
	bv.bv_offset = 128;
	bv.bv_len = 256;
	iov_iter_bvec(&ctx->lowio.params.rw.iter, ITER_DEST, &bv, 1, 256);
	ctx->lowio.params.rw.count = 256;
	KUNIT_EXPECT_PTR_EQ(test, rx_lowio_get_buffer_address(ctx),
			    page_address(page) + 128);
	__free_page(page);
	rx_dereference_context(ctx);
}

/* A multi-page folio, part-consumed: the address follows the iterator. */
static void buffer_address_folio(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, true);
	struct iov_iter *iter = &ctx->lowio.params.rw.iter;
	struct folio *folio = folio_alloc(GFP_KERNEL, 2);
	struct bio_vec bv;

	KUNIT_ASSERT_NOT_NULL(test, folio);
	bv.bv_page = folio_page(folio, 0);
	bv.bv_offset = 0;
	bv.bv_len = folio_size(folio);
	iov_iter_bvec(iter, ITER_DEST, &bv, 1, folio_size(folio));
	iov_iter_advance(iter, 5000);
	ctx->lowio.params.rw.count = iov_iter_count(iter);
	KUNIT_EXPECT_PTR_EQ(test, rx_lowio_get_buffer_address(ctx),
			    folio_address(folio) + 5000);
	/* user memory has no kernel address until it is pinned */
	iov_iter_ubuf(iter, ITER_DEST, (void __user *)PAGE_SIZE, 100);
	ctx->lowio.params.rw.count = 100;
	KUNIT_EXPECT_NULL(test, rx_lowio_get_buffer_address(ctx));
	folio_put(folio);
	rx_dereference_context(ctx);
}

/*
 * rx_new_map_user_buffer() on three pages of a user mapping, 100 bytes in:
 * the bvec describes them, the buffer address is the first pinned page's
 * (the same memory the user address shows), and unmapping releases them.
 * It needs an mm of its own for the test thread (kunit_attach_mm() in
 * later kernels), which a module cannot make on every kernel: built-in
 * (UML) runs only.
 */
static void user_buffer_map(struct kunit *test)
{
#ifdef MODULE
	kunit_skip(test, "needs a built-in KUnit (an mm for the test thread)");
#else
	const size_t len = 3 * PAGE_SIZE - 200;
	struct rx_context *ctx = new_read_ctx(test, true);
	struct lowio_context *lowio = &ctx->lowio;
	struct mm_struct *mm = mm_alloc();
	struct iov_iter user;
	unsigned long addr;
	struct page **pages;
	size_t total = 0;
	unsigned int i;
	char *kaddr, c;

	KUNIT_ASSERT_NOT_NULL(test, mm);
	mm->task_size = TASK_SIZE;
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	kthread_use_mm(mm);
	addr = vm_mmap(NULL, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_LT(test, addr, TASK_SIZE);
	KUNIT_ASSERT_EQ(test, clear_user((void __user *)addr, 3 * PAGE_SIZE),
			0UL);

	/* nothing to map */
	iov_iter_ubuf(&user, ITER_DEST, (void __user *)addr + 100, len);
	KUNIT_EXPECT_NULL(test, rx_new_map_user_buffer(ctx, &user, 0));
	KUNIT_EXPECT_NULL(test, lowio->params.rw.pages);

	pages = rx_new_map_user_buffer(ctx, &user, len);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	KUNIT_EXPECT_PTR_EQ(test, lowio->params.rw.pages, pages);
	KUNIT_EXPECT_EQ(test, lowio->params.rw.npages, 3U);
	KUNIT_EXPECT_EQ(test, lowio->params.rw.count, len);
	KUNIT_EXPECT_EQ(test, iov_iter_count(&user), (size_t)0);
	KUNIT_EXPECT_TRUE(test, iov_iter_is_bvec(&lowio->params.rw.iter));
	KUNIT_EXPECT_EQ(test, lowio->params.rw.bvec[0].bv_offset, 100U);
	for (i = 0; i < lowio->params.rw.npages; i++)
		total += lowio->params.rw.bvec[i].bv_len;
	KUNIT_EXPECT_EQ(test, total, len);
	kaddr = rx_lowio_get_buffer_address(ctx);
	KUNIT_EXPECT_PTR_EQ(test, (void *)kaddr, page_address(pages[0]) + 100);
	/* what the "server" writes there, the user sees */
	if (kaddr)
		*kaddr = 'x';
	KUNIT_EXPECT_EQ(test, get_user(c, (char __user *)addr + 100), 0);
	KUNIT_EXPECT_EQ(test, c, 'x');
	rx_unmap_user_buffer(ctx);
	KUNIT_EXPECT_NULL(test, lowio->params.rw.pages);
	KUNIT_EXPECT_EQ(test, lowio->params.rw.npages, 0U);

	/* an address with nothing mapped: NULL, nothing left pinned */
	vm_munmap(addr, 3 * PAGE_SIZE);
	iov_iter_ubuf(&user, ITER_DEST, (void __user *)addr, PAGE_SIZE);
	KUNIT_EXPECT_NULL(test, rx_new_map_user_buffer(ctx, &user, PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, lowio->params.rw.pages);
	kthread_unuse_mm(mm);
	mmput(mm);
	rx_dereference_context(ctx);
#endif
}

static void context_references(struct kunit *test)
{
	struct rx_context *ctx = new_read_ctx(test, false);

	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	rx_reference_context(ctx);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 2);
	rx_dereference_context(ctx);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->ref), 1);
	KUNIT_EXPECT_PTR_EQ(test, ctx->original_thread, current);
	rx_dereference_context(ctx);
}

static atomic_t dispatched;

static void count_routine(void *arg)
{
	atomic_inc(&dispatched);
}

static void dispatch_to_worker(struct kunit *test)
{
	int i;

	atomic_set(&dispatched, 0);
	for (i = 0; i < 16; i++)
		KUNIT_EXPECT_EQ(test, rx_dispatch_to_worker(count_routine, NULL,
							    GFP_KERNEL), 0);
	rx_flush_workers();
	KUNIT_EXPECT_EQ(test, atomic_read(&dispatched), 16);
	KUNIT_EXPECT_EQ(test, (int)rx_current_level(), (int)RX_LEVEL_PASSIVE);
}

static struct kunit_case lowio_cases[] = {
	KUNIT_CASE(sync_completes_in_submit),
	KUNIT_CASE(sync_pending_wakes_waiter),
	KUNIT_CASE(sync_tail_runs_routine),
	KUNIT_CASE(async_passive_runs_inline),
	KUNIT_CASE(async_dispatch_is_posted),
	KUNIT_CASE(async_dispatch_allowed_runs_inline),
	KUNIT_CASE(sync_killed_waiter_cancels),
	KUNIT_CASE(completion_races_cancel),
	KUNIT_CASE(submit_without_handler),
	KUNIT_CASE(scratch_zeroed_before_call_down),
	KUNIT_CASE(buffer_address),
	KUNIT_CASE(buffer_address_folio),
	KUNIT_CASE(user_buffer_map),
	KUNIT_CASE(context_references),
	KUNIT_CASE(dispatch_to_worker),
	{}
};

static struct kunit_suite lowio_suite = {
	.name = "rdbss_lowio",
	.init = lowio_test_init,
	.exit = lowio_test_exit,
	.test_cases = lowio_cases,
};

kunit_test_suite(lowio_suite);
MODULE_LICENSE("GPL");
