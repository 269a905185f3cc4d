// SPDX-License-Identifier: GPL-2.0
/*
 * The socket transport (the RxCe analogue): one stream socket per srv_call,
 * TCP over IPv4/IPv6 or a Unix domain socket, created in the mounting
 * process's network namespace.  Requests are sent from the caller's
 * process context; replies are read by rx_work, woken by the socket's
 * data_ready callback.
 */
#include <linux/inet.h>
#include <linux/ktime.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/net.h>
#include <linux/nsproxy.h>
#include <linux/slab.h>
#include <linux/un.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>
#include <rdbss/compat.h>
#include "mrx9p.h"
#include "trace.h"

static bool softirq_rx = true;
module_param(softirq_rx, bool, 0600);
MODULE_PARM_DESC(softirq_rx, "parse TCP replies in the socket's softirq callback (default on)");

static void p9_sk_data_ready(struct sock *sk)
{
	struct p9_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c && c->rx_softirq)
		p9_tcp_read(c, sk);
	else if (c)
		queue_work(mrx9p_wq, &c->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void p9_sk_state_change(struct sock *sk)
{
	struct p9_conn *c;

	read_lock_bh(&sk->sk_callback_lock);
	c = sk->sk_user_data;
	if (c && (sk->sk_state == TCP_CLOSE || sk->sk_state == TCP_CLOSE_WAIT))
		queue_work(mrx9p_wq, &c->rx_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

/* Fill @addr from the mount source; returns its length or an error. */
static int p9_parse_addr(const struct mrx9p_opts *o, const char *source,
			 struct sockaddr_storage *addr, struct fs_context *fc)
{
	struct sockaddr_in *sin;

	memset(addr, 0, sizeof(*addr));
	if (o->trans == MRX9P_TRANS_UNIX) {
		struct sockaddr_un *sun = (struct sockaddr_un *)addr;

		if (strlen(source) >= sizeof(sun->sun_path))
			return invalfc(fc, "socket path too long");
		sun->sun_family = AF_UNIX;
		strscpy(sun->sun_path, source, sizeof(sun->sun_path));
		return sizeof(*sun);
	}
	if (strchr(source, ':')) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;

		if (!in6_pton(source, -1, sin6->sin6_addr.s6_addr, '\0', NULL))
			return invalfc(fc, "'%s' is not an IPv6 address", source);
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(o->port);
		return sizeof(*sin6);
	}
	sin = (struct sockaddr_in *)addr;
	if (!in4_pton(source, -1, (u8 *)&sin->sin_addr.s_addr, '\0', NULL))
		return invalfc(fc, "'%s' is not an IP address", source);
	sin->sin_family = AF_INET;
	sin->sin_port = htons(o->port);
	return sizeof(*sin);
}

/**
 * p9_sock_connect - a new socket connected to the server
 * @c: the connection (its address, namespace and timeout)
 * @sockp: the socket, on success
 *
 * The connect is bounded by the timeout option.  PASSIVE.
 */
int p9_sock_connect(struct p9_conn *c, struct socket **sockp)
{
	bool unix_sock = c->addr.ss_family == AF_UNIX;
	struct socket *sock;
	struct sock *sk;
	int err;

	err = sock_create_kern(c->net, c->addr.ss_family, SOCK_STREAM,
			       unix_sock ? 0 : IPPROTO_TCP, &sock);
	if (err)
		return err;
	sk = sock->sk;
	sk->sk_allocation = GFP_NOFS;
	sk->sk_use_task_frag = false;
	if (!unix_sock)
		tcp_sock_set_nodelay(sk);
	sk->sk_sndtimeo = c->timeout ? c->timeout * HZ : MAX_SCHEDULE_TIMEOUT;
	err = rx_kernel_connect(sock, &c->addr, c->addrlen, 0);
	if (err == -EINPROGRESS || err == -EAGAIN)
		err = -ETIMEDOUT;
	if (err) {
		sock_release(sock);
		return err;
	}
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;
	*sockp = sock;
	p9_stat_inc(c, P9_X_CONNECTS);
	trace_mrx9p_conn(c, P9_TRACE_CONNECTED, 0);
	return 0;
}

/* Install our callbacks on c->sock and read what already arrived. */
void p9_sock_attach(struct p9_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	c->saved_data_ready = sk->sk_data_ready;
	c->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = p9_sk_data_ready;
	sk->sk_state_change = p9_sk_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	queue_work(mrx9p_wq, &c->rx_work);
}

/**
 * p9_conn_open - connect to the server named by the mount
 * @c: the zeroed connection
 * @o: the mount options
 * @fc: the mount context (source, error log)
 *
 * PASSIVE.
 */
int p9_conn_open(struct p9_conn *c, const struct mrx9p_opts *o,
		 struct fs_context *fc)
{
	int len, err;

	spin_lock_init(&c->lock);
	spin_lock_init(&c->rx_lock);
	idr_init(&c->reqs);
	init_waitqueue_head(&c->idle_wq);
	ida_init(&c->fids);
	mutex_init(&c->tx_lock);
	mutex_init(&c->sock_lock);
	mutex_init(&c->recov_lock);
	INIT_LIST_HEAD(&c->roots);
	INIT_LIST_HEAD(&c->ufids);
	INIT_LIST_HEAD(&c->opens);
	INIT_WORK(&c->rx_work, p9_conn_rx_work);
	INIT_DELAYED_WORK(&c->recover_work, mrx9p_recover_work);
	c->rx_phase = P9_RX_HDR;
	c->rx_need = P9_HDRSZ;
	c->timeout = o->timeout;
	c->msize = o->msize;
	/* not utsname() at lock time: an exiting task has no namespaces */
	strscpy(c->client_id, utsname()->nodename, sizeof(c->client_id));
	if (p9_stats_init(c))
		return -ENOMEM;
	c->addr_str = kstrdup(fc->source, GFP_KERNEL);
	if (!c->addr_str) {
		p9_stats_destroy(c);
		return -ENOMEM;
	}

	len = p9_parse_addr(o, fc->source, &c->addr, fc);
	if (len < 0)
		goto out_free;
	c->addrlen = len;

	c->net = get_net(current->nsproxy->net_ns);
	c->rx_softirq = c->addr.ss_family != AF_UNIX && READ_ONCE(softirq_rx);
	err = p9_sock_connect(c, &c->sock);
	if (err) {
		if (err == -EAFNOSUPPORT || err == -EPROTONOSUPPORT)
			errorfc(fc, "cannot create a socket: error %d", err);
		else
			errorfc(fc, "cannot connect to %s: error %d",
				fc->source, err);
		goto out_net;
	}
	p9_sock_attach(c);
	return 0;

out_net:
	put_net(c->net);
	c->net = NULL;
	len = err;
out_free:
	kfree(c->addr_str);
	p9_stats_destroy(c);
	return len;
}

/* Detach our callbacks: after this no new rx_work is queued for c->sock. */
void p9_sock_detach(struct p9_conn *c)
{
	struct sock *sk = c->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	if (sk->sk_user_data == c) {
		sk->sk_user_data = NULL;
		sk->sk_data_ready = c->saved_data_ready;
		sk->sk_state_change = c->saved_state_change;
	}
	write_unlock_bh(&sk->sk_callback_lock);
}

/**
 * p9_conn_fail - the socket failed: wake the receiver to deal with it
 * @c: the connection
 * @err: why
 *
 * Before the mount is complete the connection dies and rx_work fails
 * every request still waiting; after it, rx_work queues what can be sent
 * again and recover_work reconnects.  Any context, softirq included.
 */
void p9_conn_fail(struct p9_conn *c, int err)
{
	bool first = false;

	spin_lock_bh(&c->lock);
	if (!c->err && !c->sock_err) {
		/* a reconnect attempt failing says nothing new */
		first = !c->recovering;
		if (c->recoverable)
			c->sock_err = err;
		else
			c->err = err;
	}
	spin_unlock_bh(&c->lock);
	if (first)
		trace_mrx9p_conn(c, P9_TRACE_LOST, err);
	if (first)
		pr_warn_ratelimited("rx9p: connection to %s lost: error %d%s\n",
				    c->addr_str, err,
				    c->recoverable ? "; reconnecting" : "");
	queue_work(mrx9p_wq, &c->rx_work);
}

/**
 * p9_conn_abort - give up on the server (umount -f)
 * @c: the connection
 *
 * Every request waiting, queued or in flight fails with -EIO, and so does
 * every later one.  PASSIVE.
 */
void p9_conn_abort(struct p9_conn *c)
{
	spin_lock_bh(&c->lock);
	if (!c->err)
		c->err = -EIO;
	spin_unlock_bh(&c->lock);
	trace_mrx9p_conn(c, P9_TRACE_ABORTED, -EIO);
	queue_work(mrx9p_wq, &c->rx_work);
}

/**
 * p9_conn_send - send a request whose reply will be matched by its tag
 * @c: the connection
 * @req: the encoded request
 *
 * PASSIVE.  On failure the request was not sent and stays the caller's.
 */
int p9_conn_send(struct p9_conn *c, struct p9_req *req)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL };
	struct kvec iov;
	u32 sent = 0;
	int ret;

	mutex_lock(&c->tx_lock);
	spin_lock_bh(&c->lock);
	ret = c->err;
	if (!ret && req->cancelled)
		ret = -EINTR;	/* its owner gave up while it was resent */
	if (!ret && (c->recovering || c->sock_err) && !req->recovery) {
		/* recover_work sends it once the server is back */
		req->state = P9_REQ_QUEUED;
		spin_unlock_bh(&c->lock);
		goto out;
	}
	if (!ret && c->sock_err)
		ret = c->sock_err;	/* a reconnect attempt failed */
	if (!ret) {
		req->state = P9_REQ_SENT;
		if (req->data)
			req->data_sent = *req->data;
		/* before the send: the reply may beat sendmsg's return */
		req->ttype = req->tx[4];
		req->sent_ns = ktime_get_ns();
	}
	spin_unlock_bh(&c->lock);
	if (ret)
		goto out;

	while (sent < req->tx_len) {
		iov.iov_base = req->tx + sent;
		iov.iov_len = req->tx_len - sent;
		ret = kernel_sendmsg(c->sock, &msg, &iov, 1, iov.iov_len);
		if (ret <= 0) {
			if (ret == 0)
				ret = -EPIPE;
			break;
		}
		sent += ret;
	}
	if (sent == req->tx_len) {
		trace_mrx9p_request(req);
		p9_stat_inc(c, P9_X_SENT);
		p9_stat_add(c, P9_X_BYTES_SENT, sent);
		ret = 0;
	} else if (sent == 0 && (ret == -ERESTARTSYS || ret == -EINTR)) {
		/* nothing left the machine: the stream is intact */
		spin_lock_bh(&c->lock);
		if (req->state == P9_REQ_SENT)
			req->state = P9_REQ_ALLOC;
		spin_unlock_bh(&c->lock);
		ret = -EINTR;
	} else {
		/* a partial message corrupts the stream */
		p9_conn_fail(c, ret);
		ret = 0;	/* the receiver will fail the request */
	}
out:
	mutex_unlock(&c->tx_lock);
	return ret;
}

static bool p9_conn_idle(struct p9_conn *c)
{
	bool idle;

	spin_lock_bh(&c->lock);
	idle = idr_is_empty(&c->reqs) || c->err || c->sock_err;
	spin_unlock_bh(&c->lock);
	return idle;
}

/**
 * p9_conn_close - tear the connection down
 * @c: the connection
 *
 * Every request still outstanding fails with -ECONNABORTED.  PASSIVE.
 */
void p9_conn_close(struct p9_conn *c)
{
	if (!c->sock)
		return;
	/*
	 * Let what is on the wire be answered first (an unmount's clunks go
	 * without waiting): a server should survive a close under its feet,
	 * but need not be made to.  Bounded: a silent server only delays it.
	 * Only for a connection that was in use: a failed mount has nothing
	 * worth waiting for.
	 */
	if (READ_ONCE(c->recoverable))
		wait_event_timeout(c->idle_wq, p9_conn_idle(c),
				   P9_CLOSE_DRAIN);
	spin_lock_bh(&c->lock);
	if (!c->err)
		c->err = -ECONNABORTED;
	spin_unlock_bh(&c->lock);
	/* fail the reconnection's requests, then wait for it to give up */
	queue_work(mrx9p_wq, &c->rx_work);
	cancel_delayed_work_sync(&c->recover_work);
	p9_sock_detach(c);
	kernel_sock_shutdown(c->sock, SHUT_RDWR);
	cancel_work_sync(&c->rx_work);
	spin_lock_bh(&c->rx_lock);
	c->rx_err = -ECONNABORTED;	/* no more parsing */
	p9_rx_reset(c);
	spin_unlock_bh(&c->rx_lock);
	p9_conn_fail_all(c);
	sock_release(c->sock);
	c->sock = NULL;
	put_net(c->net);
	idr_destroy(&c->reqs);
	ida_destroy(&c->fids);
	kfree(c->addr_str);
	p9_stats_destroy(c);
}
