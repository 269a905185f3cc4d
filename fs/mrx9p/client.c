// SPDX-License-Identifier: GPL-2.0
/*
 * 9P requests on a connection: tags, the reply reader, waiting and
 * cancellation, fids, and version negotiation.
 *
 * A request holds two references while it has a tag: its owner's and the
 * tag table's.  The reader (rx_work, the only code that consumes the
 * socket) moves a request SENT -> RECEIVING -> DONE and then drops the
 * table's reference after calling ->done (or completing ->comp).  A waiter
 * that gives up turns SENT into ORPHANED: the reader then discards the
 * reply without touching the request's buffers.
 */
#include <linux/net.h>
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/uio.h>
#include <net/sock.h>
#include <net/tcp.h>
#include "mrx9p.h"

static void p9_req_free(struct p9_req *req)
{
	kfree(req->tx);
	kfree(req->rbuf);
	kfree(req);
}

void p9_req_put(struct p9_req *req)
{
	if (refcount_dec_and_test(&req->ref))
		p9_req_free(req);
}

static struct p9_req *p9_req_alloc_tagged(struct p9_conn *c, u32 tx_cap,
					  u32 rcap, bool notag)
{
	struct p9_req *req;
	int id;

	req = kzalloc(sizeof(*req), GFP_NOFS);
	if (!req)
		return ERR_PTR(-ENOMEM);
	rcap = max_t(u32, rcap, 16);	/* room for Rlerror */
	req->tx = kmalloc(tx_cap, GFP_NOFS);
	req->rbuf = kmalloc(rcap, GFP_NOFS);
	if (!req->tx || !req->rbuf) {
		p9_req_free(req);
		return ERR_PTR(-ENOMEM);
	}
	req->rcap = rcap;
	req->conn = c;
	req->pid = task_pid_nr(current);
	req->state = P9_REQ_ALLOC;
	refcount_set(&req->ref, 2);
	init_completion(&req->comp);

	idr_preload(GFP_NOFS);
	spin_lock_bh(&c->lock);
	if (c->err) {
		id = c->err;
	} else if (notag) {
		id = c->version_req ? -EBUSY : P9_NOTAG;
		if (id == P9_NOTAG)
			c->version_req = req;
	} else {
		id = idr_alloc(&c->reqs, req, 0, P9_NOTAG, GFP_NOWAIT);
		if (id >= 0 && ++c->tagged > c->max_tagged)
			c->max_tagged = c->tagged;
	}
	spin_unlock_bh(&c->lock);
	idr_preload_end();
	if (id < 0) {
		p9_req_free(req);
		return ERR_PTR(id == -ENOSPC ? -EAGAIN : id);
	}
	req->tag = id;
	return req;
}

/**
 * p9_req_alloc - a request with a tag, room for @tx_cap bytes to send and
 * a reply body of up to @rcap bytes
 * @c: the connection
 * @tx_cap: request buffer size
 * @rcap: reply body size
 *
 * Returns the request (two references: the caller's and the tag table's)
 * or an ERR_PTR.  PASSIVE.
 */
struct p9_req *p9_req_alloc(struct p9_conn *c, u32 tx_cap, u32 rcap)
{
	return p9_req_alloc_tagged(c, tx_cap, rcap, false);
}

/* Remove a request from the table; caller holds c->lock. */
static void p9_req_untag(struct p9_conn *c, struct p9_req *req)
{
	if (req->tag == P9_NOTAG) {
		if (c->version_req == req)
			c->version_req = NULL;
	} else {
		idr_remove(&c->reqs, req->tag);
		c->tagged--;
		if (idr_is_empty(&c->reqs))
			wake_up(&c->idle_wq);
	}
}

/**
 * p9_req_abandon - the owner gives up a request that was never sent
 * @c: the connection
 * @req: the request
 *
 * Frees its tag and drops the table's reference; the owner still puts its
 * own.
 */
void p9_req_abandon(struct p9_conn *c, struct p9_req *req)
{
	bool unsent;

	spin_lock_bh(&c->lock);
	unsent = req->state == P9_REQ_ALLOC || req->state == P9_REQ_QUEUED;
	if (unsent) {
		p9_req_untag(c, req);
		req->state = P9_REQ_DONE;
	}
	spin_unlock_bh(&c->lock);
	if (unsent)
		p9_req_put(req);
}

/* Hand a finished request to its owner and drop the table's reference. */
static void p9_req_finish(struct p9_req *req, int status)
{
	req->status = status;
	p9_stats_reply(req, status);
	if (req->done)
		req->done(req);
	else
		complete(&req->comp);
	p9_req_put(req);
}

#define P9_FLUSH_WAIT	(5 * HZ)

/* Rflush: the server forgot the old request; its tag may be reused. */
static void p9_flush_done(struct p9_req *freq)
{
	struct p9_req *old = freq->priv;
	struct p9_conn *c = freq->conn;
	bool drop = false;

	spin_lock_bh(&c->lock);
	if (old->state == P9_REQ_ORPHANED) {
		p9_req_untag(c, old);
		old->state = P9_REQ_DONE;
		drop = true;
	}
	spin_unlock_bh(&c->lock);
	if (drop)
		p9_req_put(old);	/* the table's reference */
	p9_req_put(old);		/* the flush's */
	complete(&freq->comp);
}

/**
 * p9_req_flush - ask the server to forget an orphaned request (Tflush)
 * @req: a request its waiter gave up on (state ORPHANED)
 *
 * Waits a bounded time for Rflush, uninterruptibly: the tag stays reserved
 * until the server answers, so a late reply can never be taken for
 * another request's.  Without an answer the tag stays reserved until the
 * connection goes.  Returns true if Rflush came (a reply to @req, if
 * any, was read before it).  PASSIVE.
 */
bool p9_req_flush(struct p9_req *req)
{
	struct p9_conn *c = req->conn;
	struct p9_req *freq;
	struct p9_wbuf w;
	bool answered = false;

	freq = p9_req_alloc(c, 16, 0);
	if (IS_ERR(freq))
		return false;
	/*
	 * A flush made during a reconnection is never queued: resent
	 * later, it could name a tag given meanwhile to another request.
	 */
	freq->recovery = req->recovery;
	p9_enc_begin(&w, freq->tx, 16, P9_TFLUSH, freq->tag);
	p9_put_u16(&w, req->tag);
	freq->tx_len = p9_enc_end(&w);
	refcount_inc(&req->ref);
	freq->priv = req;
	freq->done = p9_flush_done;
	p9_stat_inc(c, P9_X_FLUSHES);
	pr_debug("rx9p: %s: Tflush tag %u for tag %u\n", c->addr_str,
		 freq->tag, req->tag);
	if (p9_conn_send(c, freq)) {
		p9_req_abandon(c, freq);
		p9_req_put(req);
	} else {
		answered = wait_for_completion_timeout(&freq->comp,
						       P9_FLUSH_WAIT) &&
			   !freq->status;
	}
	p9_req_put(freq);
	return answered;
}

/**
 * p9_req_cancel - the owner gives up a request that has no reply yet
 * @req: the request (the caller holds a reference)
 *
 * A sent request is orphaned and Tflush'd, so that its tag is not reused
 * before the server forgot it; one queued for a reconnection is taken
 * from the table; one being resent or whose reply is being read at this
 * moment is marked, so that it fails with -EINTR rather than being queued
 * again if the socket fails.  Returns true if the request is given up:
 * its done routine will not run and its waiter is not woken, the owner
 * completes it, and req->cancel_outcome says whether the server saw it.
 * False if its reply is being read or done, or it is being resent: it
 * then completes as usual, without waiting for a reconnection.  PASSIVE.
 */
bool p9_req_cancel(struct p9_req *req)
{
	struct p9_conn *c = req->conn;
	bool orphaned = false, unsent = false;

	spin_lock_bh(&c->lock);
	switch (req->state) {
	case P9_REQ_SENT:
		req->state = P9_REQ_ORPHANED;
		orphaned = true;
		break;
	case P9_REQ_QUEUED:
		/* not on the wire of this connection: just forget it */
		p9_req_untag(c, req);
		req->state = P9_REQ_DONE;
		unsent = true;
		break;
	case P9_REQ_ALLOC:
	case P9_REQ_RECEIVING:
		req->cancelled = true;
		break;
	default:
		break;
	}
	spin_unlock_bh(&c->lock);
	if (unsent) {
		req->cancel_outcome = P9_CANCEL_DROPPED;
		p9_req_put(req);	/* the table's reference */
	}
	if (orphaned)
		req->cancel_outcome = p9_req_flush(req) ? P9_CANCEL_FLUSHED :
							 P9_CANCEL_UNANSWERED;
	return orphaned || unsent;
}

/**
 * p9_req_wait - wait for the reply to a sent request
 * @req: the request
 * @timeout_s: seconds, 0 for no limit
 *
 * Killable, or interruptible for a request marked so (locks: F_SETLKW
 * ends with EINTR on any signal).  A waiter that is interrupted or times
 * out before the reply starts arriving gives the request up
 * (p9_req_cancel(): Tflush) and returns -EINTR or -ETIMEDOUT at once.
 * PASSIVE.
 */
int p9_req_wait(struct p9_req *req, unsigned int timeout_s)
{
	long t = timeout_s ? (long)timeout_s * HZ : MAX_SCHEDULE_TIMEOUT;
	long ret;

	if (req->interruptible)
		ret = wait_for_completion_interruptible_timeout(&req->comp, t);
	else
		ret = wait_for_completion_killable_timeout(&req->comp, t);
	if (ret > 0)
		return req->status;
	if (ret == 0)
		p9_stat_inc(req->conn, P9_X_TIMEOUTS);
	if (p9_req_cancel(req))
		return ret == 0 ? -ETIMEDOUT : -EINTR;
	/* the reply is being read or done: it completes without the server */
	wait_for_completion(&req->comp);
	return req->status;
}

/**
 * p9_rpc - send @req and wait for a reply of type @rtype
 * @req: the encoded request (tx_len set)
 * @rtype: the expected reply type
 * @timeout_s: seconds, 0 for no limit
 *
 * Returns 0 with the reply body in req->rbuf, the server's error as a
 * negative errno, or a transport error.  PASSIVE.
 */
int p9_rpc(struct p9_req *req, u8 rtype, unsigned int timeout_s)
{
	struct p9_conn *c = req->conn;
	struct p9_rbuf r;
	u32 ecode;
	int err;

	err = p9_conn_send(c, req);
	if (err) {
		p9_req_abandon(c, req);
		return err;
	}
	err = p9_req_wait(req, timeout_s);
	if (err)
		return err;
	if (req->rtype == P9_RLERROR) {
		p9_req_rbuf(req, &r);
		if (p9_dec_lerror(&r, &ecode))
			return -EPROTO;
		return p9_errno(ecode);
	}
	if (req->rtype != rtype) {
		p9_stat_inc(c, P9_X_PROTOCOL_ERRORS);
		pr_warn_ratelimited("rx9p: %s: reply type %u to a request expecting %u\n",
				    c->addr_str, req->rtype, rtype);
		return -EPROTO;
	}
	return 0;
}

void p9_req_rbuf(struct p9_req *req, struct p9_rbuf *r)
{
	p9_rbuf_init(r, req->rbuf, req->rlen);
}

/* ---- the reply reader ---- */

static int p9_recv(struct p9_conn *c, void *buf, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int n;

	n = kernel_recvmsg(c->sock, &msg, &iov, 1, len, msg.msg_flags);
	return n == 0 ? -ECONNRESET : n;
}

static int p9_recv_iter(struct p9_conn *c, struct iov_iter *iter, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int n;

	msg.msg_iter = *iter;
	iov_iter_truncate(&msg.msg_iter, len);
	n = sock_recvmsg(c->sock, &msg, msg.msg_flags);
	if (n > 0)
		iov_iter_advance(iter, n);
	return n == 0 ? -ECONNRESET : n;
}

static int p9_rx_protocol_error(struct p9_conn *c, const char *what, u32 v)
{
	p9_stat_inc(c, P9_X_PROTOCOL_ERRORS);
	pr_warn_ratelimited("rx9p: %s: bad reply from server (%s: %u); closing the connection\n",
			    c->addr_str, what, v);
	return -EPROTO;
}

void p9_rx_reset(struct p9_conn *c)
{
	c->rx_req = NULL;
	c->rx_phase = P9_RX_HDR;
	c->rx_got = 0;
	c->rx_need = P9_HDRSZ;
}

static void p9_rx_complete(struct p9_conn *c)
{
	struct p9_req *req = c->rx_req;
	bool orphan;

	spin_lock_bh(&c->lock);
	p9_req_untag(c, req);
	orphan = req->state == P9_REQ_ORPHANED;
	req->state = P9_REQ_DONE;
	spin_unlock_bh(&c->lock);
	p9_rx_reset(c);
	p9_stat_inc(c, P9_X_RECEIVED);
	if (orphan) {
		p9_stats_reply(req, 0);
		p9_req_put(req);
	} else {
		p9_req_finish(req, 0);
	}
}

static int p9_rx_header(struct p9_conn *c)
{
	struct p9_req *req;
	u32 size, body;
	u16 tag;
	u8 type;

	p9_parse_header(c->rx_hdr, &size, &type, &tag);
	if (size < P9_HDRSZ || size > c->msize)
		return p9_rx_protocol_error(c, "message size", size);
	p9_stat_add(c, P9_X_BYTES_RECEIVED, size);
	body = size - P9_HDRSZ;

	spin_lock_bh(&c->lock);
	req = tag == P9_NOTAG ? c->version_req : idr_find(&c->reqs, tag);
	if (req && req->state == P9_REQ_SENT)
		req->state = P9_REQ_RECEIVING;
	else if (!req || req->state != P9_REQ_ORPHANED)
		req = NULL;
	spin_unlock_bh(&c->lock);
	if (!req)
		return p9_rx_protocol_error(c, "unknown tag", tag);

	c->rx_req = req;
	c->rx_got = 0;
	/*
	 * Errors on a 9P2000.L session are Rlerror.  nfs-ganesha sends
	 * Rerror's type with Rlerror's body, a bare errno; v9fs takes it
	 * as such, and so do we: a 4-byte Rerror can mean nothing else.
	 */
	if (type == P9_RERROR && body == 4)
		type = P9_RLERROR;
	req->rtype = type;
	if (req->state == P9_REQ_ORPHANED &&
	    !(req->keep_reply && body <= req->rcap && type != P9_RREAD)) {
		c->rx_phase = P9_RX_DISCARD;
		c->rx_need = body;
	} else if (type == P9_RREAD && req->data) {
		if (body < 4)
			return p9_rx_protocol_error(c, "Rread size", size);
		c->rx_phase = P9_RX_COUNT;
		c->rx_need = 4;
	} else {
		if (body > req->rcap)
			return p9_rx_protocol_error(c, "reply larger than expected",
						    size);
		c->rx_phase = P9_RX_BODY;
		c->rx_need = body;
		req->rlen = body;
	}
	if (!c->rx_need)
		p9_rx_complete(c);
	return 0;
}

/* Rread's count arrived: check it against the message and the request. */
static int p9_rx_count(struct p9_conn *c)
{
	struct p9_req *req = c->rx_req;
	u32 size, count;
	u16 tag;
	u8 type;

	p9_parse_header(c->rx_hdr, &size, &type, &tag);
	count = (u32)req->rbuf[0] | (u32)req->rbuf[1] << 8 |
		(u32)req->rbuf[2] << 16 | (u32)req->rbuf[3] << 24;
	if (count > req->data_max || count != size - P9_HDRSZ - 4)
		return p9_rx_protocol_error(c, "Rread count", count);
	req->rlen = 4;
	c->rx_phase = P9_RX_DATA;
	c->rx_got = 0;
	c->rx_need = count;
	if (!count)
		p9_rx_complete(c);
	return 0;
}

/* The current piece is complete: move to the next phase. */
static int p9_rx_advance(struct p9_conn *c)
{
	switch (c->rx_phase) {
	case P9_RX_HDR:
		return p9_rx_header(c);
	case P9_RX_COUNT:
		return p9_rx_count(c);
	default:
		p9_rx_complete(c);
		return 0;
	}
}

/* One step of rx_work's reader: >= 0 progress, -EAGAIN no data, or error. */
static int p9_rx_step(struct p9_conn *c)
{
	struct p9_req *req = c->rx_req;
	u8 scratch[256];
	u32 want = c->rx_need - c->rx_got;
	int n;

	switch (c->rx_phase) {
	case P9_RX_HDR:
		n = p9_recv(c, c->rx_hdr + c->rx_got, want);
		break;
	case P9_RX_BODY:
	case P9_RX_COUNT:
		n = p9_recv(c, req->rbuf + c->rx_got, want);
		break;
	case P9_RX_DATA:
		n = p9_recv_iter(c, req->data, want);
		break;
	default:
		n = p9_recv(c, scratch, min_t(u32, want, sizeof(scratch)));
		break;
	}
	if (n < 0)
		return n;
	c->rx_got += n;
	if (c->rx_got < c->rx_need)
		return 0;
	/*
	 * Complete at DISPATCH, as the softirq reader does: a completion
	 * routine that sends and waits (a close dropping the last reference,
	 * say) must go to the PASSIVE worker, not block the only reader.
	 */
	local_bh_disable();
	n = p9_rx_advance(c);
	local_bh_enable();
	return n;
}

/*
 * tcp_read_sock() actor: consume what @skb holds from @offset, copying
 * headers and small replies into their buffers and Rread payloads straight
 * into the request's destination (page cache folios or pinned pages).
 * Runs in softirq or with bottom halves disabled, under rx_lock.
 */
static int p9_tcp_actor(read_descriptor_t *desc, struct sk_buff *skb,
			unsigned int offset, size_t len)
{
	struct p9_conn *c = desc->arg.data;
	size_t done = 0;
	int err = 0;

	/*
	 * tcp_read_sock() calls again for the rest of a partly consumed skb
	 * without looking at desc->count: a reply already refused must not
	 * be parsed (and counted, and logged) a second time.
	 */
	if (c->rx_err) {
		desc->count = 0;
		return 0;
	}
	while (done < len && !err) {
		struct p9_req *req = c->rx_req;
		u32 want = min_t(size_t, c->rx_need - c->rx_got, len - done);

		switch (c->rx_phase) {
		case P9_RX_HDR:
			err = skb_copy_bits(skb, offset + done,
					    c->rx_hdr + c->rx_got, want);
			break;
		case P9_RX_BODY:
		case P9_RX_COUNT:
			err = skb_copy_bits(skb, offset + done,
					    req->rbuf + c->rx_got, want);
			break;
		case P9_RX_DATA:
			err = skb_copy_datagram_iter(skb, offset + done,
						     req->data, want);
			break;
		default:
			break;	/* discarding an orphan's reply */
		}
		if (err)
			break;
		done += want;
		c->rx_got += want;
		if (c->rx_got == c->rx_need)
			err = p9_rx_advance(c);
	}
	if (err) {
		c->rx_err = err;
		desc->count = 0;	/* stop reading */
	}
	return done;
}

/**
 * p9_tcp_read - parse what the TCP socket holds
 * @c: the connection
 * @sk: its socket, locked by the caller (softirq or socket owner)
 *
 * Completions run from here with bottom halves disabled: at DISPATCH,
 * whatever context data_ready was called in.
 */
void p9_tcp_read(struct p9_conn *c, struct sock *sk)
{
	read_descriptor_t desc = { .arg.data = c, .count = 1 };
	int err;

	spin_lock_bh(&c->rx_lock);
	if (!READ_ONCE(c->err) && !READ_ONCE(c->sock_err) && !c->rx_err)
		tcp_read_sock(sk, &desc, p9_tcp_actor);
	err = c->rx_err;
	spin_unlock_bh(&c->rx_lock);
	if (err)
		p9_conn_fail(c, err);
}

/**
 * p9_conn_fail_all - fail every request waiting on a dead connection
 * @c: the connection, with c->err set
 *
 * Only rx_work (or the closer, once rx_work is stopped) calls this, with
 * the receive state already reset under rx_lock.
 */
void p9_conn_fail_all(struct p9_conn *c)
{
	struct p9_req *req;
	int id, err;

	for (;;) {
		spin_lock_bh(&c->lock);
		err = c->err;
		req = c->version_req;
		if (req && req->state == P9_REQ_ALLOC)
			req = NULL;
		id = 0;
		if (!req) {
			idr_for_each_entry(&c->reqs, req, id)
				if (req->state != P9_REQ_ALLOC)
					break;
		}
		if (req) {
			p9_req_untag(c, req);
			if (req->state == P9_REQ_ORPHANED) {
				req->state = P9_REQ_DONE;
				spin_unlock_bh(&c->lock);
				p9_req_put(req);
				continue;
			}
			req->state = P9_REQ_DONE;
		}
		spin_unlock_bh(&c->lock);
		if (!req)
			break;
		p9_req_finish(req, err);
	}
}

/* Requests whose effect does not change when they are sent twice. */
static bool p9_idempotent(u8 type)
{
	switch (type) {
	case P9_TREAD:
	case P9_TWRITE:		/* at an offset: never an append-mode fid */
	case P9_TGETATTR:
	case P9_TSETATTR:
	case P9_TWALK:
	case P9_TREADDIR:
	case P9_TSTATFS:
	case P9_TREADLINK:
	case P9_TFSYNC:
	case P9_TGETLOCK:
	case P9_TLOCK:
	case P9_TCLUNK:
		return true;
	default:
		return false;
	}
}

#define P9_MAX_RESENDS	3	/* times one request is sent again */

/**
 * p9_conn_requeue - sort the requests of a socket that failed
 * @c: the connection, with c->sock_err set and the receive state reset
 *
 * Replies still owed to orphans are forgotten; idempotent requests wait
 * (QUEUED) to be sent again on the next socket; the others fail with
 * -EIO, as do requests made by the reconnection itself (it retries), the
 * request whose reply broke the protocol (asking again would only repeat
 * it), and a request that already went out P9_MAX_RESENDS times.
 * Completions run at DISPATCH, so none can block the reader.  rx_work.
 */
void p9_conn_requeue(struct p9_conn *c)
{
	bool proto = READ_ONCE(c->sock_err) == -EPROTO;
	struct p9_req *req;
	int id;

	for (;;) {
		bool orphan = false;
		int status = 0;

		spin_lock_bh(&c->lock);
		req = c->version_req;
		if (req && (req->state == P9_REQ_ALLOC ||
			    req->state == P9_REQ_QUEUED))
			req = NULL;
		if (!req) {
			idr_for_each_entry(&c->reqs, req, id)
				if (req->state == P9_REQ_SENT ||
				    req->state == P9_REQ_RECEIVING ||
				    req->state == P9_REQ_ORPHANED)
					break;
		}
		if (req && req->state == P9_REQ_ORPHANED) {
			orphan = true;
		} else if (req && !req->recovery && !req->cancelled &&
			   req->tag != P9_NOTAG &&
			   p9_idempotent(req->tx[4]) &&
			   !(proto && req->state == P9_REQ_RECEIVING) &&
			   req->resends++ < P9_MAX_RESENDS) {
			p9_stat_inc(c, P9_X_RESENDS);
			req->state = P9_REQ_QUEUED;
			if (req->data)
				*req->data = req->data_sent;
			spin_unlock_bh(&c->lock);
			continue;
		} else if (req) {
			status = req->cancelled ? -EINTR :
				 req->recovery ? -ECONNRESET : -EIO;
		}
		if (req) {
			p9_req_untag(c, req);
			req->state = P9_REQ_DONE;
		}
		spin_unlock_bh(&c->lock);
		if (!req)
			break;
		if (orphan) {
			p9_req_put(req);
			continue;
		}
		local_bh_disable();
		p9_req_finish(req, status);
		local_bh_enable();
	}
}

/**
 * p9_conn_resend - send what waited for the connection to come back
 * @c: the connection, just recovered
 *
 * In tag order; a request whose waiter left meanwhile is gone from the
 * table.  PASSIVE (recover_work).
 */
void p9_conn_resend(struct p9_conn *c)
{
	struct p9_req *req;
	int id = 0, err;

	for (;;) {
		spin_lock_bh(&c->lock);
		req = idr_get_next(&c->reqs, &id);
		while (req && req->state != P9_REQ_QUEUED) {
			id++;
			req = idr_get_next(&c->reqs, &id);
		}
		if (req) {
			refcount_inc(&req->ref);
			req->state = P9_REQ_ALLOC;
		}
		spin_unlock_bh(&c->lock);
		if (!req)
			break;
		/*
		 * A lost socket queues it again; a dead connection or an owner
		 * that gave up fails it.
		 */
		err = p9_conn_send(c, req);
		if (err) {
			bool fail;

			spin_lock_bh(&c->lock);
			fail = req->state == P9_REQ_ALLOC;
			if (fail) {
				p9_req_untag(c, req);
				req->state = P9_REQ_DONE;
			}
			spin_unlock_bh(&c->lock);
			if (fail) {
				local_bh_disable();
				p9_req_finish(req, err);
				local_bh_enable();
			}
		}
		p9_req_put(req);
		id++;
	}
}

void p9_conn_rx_work(struct work_struct *work)
{
	struct p9_conn *c = container_of(work, struct p9_conn, rx_work);
	struct sock *sk;
	int ret;

	/* recover_work replaces c->sock under sock_lock */
	mutex_lock(&c->sock_lock);
	sk = c->sock->sk;
	if (c->rx_softirq && !READ_ONCE(c->err) && !READ_ONCE(c->sock_err)) {
		/* data that arrived before the callbacks were in place */
		lock_sock(sk);
		p9_tcp_read(c, sk);
		release_sock(sk);
	}
	for (;;) {
		bool dead = READ_ONCE(c->err), broken = READ_ONCE(c->sock_err);

		if (dead || broken) {
			if (!c->shut) {
				c->shut = true;
				kernel_sock_shutdown(c->sock, SHUT_RDWR);
			}
			spin_lock_bh(&c->rx_lock);
			p9_rx_reset(c);
			spin_unlock_bh(&c->rx_lock);
			if (dead) {
				p9_conn_fail_all(c);
				break;
			}
			p9_conn_requeue(c);
			spin_lock_bh(&c->lock);
			if (!c->recovering && !c->err) {
				c->recovering = true;
				queue_delayed_work(system_unbound_wq, &c->recover_work,
						   0);
			}
			spin_unlock_bh(&c->lock);
			break;
		}
		if (c->rx_softirq) {
			/* the softirq reader does not see the server leave */
			if (sk->sk_state == TCP_CLOSE ||
			    sk->sk_state == TCP_CLOSE_WAIT) {
				p9_conn_fail(c, -ECONNRESET);
				continue;
			}
			break;
		}
		ret = p9_rx_step(c);
		if (ret == -EAGAIN)
			break;
		if (ret < 0) {
			p9_conn_fail(c, ret);
			continue;
		}
		cond_resched();
	}
	mutex_unlock(&c->sock_lock);
}

/* ---- version ---- */

/* A mount-time error goes to the mount's log, a later one to the kernel's. */
static __printf(3, 4) void p9_verr(struct p9_conn *c, struct fs_context *fc,
				   const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (fc)
		errorfc(fc, "%pV", &vaf);
	else if (!READ_ONCE(c->sock_err))	/* not just the socket again */
		pr_warn_ratelimited("rx9p: %pV\n", &vaf);
	va_end(args);
}

/**
 * p9_version - negotiate 9P2000.L and the message size
 * @c: a connected connection
 * @msize: the largest message we propose
 * @fc: the mount context, for messages
 *
 * Without @fc (a reconnect), errors go to the kernel log.  PASSIVE.
 */
int p9_version(struct p9_conn *c, u32 msize, struct fs_context *fc)
{
	struct p9_str version;
	struct p9_wbuf w;
	struct p9_rbuf r;
	struct p9_req *req;
	u32 smsize;
	int err;

	req = p9_req_alloc_tagged(c, 64, 64, true);
	if (IS_ERR(req))
		return PTR_ERR(req);
	req->recovery = !fc;
	req->tx_len = p9_enc_version(&w, req->tx, 64, msize, P9_VERSION_L);
	err = p9_rpc(req, P9_RVERSION, c->timeout);
	if (err) {
		if (err == -ETIMEDOUT)
			p9_verr(c, fc, "%s: no answer to Tversion", c->addr_str);
		else
			p9_verr(c, fc, "%s: version negotiation failed: error %d",
				c->addr_str, err);
		goto out;
	}
	p9_req_rbuf(req, &r);
	err = p9_dec_version(&r, &smsize, &version);
	if (err) {
		p9_verr(c, fc, "%s: malformed Rversion", c->addr_str);
		goto out;
	}
	if (version.len != strlen(P9_VERSION_L) ||
	    memcmp(version.s, P9_VERSION_L, version.len)) {
		p9_verr(c, fc, "%s: server speaks '%.*s', not 9P2000.L",
			c->addr_str, min_t(int, version.len, 32), version.s);
		err = -EPROTONOSUPPORT;
		goto out;
	}
	if (smsize < P9_MIN_MSIZE || smsize > msize) {
		p9_verr(c, fc, "%s: server answered msize %u to our %u",
			c->addr_str, smsize, msize);
		err = -EPROTO;
		goto out;
	}
	c->msize = smsize;
	pr_debug("rx9p: %s: 9P2000.L, msize %u (asked %u)\n", c->addr_str,
		 smsize, msize);
out:
	p9_req_put(req);
	return err;
}
