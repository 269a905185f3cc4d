// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: a fault-injecting 9P2000.L proxy for the functional tests.
 * This file holds main(): the command line and usage(); p9proxy.h lists
 * the other files.
 *
 * It sits between a 9P client (rx9p) and a real server (diod): it accepts
 * TCP connections, opens one connection to the server for each, and
 * forwards whole messages (size[4] type[1] tag[2] ...) both ways.  A fault
 * chosen on the command line or in a control file is applied to the
 * server's replies; the control file is read again whenever it changes
 * (and on SIGUSR1), so one mount can go through good and bad phases.
 * Every byte the client sends can be recorded, and --check-zero walks
 * such a recording and reports nonzero reserved fields (see usage()).
 *
 * The test VM has no scripting language but busybox sh: this is C, built
 * statically by tests/vm/mkinitramfs.sh like rxsys and rxio.
 *
 * Everything read from either peer is bounds-checked: a message larger
 * than MAX_MSG or smaller than a header ends that session, and every
 * rewrite checks the body it rewrites.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "p9proxy.h"

static void usage(void)
{
	fprintf(stderr,
		"usage: p9proxy -l PORT [-s ADDR:PORT] [-c CTLFILE] [-f FAULT] [-w CAPTURE] [-L LOG]\n"
		"       p9proxy --check-zero [-v] CAPTURE\n"
		"\n"
		"Proxy: listen on 127.0.0.1:PORT, connect each client to the server (default\n"
		"127.0.0.1:564) and forward whole 9P messages.  FAULT (or the first line of\n"
		"CTLFILE, read again whenever it changes and on SIGUSR1) is\n"
		"  NAME[=ARG][,type=T][,after=N][,times=K]\n"
		"applied to the replies of type T (Rread, Rgetattr, ...; a T-name matches the\n"
		"replies to that request; \"any\"), after N such replies went through, to K\n"
		"of them (default 1; 0: all).  NAME:\n"
		"  none            forward everything\n"
		"  drop            close both connections instead of forwarding the reply\n"
		"  swallow         never forward the reply\n"
		"  delay=MS        hold the reply (and those after it) MS milliseconds\n"
		"  reorder[=MS]    send the reply after the next one (at most MS, 1000)\n"
		"  wrongtag[=TAG|other]  a tag nobody waits for (or that of a request of\n"
		"                  another type in flight)\n"
		"  truncate[=N]    send the first N bytes (default: half), then close\n"
		"  bigsize[=SIZE]  size field SIZE (default msize + 1)\n"
		"  shortbody, longbody  one body byte less / one zero byte more\n"
		"  bigcount[=N]    Rread/Rreaddir: N bytes more than asked (count and size\n"
		"                  agree); Rwrite: count N more than sent (default 1)\n"
		"  setcount=N, countmax  the count field of Rread/Rreaddir/Rwrite := N\n"
		"  badqid[=T]      every qid's type := T (default 0xff)\n"
		"  badmode[=MODE]  Rgetattr mode := MODE (default 0170644)\n"
		"  walkextra       Rwalk: one qid more than names walked\n"
		"  dirent=slash|nul|dot|dotdot|long|empty|all  hostile Rreaddir entries\n"
		"  lerror=N        replace the reply by Rlerror N\n"
		"  reopen[=MS]     at once: close every client (and refuse new ones MS ms)\n"
		"The log (-L) has a line \"armed SPEC\" per change and \"fired SPEC ...\" per\n"
		"faulted reply.  -w appends every message the client sends to CAPTURE.\n"
		"\n"
		"--check-zero walks a capture and reports, for each request, fields that\n"
		"must be zero or are out of their defined range: bytes after the last\n"
		"field; undefined bits in Tgetattr's mask, Tsetattr's valid, Tlopen and\n"
		"Tlcreate flags, Tunlinkat, Tlock and Txattrcreate flags; Tsetattr fields\n"
		"whose valid bit is clear; mode bits beyond type and permissions; Tmknod\n"
		"major/minor of non-devices; names with '/', NUL, empty, '.'; counts that\n"
		"cannot fit msize; tags (NOTAG only on Tversion); afid not NOFID.\n"
		"Exit status 0: clean, 1: findings, 2: unreadable.\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct sockaddr_in server_addr = { .sin_family = AF_INET };
	const char *spec = NULL, *logpath = NULL, *cap = NULL;
	const char *server = "127.0.0.1:564", *ctl_path = NULL;
	char host[64], *colon;
	int i, listen_port = 0;

	if (argc >= 3 && !strcmp(argv[1], "--check-zero")) {
		if (argc == 4 && !strcmp(argv[2], "-v"))
			return check_zero(argv[3], true);
		if (argc != 3)
			usage();
		return check_zero(argv[2], false);
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (i + 1 >= argc)
			usage();
		if (!strcmp(a, "-l"))
			listen_port = atoi(argv[++i]);
		else if (!strcmp(a, "-s"))
			server = argv[++i];
		else if (!strcmp(a, "-c"))
			ctl_path = argv[++i];
		else if (!strcmp(a, "-f"))
			spec = argv[++i];
		else if (!strcmp(a, "-w"))
			cap = argv[++i];
		else if (!strcmp(a, "-L"))
			logpath = argv[++i];
		else
			usage();
	}
	if (listen_port <= 0 || listen_port > 65535)
		usage();
	snprintf(host, sizeof(host), "%s", server);
	colon = strrchr(host, ':');
	if (!colon)
		usage();
	*colon = 0;
	server_addr.sin_port = htons(atoi(colon + 1));
	if (inet_pton(AF_INET, host, &server_addr.sin_addr) != 1)
		usage();

	if (plog_open(logpath)) {
		fprintf(stderr, "p9proxy: %s: %s\n", logpath, strerror(errno));
		return 2;
	}
	if (cap && capture_open(cap)) {
		fprintf(stderr, "p9proxy: %s: %s\n", cap, strerror(errno));
		return 2;
	}
	proxy_signals();
	if (spec)
		fault_arm(spec);
	fault_load_ctl(ctl_path, true);
	return proxy_main(listen_port, &server_addr, ctl_path);
}
