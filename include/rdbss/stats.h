/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-mount statistics: what every call down cost, what low I/O moved and
 * what the page cache did, kept per CPU and shown in /proc/self/mountstats
 * (format: Documentation/filesystems/rdbss.rst, "Observing a mount").
 * Always on; updated from any context, softirq completions included.
 */
#ifndef _RDBSS_STATS_H
#define _RDBSS_STATS_H

#include <linux/percpu.h>
#include <linux/time64.h>
#include <linux/types.h>

struct seq_file;
struct rx_context;
struct rx_net_root;

/* the mountstats format's version (its major changes only on a break) */
#define RX_STATVERS	"1.0"

/* The per-op lines, in mountstats order (append only). */
enum rx_stat_op {
	RX_OP_LOOKUP,
	RX_OP_OPEN,
	RX_OP_CREATE,
	RX_OP_MKDIR,
	RX_OP_UNLINK,
	RX_OP_RMDIR,
	RX_OP_RENAME,
	RX_OP_LINK,
	RX_OP_SYMLINK,
	RX_OP_MKNOD,
	RX_OP_READLINK,
	RX_OP_CLOSE,
	RX_OP_GETATTR,
	RX_OP_SETATTR,
	RX_OP_STATFS,
	RX_OP_READDIR,
	RX_OP_FSYNC,
	RX_OP_GETXATTR,
	RX_OP_SETXATTR,
	/* the low I/O operations */
	RX_OP_READ,
	RX_OP_WRITE,
	RX_OP_LOCK,
	RX_OP_UNLOCK,
	RX_OP_FSCTL,
	RX_OP_IOCTL,
	RX_OP_MAX
};

/* The "bytes:" fields (append only). */
enum rx_stat_bytes {
	RX_BYTES_READ,		/* read(2) through the page cache */
	RX_BYTES_WRITE,		/* write(2) through the page cache */
	RX_BYTES_DIRECT_READ,
	RX_BYTES_DIRECT_WRITE,
	RX_BYTES_SERVER_READ,	/* moved by READ low I/O */
	RX_BYTES_SERVER_WRITE,	/* moved by WRITE low I/O */
	RX_BYTES_PAGES_READ,	/* pages read into the page cache */
	RX_BYTES_PAGES_WRITTEN,	/* pages written back */
	RX_BYTES_MAX
};

/* The "events:" fields (append only). */
enum rx_stat_event {
	RX_EV_READAHEAD,
	RX_EV_READ_FOLIO,
	RX_EV_WB_BATCH,		/* one WRITE low I/O of write-back */
	RX_EV_WB_FOLIO,
	RX_EV_INVALIDATE,	/* page cache dropped: the server's changed */
	RX_EV_ATTR_HIT,		/* attributes answered from the cache */
	RX_EV_ATTR_MISS,	/* attributes fetched from the server */
	RX_EV_DENTRY_KEPT,	/* d_revalidate kept the name */
	RX_EV_DENTRY_DROPPED,
	RX_EV_COMPLETE_DISPATCH, /* low I/O completion run in softirq */
	RX_EV_COMPLETE_POSTED,	/* ... posted to a PASSIVE worker */
	RX_EV_MAX
};

/* latency histogram: < 100 us, 1 ms, 10 ms, 100 ms, 1 s, and above */
#define RX_STAT_BUCKETS	6

struct rx_op_stat {
	u64 ops;
	u64 errors;
	u64 bytes;
	u64 total_ns;
	u64 max_ns;
	u64 hist[RX_STAT_BUCKETS];
};

struct rx_stats_cpu {
	struct rx_op_stat op[RX_OP_MAX];
	u64 bytes[RX_BYTES_MAX];
	u64 events[RX_EV_MAX];
};

struct rx_stats {
	struct rx_stats_cpu __percpu *cpu;
	time64_t mounted;	/* ktime_get_seconds() at mount */
};

/* false in a build made with RDBSS_NO_STATS=1 (see Kbuild) */
#ifdef RDBSS_NO_STATS
#define RX_STATS_ENABLED	false
#else
#define RX_STATS_ENABLED	true
#endif

static inline bool rx_stats_enabled(void)
{
	return RX_STATS_ENABLED;
}

int rx_stats_init(struct rx_stats *st);
void rx_stats_destroy(struct rx_stats *st);
void rx_stats_op(struct rx_stats *st, enum rx_stat_op op, int status,
		 u64 bytes, u64 start_ns);
void rx_stats_done(struct rx_context *ctx, enum rx_stat_op op, int status);
void rx_stats_lowio(struct rx_context *ctx);
void rx_stats_ctx_event(struct rx_context *ctx, enum rx_stat_event e);
void rx_stats_show(struct seq_file *m, struct rx_stats *st);

static inline void rx_stats_add(struct rx_stats *st, enum rx_stat_bytes b,
				u64 n)
{
	if (st->cpu)
		this_cpu_add(st->cpu->bytes[b], n);
}

static inline void rx_stats_event(struct rx_stats *st, enum rx_stat_event e)
{
	if (st->cpu)
		this_cpu_inc(st->cpu->events[e]);
}

#endif /* _RDBSS_STATS_H */
