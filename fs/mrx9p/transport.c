// SPDX-License-Identifier: GPL-2.0
/*
 * The socket transport (the RxCe analogue): one stream socket per srv_call,
 * TCP over IPv4/IPv6 or a Unix domain socket, created in the mounting
 * process's network namespace.  Requests are sent from the caller's
 * process context; replies are read by rx_work, woken by the socket's
 * data_ready callback.
 */
#include <linux/inet.h>
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

static bool softirq_rx = true;
module_param(softirq_rx, bool, 0644);
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
 * p9_conn_open - connect to the server named by the mount
 * @c: the zeroed connection
 * @o: the mount options
 * @fc: the mount context (source, error log)
 *
 * The connect is bounded by the timeout option.  PASSIVE.
 */
int p9_conn_open(struct p9_conn *c, const struct mrx9p_opts *o,
		 struct fs_context *fc)
{
	struct sockaddr_storage addr;
	struct sock *sk;
	int len, err;

	spin_lock_init(&c->lock);
	spin_lock_init(&c->rx_lock);
	idr_init(&c->reqs);
	ida_init(&c->fids);
	mutex_init(&c->tx_lock);
	INIT_WORK(&c->rx_work, p9_conn_rx_work);
	c->rx_phase = P9_RX_HDR;
	c->rx_need = P9_HDRSZ;
	c->timeout = o->timeout;
	c->msize = o->msize;
	/* not utsname() at lock time: an exiting task has no namespaces */
	strscpy(c->client_id, utsname()->nodename, sizeof(c->client_id));
	c->addr_str = kstrdup(fc->source, GFP_KERNEL);
	if (!c->addr_str)
		return -ENOMEM;

	len = p9_parse_addr(o, fc->source, &addr, fc);
	if (len < 0)
		goto out_free;

	c->net = get_net(current->nsproxy->net_ns);
	err = sock_create_kern(c->net, addr.ss_family, SOCK_STREAM,
			       addr.ss_family == AF_UNIX ? 0 : IPPROTO_TCP,
			       &c->sock);
	if (err) {
		errorfc(fc, "cannot create a socket: error %d", err);
		goto out_net;
	}
	sk = c->sock->sk;
	sk->sk_allocation = GFP_NOFS;
	sk->sk_use_task_frag = false;
	if (addr.ss_family != AF_UNIX) {
		tcp_sock_set_nodelay(sk);
		c->rx_softirq = READ_ONCE(softirq_rx);
	}
	sk->sk_sndtimeo = o->timeout ? o->timeout * HZ : MAX_SCHEDULE_TIMEOUT;

	err = rx_kernel_connect(c->sock, &addr, len, 0);
	if (err == -EINPROGRESS || err == -EAGAIN)
		err = -ETIMEDOUT;
	if (err) {
		errorfc(fc, "cannot connect to %s: error %d", fc->source, err);
		goto out_sock;
	}
	sk->sk_sndtimeo = MAX_SCHEDULE_TIMEOUT;

	write_lock_bh(&sk->sk_callback_lock);
	c->saved_data_ready = sk->sk_data_ready;
	c->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = c;
	sk->sk_data_ready = p9_sk_data_ready;
	sk->sk_state_change = p9_sk_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
	/* anything that arrived before the callbacks were in place */
	queue_work(mrx9p_wq, &c->rx_work);
	return 0;

out_sock:
	sock_release(c->sock);
	c->sock = NULL;
out_net:
	put_net(c->net);
	c->net = NULL;
	len = err;
out_free:
	kfree(c->addr_str);
	return len;
}

/* Detach our callbacks: after this no new rx_work is queued. */
static void p9_conn_detach(struct p9_conn *c)
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
 * p9_conn_fail - mark the connection dead and wake the receiver
 * @c: the connection
 * @err: why
 *
 * rx_work fails every request still waiting.  Any context, softirq
 * included.
 */
void p9_conn_fail(struct p9_conn *c, int err)
{
	bool first;

	spin_lock_bh(&c->lock);
	first = !c->err;
	if (first)
		c->err = err;
	spin_unlock_bh(&c->lock);
	if (first)
		pr_warn_ratelimited("rx9p: connection to %s lost: error %d\n",
				    c->addr_str, err);
	/* rx_work shuts the socket down and fails what is waiting */
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
	if (!ret)
		req->state = P9_REQ_SENT;
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
	p9_conn_detach(c);
	spin_lock_bh(&c->lock);
	if (!c->err)
		c->err = -ECONNABORTED;
	spin_unlock_bh(&c->lock);
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
}
