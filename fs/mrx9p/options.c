// SPDX-License-Identifier: GPL-2.0
/*
 * Mount options.  Names follow v9fs where the meaning is the same; every
 * option is shown back in /proc/mounts; unknown ones are refused by the
 * VFS with a message naming them.
 */
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/nsproxy.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>
#include "mrx9p.h"

enum {
	OPT_TRANS, OPT_PORT, OPT_ANAME, OPT_UNAME, OPT_MSIZE, OPT_CACHE,
	OPT_ACCESS, OPT_TIMEOUT, OPT_DFLTUID, OPT_DFLTGID, OPT_VERSION,
	OPT_CLOSETIMEO, OPT_NCONNECT, OPT_RSIZE, OPT_WSIZE,
};

static const struct constant_table mrx9p_trans_table[] = {
	{ "tcp",	MRX9P_TRANS_TCP },
	{ "unix",	MRX9P_TRANS_UNIX },
	{}
};

static const struct constant_table mrx9p_cache_table[] = {
	{ "none",	RX_BUFFERING_NONE },
	{ "cto",	RX_BUFFERING_CTO },
	{ "loose",	RX_BUFFERING_LOOSE },
	{}
};

const struct fs_parameter_spec mrx9p_param_spec[] = {
	fsparam_enum("trans", OPT_TRANS, mrx9p_trans_table),
	fsparam_u32("port", OPT_PORT),
	fsparam_string("aname", OPT_ANAME),
	fsparam_string("uname", OPT_UNAME),
	fsparam_u32("msize", OPT_MSIZE),
	fsparam_enum("cache", OPT_CACHE, mrx9p_cache_table),
	fsparam_string("access", OPT_ACCESS),
	fsparam_u32("timeout", OPT_TIMEOUT),
	fsparam_u32("dfltuid", OPT_DFLTUID),
	fsparam_u32("dfltgid", OPT_DFLTGID),
	fsparam_string("version", OPT_VERSION),
	fsparam_u32("closetimeo", OPT_CLOSETIMEO),
	fsparam_u32("nconnect", OPT_NCONNECT),
	fsparam_u32("rsize", OPT_RSIZE),
	fsparam_u32("wsize", OPT_WSIZE),
	{}
};

void *mrx9p_alloc_opts(struct fs_context *fc)
{
	struct mrx9p_opts *o;

	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return ERR_PTR(-ENOMEM);
	o->trans = MRX9P_TRANS_TCP;
	o->port = MRX9P_DEFAULT_PORT;
	o->msize = MRX9P_DEFAULT_MSIZE;
	o->timeout = MRX9P_DEFAULT_TIMEOUT;
	o->closetimeo = MRX9P_DEFAULT_CLOSETIMEO;
	o->nconnect = 1;
	o->cache = RX_BUFFERING_CTO;
	o->access = MRX9P_ACCESS_USER;
	o->dfltuid = 65534;
	o->dfltgid = 65534;
	o->aname = kstrdup("", GFP_KERNEL);
	o->uname = kstrdup("nobody", GFP_KERNEL);
	if (!o->aname || !o->uname) {
		mrx9p_free_opts(o);
		return ERR_PTR(-ENOMEM);
	}
	return o;
}

void mrx9p_free_opts(void *opts)
{
	struct mrx9p_opts *o = opts;

	if (!o)
		return;
	kfree(o->aname);
	kfree(o->uname);
	kfree(o);
}

static int mrx9p_set_string(char **dst, struct fs_parameter *param)
{
	kfree(*dst);
	*dst = param->string;
	param->string = NULL;
	return 0;
}

int mrx9p_parse_param(void *opts, struct fs_context *fc,
		      struct fs_parameter *param)
{
	struct mrx9p_opts *o = opts;
	struct fs_parse_result result;
	int opt, err;
	u32 uid;

	opt = fs_parse(fc, mrx9p_param_spec, param, &result);
	if (opt < 0)
		return opt;

	switch (opt) {
	case OPT_TRANS:
		o->trans = result.uint_32;
		break;
	case OPT_PORT:
		if (!result.uint_32 || result.uint_32 > 65535)
			return invalfc(fc, "port %u out of range", result.uint_32);
		o->port = result.uint_32;
		break;
	case OPT_ANAME:
		return mrx9p_set_string(&o->aname, param);
	case OPT_UNAME:
		return mrx9p_set_string(&o->uname, param);
	case OPT_MSIZE:
		if (result.uint_32 < P9_MIN_MSIZE)
			return invalfc(fc, "msize %u is below %u", result.uint_32,
				       P9_MIN_MSIZE);
		o->msize = min_t(u32, result.uint_32, MRX9P_MAX_MSIZE);
		break;
	case OPT_CACHE:
		o->cache = result.uint_32;
		break;
	case OPT_ACCESS:
		if (!strcmp(param->string, "user")) {
			o->access = MRX9P_ACCESS_USER;
		} else if (!strcmp(param->string, "any")) {
			o->access = MRX9P_ACCESS_ANY;
		} else {
			err = kstrtou32(param->string, 10, &uid);
			if (err)
				return invalfc(fc, "access=%s: use user, any or a uid",
					       param->string);
			o->access = MRX9P_ACCESS_UID;
			o->access_uid = uid;
		}
		break;
	case OPT_TIMEOUT:
		o->timeout = result.uint_32;
		break;
	case OPT_DFLTUID:
		o->dfltuid = result.uint_32;
		break;
	case OPT_DFLTGID:
		o->dfltgid = result.uint_32;
		break;
	case OPT_CLOSETIMEO:
		if (result.uint_32 > MRX9P_MAX_CLOSETIMEO)
			return invalfc(fc, "closetimeo=%u: at most %u seconds",
				       result.uint_32, MRX9P_MAX_CLOSETIMEO);
		o->closetimeo = result.uint_32;
		break;
	case OPT_NCONNECT:
		if (!result.uint_32 || result.uint_32 > MRX9P_MAX_NCONNECT)
			return invalfc(fc, "nconnect=%u: from 1 to %u",
				       result.uint_32, MRX9P_MAX_NCONNECT);
		o->nconnect = result.uint_32;
		break;
	case OPT_RSIZE:
	case OPT_WSIZE:
		/* 0 is "as msize allows"; a cap below a page is nonsense */
		if (result.uint_32 && result.uint_32 < PAGE_SIZE)
			return invalfc(fc, "%s=%u: 0 or at least %lu", param->key,
				       result.uint_32, PAGE_SIZE);
		if (opt == OPT_RSIZE)
			o->rsize = result.uint_32;
		else
			o->wsize = result.uint_32;
		break;
	case OPT_VERSION:
		if (strcasecmp(param->string, "9p2000.L"))
			return invalfc(fc, "version=%s: only 9p2000.L is spoken",
				       param->string);
		break;
	}
	return 0;
}

/*
 * The srv_call key: same namespace, server and transport options; a
 * mount asking for another number of connections gets its own.
 */
char *mrx9p_srv_call_key(void *opts, struct fs_context *fc)
{
	struct mrx9p_opts *o = opts;
	char *key;

	key = kasprintf(GFP_KERNEL, "%u/%s/%s/%u/%u/%u",
			current->nsproxy->net_ns->ns.inum,
			o->trans == MRX9P_TRANS_UNIX ? "unix" : "tcp",
			fc->source, o->port, o->msize, o->nconnect);
	return key ?: ERR_PTR(-ENOMEM);
}

int mrx9p_show_options(struct seq_file *m, struct rx_net_root *nr)
{
	struct mrx9p_opts *o = nr->opts;
	struct p9_conn *c = nr->srv_call->ext;
	static const char * const cache[] = {
		[RX_BUFFERING_NONE] = "none",
		[RX_BUFFERING_CTO] = "cto",
		[RX_BUFFERING_LOOSE] = "loose",
	};

	seq_printf(m, ",trans=%s", o->trans == MRX9P_TRANS_UNIX ? "unix" : "tcp");
	if (o->trans == MRX9P_TRANS_TCP)
		seq_printf(m, ",port=%u", o->port);
	seq_show_option(m, "aname", o->aname);
	seq_show_option(m, "uname", o->uname);
	seq_printf(m, ",msize=%u,cache=%s", c->msize, cache[o->cache]);
	if (o->access == MRX9P_ACCESS_UID)
		seq_printf(m, ",access=%u", o->access_uid);
	else
		seq_printf(m, ",access=%s",
			   o->access == MRX9P_ACCESS_ANY ? "any" : "user");
	seq_printf(m, ",timeout=%u,dfltuid=%u,dfltgid=%u,closetimeo=%u",
		   o->timeout, o->dfltuid, o->dfltgid, o->closetimeo);
	/* as NFS's: shown when not the default */
	if (c->nchan > 1)
		seq_printf(m, ",nconnect=%u", c->nchan);
	/* as NFS's: what is used, whether asked for or not */
	seq_printf(m, ",rsize=%zu,wsize=%zu", nr->max_read, nr->max_write);
	return 0;
}
