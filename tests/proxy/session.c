// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: one session, a client connection and its server connection.
 * Whole messages are passed on both ways: requests are recorded and their
 * tags tracked, replies go through the armed fault (fault.c); delayed and
 * reordered replies are held here until due.  The server's connection
 * outlives the client's until it answered what it was asked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "p9proxy.h"

static void drop_held(struct session *s)
{
	struct held *h, *n;

	for (h = s->pend; h; h = n) {
		n = h->next;
		free(h->msg);
		free(h);
	}
	s->pend = NULL;
	s->pend_tail = NULL;
	if (s->reorder) {
		free(s->reorder->msg);
		free(s->reorder);
		s->reorder = NULL;
	}
}

/* Both connections go; only when the server owes nothing (see below). */
void session_close(struct session *s, const char *why)
{
	if (s->dead)
		return;
	plog("session %d: closed (%s)", s->id, why);
	if (s->cfd >= 0)
		close(s->cfd);
	if (s->sfd >= 0)
		close(s->sfd);
	s->cfd = -1;
	s->sfd = -1;
	drop_held(s);
	buf_free(&s->cin);
	buf_free(&s->sin);
	buf_free(&s->cout);
	buf_free(&s->sout);
	free(s->tags);
	s->tags = NULL;
	s->dead = true;
}

/* The server answered everything and the client is gone: close. */
void session_maybe_done(struct session *s)
{
	if (!s->dead && s->cfd < 0 && !s->inflight && !buf_used(&s->sout))
		session_close(s, "the server answered everything");
}

/*
 * Drop the client's connection.  The server's stays until it answered
 * what it was sent (replies are read and thrown away): diod dies of
 * SIGPIPE when a peer closes while it is still sending replies, and the
 * proxy must not kill the server every test shares.  What the client had
 * sent and the proxy not yet passed on still goes to the server, as it
 * would have on a real connection that broke later.
 */
void session_client_close(struct session *s, const char *why)
{
	if (s->dead || s->cfd < 0)
		return;
	plog("session %d: client connection closed (%s); %u request(s) in flight",
	     s->id, why, s->inflight);
	close(s->cfd);
	s->cfd = -1;
	drop_held(s);
	buf_free(&s->cin);
	buf_free(&s->cout);
	s->draining = false;
	s->drain_until = now_ms() + SERVER_DRAIN_MS;
	session_maybe_done(s);
}

/* A request went to the server: it owes a reply for @tag. */
static void track(struct session *s, uint16_t tag)
{
	if (!s->tags[tag].live)
		s->inflight++;
	s->tags[tag].live = 1;
}

/* A reply came for @tag; Rflush also settles the request it flushed. */
static void untrack(struct session *s, uint16_t tag, int rtype)
{
	struct tag_info *ti = &s->tags[tag];

	if (rtype == RFLUSH && ti->live && ti->type == TFLUSH &&
	    s->tags[ti->oldtag].live && ti->oldtag != tag) {
		s->tags[ti->oldtag].live = 0;
		s->inflight--;
	}
	if (ti->live) {
		ti->live = 0;
		s->inflight--;
	}
}

/* Queue @len bytes for the client, behind anything a delay holds back. */
void session_emit(struct session *s, const unsigned char *msg, size_t len,
		  long long due)
{
	struct held *h;

	if (s->cfd < 0)
		return;
	if (!s->pend && !due) {
		buf_append(&s->cout, msg, len);
		return;
	}
	h = xmalloc(sizeof(*h));
	h->msg = xmalloc(len);
	memcpy(h->msg, msg, len);
	h->len = len;
	h->due = due;
	h->next = NULL;
	if (s->pend_tail)
		s->pend_tail->next = h;
	else
		s->pend = h;
	s->pend_tail = h;
}

/* Release what is due: delayed replies in order, an overdue reordered one. */
void session_run_timers(struct session *s, long long now, bool all)
{
	struct held *h;

	if (s->reorder && (all || s->reorder->due <= now)) {
		h = s->reorder;
		s->reorder = NULL;
		plog("session %d: reorder: no other reply came; releasing the held one",
		     s->id);
		session_emit(s, h->msg, h->len, 0);
		free(h->msg);
		free(h);
	}
	while (s->pend && (all || s->pend->due <= now)) {
		h = s->pend;
		s->pend = h->next;
		if (!s->pend)
			s->pend_tail = NULL;
		buf_append(&s->cout, h->msg, h->len);
		free(h->msg);
		free(h);
	}
}

long long session_next_timer(const struct session *s)
{
	long long t = -1;

	if (s->reorder)
		t = s->reorder->due;
	if (s->pend && (t < 0 || s->pend->due < t))
		t = s->pend->due;
	return t;
}

/* One whole reply from the server. */
void session_from_server(struct session *s, const unsigned char *msg,
			 size_t len)
{
	int type = msg[4];
	uint16_t tag = get_le16(msg + 5);
	struct held *h;
	bool done = false;

	if (s->cfd < 0) {
		/* the client is gone: settle the account with the server */
		untrack(s, tag, type);
		session_maybe_done(s);
		return;
	}
	if (type == RVERSION && len >= HDRSZ + 4)
		s->msize = get_le32(msg + HDRSZ);
	if (fault_matches(s, type, tag))
		done = fault_apply(s, msg, len);
	untrack(s, tag, type);
	if (s->dead || s->cfd < 0) {
		session_maybe_done(s);
		return;
	}
	if (s->draining)
		return;
	if (!done)
		session_emit(s, msg, len, 0);
	/* a reply went by: the held one follows it */
	if (s->reorder && !(done && fault_armed_kind() == F_REORDER &&
			    s->reorder->msg[5] == msg[5] &&
			    s->reorder->msg[6] == msg[6])) {
		h = s->reorder;
		s->reorder = NULL;
		session_emit(s, h->msg, h->len, 0);
		free(h->msg);
		free(h);
	}
}

/* One whole request from the client: record it, note its tag, pass it on. */
void session_from_client(struct session *s, const unsigned char *msg,
			 size_t len)
{
	int type = msg[4];
	uint16_t tag = get_le16(msg + 5);
	struct tag_info *ti = &s->tags[tag];

	capture_write(msg, len);
	track(s, tag);
	ti->type = type;
	ti->count = 0;
	ti->offset = 0;
	ti->oldtag = 0;
	if (type == TFLUSH && len >= HDRSZ + 2) {
		ti->oldtag = get_le16(msg + HDRSZ);
		/* the tests look for the flush of a request they gave up */
		plog("session %d: Tflush tag %u oldtag %u", s->id, tag,
		     ti->oldtag);
	}
	if ((type == TREAD || type == TREADDIR) && len >= HDRSZ + 16) {
		ti->offset = get_le64(msg + HDRSZ + 4);
		ti->count = get_le32(msg + HDRSZ + 12);
	} else if (type == TWRITE && len >= HDRSZ + 16) {
		ti->count = get_le32(msg + HDRSZ + 12);
	}
	buf_append(&s->sout, msg, len);
}

/*
 * Read what @fd has into @in and hand every whole message to @fn.
 * Returns false when the peer is gone or broke the framing.
 */
bool session_read(struct session *s, int fd, struct buf *in,
		  void (*fn)(struct session *, const unsigned char *, size_t),
		  const char *who)
{
	size_t total = 0;
	ssize_t n;

	while (total < (4u << 20)) {
		buf_reserve(in, READ_CHUNK);
		n = recv(fd, in->data + in->len, in->cap - in->len,
			 MSG_DONTWAIT);
		if (n == 0) {
			plog("session %d: %s closed the connection", s->id, who);
			return false;
		}
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			plog("session %d: %s: %s", s->id, who, strerror(errno));
			return false;
		}
		in->len += n;
		total += n;
		while (buf_used(in) >= 4 && !s->dead && !s->draining) {
			uint32_t size = get_le32(in->data + in->off);

			if (size < HDRSZ || size > MAX_MSG) {
				plog("session %d: %s sent a message of size %u; closing",
				     s->id, who, size);
				return false;
			}
			if (buf_used(in) < size)
				break;
			fn(s, in->data + in->off, size);
			if (s->dead)
				return true;
			buf_consume(in, size);
		}
		if (s->dead || s->draining)
			break;
	}
	return true;
}

/* Write what @out holds to @fd; false if the peer is gone. */
bool session_write(struct session *s, int fd, struct buf *out,
		   const char *who)
{
	ssize_t n;

	while (buf_used(out)) {
		n = send(fd, out->data + out->off, buf_used(out),
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			if (errno == EINTR)
				continue;
			plog("session %d: writing to %s: %s", s->id, who,
			     strerror(errno));
			return false;
		}
		buf_consume(out, n);
	}
	return true;
}

/* The server closed: what it said still goes out, then the client goes. */
void session_server_gone(struct session *s)
{
	close(s->sfd);
	s->sfd = -1;
	if (s->cfd < 0) {
		session_close(s, "server closed");
		return;
	}
	session_run_timers(s, 0, true);
	s->draining = true;
}
