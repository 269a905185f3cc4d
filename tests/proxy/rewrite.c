// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: replies rewritten for a fault, as new messages: a copy with
 * room to grow, where the qids of a reply are, and an Rreaddir with
 * hostile entries put in.  Every offset is checked against the body.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <string.h>

#include "p9proxy.h"

/* A modifiable copy of a message with @extra bytes of room after it. */
unsigned char *rewrite_copy(const unsigned char *msg, size_t len,
			    size_t extra)
{
	unsigned char *p = xmalloc(len + extra);

	memcpy(p, msg, len);
	return p;
}

/* Offsets of the qids in a reply body; returns how many (at most @max). */
int rewrite_qids(int type, const unsigned char *body, size_t blen,
		 size_t *offs, int max)
{
	size_t pos, n, i;
	int k = 0;

	switch (type) {
	case RATTACH: case RLOPEN: case RLCREATE: case RMKDIR:
	case RSYMLINK: case RMKNOD:
		if (blen >= QIDSZ && max > 0)
			offs[k++] = 0;
		break;
	case RGETATTR:
		if (blen >= 8 + QIDSZ && max > 0)
			offs[k++] = 8;
		break;
	case RWALK:
		if (blen < 2)
			break;
		n = get_le16(body);
		for (i = 0; i < n && k < max && 2 + (i + 1) * QIDSZ <= blen; i++)
			offs[k++] = 2 + i * QIDSZ;
		break;
	case RREADDIR:
		/* entries: qid[13] offset[8] type[1] name[s] */
		pos = 4;
		while (k < max && pos + QIDSZ + 8 + 1 + 2 <= blen) {
			size_t nl = get_le16(body + pos + QIDSZ + 9);

			if (pos + QIDSZ + 11 + nl > blen)
				break;
			offs[k++] = pos;
			pos += QIDSZ + 11 + nl;
		}
		break;
	}
	return k;
}

struct dent {
	const unsigned char *p;	/* the whole entry */
	size_t len;
};

/*
 * Rreaddir with hostile entries put in front of the real ones: names with
 * '/', with a NUL, "." and ".." again, longer than NAME_MAX, empty.  The
 * reply still fits the count the request asked for (real entries at the
 * end are left out if need be: the client asks again from the last
 * offset it got).  Returns the new message or NULL if not applicable.
 */
unsigned char *rewrite_dirent(const unsigned char *msg, size_t len,
			      const struct tag_info *ti, int kinds,
			      size_t *newlen)
{
	static const struct {
		int bit;
		const char *name;
		size_t len;
		uint8_t dtype;
	} inj[] = {
		{ DE_SLASH, "p9proxy/slash", 13, 8 },
		{ DE_NUL, "nul\0name", 8, 8 },
		{ DE_DOT, ".", 1, 4 },
		{ DE_DOTDOT, "..", 2, 4 },
		{ DE_LONG, NULL, 300, 8 },
		{ DE_EMPTY, "", 0, 8 },
	};
	const unsigned char *body = msg + HDRSZ;
	size_t blen = len - HDRSZ, pos = 4, out, max, i, n = 0;
	struct dent ents[1024];
	unsigned char *p, qid[QIDSZ];
	uint64_t off = ti ? ti->offset : 0;

	if (blen < 4 || !ti || ti->type != TREADDIR)
		return NULL;
	while (pos < blen && n < sizeof(ents) / sizeof(ents[0])) {
		size_t nl;

		if (pos + QIDSZ + 11 > blen)
			return NULL;
		nl = get_le16(body + pos + QIDSZ + 9);
		if (pos + QIDSZ + 11 + nl > blen)
			return NULL;
		ents[n].p = body + pos;
		ents[n].len = QIDSZ + 11 + nl;
		pos += ents[n].len;
		n++;
	}
	if (!n)
		return NULL;	/* end of directory: inject into a real listing */
	memcpy(qid, ents[0].p, QIDSZ);
	/* at most what the request asked for, and one message */
	max = (size_t)ti->count + 4;
	if (max > MAX_MSG - HDRSZ)
		max = MAX_MSG - HDRSZ;
	p = xmalloc(HDRSZ + max);
	memcpy(p, msg, HDRSZ);
	out = 4;
	for (i = 0; i < sizeof(inj) / sizeof(inj[0]); i++) {
		size_t e = QIDSZ + 11 + inj[i].len;

		if (!(kinds & inj[i].bit) || out + e > max)
			continue;
		memcpy(p + HDRSZ + out, qid, QIDSZ);
		/* a fake path: the name is not the real entry's */
		put_le64(p + HDRSZ + out + 5, 0x70397000u + i);
		/* reading on after it starts where this listing started */
		put_le64(p + HDRSZ + out + QIDSZ, off);
		p[HDRSZ + out + QIDSZ + 8] = inj[i].dtype;
		put_le16(p + HDRSZ + out + QIDSZ + 9, (uint16_t)inj[i].len);
		if (inj[i].name)
			memcpy(p + HDRSZ + out + QIDSZ + 11, inj[i].name,
			       inj[i].len);
		else
			memset(p + HDRSZ + out + QIDSZ + 11, 'L', inj[i].len);
		out += e;
	}
	for (i = 0; i < n && out + ents[i].len <= max; i++) {
		memcpy(p + HDRSZ + out, ents[i].p, ents[i].len);
		out += ents[i].len;
	}
	put_le32(p + HDRSZ, (uint32_t)(out - 4));
	put_le32(p, (uint32_t)(HDRSZ + out));
	*newlen = HDRSZ + out;
	return p;
}
