// SPDX-License-Identifier: GPL-2.0
/*
 * The low I/O routines: RxLowIoSubmit, RxLowIoCompletion and the
 * completion tail, RxLowIoGetBufferAddress.
 */
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include "internal.h"
#include "trace.h"

/*
 * The completion tail (RxLowIoCompletionTail): run the completion routine,
 * if any, and return its status; without one the stored status stands.
 */
static int rx_lowio_completion_tail(struct rx_context *ctx)
{
	rx_stats_lowio(ctx);
	if (ctx->lowio.completion)
		return ctx->lowio.completion(ctx);
	return ctx->stored_status;
}

static void rx_lowio_posted_completion(struct rx_context *ctx)
{
	rx_lowio_completion_tail(ctx);
	rx_dereference_context(ctx);
}

/**
 * rx_lowio_completion - a mini-redirector finished a pending low I/O
 * @ctx: the context whose lowio_submit[] returned RX_STATUS_PENDING;
 *       ctx->stored_status and ctx->information hold the result
 *
 * Synchronous context (RX_CONTEXT_WAIT): wake the submitter, which runs the
 * completion tail itself, and return RX_STATUS_MORE_PROCESSING.
 *
 * Asynchronous context: at PASSIVE level, or when the low I/O allows
 * completion at DISPATCH (LOWIO_CONTEXT_FLAG_CAN_COMPLETE_AT_DISPATCH), run
 * the completion routine here and return its status.  Otherwise post it to
 * the PASSIVE worker and return RX_STATUS_MORE_PROCESSING.
 *
 * Callable from any context, including softirq.  Consumes the reference
 * that rx_lowio_submit() took for the operation.
 */
int rx_lowio_completion(struct rx_context *ctx)
{
	enum rx_level level = rx_current_level();
	int status;

	set_bit(RX_CONTEXT_COMPLETED, &ctx->flags);
	if (test_bit(RX_CONTEXT_WAIT, &ctx->flags)) {
		trace_rdbss_lowio_complete(ctx, level, RX_TRACE_WOKE);
		complete(&ctx->sync_event);
		rx_dereference_context(ctx);
		return RX_STATUS_MORE_PROCESSING;
	}
	if (level == RX_LEVEL_PASSIVE) {
		trace_rdbss_lowio_complete(ctx, level, RX_TRACE_INLINE);
		status = rx_lowio_completion_tail(ctx);
		rx_dereference_context(ctx);
		return status;
	}
	if (ctx->lowio.flags & LOWIO_CONTEXT_FLAG_CAN_COMPLETE_AT_DISPATCH) {
		trace_rdbss_lowio_complete(ctx, level, RX_TRACE_INLINE);
		rx_stats_ctx_event(ctx, RX_EV_COMPLETE_DISPATCH);
		status = rx_lowio_completion_tail(ctx);
		rx_dereference_context(ctx);
		return status;
	}
	trace_rdbss_lowio_complete(ctx, level, RX_TRACE_POSTED);
	rx_stats_ctx_event(ctx, RX_EV_COMPLETE_POSTED);
	rx_post_to_worker(ctx, rx_lowio_posted_completion);
	return RX_STATUS_MORE_PROCESSING;
}
EXPORT_SYMBOL_GPL(rx_lowio_completion);

/*
 * A fatal signal arrived while waiting: ask the mini-redirector to cancel
 * and wait for the completion it then owes us.  The wait is bounded by the
 * mini-redirector's cancel contract: after mrx_cancel returns, completion
 * follows without waiting on the server.
 */
static void rx_lowio_cancel_and_wait(struct rx_context *ctx)
{
	set_bit(RX_CONTEXT_CANCELLED, &ctx->flags);
	trace_rdbss_cancel(ctx);
	if (ctx->mrx_cancel)
		ctx->mrx_cancel(ctx);
	wait_for_completion(&ctx->sync_event);
}

/**
 * rx_lowio_submit - hand a low I/O operation to the mini-redirector
 * @ctx: the context, with ctx->lowio filled in
 *
 * Dispatches to the mini-redirector's lowio_submit[op].  A synchronous
 * context (RX_CONTEXT_WAIT) waits killably (interruptibly with
 * RX_CONTEXT_INTERRUPTIBLE) for the completion and runs
 * the completion tail itself (LOWIO_CONTEXT_FLAG_SYNCCALL); it returns the
 * final status.  An asynchronous one returns RX_STATUS_PENDING when the
 * operation goes on, and the completion routine runs from
 * rx_lowio_completion().  A mini-redirector that finishes at once returns
 * the final status from lowio_submit[]; the tail then runs here.  Either
 * way the completion routine runs exactly once per submit, also when the
 * operation is refused before reaching the mini-redirector.
 *
 * PASSIVE level only.
 */
int rx_lowio_submit(struct rx_context *ctx)
{
	const struct rx_minirdr_ops *ops = ctx->minirdr->ops;
	struct lowio_context *lowio = &ctx->lowio;
	bool sync = test_bit(RX_CONTEXT_WAIT, &ctx->flags);
	int status;

	rx_assert_passive();
	status = 0;
	if (lowio->operation >= LOWIO_OP_MAXIMUM ||
	    !ops->lowio_submit[lowio->operation])
		status = -EOPNOTSUPP;
	else if (rx_context_cancelled(ctx))
		status = -ECANCELED;
	if (status) {
		/* the completion routine runs once per submit, even now */
		ctx->start_ns = 0;
		ctx->stored_status = status;
		ctx->information = 0;
		return rx_lowio_completion_tail(ctx);
	}

	if (sync) {
		lowio->flags |= LOWIO_CONTEXT_FLAG_SYNCCALL;
		reinit_completion(&ctx->sync_event);
	}
	clear_bit(RX_CONTEXT_COMPLETED, &ctx->flags);
	ctx->stored_status = 0;
	ctx->information = 0;
	rx_prepare_call_down(ctx);

	/* The operation's own reference, dropped by rx_lowio_completion(). */
	rx_reference_context(ctx);
	trace_rdbss_lowio_submit(ctx);
	status = ops->lowio_submit[lowio->operation](ctx);
	if (status != RX_STATUS_PENDING) {
		rx_dereference_context(ctx);
		ctx->stored_status = status;
		return rx_lowio_completion_tail(ctx);
	}
	if (!sync)
		return RX_STATUS_PENDING;

	if (test_bit(RX_CONTEXT_INTERRUPTIBLE, &ctx->flags) ?
	    wait_for_completion_interruptible(&ctx->sync_event) :
	    wait_for_completion_killable(&ctx->sync_event))
		rx_lowio_cancel_and_wait(ctx);
	return rx_lowio_completion_tail(ctx);
}
EXPORT_SYMBOL_GPL(rx_lowio_submit);

/**
 * rx_lowio_get_buffer_address - a CPU address for the low I/O buffer
 * @ctx: a READ or WRITE context
 *
 * NULL when the byte count is 0 (RxLowIoGetBufferAddress).  Otherwise the
 * address of the first segment of the buffer when it is a kernel buffer
 * (kvec) or a page in the direct map (bvec); NULL when the buffer cannot
 * be reached as one address (user memory, highmem).  Transports should
 * use the iov_iter in ctx->lowio.params.rw.iter directly: it describes the
 * whole buffer, including folio sets, without mapping.  Any context.
 */
void *rx_lowio_get_buffer_address(struct rx_context *ctx)
{
	struct iov_iter *iter = &ctx->lowio.params.rw.iter;

	if (!ctx->lowio.params.rw.count)
		return NULL;
	if (iov_iter_is_kvec(iter))
		return iter->kvec->iov_base + iter->iov_offset;
	if (iov_iter_is_bvec(iter) && !PageHighMem(iter->bvec->bv_page))
		return page_address(iter->bvec->bv_page) +
		       iter->bvec->bv_offset + iter->iov_offset;
	return NULL;
}
EXPORT_SYMBOL_GPL(rx_lowio_get_buffer_address);

/**
 * rx_map_system_buffer - the kernel copy of an FSCTL/IOCTL argument
 * @ctx: an RX_MJ_FILE_SYSTEM_CONTROL or RX_MJ_DEVICE_CONTROL context
 *
 * RxMapSystemBuffer: the buffer the framework copied the caller's input
 * into and copies the output back from (METHOD_BUFFERED), of
 * ctx->system_buffer_len bytes, or NULL when the request has none.  Any
 * context.
 */
void *rx_map_system_buffer(struct rx_context *ctx)
{
	return ctx->system_buffer;
}
EXPORT_SYMBOL_GPL(rx_map_system_buffer);

#define RX_PIN_BATCH 64

/**
 * rx_new_map_user_buffer - pin the user pages of a direct I/O request
 * @ctx: a READ or WRITE context
 * @user: the caller's (user-backed) iterator; advanced by @count
 * @count: bytes to map
 *
 * RxNewMapUserBuffer: pins (or references, on kernels without
 * iov_iter_extract_pages()) the pages under @user and points
 * ctx->lowio.params.rw.iter at them as a bvec iterator, which any context
 * may then fill or drain.  Returns the page array, or NULL on failure
 * (-ENOMEM or -EFAULT for the caller; nothing stays pinned).  Release with
 * rx_unmap_user_buffer() once the operation has completed.  PASSIVE.
 */
struct page **rx_new_map_user_buffer(struct rx_context *ctx,
				     struct iov_iter *user, size_t count)
{
	struct lowio_context *lowio = &ctx->lowio;
	unsigned int maxpages, n = 0, i;
	struct page **pages;
	struct bio_vec *bv;
	size_t done = 0;
	bool pinned = false;

	if (!count)
		return NULL;
	maxpages = iov_iter_npages(user, INT_MAX);
	pages = kvmalloc_array(maxpages, sizeof(*pages), GFP_KERNEL);
	bv = kvmalloc_array(maxpages, sizeof(*bv), GFP_KERNEL);
	if (!pages || !bv)
		goto fail;

	while (done < count && n < maxpages) {
		size_t off, len;
		ssize_t got;
		unsigned int k;

		got = rx_iter_get_pages(user, pages + n, count - done,
					min_t(unsigned int, maxpages - n,
					      RX_PIN_BATCH), &off, &pinned);
		if (got <= 0)
			break;
		k = DIV_ROUND_UP(off + got, PAGE_SIZE);
		for (i = 0; i < k; i++) {
			len = min_t(size_t, got, PAGE_SIZE - off);
			bv[n + i].bv_page = pages[n + i];
			bv[n + i].bv_offset = off;
			bv[n + i].bv_len = len;
			got -= len;
			done += len;
			off = 0;
		}
		n += k;
	}
	if (!done)
		goto fail;

	lowio->params.rw.pages = pages;
	lowio->params.rw.npages = n;
	lowio->params.rw.bvec = bv;
	lowio->params.rw.pinned = pinned;
	lowio->params.rw.count = done;
	iov_iter_bvec(&lowio->params.rw.iter, iov_iter_rw(user), bv, n, done);
	return pages;

fail:
	kvfree(pages);
	kvfree(bv);
	return NULL;
}
EXPORT_SYMBOL_GPL(rx_new_map_user_buffer);

/**
 * rx_unmap_user_buffer - release what rx_new_map_user_buffer() pinned
 * @ctx: the context
 *
 * Pages a READ filled are marked dirty.  PASSIVE.
 */
void rx_unmap_user_buffer(struct rx_context *ctx)
{
	struct lowio_context *lowio = &ctx->lowio;

	if (!lowio->params.rw.pages)
		return;
	rx_release_pages(lowio->params.rw.pages, lowio->params.rw.npages,
			 lowio->params.rw.pinned,
			 lowio->operation == LOWIO_OP_READ);
	kvfree(lowio->params.rw.pages);
	kvfree(lowio->params.rw.bvec);
	lowio->params.rw.pages = NULL;
	lowio->params.rw.bvec = NULL;
	lowio->params.rw.npages = 0;
}
EXPORT_SYMBOL_GPL(rx_unmap_user_buffer);
