// SPDX-License-Identifier: GPL-2.0
/*
 * rx_context allocation and reference counting (RxCreateRxContext,
 * RxReferenceRxContext, RxDereferenceRxContext).
 */
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include "internal.h"
#include "trace.h"

static struct kmem_cache *rx_context_cache;
/* debug_id: like netfs's request ids, unique enough to follow one request */
static atomic_t rx_debug_ids;

/**
 * rx_next_debug_id - a new id for tracepoints and debugfs
 *
 * One sequence for contexts, srv_opens and a mini-redirector's objects
 * (mrx9p's connections), so that an id names one thing in a trace:
 * hashed pointers read (____ptrval____) until the hashing key is ready.
 */
unsigned int rx_next_debug_id(void)
{
	return atomic_inc_return(&rx_debug_ids);
}
EXPORT_SYMBOL_GPL(rx_next_debug_id);

/**
 * rx_create_context - allocate a request context
 * @minirdr: the mini-redirector that will serve the request
 * @major: RX_MJ_* code
 * @minor: minor code for @major
 * @gfp: allocation flags (GFP_NOFS on paths reachable from reclaim)
 *
 * Returns a context holding one reference, or NULL.  Any context.
 */
struct rx_context *rx_create_context(const struct rx_minirdr *minirdr,
				     u8 major, u8 minor, gfp_t gfp)
{
	struct rx_context *ctx;

	ctx = kmem_cache_zalloc(rx_context_cache, gfp);
	if (!ctx)
		return NULL;
	refcount_set(&ctx->ref, 1);
	ctx->minirdr = minirdr;
	ctx->major = major;
	ctx->minor = minor;
	ctx->debug_id = rx_next_debug_id();
	ctx->original_thread = current;
	init_completion(&ctx->sync_event);
	rx_debug_context_add(ctx);
	trace_rdbss_context_create(ctx);
	return ctx;
}
EXPORT_SYMBOL_GPL(rx_create_context);

/**
 * rx_create_file_context - a context for a request on an open file
 * @file: the file; its FOBX names the srv_open and the user's view
 * @major: RX_MJ_* code
 * @minor: minor code
 * @gfp: allocation flags
 *
 * Returns a context with fcb, fobx, srv_open and v_net_root set, or NULL.
 */
struct rx_context *rx_create_file_context(struct file *file, u8 major,
					  u8 minor, gfp_t gfp)
{
	struct inode *inode = file_inode(file);
	struct rx_fobx *fobx = file->private_data;
	struct rx_context *ctx;

	ctx = rx_create_context(rx_sb_minirdr(inode->i_sb), major, minor, gfp);
	if (!ctx)
		return NULL;
	ctx->fcb = rx_inode_fcb(inode);
	ctx->fobx = fobx;
	ctx->srv_open = fobx->srv_open;
	ctx->v_net_root = fobx->srv_open->v_net_root;
	return ctx;
}

/**
 * rx_reference_context - take a reference on a context.  Any context.
 * @ctx: the context
 */
void rx_reference_context(struct rx_context *ctx)
{
	refcount_inc(&ctx->ref);
}
EXPORT_SYMBOL_GPL(rx_reference_context);

/**
 * rx_dereference_context - drop a reference; the last one frees the context.
 * @ctx: the context
 *
 * Any context.  Resources a context owns (pinned pages, system buffers)
 * are released by the code that set them up before its last reference.
 */
void rx_dereference_context(struct rx_context *ctx)
{
	if (refcount_dec_and_test(&ctx->ref)) {
		trace_rdbss_context_free(ctx);
		rx_debug_context_del(ctx);
		kmem_cache_free(rx_context_cache, ctx);
	}
}
EXPORT_SYMBOL_GPL(rx_dereference_context);

/**
 * rx_prepare_call_down - reset the mini-redirector scratch before a call down
 * @ctx: the context
 */
void rx_prepare_call_down(struct rx_context *ctx)
{
	memset(ctx->mrx_context, 0, sizeof(ctx->mrx_context));
	ctx->mrx_cancel = NULL;
	ctx->start_ns = rx_stats_enabled() ? ktime_get_ns() : 0;
	trace_rdbss_call_down(ctx);
}
EXPORT_SYMBOL_GPL(rx_prepare_call_down);

int rx_context_init(void)
{
	rx_context_cache = kmem_cache_create("rx_context",
					     sizeof(struct rx_context), 0,
					     SLAB_HWCACHE_ALIGN, NULL);
	return rx_context_cache ? 0 : -ENOMEM;
}

void rx_context_exit(void)
{
	kmem_cache_destroy(rx_context_cache);
}
