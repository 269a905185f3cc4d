// SPDX-License-Identifier: GPL-2.0
/*
 * Per-mount statistics (include/rdbss/stats.h) and their mountstats lines.
 */
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include "internal.h"

static const char * const rx_op_names[RX_OP_MAX] = {
	[RX_OP_LOOKUP] = "LOOKUP",	[RX_OP_OPEN] = "OPEN",
	[RX_OP_CREATE] = "CREATE",	[RX_OP_MKDIR] = "MKDIR",
	[RX_OP_UNLINK] = "UNLINK",	[RX_OP_RMDIR] = "RMDIR",
	[RX_OP_RENAME] = "RENAME",	[RX_OP_LINK] = "LINK",
	[RX_OP_SYMLINK] = "SYMLINK",	[RX_OP_MKNOD] = "MKNOD",
	[RX_OP_READLINK] = "READLINK",	[RX_OP_CLOSE] = "CLOSE",
	[RX_OP_GETATTR] = "GETATTR",	[RX_OP_SETATTR] = "SETATTR",
	[RX_OP_STATFS] = "STATFS",	[RX_OP_READDIR] = "READDIR",
	[RX_OP_FSYNC] = "FSYNC",	[RX_OP_GETXATTR] = "GETXATTR",
	[RX_OP_SETXATTR] = "SETXATTR",	[RX_OP_READ] = "READ",
	[RX_OP_WRITE] = "WRITE",	[RX_OP_LOCK] = "LOCK",
	[RX_OP_UNLOCK] = "UNLOCK",	[RX_OP_FSCTL] = "FSCTL",
	[RX_OP_IOCTL] = "IOCTL",
};

int rx_stats_init(struct rx_stats *st)
{
	st->mounted = ktime_get_seconds();
	if (!rx_stats_enabled()) {
		st->cpu = NULL;		/* every counter is then skipped */
		return 0;
	}
	st->cpu = alloc_percpu(struct rx_stats_cpu);
	return st->cpu ? 0 : -ENOMEM;
}

void rx_stats_destroy(struct rx_stats *st)
{
	free_percpu(st->cpu);
	st->cpu = NULL;
}

static unsigned int rx_stat_bucket(u64 ns)
{
	u64 limit = 100 * NSEC_PER_USEC;
	unsigned int b;

	for (b = 0; b < RX_STAT_BUCKETS - 1; b++, limit *= 10)
		if (ns < limit)
			break;
	return b;
}

/**
 * rx_stats_op - count one completed operation
 * @st: the mount's statistics
 * @op: which
 * @status: its final status (negative: an error)
 * @bytes: what it moved
 * @start_ns: ktime_get_ns() when it was called down or submitted
 *
 * Any context.  The maximum is per CPU and its update is not atomic
 * against an interrupt on the same CPU: a lost update there only makes
 * the maximum shown a little low.
 */
void rx_stats_op(struct rx_stats *st, enum rx_stat_op op, int status,
		 u64 bytes, u64 start_ns)
{
	struct rx_op_stat __percpu *s;
	u64 ns;

	if (!st->cpu || op >= RX_OP_MAX)
		return;
	ns = start_ns ? ktime_get_ns() - start_ns : 0;
	s = &st->cpu->op[op];
	this_cpu_inc(s->ops);
	if (status < 0)
		this_cpu_inc(s->errors);
	if (bytes)
		this_cpu_add(s->bytes, bytes);
	this_cpu_add(s->total_ns, ns);
	this_cpu_inc(s->hist[rx_stat_bucket(ns)]);
	if (ns > this_cpu_read(s->max_ns))
		this_cpu_write(s->max_ns, ns);
}
EXPORT_SYMBOL_GPL(rx_stats_op);

static struct rx_stats *rx_ctx_stats(struct rx_context *ctx)
{
	if (ctx->v_net_root)
		return &ctx->v_net_root->net_root->stats;
	if (ctx->fcb)
		return &rx_fcb_net_root(ctx->fcb)->stats;
	return NULL;
}

/**
 * rx_stats_done - count a call down that returned
 * @ctx: its context: a v_net_root names the mount, and
 *       rx_prepare_call_down() stamped the start
 * @op: which operation it was
 * @status: what the call down returned
 */
void rx_stats_done(struct rx_context *ctx, enum rx_stat_op op, int status)
{
	struct rx_stats *st = rx_ctx_stats(ctx);

	if (st)
		rx_stats_op(st, op, status, 0, ctx->start_ns);
}

/* Count an event of the mount @ctx works on; any context. */
void rx_stats_ctx_event(struct rx_context *ctx, enum rx_stat_event e)
{
	struct rx_stats *st = rx_ctx_stats(ctx);

	if (st)
		rx_stats_event(st, e);
}

/*
 * Count a low I/O operation as its completion tail runs (once per
 * submit, in any context): ctx->stored_status and ctx->information hold
 * its result.
 */
void rx_stats_lowio(struct rx_context *ctx)
{
	static const u8 op_of[LOWIO_OP_MAXIMUM] = {
		[LOWIO_OP_READ] = RX_OP_READ,
		[LOWIO_OP_WRITE] = RX_OP_WRITE,
		[LOWIO_OP_SHAREDLOCK] = RX_OP_LOCK,
		[LOWIO_OP_EXCLUSIVELOCK] = RX_OP_LOCK,
		[LOWIO_OP_UNLOCK] = RX_OP_UNLOCK,
		[LOWIO_OP_UNLOCK_MULTIPLE] = RX_OP_UNLOCK,
		[LOWIO_OP_FSCTL] = RX_OP_FSCTL,
		[LOWIO_OP_IOCTL] = RX_OP_IOCTL,
		[LOWIO_OP_NOTIFY_CHANGE_DIRECTORY] = RX_OP_MAX,
	};
	struct rx_stats *st = rx_ctx_stats(ctx);
	unsigned int lop = ctx->lowio.operation;
	u64 bytes = 0;
	u8 op;

	if (!st || lop >= LOWIO_OP_MAXIMUM)
		return;
	op = op_of[lop];
	if ((op == RX_OP_READ || op == RX_OP_WRITE) &&
	    ctx->stored_status >= 0 && ctx->information > 0) {
		bytes = ctx->information;
		rx_stats_add(st, op == RX_OP_READ ? RX_BYTES_SERVER_READ :
				 RX_BYTES_SERVER_WRITE, bytes);
	}
	rx_stats_op(st, op, ctx->stored_status, bytes, ctx->start_ns);
}

static void rx_stats_sum(struct rx_stats *st, struct rx_stats_cpu *sum)
{
	const struct rx_stats_cpu *c;
	unsigned int i, j;
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		c = per_cpu_ptr(st->cpu, cpu);
		for (i = 0; i < RX_OP_MAX; i++) {
			sum->op[i].ops += c->op[i].ops;
			sum->op[i].errors += c->op[i].errors;
			sum->op[i].bytes += c->op[i].bytes;
			sum->op[i].total_ns += c->op[i].total_ns;
			sum->op[i].max_ns = max(sum->op[i].max_ns,
						c->op[i].max_ns);
			for (j = 0; j < RX_STAT_BUCKETS; j++)
				sum->op[i].hist[j] += c->op[i].hist[j];
		}
		for (i = 0; i < RX_BYTES_MAX; i++)
			sum->bytes[i] += c->bytes[i];
		for (i = 0; i < RX_EV_MAX; i++)
			sum->events[i] += c->events[i];
	}
}

static void rx_seq_u64s(struct seq_file *m, const char *key, const u64 *v,
			unsigned int n)
{
	unsigned int i;

	seq_printf(m, "\t%s:\t", key);
	for (i = 0; i < n; i++)
		seq_printf(m, i ? " %llu" : "%llu", v[i]);
	seq_putc(m, '\n');
}

/**
 * rx_stats_show - the framework's mountstats lines after "opts:"
 * @m: the seq_file of /proc/PID/mountstats
 * @st: the mount's statistics
 */
void rx_stats_show(struct seq_file *m, struct rx_stats *st)
{
	struct rx_stats_cpu *sum;
	const struct rx_op_stat *s;
	unsigned int i, j;

	seq_printf(m, "\tage:\t%lld\n",
		   (long long)(ktime_get_seconds() - st->mounted));
	if (!st->cpu)
		return;
	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return;
	rx_stats_sum(st, sum);
	rx_seq_u64s(m, "bytes", sum->bytes, RX_BYTES_MAX);
	rx_seq_u64s(m, "events", sum->events, RX_EV_MAX);
	seq_puts(m, "\tper-op statistics\n");
	for (i = 0; i < RX_OP_MAX; i++) {
		s = &sum->op[i];
		seq_printf(m, "\t%14s: %llu %llu %llu %llu %llu", rx_op_names[i],
			   s->ops, s->errors, s->bytes,
			   div_u64(s->total_ns, NSEC_PER_USEC),
			   div_u64(s->max_ns, NSEC_PER_USEC));
		for (j = 0; j < RX_STAT_BUCKETS; j++)
			seq_printf(m, " %llu", s->hist[j]);
		seq_putc(m, '\n');
	}
	kfree(sum);
}
