/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mrx9p tracepoints (perf list 'mrx9p:*', /sys/kernel/tracing/events/mrx9p):
 * every 9P request sent and every request ended (its reply's type, the
 * transport error that ended it, the round trip), and the connection's
 * life (connected, lost, reconnected, aborted).  Connections are named by
 * the mount source; no file names.
 */

/* Read once, not on each of define_trace.h's passes. */
#ifndef _MRX9P_TRACE_TYPES_H
#define _MRX9P_TRACE_TYPES_H
enum p9_trace_conn {
	P9_TRACE_CONNECTED,	/* a socket connected (first, or a retry) */
	P9_TRACE_LOST,		/* the socket failed */
	P9_TRACE_RECONNECTED,	/* recovery done: fids restored */
	P9_TRACE_ABORTED,	/* umount -f gave up on the server */
};
#endif

#undef TRACE_SYSTEM
#define TRACE_SYSTEM mrx9p

#if !defined(_MRX9P_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _MRX9P_TRACE_H

#include <linux/tracepoint.h>
#include "mrx9p.h"

/* TRACE_DEFINE_ENUM: the values in the format files, for perf and trace-cmd */
TRACE_DEFINE_ENUM(P9_TRACE_CONNECTED);
TRACE_DEFINE_ENUM(P9_TRACE_LOST);
TRACE_DEFINE_ENUM(P9_TRACE_RECONNECTED);
TRACE_DEFINE_ENUM(P9_TRACE_ABORTED);

#define p9_show_conn(e) \
	__print_symbolic(e, \
		{ P9_TRACE_CONNECTED, "connected" }, \
		{ P9_TRACE_LOST, "lost" }, \
		{ P9_TRACE_RECONNECTED, "reconnected" }, \
		{ P9_TRACE_ABORTED, "aborted" })

/* Message types by number: 9P's are not a C enum worth mapping here. */
TRACE_EVENT(mrx9p_request,
	TP_PROTO(const struct p9_req *req),
	TP_ARGS(req),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__field(unsigned int, ctx)
		__field(u16, tag)
		__field(u8, type)
		__field(u32, size)
		__field(u8, resends)
	),
	TP_fast_assign(
		__entry->conn = req->conn->debug_id;
		/* the rx_context's debug_id for low I/O, 0 for other requests */
		__entry->ctx = req->owner ? req->owner->debug_id : 0;
		__entry->tag = req->tag;
		__entry->type = req->ttype;
		__entry->size = req->tx_len;
		__entry->resends = req->resends;
	),
	TP_printk("conn=%08x c=%08x tag=%u type=%u size=%u resends=%u",
		  __entry->conn, __entry->ctx, __entry->tag, __entry->type,
		  __entry->size, __entry->resends)
);

TRACE_EVENT(mrx9p_reply,
	TP_PROTO(const struct p9_req *req, int status, u64 rtt_ns),
	TP_ARGS(req, status, rtt_ns),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__field(u16, tag)
		__field(u8, type)
		__field(u8, rtype)
		__field(u32, size)
		__field(int, status)
		__field(u64, rtt_us)
	),
	TP_fast_assign(
		__entry->conn = req->conn->debug_id;
		__entry->tag = req->tag;
		__entry->type = req->ttype;
		__entry->rtype = status ? 0 : req->rtype;
		__entry->size = status ? 0 : req->rlen;
		__entry->status = status;
		__entry->rtt_us = div_u64(rtt_ns, NSEC_PER_USEC);
	),
	TP_printk("conn=%08x tag=%u type=%u rtype=%u size=%u status=%d rtt_us=%llu",
		  __entry->conn, __entry->tag, __entry->type, __entry->rtype,
		  __entry->size, __entry->status, __entry->rtt_us)
);

TRACE_EVENT(mrx9p_conn,
	TP_PROTO(const struct p9_conn *c, enum p9_trace_conn what, int err),
	TP_ARGS(c, what, err),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__string(server, c->addr_str ?: "")
		__field(u8, what)
		__field(int, err)
		__field(unsigned long, reconnects)
	),
	TP_fast_assign(
		__entry->conn = c->debug_id;
		rx_trace_assign_str(server, c->addr_str ?: "");
		__entry->what = what;
		__entry->err = err;
		__entry->reconnects = c->reconnects;
	),
	TP_printk("conn=%08x server=%s %s err=%d reconnects=%lu", __entry->conn,
		  __get_str(server), p9_show_conn(__entry->what), __entry->err,
		  __entry->reconnects)
);

#endif /* _MRX9P_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
