// SPDX-License-Identifier: GPL-2.0
/*
 * Mount options (see README): every one is range-checked here and shown
 * back in /proc/mounts.  The server is named by the source (SERVERNAME)
 * and size=; the other options belong to the mount.
 */
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include "rxloop.h"

enum {
	RXLOOP_OPT_COMPLETE,
	RXLOOP_OPT_DELAY_MS,
	RXLOOP_OPT_FAIL,
	RXLOOP_OPT_CACHE,
	RXLOOP_OPT_MAX_IO,
	RXLOOP_OPT_SIZE,
	RXLOOP_OPT_ATTR_TIMEOUT,
	RXLOOP_OPT_CLOSE_DELAY,
};

static const struct constant_table rxloop_complete_table[] = {
	{ "inline",	RXLOOP_MODE_INLINE },
	{ "softirq",	RXLOOP_MODE_SOFTIRQ },
	{ "workqueue",	RXLOOP_MODE_WORKQUEUE },
	{ "delayed",	RXLOOP_MODE_DELAYED },
	{}
};

static const struct constant_table rxloop_cache_table[] = {
	{ "none",	RX_BUFFERING_NONE },
	{ "cto",	RX_BUFFERING_CTO },
	{ "loose",	RX_BUFFERING_LOOSE },
	{}
};

static const char * const rxloop_fail_names[RXLOOP_FAIL_NR] = {
	[RXLOOP_FAIL_READ]	= "read",
	[RXLOOP_FAIL_WRITE]	= "write",
	[RXLOOP_FAIL_LOCK]	= "lock",
	[RXLOOP_FAIL_UNLOCK]	= "unlock",
	[RXLOOP_FAIL_IOCTL]	= "ioctl",
	[RXLOOP_FAIL_ANY]	= "any",
};

const struct fs_parameter_spec rxloop_param_spec[] = {
	fsparam_enum("complete", RXLOOP_OPT_COMPLETE, rxloop_complete_table),
	fsparam_u32("delay_ms", RXLOOP_OPT_DELAY_MS),
	fsparam_string("fail", RXLOOP_OPT_FAIL),
	fsparam_enum("cache", RXLOOP_OPT_CACHE, rxloop_cache_table),
	fsparam_string("max_io", RXLOOP_OPT_MAX_IO),
	fsparam_string("size", RXLOOP_OPT_SIZE),
	fsparam_u32("attr_timeout", RXLOOP_OPT_ATTR_TIMEOUT),
	fsparam_u32("close_delay", RXLOOP_OPT_CLOSE_DELAY),
	{}
};

void *rxloop_alloc_opts(struct fs_context *fc)
{
	struct rxloop_opts *o;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return ERR_PTR(-ENOMEM);
	o->complete = RXLOOP_MODE_INLINE;
	o->delay_ms = RXLOOP_DEFAULT_DELAY_MS;
	o->cache = RX_BUFFERING_CTO;
	o->max_io = RXLOOP_DEFAULT_MAX_IO;
	o->size = RXLOOP_DEFAULT_SIZE;
	o->attr_timeout_ms = RXLOOP_DEFAULT_ATTR_MS;
	return o;
}

void rxloop_free_opts(void *opts)
{
	kfree(opts);
}

/* A byte count with an optional k, m or g suffix, within [min, max]. */
static int rxloop_parse_bytes(struct fs_context *fc, const char *opt,
			      const char *s, u64 min, u64 max, u64 *out)
{
	unsigned int shift = 0;
	char num[24];
	size_t len;
	u64 v;

	len = strlen(s);
	if (len && strchr("kKmMgG", s[len - 1])) {
		shift = strchr("kK", s[len - 1]) ? 10 :
			strchr("mM", s[len - 1]) ? 20 : 30;
		len--;
	}
	if (!len || len >= sizeof(num))
		goto bad;
	memcpy(num, s, len);
	num[len] = '\0';
	if (kstrtou64(num, 10, &v) || v > (max >> shift))
		goto bad;
	v <<= shift;
	if (v < min)
		goto bad;
	*out = v;
	return 0;
bad:
	return invalfc(fc, "%s=%s: give bytes (k, m, g suffixes) from %llu to %llu",
		       opt, s, min, max);
}

/* fail=KIND:N, KIND one of read, write, lock, unlock, ioctl, any; or none. */
static int rxloop_parse_fail(struct fs_context *fc, struct rxloop_opts *o,
			     const char *s)
{
	const char *colon = strchr(s, ':');
	unsigned int i;
	u32 n;

	if (!strcmp(s, "none")) {
		memset(o->fail, 0, sizeof(o->fail));
		return 0;
	}
	if (!colon || kstrtou32(colon + 1, 10, &n))
		goto bad;
	for (i = 0; i < RXLOOP_FAIL_NR; i++) {
		if (strlen(rxloop_fail_names[i]) == (size_t)(colon - s) &&
		    !strncmp(s, rxloop_fail_names[i], colon - s)) {
			o->fail[i] = n;
			return 0;
		}
	}
bad:
	return invalfc(fc, "fail=%s: use read|write|lock|unlock|ioctl|any:N (0: never) or none",
		       s);
}

int rxloop_parse_param(void *opts, struct fs_context *fc,
		       struct fs_parameter *param)
{
	struct rxloop_opts *o = opts;
	struct fs_parse_result result;
	u64 v;
	int opt, err;

	opt = fs_parse(fc, rxloop_param_spec, param, &result);
	if (opt < 0)
		return opt;

	switch (opt) {
	case RXLOOP_OPT_COMPLETE:
		o->complete = result.uint_32;
		break;
	case RXLOOP_OPT_DELAY_MS:
		if (result.uint_32 > RXLOOP_MAX_DELAY_MS)
			return invalfc(fc, "delay_ms=%u: at most %u",
				       result.uint_32, RXLOOP_MAX_DELAY_MS);
		o->delay_ms = result.uint_32;
		break;
	case RXLOOP_OPT_FAIL:
		return rxloop_parse_fail(fc, o, param->string);
	case RXLOOP_OPT_CACHE:
		o->cache = result.uint_32;
		break;
	case RXLOOP_OPT_MAX_IO:
		err = rxloop_parse_bytes(fc, "max_io", param->string,
					 RXLOOP_MIN_MAX_IO, RXLOOP_MAX_MAX_IO,
					 &v);
		if (err)
			return err;
		o->max_io = v;
		break;
	case RXLOOP_OPT_SIZE:
		return rxloop_parse_bytes(fc, "size", param->string,
					  RXLOOP_MIN_SIZE, RXLOOP_MAX_SIZE,
					  &o->size);
	case RXLOOP_OPT_ATTR_TIMEOUT:
		if (result.uint_32 > RXLOOP_MAX_ATTR_MS)
			return invalfc(fc, "attr_timeout=%u: at most %u ms",
				       result.uint_32, RXLOOP_MAX_ATTR_MS);
		o->attr_timeout_ms = result.uint_32;
		o->attr_timeout_set = true;
		break;
	case RXLOOP_OPT_CLOSE_DELAY:
		if (result.uint_32 > RXLOOP_MAX_ATTR_MS)
			return invalfc(fc, "close_delay=%u: at most %u ms",
				       result.uint_32, RXLOOP_MAX_ATTR_MS);
		o->close_delay_ms = result.uint_32;
		break;
	}
	return 0;
}

/*
 * The srv_call key: the server's name and size.  Mounts that agree on
 * both share one srv_call and so one tree, whatever their other options.
 */
char *rxloop_srv_call_key(void *opts, struct fs_context *fc)
{
	struct rxloop_opts *o = opts;
	char *key;

	if (!fc->source || !*fc->source)
		return ERR_PTR(invalfc(fc, "no server name given"));
	if (strlen(fc->source) > RXLOOP_SOURCE_MAX)
		return ERR_PTR(invalfc(fc, "server name longer than %u bytes",
				       RXLOOP_SOURCE_MAX));
	/* not caching means not trusting cached attributes either */
	if (!o->attr_timeout_set && o->cache == RX_BUFFERING_NONE)
		o->attr_timeout_ms = 0;
	/* the size comes first: it cannot contain the '/' that ends it */
	key = kasprintf(GFP_KERNEL, "%llu/%s", o->size, fc->source);
	return key ?: ERR_PTR(-ENOMEM);
}

static const char *rxloop_const_name(const struct constant_table *t, int v)
{
	for (; t->name; t++)
		if (t->value == v)
			return t->name;
	return "?";
}

int rxloop_show_options(struct seq_file *m, struct rx_net_root *nr)
{
	const struct rxloop_opts *o = nr->opts;
	unsigned int i;

	seq_printf(m, ",complete=%s",
		   rxloop_const_name(rxloop_complete_table, o->complete));
	if (o->complete == RXLOOP_MODE_DELAYED)
		seq_printf(m, ",delay_ms=%u", o->delay_ms);
	for (i = 0; i < RXLOOP_FAIL_NR; i++)
		if (o->fail[i])
			seq_printf(m, ",fail=%s:%u", rxloop_fail_names[i],
				   o->fail[i]);
	seq_printf(m, ",cache=%s,max_io=%u,size=%llu,attr_timeout=%u,close_delay=%u",
		   rxloop_const_name(rxloop_cache_table, o->cache), o->max_io,
		   o->size, o->attr_timeout_ms, o->close_delay_ms);
	return 0;
}
