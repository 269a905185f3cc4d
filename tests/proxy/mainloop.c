// SPDX-License-Identifier: GPL-2.0
/*
 * p9proxy: the poll loop.  It holds the listening socket and the table of
 * sessions, accepts clients (connecting each to the server), polls both
 * sides of every session, runs their timers and closes what is done; it
 * reads the control file again when it changed or on SIGUSR1, and stops
 * on SIGTERM or SIGINT.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "p9proxy.h"

static struct session *sessions[MAX_SESSIONS];
static int next_session_id = 1;
static int listen_fd = -1;
static long long relisten_at;
static volatile sig_atomic_t reload_flag, stop_flag;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		reload_flag = 1;
	else
		stop_flag = 1;
}

/* SIGUSR1 reads the control file again, SIGTERM and SIGINT stop. */
void proxy_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int open_listener(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int fd, one = 1;

	a.sin_port = htons(port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 16)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void new_session(const struct sockaddr_in *server)
{
	struct session *s;
	int cfd, sfd, i, one = 1;

	cfd = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (cfd < 0)
		return;
	for (i = 0; i < MAX_SESSIONS && sessions[i]; i++)
		;
	if (i == MAX_SESSIONS) {
		plog("too many sessions: refusing a connection");
		close(cfd);
		return;
	}
	sfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sfd < 0 || connect(sfd, (const struct sockaddr *)server,
			       sizeof(*server))) {
		plog("cannot connect to the server: %s", strerror(errno));
		if (sfd >= 0)
			close(sfd);
		close(cfd);
		return;
	}
	setsockopt(cfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(sfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(cfd);
		close(sfd);
		return;
	}
	s->tags = calloc(NOTAG + 1, sizeof(*s->tags));
	if (!s->tags) {
		free(s);
		close(cfd);
		close(sfd);
		return;
	}
	s->id = next_session_id++;
	s->cfd = cfd;
	s->sfd = sfd;
	sessions[i] = s;
	plog("session %d: open", s->id);
}

/*
 * The reopen fault: drop every client and, with @ms, stop listening for
 * that long.  Returns how many clients were dropped.
 */
int proxy_reopen(uint64_t ms)
{
	int i, n = 0;

	for (i = 0; i < MAX_SESSIONS; i++) {
		if (sessions[i] && !sessions[i]->dead && sessions[i]->cfd >= 0) {
			session_client_close(sessions[i], "fault: reopen");
			n++;
		}
	}
	if (ms) {
		if (listen_fd >= 0)
			close(listen_fd);
		listen_fd = -1;
		relisten_at = now_ms() + (long long)ms;
	}
	return n;
}

/* One pass over the sessions after poll: timers, flushing, closing. */
static void housekeeping(long long now)
{
	int i;

	for (i = 0; i < MAX_SESSIONS; i++) {
		struct session *s = sessions[i];

		if (!s)
			continue;
		if (!s->dead && s->cfd >= 0) {
			session_run_timers(s, now, false);
			if (buf_used(&s->cout) &&
			    !session_write(s, s->cfd, &s->cout, "client"))
				session_client_close(s, "write failed");
		}
		if (!s->dead && s->cfd >= 0 && s->draining &&
		    !buf_used(&s->cout)) {
			if (s->sfd < 0)
				session_close(s, "drained");
			else
				session_client_close(s, "drained");
		}
		if (!s->dead && s->cfd < 0 && now >= s->drain_until)
			session_close(s, "the server did not answer everything in time");
		if (s->dead) {
			free(s);
			sessions[i] = NULL;
		}
	}
}

/*
 * Listen on 127.0.0.1:@port and forward each client to @server until
 * SIGTERM or SIGINT; @ctl_path (or NULL) is the control file.
 */
int proxy_main(int port, const struct sockaddr_in *server,
	       const char *ctl_path)
{
	struct pollfd pfd[1 + 2 * MAX_SESSIONS];
	struct session *ps[1 + 2 * MAX_SESSIONS];
	bool is_client[1 + 2 * MAX_SESSIONS];
	long long stop_at = 0;
	int i, n, timeout;

	listen_fd = open_listener(port);
	if (listen_fd < 0) {
		fprintf(stderr, "p9proxy: cannot listen on 127.0.0.1:%d: %s\n",
			port, strerror(errno));
		return 1;
	}
	plog("listening on 127.0.0.1:%d, server %s:%u", port,
	     inet_ntoa(server->sin_addr), ntohs(server->sin_port));
	for (;;) {
		long long now = now_ms(), t;

		if (stop_flag && !stop_at) {
			/* let the server finish what it was asked, briefly */
			plog("stopping");
			stop_at = now + 3000;
			if (listen_fd >= 0)
				close(listen_fd);
			listen_fd = -1;
			relisten_at = 0;
			for (i = 0; i < MAX_SESSIONS; i++)
				if (sessions[i])
					session_client_close(sessions[i],
							     "proxy stopping");
			housekeeping(now);
		}
		if (stop_at) {
			for (i = 0; i < MAX_SESSIONS && !sessions[i]; i++)
				;
			if (i == MAX_SESSIONS || now >= stop_at)
				break;
		} else {
			fault_load_ctl(ctl_path, reload_flag);
			reload_flag = 0;
		}
		if (listen_fd < 0 && relisten_at && now >= relisten_at) {
			listen_fd = open_listener(port);
			relisten_at = listen_fd < 0 ? now + 100 : 0;
			if (listen_fd >= 0)
				plog("listening again");
		}
		n = 0;
		timeout = POLL_MS;
		if (listen_fd >= 0) {
			pfd[n].fd = listen_fd;
			pfd[n].events = POLLIN;
			ps[n++] = NULL;
		}
		for (i = 0; i < MAX_SESSIONS; i++) {
			struct session *s = sessions[i];

			if (!s)
				continue;
			t = session_next_timer(s);
			if (t >= 0 && t - now < timeout)
				timeout = t > now ? (int)(t - now) : 0;
			/* poll() ignores the side that is closed (fd -1) */
			pfd[n].fd = s->cfd;
			pfd[n].events = 0;
			if (!s->draining && buf_used(&s->sout) < MAX_BACKLOG)
				pfd[n].events |= POLLIN;
			if (buf_used(&s->cout))
				pfd[n].events |= POLLOUT;
			is_client[n] = true;
			ps[n++] = s;
			pfd[n].fd = s->sfd;
			pfd[n].events = 0;
			if (s->cfd < 0 ||
			    (!s->draining && buf_used(&s->cout) < MAX_BACKLOG))
				pfd[n].events |= POLLIN;
			if (buf_used(&s->sout))
				pfd[n].events |= POLLOUT;
			is_client[n] = false;
			ps[n++] = s;
		}
		if (poll(pfd, n, timeout) < 0 && errno != EINTR) {
			plog("poll: %s", strerror(errno));
			return 1;
		}
		for (i = 0; i < n; i++) {
			struct session *s = ps[i];
			short ev = pfd[i].revents;
			bool client = is_client[i];

			if (!s) {
				if ((ev & POLLIN) && !stop_at)
					new_session(server);
				continue;
			}
			/* a side closed since poll() is not read again */
			if (s->dead || !ev || pfd[i].fd != (client ? s->cfd : s->sfd))
				continue;
			if (ev & (POLLIN | POLLHUP | POLLERR)) {
				if (client &&
				    !session_read(s, s->cfd, &s->cin,
						  session_from_client,
						  "client"))
					session_client_close(s, "client gone");
				else if (!client &&
					 !session_read(s, s->sfd, &s->sin,
						       session_from_server,
						       "server"))
					session_server_gone(s);
			}
			if (s->dead || pfd[i].fd != (client ? s->cfd : s->sfd))
				continue;
			if (!(ev & POLLOUT))
				continue;
			if (client &&
			    !session_write(s, s->cfd, &s->cout, "client"))
				session_client_close(s, "write failed");
			else if (!client &&
				 !session_write(s, s->sfd, &s->sout, "server"))
				session_close(s, "writing to the server failed");
			else if (!client)
				session_maybe_done(s);
		}
		housekeeping(now_ms());
	}
	for (i = 0; i < MAX_SESSIONS; i++) {
		if (sessions[i]) {
			session_close(sessions[i], "proxy stopped");
			free(sessions[i]);
			sessions[i] = NULL;
		}
	}
	return 0;
}
