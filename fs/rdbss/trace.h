/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rdbss tracepoints (perf list 'rdbss:*', /sys/kernel/tracing/events/rdbss):
 * an rx_context's life (created, called down, low I/O submitted and
 * completed with the level it completed at, posted, cancelled), buffering
 * state changes, revalidation decisions and srv_open open, collapse,
 * orphaning, delayed close (dormant, revive) and close.  Contexts and
 * srv_opens are named by their debug ids (c=%08x, so=%08x: the ids the
 * debugfs files show), files by inode number; no file names.
 */
/* Read once, not on each of define_trace.h's passes. */
#ifndef _RDBSS_TRACE_TYPES_H
#define _RDBSS_TRACE_TYPES_H
/* How rx_lowio_completion() finished a request (trace only). */
enum rx_trace_completion {
	RX_TRACE_WOKE,		/* a synchronous submitter was woken */
	RX_TRACE_INLINE,	/* the completion routine ran here */
	RX_TRACE_POSTED,	/* posted to a PASSIVE worker */
};

/* What happened to a srv_open (trace only). */
enum rx_trace_srv_open {
	RX_TRACE_SO_OPEN,	/* a new server-side open */
	RX_TRACE_SO_COLLAPSE,	/* an open shares an existing one */
	RX_TRACE_SO_CLOSE,	/* the last reference went: closed */
	RX_TRACE_SO_ORPHAN,	/* the server lost it (reconnect) */
	RX_TRACE_SO_DORMANT,	/* its last handle closed: kept (delayed close) */
	RX_TRACE_SO_REVIVE,	/* an open takes a dormant one up again */
};
#endif

#undef TRACE_SYSTEM
#define TRACE_SYSTEM rdbss

#if !defined(_RDBSS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _RDBSS_TRACE_H

#include <linux/tracepoint.h>
#include <rdbss/minirdr.h>

/* TRACE_DEFINE_ENUM: the values in the format files, for perf and trace-cmd */
TRACE_DEFINE_ENUM(RX_MJ_CREATE);
TRACE_DEFINE_ENUM(RX_MJ_CLOSE);
TRACE_DEFINE_ENUM(RX_MJ_READ);
TRACE_DEFINE_ENUM(RX_MJ_WRITE);
TRACE_DEFINE_ENUM(RX_MJ_QUERY_INFORMATION);
TRACE_DEFINE_ENUM(RX_MJ_SET_INFORMATION);
TRACE_DEFINE_ENUM(RX_MJ_QUERY_VOLUME_INFORMATION);
TRACE_DEFINE_ENUM(RX_MJ_DIRECTORY_CONTROL);
TRACE_DEFINE_ENUM(RX_MJ_FLUSH_BUFFERS);
TRACE_DEFINE_ENUM(RX_MJ_LOCK_CONTROL);
TRACE_DEFINE_ENUM(RX_MJ_FILE_SYSTEM_CONTROL);
TRACE_DEFINE_ENUM(RX_MJ_DEVICE_CONTROL);
TRACE_DEFINE_ENUM(RX_MJ_CLEANUP);
TRACE_DEFINE_ENUM(LOWIO_OP_READ);
TRACE_DEFINE_ENUM(LOWIO_OP_WRITE);
TRACE_DEFINE_ENUM(LOWIO_OP_SHAREDLOCK);
TRACE_DEFINE_ENUM(LOWIO_OP_EXCLUSIVELOCK);
TRACE_DEFINE_ENUM(LOWIO_OP_UNLOCK);
TRACE_DEFINE_ENUM(LOWIO_OP_UNLOCK_MULTIPLE);
TRACE_DEFINE_ENUM(LOWIO_OP_FSCTL);
TRACE_DEFINE_ENUM(LOWIO_OP_IOCTL);
TRACE_DEFINE_ENUM(LOWIO_OP_NOTIFY_CHANGE_DIRECTORY);
TRACE_DEFINE_ENUM(RX_LEVEL_PASSIVE);
TRACE_DEFINE_ENUM(RX_LEVEL_DISPATCH);
TRACE_DEFINE_ENUM(RX_BUFFERING_NONE);
TRACE_DEFINE_ENUM(RX_BUFFERING_CTO);
TRACE_DEFINE_ENUM(RX_BUFFERING_LOOSE);
TRACE_DEFINE_ENUM(RX_TRACE_WOKE);
TRACE_DEFINE_ENUM(RX_TRACE_INLINE);
TRACE_DEFINE_ENUM(RX_TRACE_POSTED);
TRACE_DEFINE_ENUM(RX_TRACE_SO_OPEN);
TRACE_DEFINE_ENUM(RX_TRACE_SO_COLLAPSE);
TRACE_DEFINE_ENUM(RX_TRACE_SO_CLOSE);
TRACE_DEFINE_ENUM(RX_TRACE_SO_ORPHAN);
TRACE_DEFINE_ENUM(RX_TRACE_SO_DORMANT);
TRACE_DEFINE_ENUM(RX_TRACE_SO_REVIVE);

#define rx_show_major(m) \
	__print_symbolic(m, \
		{ RX_MJ_CREATE, "CREATE" }, \
		{ RX_MJ_CLOSE, "CLOSE" }, \
		{ RX_MJ_READ, "READ" }, \
		{ RX_MJ_WRITE, "WRITE" }, \
		{ RX_MJ_QUERY_INFORMATION, "QUERY_INFORMATION" }, \
		{ RX_MJ_SET_INFORMATION, "SET_INFORMATION" }, \
		{ RX_MJ_QUERY_VOLUME_INFORMATION, "QUERY_VOLUME" }, \
		{ RX_MJ_DIRECTORY_CONTROL, "DIRECTORY_CONTROL" }, \
		{ RX_MJ_FLUSH_BUFFERS, "FLUSH_BUFFERS" }, \
		{ RX_MJ_LOCK_CONTROL, "LOCK_CONTROL" }, \
		{ RX_MJ_FILE_SYSTEM_CONTROL, "FSCTL" }, \
		{ RX_MJ_DEVICE_CONTROL, "IOCTL" }, \
		{ RX_MJ_CLEANUP, "CLEANUP" })

#define rx_show_lowio(op) \
	__print_symbolic(op, \
		{ LOWIO_OP_READ, "READ" }, \
		{ LOWIO_OP_WRITE, "WRITE" }, \
		{ LOWIO_OP_SHAREDLOCK, "SHAREDLOCK" }, \
		{ LOWIO_OP_EXCLUSIVELOCK, "EXCLUSIVELOCK" }, \
		{ LOWIO_OP_UNLOCK, "UNLOCK" }, \
		{ LOWIO_OP_UNLOCK_MULTIPLE, "UNLOCK_MULTIPLE" }, \
		{ LOWIO_OP_FSCTL, "FSCTL" }, \
		{ LOWIO_OP_IOCTL, "IOCTL" }, \
		{ LOWIO_OP_NOTIFY_CHANGE_DIRECTORY, "NOTIFY" })

#define rx_show_level(l) \
	__print_symbolic(l, \
		{ RX_LEVEL_PASSIVE, "PASSIVE" }, \
		{ RX_LEVEL_DISPATCH, "DISPATCH" })

#define rx_show_buffering(b) \
	__print_symbolic(b, \
		{ RX_BUFFERING_NONE, "none" }, \
		{ RX_BUFFERING_CTO, "cto" }, \
		{ RX_BUFFERING_LOOSE, "loose" })

#define rx_show_completion(c) \
	__print_symbolic(c, \
		{ RX_TRACE_WOKE, "woke" }, \
		{ RX_TRACE_INLINE, "inline" }, \
		{ RX_TRACE_POSTED, "posted" })

#define rx_show_srv_open(e) \
	__print_symbolic(e, \
		{ RX_TRACE_SO_OPEN, "open" }, \
		{ RX_TRACE_SO_COLLAPSE, "collapse" }, \
		{ RX_TRACE_SO_CLOSE, "close" }, \
		{ RX_TRACE_SO_ORPHAN, "orphan" }, \
		{ RX_TRACE_SO_DORMANT, "dormant" }, \
		{ RX_TRACE_SO_REVIVE, "revive" })

DECLARE_EVENT_CLASS(rdbss_context_class,
	TP_PROTO(const struct rx_context *ctx),
	TP_ARGS(ctx),
	TP_STRUCT__entry(
		__field(unsigned int, ctx)
		__field(u8, major)
		__field(u8, minor)
		__field(unsigned long, flags)
	),
	TP_fast_assign(
		__entry->ctx = ctx->debug_id;
		__entry->major = ctx->major;
		__entry->minor = ctx->minor;
		__entry->flags = ctx->flags;
	),
	TP_printk("c=%08x %s minor=%u flags=0x%lx", __entry->ctx,
		  rx_show_major(__entry->major), __entry->minor,
		  __entry->flags)
);

DEFINE_EVENT(rdbss_context_class, rdbss_context_create,
	TP_PROTO(const struct rx_context *ctx), TP_ARGS(ctx));
DEFINE_EVENT(rdbss_context_class, rdbss_call_down,
	TP_PROTO(const struct rx_context *ctx), TP_ARGS(ctx));
DEFINE_EVENT(rdbss_context_class, rdbss_context_free,
	TP_PROTO(const struct rx_context *ctx), TP_ARGS(ctx));
DEFINE_EVENT(rdbss_context_class, rdbss_post,
	TP_PROTO(const struct rx_context *ctx), TP_ARGS(ctx));
DEFINE_EVENT(rdbss_context_class, rdbss_cancel,
	TP_PROTO(const struct rx_context *ctx), TP_ARGS(ctx));

TRACE_EVENT(rdbss_lowio_submit,
	TP_PROTO(const struct rx_context *ctx),
	TP_ARGS(ctx),
	TP_STRUCT__entry(
		__field(unsigned int, ctx)
		__field(unsigned int, op)
		__field(u64, ino)
		__field(loff_t, offset)
		__field(size_t, count)
		__field(bool, sync)
	),
	TP_fast_assign(
		__entry->ctx = ctx->debug_id;
		__entry->op = ctx->lowio.operation;
		__entry->ino = ctx->fcb ? rx_fcb_inode(ctx->fcb)->i_ino : 0;
		/* offset and count are READ's and WRITE's only */
		__entry->offset = ctx->lowio.operation <= LOWIO_OP_WRITE ?
				  ctx->lowio.params.rw.offset : 0;
		__entry->count = ctx->lowio.operation <= LOWIO_OP_WRITE ?
				 ctx->lowio.params.rw.count : 0;
		__entry->sync = test_bit(RX_CONTEXT_WAIT, &ctx->flags);
	),
	TP_printk("c=%08x %s ino=%llu offset=%lld count=%zu %s", __entry->ctx,
		  rx_show_lowio(__entry->op), __entry->ino, __entry->offset,
		  __entry->count, __entry->sync ? "sync" : "async")
);

TRACE_EVENT(rdbss_lowio_complete,
	TP_PROTO(const struct rx_context *ctx, enum rx_level level,
		 enum rx_trace_completion how),
	TP_ARGS(ctx, level, how),
	TP_STRUCT__entry(
		__field(unsigned int, ctx)
		__field(unsigned int, op)
		__field(int, status)
		__field(ssize_t, information)
		__field(u8, level)
		__field(u8, how)
	),
	TP_fast_assign(
		__entry->ctx = ctx->debug_id;
		__entry->op = ctx->lowio.operation;
		__entry->status = ctx->stored_status;
		__entry->information = ctx->information;
		__entry->level = level;
		__entry->how = how;
	),
	TP_printk("c=%08x %s status=%d information=%zd level=%s %s",
		  __entry->ctx, rx_show_lowio(__entry->op), __entry->status,
		  __entry->information, rx_show_level(__entry->level),
		  rx_show_completion(__entry->how))
);

TRACE_EVENT(rdbss_buffering,
	TP_PROTO(const struct inode *inode, enum rx_buffering from,
		 enum rx_buffering to),
	TP_ARGS(inode, from, to),
	TP_STRUCT__entry(
		__field(u64, ino)
		__field(u8, from)
		__field(u8, to)
	),
	TP_fast_assign(
		__entry->ino = inode->i_ino;
		__entry->from = from;
		__entry->to = to;
	),
	TP_printk("ino=%llu %s -> %s", __entry->ino,
		  rx_show_buffering(__entry->from),
		  rx_show_buffering(__entry->to))
);

/* A getattr answered from the cache (fresh) or sent to the server. */
TRACE_EVENT(rdbss_attr_revalidate,
	TP_PROTO(const struct inode *inode, bool fresh),
	TP_ARGS(inode, fresh),
	TP_STRUCT__entry(
		__field(u64, ino)
		__field(bool, fresh)
	),
	TP_fast_assign(
		__entry->ino = inode->i_ino;
		__entry->fresh = fresh;
	),
	TP_printk("ino=%llu %s", __entry->ino,
		  __entry->fresh ? "cached" : "fetch")
);

/* d_revalidate's verdict on a name in directory @dir. */
TRACE_EVENT(rdbss_dentry_revalidate,
	TP_PROTO(const struct inode *dir, bool positive, int valid),
	TP_ARGS(dir, positive, valid),
	TP_STRUCT__entry(
		__field(u64, dir)
		__field(bool, positive)
		__field(int, valid)
	),
	TP_fast_assign(
		__entry->dir = dir->i_ino;
		__entry->positive = positive;
		__entry->valid = valid;
	),
	TP_printk("dir=%llu %s %s", __entry->dir,
		  __entry->positive ? "positive" : "negative",
		  __entry->valid ? "kept" : "dropped")
);

TRACE_EVENT(rdbss_srv_open,
	TP_PROTO(const struct rx_srv_open *so, enum rx_trace_srv_open what),
	TP_ARGS(so, what),
	TP_STRUCT__entry(
		__field(unsigned int, so)
		__field(u64, ino)
		__field(unsigned int, open_flags)
		__field(u8, what)
	),
	TP_fast_assign(
		__entry->so = so->debug_id;
		__entry->ino = rx_fcb_inode(so->fcb)->i_ino;
		__entry->open_flags = so->open_flags;
		__entry->what = what;
	),
	TP_printk("so=%08x ino=%llu flags=0%o %s", __entry->so,
		  __entry->ino, __entry->open_flags,
		  rx_show_srv_open(__entry->what))
);

#endif /* _RDBSS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
