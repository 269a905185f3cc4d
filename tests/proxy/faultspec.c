// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: fault specifications, NAME[=ARG][,type=T][,after=N][,times=K]
 * (see usage() in p9proxy.c), parsed into a struct fault.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p9proxy.h"

static const struct {
	const char *name;
	enum fault_kind kind;
	int type;		/* reply type matched unless type= says */
	int arg;		/* 0: none, 1: optional, 2: required */
} fault_tab[] = {
	{ "none", F_NONE, -1, 0 },
	{ "drop", F_DROP, -1, 0 },
	{ "swallow", F_SWALLOW, -1, 0 },
	{ "delay", F_DELAY, -1, 2 },
	{ "reorder", F_REORDER, -1, 1 },
	{ "wrongtag", F_WRONGTAG, -1, 1 },
	{ "truncate", F_TRUNCATE, -1, 1 },
	{ "bigsize", F_BIGSIZE, -1, 1 },
	{ "shortbody", F_SHORTBODY, -1, 0 },
	{ "longbody", F_LONGBODY, -1, 0 },
	{ "bigcount", F_BIGCOUNT, RREAD, 1 },
	{ "setcount", F_SETCOUNT, RREAD, 2 },
	{ "countmax", F_SETCOUNT, RREAD, 0 },
	{ "badqid", F_BADQID, RGETATTR, 1 },
	{ "badmode", F_BADMODE, RGETATTR, 1 },
	{ "walkextra", F_WALKEXTRA, RWALK, 0 },
	{ "dirent", F_DIRENT, RREADDIR, 2 },
	{ "lerror", F_LERROR, -1, 2 },
	{ "reopen", F_REOPEN, -1, 1 },
};

static bool parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !errno && !*end;
}

static int parse_dirent(const char *s)
{
	static const struct { const char *name; int bit; } tab[] = {
		{ "slash", DE_SLASH }, { "nul", DE_NUL }, { "dot", DE_DOT },
		{ "dotdot", DE_DOTDOT }, { "long", DE_LONG },
		{ "empty", DE_EMPTY }, { "all", DE_ALL },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++)
		if (!strcmp(s, tab[i].name))
			return tab[i].bit;
	return 0;
}

/*
 * Parse "FAULT[=ARG][,type=T][,after=N][,times=K]" into @f.  Returns an
 * error message or NULL.
 */
const char *fault_parse(const char *spec, struct fault *f)
{
	char copy[256], *tok, *save = NULL, *eq;
	bool first = true;
	size_t i;

	if (strlen(spec) >= sizeof(copy))
		return "specification too long";
	memset(f, 0, sizeof(*f));
	f->rtype = -1;
	f->ttype = -1;
	f->times = 1;
	snprintf(f->spec, sizeof(f->spec), "%s", spec);
	snprintf(copy, sizeof(copy), "%s", spec);
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		uint64_t v;
		int t;

		eq = strchr(tok, '=');
		if (eq)
			*eq++ = 0;
		if (first) {
			first = false;
			for (i = 0; i < sizeof(fault_tab) / sizeof(fault_tab[0]); i++)
				if (!strcmp(tok, fault_tab[i].name))
					break;
			if (i == sizeof(fault_tab) / sizeof(fault_tab[0]))
				return "unknown fault";
			f->kind = fault_tab[i].kind;
			f->name = fault_tab[i].name;
			f->rtype = fault_tab[i].type;
			if (fault_tab[i].arg == 2 && !eq)
				return "this fault needs =ARG";
			if (fault_tab[i].arg == 0 && eq)
				return "this fault takes no argument";
			if (!eq)
				continue;
			f->has_arg = true;
			if (f->kind == F_DIRENT) {
				f->dirent = parse_dirent(eq);
				if (!f->dirent)
					return "dirent=slash|nul|dot|dotdot|long|empty|all";
			} else if (f->kind == F_WRONGTAG && !strcmp(eq, "other")) {
				f->other_tag = true;
			} else if (!parse_num(eq, &f->arg)) {
				return "bad fault argument";
			}
			continue;
		}
		if (!eq)
			return "options are KEY=VALUE";
		if (!strcmp(tok, "type")) {
			t = msg_parse_type(eq);
			if (t == -2)
				return "unknown message type";
			if (t >= 0 && !(t & 1)) {
				f->ttype = t;	/* a T-message: match its reply */
				f->rtype = -1;
			} else {
				f->rtype = t;
				f->ttype = -1;
			}
		} else if (!strcmp(tok, "after") && parse_num(eq, &v)) {
			f->after = v;
		} else if (!strcmp(tok, "times") && parse_num(eq, &v)) {
			f->times = v;
		} else {
			return "unknown option or bad value";
		}
	}
	if (first)
		return "empty specification";
	if (!strcmp(f->name, "countmax")) {
		f->has_arg = true;
		f->arg = 0xffffffffu;
	}
	return NULL;
}
