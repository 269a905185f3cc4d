// SPDX-License-Identifier: GPL-2.0
/*
 * Low I/O: READ and WRITE against the store, FSCTL/IOCTL for the
 * statistics, and failure injection (fail=).  The data is copied at
 * submit, through ctx->lowio.params.rw.iter, whatever the completion
 * mode: a user-backed iterator is only valid in the submitting task.
 */
#include <linux/math64.h>
#include <linux/uio.h>
#include "rxloop.h"

struct rxloop_mount *rxloop_ctx_mount(struct rx_context *ctx)
{
	struct rx_net_root *nr = NULL;

	if (ctx->v_net_root)
		nr = ctx->v_net_root->net_root;
	else if (ctx->srv_open)
		nr = ctx->srv_open->v_net_root->net_root;
	else if (ctx->fcb)
		nr = rx_fcb_net_root(ctx->fcb);
	return nr ? nr->ext : NULL;
}

struct rxloop_node *rxloop_ctx_node(struct rx_context *ctx)
{
	if (ctx->fcb && rxloop_fcb_node(ctx->fcb))
		return rxloop_fcb_node(ctx->fcb);
	if (ctx->srv_open)
		return ((struct rxloop_open *)ctx->srv_open->ext)->node;
	return NULL;
}

static int rxloop_fail_kind(enum lowio_op op)
{
	switch (op) {
	case LOWIO_OP_READ:
		return RXLOOP_FAIL_READ;
	case LOWIO_OP_WRITE:
		return RXLOOP_FAIL_WRITE;
	case LOWIO_OP_SHAREDLOCK:
	case LOWIO_OP_EXCLUSIVELOCK:
		return RXLOOP_FAIL_LOCK;
	case LOWIO_OP_UNLOCK:
		return RXLOOP_FAIL_UNLOCK;
	case LOWIO_OP_FSCTL:
	case LOWIO_OP_IOCTL:
		return RXLOOP_FAIL_IOCTL;
	default:
		return -1;
	}
}

static bool rxloop_nth(struct rxloop_mount *mnt, int kind)
{
	u32 every = mnt->opts->fail[kind], rem;

	if (!every)
		return false;
	div_u64_rem(atomic64_inc_return(&mnt->fail_seen[kind]), every, &rem);
	return !rem;
}

/*
 * Count the operation and say whether fail= wants it to fail (-EIO):
 * every Nth operation of its kind, or every Nth of all, on this mount.
 */
bool rxloop_inject(struct rxloop_mount *mnt, enum lowio_op op)
{
	int kind = rxloop_fail_kind(op);
	bool fail = false;

	if (op < RXLOOP_OP_NR)
		atomic64_inc(&mnt->ops[op]);
	if (kind >= 0)
		fail = rxloop_nth(mnt, kind);
	/* both schedules advance, whichever fires */
	if (rxloop_nth(mnt, RXLOOP_FAIL_ANY))
		fail = true;
	if (fail)
		atomic64_inc(&mnt->injected);
	return fail;
}

int rxloop_lowio_rw(struct rx_context *ctx)
{
	struct lowio_context *lowio = &ctx->lowio;
	struct rxloop_mount *mnt = rxloop_ctx_mount(ctx);
	struct rxloop_node *node = rxloop_ctx_node(ctx);
	struct iov_iter *iter = &lowio->params.rw.iter;
	bool is_read = lowio->operation == LOWIO_OP_READ;
	size_t count;
	ssize_t n;

	if (!mnt || !mnt->srv)
		return -EIO;
	if (rxloop_inject(mnt, lowio->operation))
		return rxloop_complete(ctx, mnt, -EIO, 0);
	if (!node)
		return rxloop_complete(ctx, mnt, -EBADF, 0);

	/* never more than max_io: the framework must split larger I/O */
	count = min3(lowio->params.rw.count, iov_iter_count(iter),
		     (size_t)mnt->opts->max_io);
	if (is_read)
		n = rxloop_read(node, lowio->params.rw.offset, count, iter);
	else
		n = rxloop_write(node, lowio->params.rw.offset, count, iter);
	if (n < 0)
		return rxloop_complete(ctx, mnt, n, 0);
	atomic64_add(n, is_read ? &mnt->bytes_read : &mnt->bytes_written);
	return rxloop_complete(ctx, mnt, 0, n);
}

static void rxloop_fill_stats(struct rxloop_mount *mnt, struct rxloop_stats *st)
{
	struct rxloop_server *srv = mnt->srv;
	unsigned int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < RXLOOP_OP_NR; i++)
		st->ops[i] = atomic64_read(&mnt->ops[i]);
	for (i = 0; i < RXLOOP_MODE_NR; i++)
		st->completions[i] = atomic64_read(&mnt->completions[i]);
	st->cancelled = atomic64_read(&mnt->cancelled);
	st->injected = atomic64_read(&mnt->injected);
	st->lock_waits = atomic64_read(&mnt->lock_waits);
	st->bytes_read = atomic64_read(&mnt->bytes_read);
	st->bytes_written = atomic64_read(&mnt->bytes_written);
	st->opens = atomic64_read(&mnt->opens);
	st->closes = atomic64_read(&mnt->closes);
	st->flushes = atomic64_read(&mnt->flushes);
	st->server_id = srv->id;
	/* a snapshot: the framework counts under its own lock */
	st->server_mounts = READ_ONCE(mnt->net_root->srv_call->mounts);
	st->server_used = atomic64_read(&srv->used);
	st->server_size = srv->capacity;
	st->server_nodes = atomic64_read(&srv->nr_nodes);
}

static void rxloop_reset_stats(struct rxloop_mount *mnt)
{
	unsigned int i;

	for (i = 0; i < RXLOOP_FAIL_NR; i++)
		atomic64_set(&mnt->fail_seen[i], 0);
	for (i = 0; i < RXLOOP_OP_NR; i++)
		atomic64_set(&mnt->ops[i], 0);
	for (i = 0; i < RXLOOP_MODE_NR; i++)
		atomic64_set(&mnt->completions[i], 0);
	atomic64_set(&mnt->cancelled, 0);
	atomic64_set(&mnt->injected, 0);
	atomic64_set(&mnt->lock_waits, 0);
	atomic64_set(&mnt->bytes_read, 0);
	atomic64_set(&mnt->bytes_written, 0);
	atomic64_set(&mnt->opens, 0);
	atomic64_set(&mnt->closes, 0);
	atomic64_set(&mnt->flushes, 0);
}

/* FSCTL and IOCTL: the buffers are the framework's kernel copies. */
int rxloop_lowio_ioctl(struct rx_context *ctx)
{
	struct lowio_context *lowio = &ctx->lowio;
	struct rxloop_mount *mnt = rxloop_ctx_mount(ctx);
	ssize_t info = 0;
	int status = 0;

	if (!mnt || !mnt->srv)
		return -EIO;
	if (rxloop_inject(mnt, lowio->operation))
		return rxloop_complete(ctx, mnt, -EIO, 0);

	switch (lowio->params.ioctl.code) {
	case RXLOOP_IOC_STATS:
		if (!lowio->params.ioctl.out ||
		    lowio->params.ioctl.out_len < sizeof(struct rxloop_stats)) {
			status = -EINVAL;
			break;
		}
		rxloop_fill_stats(mnt, lowio->params.ioctl.out);
		info = sizeof(struct rxloop_stats);
		break;
	case RXLOOP_IOC_RESET_STATS:
		if (lowio->params.ioctl.in_len || lowio->params.ioctl.out_len) {
			status = -EINVAL;
			break;
		}
		/* its own completion is the first one counted after it */
		rxloop_reset_stats(mnt);
		break;
	default:
		status = -ENOTTY;
	}
	return rxloop_complete(ctx, mnt, status, info);
}
