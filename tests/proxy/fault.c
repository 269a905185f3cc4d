// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: the armed fault.  It is armed from -f or the control file
 * (read again whenever it changes, and on SIGUSR1), matched against each
 * reply from the server and applied: the reply is dropped, held, cut or
 * rewritten (rewrite.c), and a "fired" line logged.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "p9proxy.h"

static struct fault fault = { .kind = F_NONE, .name = "none", .rtype = -1,
			      .ttype = -1, .times = 1 };
static struct stat ctl_st;

/* What the armed fault is, for the reorder fault's bookkeeping. */
enum fault_kind fault_armed_kind(void)
{
	return fault.kind;
}

/* reopen[=MS]: drop every client; with MS, refuse new ones that long. */
static void do_reopen(void)
{
	uint64_t ms = fault.has_arg ? fault.arg : 0;
	int n = proxy_reopen(ms);

	fault.fired++;
	if (ms)
		plog("fired %s: closed %d session(s); not listening for %llu ms",
		     fault.spec, n, (unsigned long long)ms);
	else
		plog("fired %s: closed %d session(s)", fault.spec, n);
}

/* Arm @spec in place of the fault armed so far; a bad one arms none. */
void fault_arm(const char *spec)
{
	struct fault f;
	const char *err = fault_parse(spec, &f);

	if (err) {
		plog("bad fault '%s': %s; now none", spec, err);
		fault_parse("none", &f);
	}
	fault = f;
	plog("armed %s", fault.spec);
	if (fault.kind == F_REOPEN)
		do_reopen();
}

/*
 * Arm the first line of the control file @path (none if NULL) when the
 * file changed since it was last read, or when @force.
 */
void fault_load_ctl(const char *path, bool force)
{
	char line[256] = "";
	struct stat st;
	FILE *f;

	if (!path)
		return;
	if (stat(path, &st))
		return;
	if (!force && st.st_ino == ctl_st.st_ino &&
	    st.st_size == ctl_st.st_size &&
	    st.st_mtim.tv_sec == ctl_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == ctl_st.st_mtim.tv_nsec)
		return;
	ctl_st = st;
	f = fopen(path, "r");
	if (!f)
		return;
	if (!fgets(line, sizeof(line), f))
		line[0] = 0;
	fclose(f);
	line[strcspn(line, "\r\n")] = 0;
	fault_arm(line[0] ? line : "none");
}

/*
 * A tag no request of this session is waiting on, or (@other) the tag of
 * a request of another type in flight.  Not one of the same type: a
 * reply given to another Tread is indistinguishable from its own, for
 * any client; this fault is about what a client can check.
 */
static uint16_t pick_tag(const struct session *s, uint16_t tag, bool other)
{
	unsigned int t;

	if (other)
		for (t = 0; t < NOTAG; t++)
			if (t != tag && s->tags[t].live &&
			    s->tags[t].type != s->tags[tag].type)
				return (uint16_t)t;
	for (t = 0x8000; t < NOTAG; t++)
		if (t != tag && !s->tags[t].live)
			return (uint16_t)t;
	return 0x7fff;
}

/* Whether a reply of @type for @tag is one the armed fault is for. */
bool fault_matches(const struct session *s, int type, uint16_t tag)
{
	if (fault.kind == F_NONE || fault.kind == F_REOPEN)
		return false;
	if (fault.times && fault.fired >= fault.times)
		return false;
	if (fault.ttype >= 0)
		return s->tags[tag].live && s->tags[tag].type == fault.ttype;
	return fault.rtype < 0 || fault.rtype == type;
}

/*
 * Apply the fault to one reply.  Returns true if the reply was dealt with
 * (sent, held, replaced or the session closed), false if the fault does
 * not apply to it (it is then forwarded as it is and not counted).
 */
bool fault_apply(struct session *s, const unsigned char *msg, size_t len)
{
	int type = msg[4];
	uint16_t tag = get_le16(msg + 5), t2;
	const struct tag_info *ti = &s->tags[tag];
	const unsigned char *body = msg + HDRSZ;
	size_t blen = len - HDRSZ, nl = len, offs[64];
	char what[160] = "";
	unsigned char *m = NULL;
	uint32_t v;
	int i, k;

	switch (fault.kind) {
	case F_SHORTBODY:
		if (blen < 1)
			return false;
		break;
	case F_BIGCOUNT:
		if ((type != RREAD && type != RREADDIR && type != RWRITE) ||
		    blen < 4 || !ti->live)
			return false;
		/* bounds for the bytes appended to a read */
		if (type != RWRITE &&
		    (fault.arg > MAX_MSG / 2 || ti->count > MAX_MSG / 2 ||
		     get_le32(body) > ti->count))
			return false;
		break;
	case F_SETCOUNT:
		if ((type != RREAD && type != RREADDIR && type != RWRITE) ||
		    blen < 4)
			return false;
		break;
	case F_BADQID:
		if (!rewrite_qids(type, body, blen, offs, 64))
			return false;
		break;
	case F_BADMODE:
		if (type != RGETATTR || blen < 8 + QIDSZ + 4)
			return false;
		break;
	case F_WALKEXTRA:
		if (type != RWALK || blen < 2)
			return false;
		break;
	case F_DIRENT:
		if (type != RREADDIR)
			return false;
		m = rewrite_dirent(msg, len, ti->live ? ti : NULL,
				   fault.dirent, &nl);
		if (!m)
			return false;
		break;
	default:
		break;
	}

	fault.seen++;
	if (fault.seen <= fault.after) {
		free(m);
		return false;
	}
	fault.fired++;

	switch (fault.kind) {
	case F_DROP:
		plog("fired %s on %s tag %u (session %d)", fault.spec,
		     msg_name(type), tag, s->id);
		session_client_close(s, "fault: drop");
		return true;
	case F_SWALLOW:
		plog("fired %s on %s tag %u (session %d): not forwarded",
		     fault.spec, msg_name(type), tag, s->id);
		return true;
	case F_DELAY:
		plog("fired %s on %s tag %u (session %d): held %llu ms",
		     fault.spec, msg_name(type), tag, s->id,
		     (unsigned long long)fault.arg);
		session_emit(s, msg, len, now_ms() + (long long)fault.arg);
		return true;
	case F_REORDER: {
		struct held *h = xmalloc(sizeof(*h));

		if (s->reorder) {
			/* the one already held goes after this one */
			session_emit(s, msg, len, 0);
			plog("fired %s on %s tag %u (session %d): sent before the held one",
			     fault.spec, msg_name(type), tag, s->id);
			free(h);
			return true;
		}
		h->msg = rewrite_copy(msg, len, 0);
		h->len = len;
		h->due = now_ms() + (long long)(fault.has_arg ? fault.arg : 1000);
		h->next = NULL;
		s->reorder = h;
		plog("fired %s on %s tag %u (session %d): held until the next reply",
		     fault.spec, msg_name(type), tag, s->id);
		return true;
	}
	case F_TRUNCATE: {
		size_t n = fault.has_arg ? (size_t)fault.arg :
			   HDRSZ + blen / 2;

		if (n >= len)
			n = len - 1;
		if (!n)
			n = 1;
		plog("fired %s on %s tag %u (session %d): %zu of %zu bytes, then close",
		     fault.spec, msg_name(type), tag, s->id, n, len);
		session_emit(s, msg, n, 0);
		session_run_timers(s, 0, true);
		s->draining = true;
		return true;
	}
	case F_LERROR:
		m = xmalloc(HDRSZ + 4);
		put_le32(m, HDRSZ + 4);
		m[4] = RLERROR;
		put_le16(m + 5, tag);
		put_le32(m + HDRSZ, (uint32_t)fault.arg);
		nl = HDRSZ + 4;
		snprintf(what, sizeof(what), "replaced by Rlerror %u",
			 (uint32_t)fault.arg);
		break;
	case F_WRONGTAG:
		m = rewrite_copy(msg, len, 0);
		t2 = fault.has_arg && !fault.other_tag ? (uint16_t)fault.arg :
		     pick_tag(s, tag, fault.other_tag);
		put_le16(m + 5, t2);
		snprintf(what, sizeof(what), "tag %u -> %u (%s)", tag, t2,
			 s->tags[t2].live ? msg_name(s->tags[t2].type) :
			 "no request");
		break;
	case F_BIGSIZE:
		m = rewrite_copy(msg, len, 0);
		v = fault.has_arg ? (uint32_t)fault.arg :
		    (s->msize ? s->msize : 8u << 20) + 1;
		put_le32(m, v);
		snprintf(what, sizeof(what), "size %zu -> %u (msize %u)", len,
			 v, s->msize);
		break;
	case F_SHORTBODY:
		m = rewrite_copy(msg, len, 0);
		nl = len - 1;
		put_le32(m, (uint32_t)nl);
		snprintf(what, sizeof(what), "body %zu -> %zu bytes", blen,
			 blen - 1);
		break;
	case F_LONGBODY:
		m = rewrite_copy(msg, len, 1);
		m[len] = 0;
		nl = len + 1;
		put_le32(m, (uint32_t)nl);
		snprintf(what, sizeof(what), "body %zu -> %zu bytes", blen,
			 blen + 1);
		break;
	case F_BIGCOUNT: {
		uint32_t extra = fault.has_arg ? (uint32_t)fault.arg : 1;
		uint32_t c = get_le32(body);

		if (type == RWRITE) {
			/* more than the request carried */
			m = rewrite_copy(msg, len, 0);
			put_le32(m + HDRSZ, ti->count + extra);
			snprintf(what, sizeof(what), "count %u -> %u (asked %u)",
				 c, ti->count + extra, ti->count);
			break;
		}
		/*
		 * More than asked for, consistently: the count says EXTRA
		 * bytes more than the request's count and the size agrees,
		 * so only the request's bound is broken.
		 */
		extra += ti->count - c;
		m = rewrite_copy(msg, len, extra);
		memset(m + len, 0xa5, extra);
		nl = len + extra;
		put_le32(m, (uint32_t)nl);
		put_le32(m + HDRSZ, c + extra);
		snprintf(what, sizeof(what), "count %u -> %u (asked %u)", c,
			 c + extra, ti->count);
		break;
	}
	case F_SETCOUNT:
		m = rewrite_copy(msg, len, 0);
		put_le32(m + HDRSZ, (uint32_t)fault.arg);
		snprintf(what, sizeof(what), "count %u -> %u", get_le32(body),
			 (uint32_t)fault.arg);
		break;
	case F_BADQID:
		m = rewrite_copy(msg, len, 0);
		k = rewrite_qids(type, body, blen, offs, 64);
		for (i = 0; i < k; i++)
			m[HDRSZ + offs[i]] = fault.has_arg ? (uint8_t)fault.arg : 0xff;
		snprintf(what, sizeof(what), "%d qid type(s) -> 0x%02x", k,
			 fault.has_arg ? (uint8_t)fault.arg : 0xff);
		break;
	case F_BADMODE:
		m = rewrite_copy(msg, len, 0);
		v = fault.has_arg ? (uint32_t)fault.arg : 0170644;
		put_le32(m + HDRSZ + 8 + QIDSZ, v);
		snprintf(what, sizeof(what), "mode 0%o -> 0%o",
			 get_le32(body + 8 + QIDSZ), v);
		break;
	case F_WALKEXTRA: {
		uint16_t n = get_le16(body);

		/* one qid more than the names walked, copied or made up */
		m = rewrite_copy(msg, len, QIDSZ);
		if (n && blen >= 2 + (size_t)n * QIDSZ)
			memcpy(m + len, body + 2 + (n - 1) * QIDSZ, QIDSZ);
		else
			memset(m + len, 0, QIDSZ);
		put_le16(m + HDRSZ, n + 1);
		nl = len + QIDSZ;
		put_le32(m, (uint32_t)nl);
		snprintf(what, sizeof(what), "nwqid %u -> %u", n, n + 1);
		break;
	}
	case F_DIRENT:
		snprintf(what, sizeof(what), "hostile entries, %zu -> %zu bytes",
			 len, nl);
		break;
	default:
		free(m);
		return false;
	}
	plog("fired %s on %s tag %u (session %d): %s", fault.spec,
	     msg_name(type), tag, s->id, what);
	session_emit(s, m, nl, 0);
	free(m);
	return true;
}
