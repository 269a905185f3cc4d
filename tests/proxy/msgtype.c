// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: the names of the 9P2000.L message types, for the log and the
 * --check-zero report, and the type= option of a fault specification.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "p9proxy.h"

static const struct { int type; const char *name; } msg_names[] = {
	{ TLERROR, "Tlerror" }, { RLERROR, "Rlerror" },
	{ TSTATFS, "Tstatfs" }, { RSTATFS, "Rstatfs" },
	{ TLOPEN, "Tlopen" }, { RLOPEN, "Rlopen" },
	{ TLCREATE, "Tlcreate" }, { RLCREATE, "Rlcreate" },
	{ TSYMLINK, "Tsymlink" }, { RSYMLINK, "Rsymlink" },
	{ TMKNOD, "Tmknod" }, { RMKNOD, "Rmknod" },
	{ TRENAME, "Trename" }, { RRENAME, "Rrename" },
	{ TREADLINK, "Treadlink" }, { RREADLINK, "Rreadlink" },
	{ TGETATTR, "Tgetattr" }, { RGETATTR, "Rgetattr" },
	{ TSETATTR, "Tsetattr" }, { RSETATTR, "Rsetattr" },
	{ TXATTRWALK, "Txattrwalk" }, { RXATTRWALK, "Rxattrwalk" },
	{ TXATTRCREATE, "Txattrcreate" }, { RXATTRCREATE, "Rxattrcreate" },
	{ TREADDIR, "Treaddir" }, { RREADDIR, "Rreaddir" },
	{ TFSYNC, "Tfsync" }, { RFSYNC, "Rfsync" },
	{ TLOCK, "Tlock" }, { RLOCK, "Rlock" },
	{ TGETLOCK, "Tgetlock" }, { RGETLOCK, "Rgetlock" },
	{ TLINK, "Tlink" }, { RLINK, "Rlink" },
	{ TMKDIR, "Tmkdir" }, { RMKDIR, "Rmkdir" },
	{ TRENAMEAT, "Trenameat" }, { RRENAMEAT, "Rrenameat" },
	{ TUNLINKAT, "Tunlinkat" }, { RUNLINKAT, "Runlinkat" },
	{ TVERSION, "Tversion" }, { RVERSION, "Rversion" },
	{ TAUTH, "Tauth" }, { RAUTH, "Rauth" },
	{ TATTACH, "Tattach" }, { RATTACH, "Rattach" },
	{ TFLUSH, "Tflush" }, { RFLUSH, "Rflush" },
	{ TWALK, "Twalk" }, { RWALK, "Rwalk" },
	{ TREAD, "Tread" }, { RREAD, "Rread" },
	{ TWRITE, "Twrite" }, { RWRITE, "Rwrite" },
	{ TCLUNK, "Tclunk" }, { RCLUNK, "Rclunk" },
	{ TREMOVE, "Tremove" }, { RREMOVE, "Rremove" },
};

const char *msg_name(int type)
{
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (msg_names[i].type == type)
			return msg_names[i].name;
	snprintf(buf, sizeof(buf), "type%d", type);
	return buf;
}

/* A type= value: -1 for "any", the type named or numbered, -2 if none. */
int msg_parse_type(const char *s)
{
	char *end;
	size_t i;
	long v;

	if (!strcmp(s, "any"))
		return -1;
	for (i = 0; i < sizeof(msg_names) / sizeof(msg_names[0]); i++)
		if (!strcasecmp(msg_names[i].name, s))
			return msg_names[i].type;
	v = strtol(s, &end, 0);
	if (*s && !*end && v >= 0 && v <= 255)
		return (int)v;
	return -2;
}
