/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execution levels and workers.
 *
 *   PASSIVE   process context, a framework workqueue: may sleep
 *   DISPATCH  softirq or any atomic section: must not sleep
 *
 * rx_post_to_worker() (RxPostToWorkerThread) uses the work item inside the
 * rx_context and cannot fail; rx_post_to_dispatch() runs a routine in
 * softirq context (a BH workqueue, or a tasklet on kernels without one)
 * with the context's own DISPATCH item; rx_dispatch_to_worker()
 * (RxDispatchToWorkerThread) allocates one and can fail with -ENOMEM.
 *
 * Order: DISPATCH items posted on one CPU run on it in posting order.
 * PASSIVE items run concurrently, as on RDBSS's worker threads, in no
 * promised order; a caller that needs one posts the next item from the
 * routine of the previous.
 */
#ifndef _RDBSS_WORKER_H
#define _RDBSS_WORKER_H

#include <linux/types.h>
#include <linux/bug.h>

struct rx_context;

enum rx_level {
	RX_LEVEL_PASSIVE,
	RX_LEVEL_DISPATCH,
};

enum rx_level rx_current_level(void);

#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
#define rx_assert_passive() WARN_ON_ONCE(rx_current_level() != RX_LEVEL_PASSIVE)
#else
#define rx_assert_passive() do { } while (0)
#endif

void rx_post_to_worker(struct rx_context *ctx,
		       void (*routine)(struct rx_context *ctx));
void rx_post_to_dispatch(struct rx_context *ctx,
			 void (*routine)(struct rx_context *ctx));
int rx_dispatch_to_worker(void (*routine)(void *arg), void *arg, gfp_t gfp);
void rx_flush_workers(void);

#endif /* _RDBSS_WORKER_H */
