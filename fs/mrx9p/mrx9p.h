/* SPDX-License-Identifier: GPL-2.0 */
/* mrx9p internals: the 9P2000.L mini-redirector. */
#ifndef _MRX9P_H
#define _MRX9P_H

#include <linux/completion.h>
#include <linux/idr.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/utsname.h>
#include <rdbss/minirdr.h>
#include "wire.h"

#define MRX9P_NAME		"rx9p"
#define MRX9P_MAGIC		0x52583950	/* "RX9P" */
#define MRX9P_DEFAULT_PORT	564
#define MRX9P_DEFAULT_MSIZE	(512 * 1024)
#define MRX9P_MAX_MSIZE		(8 * 1024 * 1024)
#define MRX9P_DEFAULT_TIMEOUT	30	/* seconds: connect, mount-time calls */
/* seconds a closed file stays open on the server (delayed close), as cifs */
#define MRX9P_DEFAULT_CLOSETIMEO	1
#define MRX9P_MAX_CLOSETIMEO	600
/* connections to one server (nconnect=N, as NFS's): at most */
#define MRX9P_MAX_NCONNECT	16

enum mrx9p_trans { MRX9P_TRANS_TCP, MRX9P_TRANS_UNIX };
enum mrx9p_access { MRX9P_ACCESS_USER, MRX9P_ACCESS_ANY, MRX9P_ACCESS_UID };

struct mrx9p_opts {
	enum mrx9p_trans trans;
	u16 port;
	char *aname;
	char *uname;
	u32 msize;
	unsigned int timeout;
	enum rx_buffering cache;
	enum mrx9p_access access;
	u32 access_uid;
	u32 dfltuid;
	u32 dfltgid;
	u32 closetimeo;		/* seconds; 0: close on the last close */
	u32 nconnect;		/* connections (channels) to the server */
	u32 rsize;		/* largest Tread count asked; 0: msize's */
	u32 wsize;		/* largest Twrite count sent; 0: msize's */
};

/* options.c */
extern const struct fs_parameter_spec mrx9p_param_spec[];
void *mrx9p_alloc_opts(struct fs_context *fc);
void mrx9p_free_opts(void *opts);
int mrx9p_parse_param(void *opts, struct fs_context *fc,
		      struct fs_parameter *param);
char *mrx9p_srv_call_key(void *opts, struct fs_context *fc);
int mrx9p_show_options(struct seq_file *m, struct rx_net_root *nr);

/* ---- the connection (the SRV_CALL extension) ---- */

enum p9_req_state {
	P9_REQ_ALLOC,		/* has a tag, not sent */
	P9_REQ_SENT,		/* waiting for its reply */
	P9_REQ_RECEIVING,	/* its reply is being read */
	P9_REQ_DONE,
	P9_REQ_ORPHANED,	/* waiter gone: discard the reply */
	P9_REQ_QUEUED,		/* waiting for the connection to come back */
};

/* What became of a request its owner gave up (p9_req_cancel()). */
enum p9_cancel_outcome {
	P9_CANCEL_NONE,
	P9_CANCEL_DROPPED,	/* never reached the server */
	P9_CANCEL_FLUSHED,	/* Rflush came: any reply came before it */
	P9_CANCEL_UNANSWERED,	/* no Rflush in time: the server may act */
};

struct p9_conn;
struct mrx9p_open;

/*
 * The connection's statistics (the rx9p section of /proc/self/mountstats,
 * Documentation/filesystems/rx9p.rst), per CPU: updated from the softirq
 * reader and from senders without a shared cache line.
 */
#define P9_STAT_MSGS	27	/* the T-messages counted, p9_msg_index() */

struct p9_msg_stat {
	u64 count;
	u64 errors;
	u64 total_ns;
	u64 max_ns;
};

/* the counted fields of the xprt: line, after state and reconnects */
enum p9_xprt_stat {
	P9_X_CONNECTS,
	P9_X_SENT,
	P9_X_RECEIVED,
	P9_X_BYTES_SENT,
	P9_X_BYTES_RECEIVED,
	P9_X_RESENDS,
	P9_X_FLUSHES,
	P9_X_PROTOCOL_ERRORS,
	P9_X_TIMEOUTS,
	P9_X_MAX
};

struct p9_stats {
	u64 x[P9_X_MAX];
	struct p9_msg_stat msg[P9_STAT_MSGS];
};

struct p9_req {
	refcount_t ref;
	u16 tag;
	enum p9_req_state state;
	int status;		/* transport error, 0 if a reply arrived */
	u8 *tx;
	u32 tx_len;
	u8 rtype;
	u8 *rbuf;		/* reply body (after the header) */
	u32 rcap;
	u32 rlen;
	struct iov_iter *data;	/* Rread payload goes here (kernel memory) */
	struct iov_iter data_sent;	/* *data when sent, to read it again */
	u32 data_max;
	bool recovery;		/* part of reconnecting: never queued */
	bool cancelled;		/* owner gave up: fail it rather than resend */
	bool interruptible;	/* any signal ends the wait, not only SIGKILL */
	bool keep_reply;	/* orphaned: read the reply, for the owner */
	u8 cancel_outcome;	/* enum p9_cancel_outcome */
	u8 resends;		/* times queued again after a lost socket */
	u8 ttype;		/* the T-message type, for the statistics */
	u64 sent_ns;		/* ktime_get_ns() when last sent */
	/* debugfs: the rx_context it was made for, if known, and the task */
	const struct rx_context *owner;
	pid_t pid;
	void (*done)(struct p9_req *req);
	void *priv;
	struct completion comp;
	struct p9_conn *conn;
};

/* how long closing a connection waits for the replies still due */
#define P9_CLOSE_DRAIN	(5 * HZ)

enum p9_rx_phase { P9_RX_HDR, P9_RX_BODY, P9_RX_COUNT, P9_RX_DATA,
		   P9_RX_DISCARD };

struct p9_conn {
	unsigned int debug_id;		/* conn=%08x: tracepoints, debugfs */
	struct net *net;
	struct socket *sock;
	struct sockaddr_storage addr;	/* the server, to connect again */
	int addrlen;
	/* c->sock changes only under sock_lock and tx_lock */
	struct mutex sock_lock;
	spinlock_t lock;		/* reqs, req states, err, sock_err */
	struct idr reqs;
	wait_queue_head_t idle_wq;	/* reqs became empty */
	struct p9_req *version_req;	/* the one request with NOTAG */
	struct ida fids;
	struct mutex tx_lock;		/* one request on the wire at a time */
	struct work_struct rx_work;
	int err;			/* sticky: the connection is dead */

	/*
	 * Reconnection.  Once mounted, a failed socket (sock_err) does not
	 * kill the connection: recover_work connects again with backoff,
	 * renegotiates, re-attaches every root fid, walks every path fid
	 * and reopens every open fid under the same fid numbers, then sends
	 * the idempotent requests that were in flight and those issued
	 * meanwhile (QUEUED).  The lists below name those fids.
	 */
	/* the server answered EOPNOTSUPP: go straight to the fallback */
	bool no_unlinkat;
	bool no_renameat;
	bool recoverable;
	bool recovering;
	int sock_err;			/* the current socket failed */
	unsigned int epoch;		/* bumped by each reconnect */
	unsigned int backoff;		/* seconds before the next attempt */
	unsigned long reconnects;
	/* requests holding a tag now, and the most at once (under lock) */
	unsigned int tagged;
	unsigned int max_tagged;
	struct p9_stats __percpu *stats;
	struct list_head debug_link;	/* debugfs: connections alive */
	struct delayed_work recover_work;
	struct mutex recov_lock;	/* the three lists */
	struct list_head roots;		/* struct mrx9p_vnr */
	struct list_head ufids;		/* struct mrx9p_ufid */
	struct list_head opens;		/* struct mrx9p_open */
	/*
	 * Bumped by every directory rename: servers whose fids name paths
	 * (diod) leave fids below a renamed directory pointing nowhere, so
	 * path fids older than this are walked again before use.
	 */
	atomic_t rename_gen;
	u32 msize;
	unsigned int timeout;		/* seconds */
	char *addr_str;
	/* Tlock's client_id: the mounting host's name, fixed at connect */
	char client_id[__NEW_UTS_LEN + 1];

	/*
	 * nconnect (channels.c): the srv_call's connection is channel 0 and
	 * holds the others in chan[] (chan[0] is itself); each is a full
	 * connection with its own socket, fids and recovery.  Channel 0
	 * carries every path fid and namespace request; an open regular
	 * file lives on one channel (mrx9p_open->conn).
	 */
	struct p9_conn *chan[MRX9P_MAX_NCONNECT];
	unsigned int nchan;		/* in channel 0 */
	unsigned int index;		/* this channel's number */
	atomic_t nopen;			/* open files on this channel */
	atomic_t next;			/* in channel 0: round robin start */

	/*
	 * Receive state.  TCP replies are parsed in the socket's data_ready
	 * callback (softirq, DISPATCH) under rx_lock; other sockets are read
	 * by rx_work.  rx_work also tears a failed connection down.
	 */
	spinlock_t rx_lock;
	bool rx_softirq;
	bool shut;			/* rx_work shut the socket down */
	int rx_err;
	enum p9_rx_phase rx_phase;
	u8 rx_hdr[P9_HDRSZ];
	u32 rx_got;
	u32 rx_need;
	struct p9_req *rx_req;

	void (*saved_data_ready)(struct sock *sk);
	void (*saved_state_change)(struct sock *sk);
};

/* transport.c */
int p9_conn_open(struct p9_conn *c, const struct mrx9p_opts *o,
		 struct fs_context *fc);
void p9_conn_close(struct p9_conn *c);
void p9_conn_fail(struct p9_conn *c, int err);
int p9_conn_send(struct p9_conn *c, struct p9_req *req);
int p9_sock_connect(struct p9_conn *c, struct socket **sockp);
void p9_sock_attach(struct p9_conn *c);
void p9_sock_detach(struct p9_conn *c);
void p9_conn_abort(struct p9_conn *c);
extern struct workqueue_struct *mrx9p_wq;

/* stats.c */
int p9_stats_init(struct p9_conn *c);
void p9_stats_destroy(struct p9_conn *c);
void p9_stats_reply(struct p9_req *req, int status);
void mrx9p_show_stats(struct seq_file *m, struct rx_net_root *nr);
const char *p9_msg_name(u8 type);

/* debugfs.c */
void mrx9p_debug_conn_add(struct p9_conn *c);
void mrx9p_debug_conn_del(struct p9_conn *c);
void mrx9p_debug_show_srv_call(struct seq_file *m, struct rx_srv_call *sc);
void mrx9p_debug_show_context(struct seq_file *m, struct rx_context *ctx);

/* Any context, softirq included. */
static inline void p9_stat_add(struct p9_conn *c, enum p9_xprt_stat s, u64 n)
{
	if (rx_stats_enabled())
		this_cpu_add(c->stats->x[s], n);
}

static inline void p9_stat_inc(struct p9_conn *c, enum p9_xprt_stat s)
{
	if (rx_stats_enabled())
		this_cpu_inc(c->stats->x[s]);
}

/* client.c */
struct p9_req *p9_req_alloc(struct p9_conn *c, u32 tx_cap, u32 rcap);
void p9_req_put(struct p9_req *req);
void p9_req_abandon(struct p9_conn *c, struct p9_req *req);
bool p9_req_flush(struct p9_req *req);
bool p9_req_cancel(struct p9_req *req);
int p9_req_wait(struct p9_req *req, unsigned int timeout_s);
int p9_rpc(struct p9_req *req, u8 rtype, unsigned int timeout_s);
void p9_req_rbuf(struct p9_req *req, struct p9_rbuf *r);
void p9_conn_rx_work(struct work_struct *work);
void p9_tcp_read(struct p9_conn *c, struct sock *sk);
void p9_rx_reset(struct p9_conn *c);
void p9_conn_fail_all(struct p9_conn *c);
void p9_conn_requeue(struct p9_conn *c);
void p9_conn_resend(struct p9_conn *c);
int p9_fid_alloc(struct p9_conn *c, u32 *fid);
void p9_fid_release(struct p9_conn *c, u32 fid);
int p9_fid_clunk(struct p9_conn *c, u32 fid);
int p9_clunk_wire(struct p9_conn *c, u32 fid, bool recovery);
int p9_version(struct p9_conn *c, u32 msize, struct fs_context *fc);

/* channels.c */
int mrx9p_open_channels(struct p9_conn *c, const struct mrx9p_opts *o,
			struct fs_context *fc);
void mrx9p_close_channels(struct p9_conn *c);
void mrx9p_abort_channels(struct p9_conn *c);
struct mrx9p_vnr *mrx9p_chan_vnr(struct mrx9p_vnr *v, struct p9_conn *c);
void mrx9p_free_chan_roots(struct mrx9p_vnr *v);
struct p9_conn *mrx9p_pick_channel(struct p9_conn *c);
int mrx9p_open_spread(struct rx_context *ctx, struct mrx9p_open *o,
		      struct p9_conn *ch);

/* recover.c */
void mrx9p_recover_work(struct work_struct *work);

/* ---- extensions of the rdbss objects ---- */

struct mrx9p_vnr {
	u32 root_fid;
	u32 n_uname;		/* attached as */
	struct list_head link;	/* in conn->roots */
	struct rx_v_net_root *vnr;
	/*
	 * In channel 0's: the same attach on the other channels, made at
	 * the first open there (chan[0] unused); under chan_lock.
	 */
	struct mutex chan_lock;
	struct mrx9p_vnr *chan[MRX9P_MAX_NCONNECT];
};

/*
 * A path fid number, held by its fcb (mrx9p_ufid) and by each request
 * that names it: the last holder clunks it.  A lookup that replaces an
 * fcb's path fid so never clunks it under a request still in flight, nor
 * lets another walk reuse the number meanwhile.
 */
struct mrx9p_pfid {
	refcount_t ref;
	u32 fid;
};

/* A path fid: walked to the file, not opened, attached as @uid. */
struct mrx9p_ufid {
	struct list_head link;
	struct list_head conn_link;	/* in conn->ufids */
	struct rx_fcb *fcb;
	kuid_t uid;
	struct mrx9p_pfid *pf;	/* changed under recov_lock and fcb->lock */
	u32 gen;		/* conn->rename_gen when it was walked */
};

struct mrx9p_fcb {
	/* one per user with access=user, else one; under fcb->lock */
	struct list_head fids;
	/*
	 * The fid Tlcreate opened (read-write), kept for the open that
	 * follows the create, by the same user; under fcb->lock.
	 */
	u32 created_fid;
	u32 created_iounit;
	kuid_t created_uid;
	unsigned int created_epoch;	/* conn->epoch of the create */
};

struct mrx9p_open {
	struct p9_conn *conn;	/* the channel @fid belongs to */
	u32 fid;		/* opened */
	u32 iounit;
	u32 lflags;		/* Tlopen flags, to reopen after a reconnect */
	int lost;		/* why a reconnect could not reopen it, or 0 */
	bool orphaned;		/* rx_orphan_srv_open() was told */
	struct list_head link;	/* in conn->opens */
	struct rx_srv_open *so;
};

static inline struct p9_conn *mrx9p_conn(struct rx_v_net_root *vnr)
{
	return vnr->net_root->srv_call->ext;
}

static inline struct mrx9p_opts *mrx9p_opts(struct rx_v_net_root *vnr)
{
	return vnr->net_root->opts;
}

#define MRX9P_SMALL	256	/* request buffer for fixed-size messages */

static inline struct p9_conn *ctx_conn(struct rx_context *ctx)
{
	return mrx9p_conn(ctx->v_net_root);
}

static inline struct mrx9p_fcb *fcb_ext(struct rx_fcb *fcb)
{
	return fcb->ext;
}

static inline struct mrx9p_open *open_ext(struct rx_srv_open *so)
{
	return so->ext;
}

/* The channel of @so's open fid (channel 0 before it is opened). */
static inline struct p9_conn *so_conn(struct rx_srv_open *so)
{
	return open_ext(so)->conn ?: mrx9p_conn(so->v_net_root);
}

static inline struct p9_str ctx_name(struct rx_context *ctx)
{
	struct p9_str s = {
		.s = ctx->info.create.name.name,
		.len = ctx->info.create.name.len,
	};
	return s;
}

/* fid.c */
void mrx9p_fill_attrs(struct rx_attrs *a, const struct p9_getattr *ga);
int mrx9p_getattr(struct rx_context *ctx, struct p9_conn *c, u32 fid,
		  struct rx_attrs *attrs);
int mrx9p_walk_qid(struct p9_conn *c, u32 fid, unsigned int nwname,
		   const struct p9_str *names, u32 *newfid,
		   struct p9_qid *qid);
int mrx9p_walk(struct p9_conn *c, u32 fid, unsigned int nwname,
	       const struct p9_str *names, u32 *newfid);
int mrx9p_walk_to(struct p9_conn *c, u32 fid, unsigned int nwname,
		  const struct p9_str *names, u32 newfid);
int mrx9p_walk_inode(struct p9_conn *c, u32 root, struct inode *inode,
		     u32 newfid, struct p9_qid *qid);
int mrx9p_attach(struct p9_conn *c, struct mrx9p_vnr *v,
		 const struct mrx9p_opts *o);
int mrx9p_lopen(struct p9_conn *c, u32 fid, u32 lflags, u32 *iounit);
void mrx9p_track_open(struct p9_conn *c, struct rx_srv_open *so);
int mrx9p_rpc(struct p9_req *req, int len, u8 rtype);
struct mrx9p_pfid *mrx9p_fcb_fid(struct rx_context *ctx, struct rx_fcb *fcb);
void mrx9p_pfid_put(struct p9_conn *c, struct mrx9p_pfid *pf);

/* The number of a held path fid; P9_NOFID (the request fails) for none. */
static inline u32 pfid_num(const struct mrx9p_pfid *pf)
{
	return pf ? pf->fid : P9_NOFID;
}

void mrx9p_fcb_set_fid(struct rx_context *ctx, struct rx_fcb *fcb, u32 fid);
void mrx9p_fcb_free_fids(struct p9_conn *c, struct rx_fcb *fcb);

/* names.c */
int mrx9p_lookup(struct rx_context *ctx);
void mrx9p_fcb_found(struct rx_context *ctx, struct rx_fcb *fcb, bool is_new);
void mrx9p_deallocate_fcb(struct rx_fcb *fcb);
int mrx9p_create(struct rx_context *ctx);
int mrx9p_mkdir(struct rx_context *ctx);
int mrx9p_unlink(struct rx_context *ctx);
int mrx9p_rename(struct rx_context *ctx);
int mrx9p_link(struct rx_context *ctx);
int mrx9p_symlink(struct rx_context *ctx);
int mrx9p_mknod(struct rx_context *ctx);
int mrx9p_readlink(struct rx_context *ctx);

/* meta.c */
int mrx9p_open(struct rx_context *ctx);
void mrx9p_close_srv_open(struct rx_srv_open *so);
int mrx9p_flush(struct rx_context *ctx);
int mrx9p_query_info(struct rx_context *ctx);
int mrx9p_set_info(struct rx_context *ctx);
int mrx9p_query_directory(struct rx_context *ctx);
int mrx9p_query_volume(struct rx_context *ctx);

/* xattr.c */
int mrx9p_query_ea(struct rx_context *ctx);
int mrx9p_set_ea(struct rx_context *ctx);

/* locks.c */
int mrx9p_lowio_lock(struct rx_context *ctx);

/* io.c */
int mrx9p_lowio_rw(struct rx_context *ctx);

/* ops.c */
extern const struct rx_minirdr_ops mrx9p_ops;

#endif /* _MRX9P_H */
