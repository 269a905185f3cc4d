// SPDX-License-Identifier: GPL-2.0
/*
 * Workers: the PASSIVE level is a workqueue.  It is WQ_MEM_RECLAIM because
 * writeback completions run on it and reclaim may wait for writeback.
 */
#include <linux/hardirq.h>
#include <linux/irqflags.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "internal.h"
#include "trace.h"

static struct workqueue_struct *rx_passive_wq;

/**
 * rx_current_level - the RDBSS execution level of the caller
 *
 * DISPATCH in hard or soft interrupt context, with bottom halves or
 * interrupts disabled; PASSIVE otherwise.  Any context.
 */
enum rx_level rx_current_level(void)
{
	if (in_interrupt() || irqs_disabled())
		return RX_LEVEL_DISPATCH;
	return RX_LEVEL_PASSIVE;
}
EXPORT_SYMBOL_GPL(rx_current_level);

static void rx_posted_work(struct work_struct *work)
{
	struct rx_context *ctx = container_of(work, struct rx_context,
					      work_item);

	set_bit(RX_CONTEXT_IN_FSP, &ctx->flags);
	ctx->post_routine(ctx);
}

/**
 * rx_post_to_worker - run @routine on the PASSIVE worker with @ctx's item
 * @ctx: the context; its work item must be idle
 * @routine: what to run
 *
 * Cannot fail.  Any context.  The caller's reference on @ctx passes to
 * @routine.
 */
void rx_post_to_worker(struct rx_context *ctx,
		       void (*routine)(struct rx_context *ctx))
{
	trace_rdbss_post(ctx);
	ctx->post_routine = routine;
	INIT_WORK(&ctx->work_item, rx_posted_work);
	queue_work(rx_passive_wq, &ctx->work_item);
}
EXPORT_SYMBOL_GPL(rx_post_to_worker);

#ifdef RX_HAVE_BH_WORKQUEUE
static void rx_dispatch_work(struct work_struct *work)
{
	struct rx_context *ctx = container_of(work, struct rx_context,
					      dispatch_item.work);

	ctx->dispatch_routine(ctx);
}
#else
static LLIST_HEAD(rx_dispatch_list);

static void rx_dispatch_tasklet(struct tasklet_struct *t)
{
	struct llist_node *list = llist_reverse_order(llist_del_all(&rx_dispatch_list));
	struct rx_context *ctx, *next;

	llist_for_each_entry_safe(ctx, next, list, dispatch_item.node)
		ctx->dispatch_routine(ctx);
}

static DECLARE_TASKLET(rx_dispatch_tasklet_struct, rx_dispatch_tasklet);
#endif

/**
 * rx_post_to_dispatch - run @routine at DISPATCH level (softirq)
 * @ctx: the context; its DISPATCH item must be idle
 * @routine: what to run; it must not sleep
 *
 * Cannot fail.  Any context.  The caller's reference on @ctx passes to
 * @routine.  Used by mini-redirectors (and tests) whose completions come
 * from softirq.
 */
void rx_post_to_dispatch(struct rx_context *ctx,
			 void (*routine)(struct rx_context *ctx))
{
	ctx->dispatch_routine = routine;
#ifdef RX_HAVE_BH_WORKQUEUE
	INIT_WORK(&ctx->dispatch_item.work, rx_dispatch_work);
	queue_work(system_bh_wq, &ctx->dispatch_item.work);
#else
	if (llist_add(&ctx->dispatch_item.node, &rx_dispatch_list))
		tasklet_schedule(&rx_dispatch_tasklet_struct);
#endif
}
EXPORT_SYMBOL_GPL(rx_post_to_dispatch);

struct rx_alloc_item {
	struct work_struct work;
	void (*routine)(void *arg);
	void *arg;
};

static void rx_dispatched_work(struct work_struct *work)
{
	struct rx_alloc_item *item = container_of(work, struct rx_alloc_item,
						  work);

	item->routine(item->arg);
	kfree(item);
}

#if IS_ENABLED(CONFIG_RDBSS_KUNIT_TEST)
/* KUnit: make the next N allocations of rx_dispatch_to_worker() fail */
int rx_test_fail_dispatch_alloc;
#endif

/**
 * rx_dispatch_to_worker - run @routine(@arg) on the PASSIVE worker
 * @routine: what to run
 * @arg: its argument
 * @gfp: GFP_ATOMIC at DISPATCH level
 *
 * Returns 0, or -ENOMEM when no work item could be allocated (then
 * @routine will not run).
 */
int rx_dispatch_to_worker(void (*routine)(void *arg), void *arg, gfp_t gfp)
{
	struct rx_alloc_item *item;

#if IS_ENABLED(CONFIG_RDBSS_KUNIT_TEST)
	if (rx_test_fail_dispatch_alloc > 0) {
		rx_test_fail_dispatch_alloc--;
		return -ENOMEM;
	}
#endif
	item = kmalloc(sizeof(*item), gfp);
	if (!item)
		return -ENOMEM;
	item->routine = routine;
	item->arg = arg;
	INIT_WORK(&item->work, rx_dispatched_work);
	queue_work(rx_passive_wq, &item->work);
	return 0;
}
EXPORT_SYMBOL_GPL(rx_dispatch_to_worker);

/**
 * rx_flush_workers - wait until everything posted so far has run
 *
 * PASSIVE only.
 */
void rx_flush_workers(void)
{
	flush_workqueue(rx_passive_wq);
}
EXPORT_SYMBOL_GPL(rx_flush_workers);

int rx_worker_init(void)
{
	rx_passive_wq = alloc_workqueue("rdbss_passive",
					WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	return rx_passive_wq ? 0 : -ENOMEM;
}

void rx_worker_exit(void)
{
#ifndef RX_HAVE_BH_WORKQUEUE
	tasklet_kill(&rx_dispatch_tasklet_struct);
#endif
	destroy_workqueue(rx_passive_wq);
}

/* Queue a framework-owned work item on the PASSIVE workqueue. */
void rx_queue_passive(struct work_struct *work)
{
	queue_work(rx_passive_wq, work);
}

/*
 * Queue a framework-owned delayed work item on the PASSIVE workqueue;
 * @now moves one already queued to run after @delay instead.
 */
void rx_queue_passive_delayed(struct delayed_work *dw, unsigned long delay,
			      bool now)
{
	if (now)
		mod_delayed_work(rx_passive_wq, dw, delay);
	else
		queue_delayed_work(rx_passive_wq, dw, delay);
}
