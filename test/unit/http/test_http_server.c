/*
 * The server on a real loop and loopback sockets.  The loop runs on the test
 * thread; each test's client runs on a second thread with blocking sockets,
 * records what it saw and wakes the loop, which then closes the server.
 * uv_loop_close() succeeding proves every handle was closed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "http/http_server.h"

#define SPARE_SOCKETS 20

typedef struct fixture fixture;

struct fixture {
	uv_loop_t loop;
	kd_http_server *server;
	kd_http_limits limits;
	uv_async_t wake;
	pthread_t thread;
	int port;
	void (*client)(fixture *fx);
	int handled;
	bool closed;
	/* Set by a handler that keeps its request unanswered. */
	kd_http_request *held;
	bool answered_after_close;
	/* What the client saw. */
	char seen[8192];
	size_t seen_len;
	int eof_after_ms;
	bool other_ok;
	/* The server's stderr while the loop ran. */
	char log[4096];
	/* Sockets made before the descriptor limit is lowered to what is open. */
	int spare[SPARE_SOCKETS];
	bool exhaust_fds;
	int closed_by_server;
	double cpu_share;
	/* What the connection caps did, read before the server closed. */
	kd_http_connection_counts counts;
	/* Per connection of the caps' tests: answered 200, or closed without a byte. */
	bool served[8];
	bool refused[8];
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* CPU time of the whole process, both threads. */
static uint64_t cpu_ms(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
	       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
}

/* New descriptors take the lowest free number, and must stay below the limit. */
static int lowest_free_fd(void)
{
	int fd = dup(STDIN_FILENO);
	assert_true(fd >= 0);
	close(fd);
	return fd;
}

/* The handler answers from a timer: 30 ms for /slow, at once otherwise. */
static void on_timer_closed(uv_handle_t *handle)
{
	free(handle);
}

static void on_answer_timer(uv_timer_t *timer)
{
	kd_http_request *req = timer->data;
	kd_http_respond(req, 200, "text/plain", req->path, strlen(req->path),
			"Cache-Control: no-store\r\n");
	uv_close((uv_handle_t *)timer, on_timer_closed);
}

static void handler(kd_http_request *req, void *arg)
{
	fixture *fx = arg;
	fx->handled++;
	req->route = "/test";
	if (strcmp(req->path, "/hold") == 0) {
		fx->held = req;
		return;
	}
	if (strcmp(req->path, "/sync") == 0) {
		kd_http_respond(req, 200, "text/plain", req->body, req->body_len, NULL);
		return;
	}
	if (strcmp(req->path, "/stop") == 0)
		kd_http_server_stop_accepting(fx->server);
	uv_timer_t *timer = malloc(sizeof(*timer));
	assert_non_null(timer);
	assert_int_equal(uv_timer_init(&fx->loop, timer), 0);
	timer->data = req;
	assert_int_equal(uv_timer_start(timer, on_answer_timer,
					strcmp(req->path, "/slow") == 0 ? 30 : 0, 0), 0);
}

static void on_server_closed(void *arg)
{
	fixture *fx = arg;
	fx->closed = true;
}

static void on_held_answer(uv_timer_t *timer)
{
	fixture *fx = timer->data;
	/* The server is closing: this answer is dropped, but must be accepted. */
	fx->answered_after_close = !fx->closed;
	kd_http_respond(fx->held, 200, NULL, "{}", 2, NULL);
	fx->held = NULL;
	uv_close((uv_handle_t *)timer, on_timer_closed);
}

static void on_wake(uv_async_t *async)
{
	fixture *fx = async->data;
	fx->counts = kd_http_server_connection_counts(fx->server);
	kd_http_server_close(fx->server, on_server_closed, fx);
	uv_close((uv_handle_t *)async, NULL);
	if (fx->held) {
		uv_timer_t *timer = malloc(sizeof(*timer));
		assert_non_null(timer);
		assert_int_equal(uv_timer_init(&fx->loop, timer), 0);
		timer->data = fx;
		assert_int_equal(uv_timer_start(timer, on_held_answer, 50, 0), 0);
	}
}

static void *client_main(void *arg)
{
	fixture *fx = arg;
	fx->client(fx);
	uv_async_send(&fx->wake);
	return NULL;
}

static void run(fixture *fx)
{
	assert_int_equal(uv_loop_init(&fx->loop), 0);
	fx->server = kd_http_server_new(&fx->loop, &fx->limits, handler, fx);
	assert_non_null(fx->server);
	assert_int_equal(kd_http_server_listen(fx->server, "127.0.0.1", 0), 0);
	fx->port = kd_http_server_port(fx->server);
	assert_true(fx->port > 0);
	assert_int_equal(uv_async_init(&fx->loop, &fx->wake, on_wake), 0);
	fx->wake.data = fx;
	FILE *log = tmpfile();
	int saved_stderr = dup(STDERR_FILENO);
	assert_non_null(log);
	assert_true(saved_stderr >= 0);
	assert_true(dup2(fileno(log), STDERR_FILENO) >= 0);
	struct rlimit saved_limit;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &saved_limit), 0);
	if (fx->exhaust_fds) {
		struct rlimit tight = saved_limit;
		tight.rlim_cur = (rlim_t)lowest_free_fd();
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &tight), 0);
	}
	uint64_t wall = now_ms(), cpu = cpu_ms();
	assert_int_equal(pthread_create(&fx->thread, NULL, client_main, fx), 0);
	int pending = uv_run(&fx->loop, UV_RUN_DEFAULT);
	assert_int_equal(pthread_join(fx->thread, NULL), 0);
	fx->cpu_share = (double)(cpu_ms() - cpu) / (double)(now_ms() - wall + 1);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved_limit), 0);
	fflush(stderr);
	assert_true(dup2(saved_stderr, STDERR_FILENO) >= 0);
	close(saved_stderr);
	rewind(log);
	fx->log[fread(fx->log, 1, sizeof(fx->log) - 1, log)] = '\0';
	fclose(log);
	fputs(fx->log, stderr);
	assert_int_equal(pending, 0);
	assert_true(fx->closed);
	assert_int_equal(uv_loop_close(&fx->loop), 0);
}

static fixture *new_fixture(void (*client)(fixture *fx))
{
	fixture *fx = calloc(1, sizeof(*fx));
	fx->limits = kd_http_limits_default();
	fx->client = client;
	fx->eof_after_ms = -1;
	return fx;
}

static int count_lines(const char *text)
{
	int n = 0;
	for (; *text; text++)
		n += *text == '\n';
	return n;
}

/*
 * Client side: plain blocking sockets, every call bounded by a timeout.
 * source, when not NULL, is the loopback address to connect from (Linux
 * routes all of 127/8 to lo), so one test can play several clients.
 */
static int connect_from(int port, const char *source)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (source) {
		struct sockaddr_in from = {.sin_family = AF_INET};
		if (inet_pton(AF_INET, source, &from.sin_addr) != 1 ||
		    bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0) {
			close(fd);
			return -1;
		}
	}
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int connect_local(int port)
{
	return connect_from(port, NULL);
}

static bool send_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
		if (n <= 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* Reads until end of stream (or error, or a full buffer) into fx->seen. */
static void read_to_eof(fixture *fx, int fd)
{
	uint64_t start = now_ms();
	for (;;) {
		if (fx->seen_len == sizeof(fx->seen) - 1)
			break;
		ssize_t n = recv(fd, fx->seen + fx->seen_len, sizeof(fx->seen) - 1 - fx->seen_len, 0);
		if (n <= 0) {
			if (n == 0 || errno == ECONNRESET)
				fx->eof_after_ms = (int)(now_ms() - start);
			break;
		}
		fx->seen_len += (size_t)n;
	}
	fx->seen[fx->seen_len] = '\0';
}

/* Reads exactly one response whose head ends the text read so far. */
static bool read_response(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	while (len < cap - 1) {
		ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
		if (n <= 0)
			return false;
		len += (size_t)n;
		buf[len] = '\0';
		char *end = strstr(buf, "\r\n\r\n");
		char *cl = strstr(buf, "Content-Length: ");
		if (end && cl && len >= (size_t)(end + 4 - buf) + strtoul(cl + 16, NULL, 10))
			return true;
	}
	return false;
}

static void pipelined_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *requests = "GET /slow HTTP/1.1\r\nHost: t\r\nX-Request-Id: first\r\n\r\n"
			       "POST /sync HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nsync"
			       "GET /fast?nik=3201234567890001 HTTP/1.1\r\nHost: t\r\n"
			       "Connection: close\r\n\r\n";
	if (send_all(fd, requests, strlen(requests)))
		read_to_eof(fx, fd);
	close(fd);
}

static void test_pipelined_in_order(void **state)
{
	(void)state;
	fixture *fx = new_fixture(pipelined_client);
	run(fx);
	assert_int_equal(fx->handled, 3);
	const char *first = strstr(fx->seen, "HTTP/1.1 200 OK\r\n");
	assert_non_null(first);
	const char *middle = strstr(first + 1, "HTTP/1.1 200 OK\r\n");
	assert_non_null(middle);
	const char *second = strstr(middle + 1, "HTTP/1.1 200 OK\r\n");
	assert_non_null(second);
	/* The slow answer comes first, as its request did. */
	const char *slow = strstr(fx->seen, "\r\n\r\n/slow");
	const char *sync = strstr(fx->seen, "\r\n\r\nsync");
	const char *fast = strstr(fx->seen, "\r\n\r\n/fast");
	assert_non_null(slow);
	assert_non_null(sync);
	assert_non_null(fast);
	assert_true(first < slow && slow < middle && middle < sync && sync < second &&
		    second < fast);
	assert_non_null(strstr(first, "X-Request-Id: first\r\n"));
	assert_non_null(strstr(first, "Content-Length: 5\r\n"));
	assert_non_null(strstr(first, "Cache-Control: no-store\r\n"));
	/* Only the second, which asked for it, closes the connection. */
	const char *close_header = strstr(first, "Connection: close\r\n");
	assert_true(close_header > second);
	assert_true(fx->eof_after_ms >= 0);

	/* One access log line each; the query (a NIK here) never appears. */
	assert_non_null(strstr(fx->log, "request_id=first method=GET route=/test status=200 "));
	assert_int_equal(count_lines(fx->log), 3);
	assert_null(strstr(fx->log, "3201234567890001"));
	assert_null(strstr(fx->log, "/fast"));
	free(fx);
}

static void slow_headers_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	if (send_all(fd, "GET / HTTP/1.1\r\nHo", 18))
		read_to_eof(fx, fd);
	close(fd);
}

static void test_header_timeout(void **state)
{
	(void)state;
	fixture *fx = new_fixture(slow_headers_client);
	fx->limits.header_timeout_ms = 150;
	run(fx);
	assert_int_equal(fx->handled, 0);
	assert_non_null(strstr(fx->seen, "HTTP/1.1 408 Request Timeout\r\n"));
	assert_non_null(strstr(fx->seen, "Connection: close\r\n"));
	assert_non_null(strstr(fx->seen, "\"code\":\"request_timeout\""));
	assert_true(fx->eof_after_ms >= 100);
	free(fx);
}

static void slow_body_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *head = "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc";
	if (send_all(fd, head, strlen(head)))
		read_to_eof(fx, fd);
	close(fd);
}

static void test_body_timeout(void **state)
{
	(void)state;
	fixture *fx = new_fixture(slow_body_client);
	fx->limits.body_timeout_ms = 150;
	run(fx);
	assert_int_equal(fx->handled, 0);
	assert_non_null(strstr(fx->seen, "HTTP/1.1 408 Request Timeout\r\n"));
	assert_non_null(strstr(fx->seen, "Connection: close\r\n"));
	free(fx);
}

static void big_body_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *head = "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 1000000\r\n\r\n";
	static char body[128 * 1024];
	memset(body, 'b', sizeof(body));
	/* The server may stop reading at any point; a failed send is fine. */
	if (send_all(fd, head, strlen(head)))
		send_all(fd, body, sizeof(body));
	read_to_eof(fx, fd);
	close(fd);
}

static void test_body_too_large(void **state)
{
	(void)state;
	fixture *fx = new_fixture(big_body_client);
	run(fx);
	assert_int_equal(fx->handled, 0);
	assert_non_null(strstr(fx->seen, "HTTP/1.1 413 Payload Too Large\r\n"));
	assert_non_null(strstr(fx->seen, "Connection: close\r\n"));
	free(fx);
}

static void idle_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *request = "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n";
	char response[2048];
	if (send_all(fd, request, strlen(request)) &&
	    read_response(fd, response, sizeof(response))) {
		fx->other_ok = strstr(response, "HTTP/1.1 200 OK\r\n") == response &&
			       !strstr(response, "Connection: close");
		read_to_eof(fx, fd);
	}
	close(fd);
}

static void test_idle_keep_alive_closes_silently(void **state)
{
	(void)state;
	fixture *fx = new_fixture(idle_client);
	fx->limits.idle_timeout_ms = 150;
	run(fx);
	assert_true(fx->other_ok);
	assert_int_equal(fx->seen_len, 0);
	assert_true(fx->eof_after_ms >= 100);
	free(fx);
}

static void over_cap_client(fixture *fx)
{
	int first = connect_local(fx->port);
	if (first < 0)
		return;
	/* Let the server accept the first before the second arrives. */
	usleep(100 * 1000);
	int second = connect_local(fx->port);
	if (second >= 0) {
		read_to_eof(fx, second);
		close(second);
	}
	const char *request = "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n";
	char response[2048];
	fx->other_ok = send_all(first, request, strlen(request)) &&
		       read_response(first, response, sizeof(response)) &&
		       strstr(response, "HTTP/1.1 200 OK\r\n") == response;
	close(first);
}

static void test_connection_cap(void **state)
{
	(void)state;
	fixture *fx = new_fixture(over_cap_client);
	fx->limits.max_connections = 1;
	run(fx);
	/* The second connection was closed at once, without an answer. */
	assert_int_equal(fx->seen_len, 0);
	assert_true(fx->eof_after_ms >= 0 && fx->eof_after_ms < 1000);
	assert_true(fx->other_ok);
	assert_int_equal(fx->handled, 1);
	free(fx);
}

/* One keep-alive request on fd: true when it was answered 200 and the connection stays. */
static bool keep_alive_request(int fd)
{
	const char *request = "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n";
	char response[2048];
	return fd >= 0 && send_all(fd, request, strlen(request)) &&
	       read_response(fd, response, sizeof(response)) &&
	       strstr(response, "HTTP/1.1 200 OK\r\n") == response &&
	       !strstr(response, "Connection: close");
}

/* True when the server closes fd without sending a byte (within the socket timeout). */
static bool closed_without_answer(int fd)
{
	if (fd < 0)
		return false;
	const char *request = "GET /fast HTTP/1.1\r\nHost: t\r\n\r\n";
	/* The close may come before or after the request: either way no answer. */
	send_all(fd, request, strlen(request));
	char byte;
	ssize_t n = recv(fd, &byte, 1, 0);
	return n == 0 || (n < 0 && (errno == ECONNRESET || errno == EPIPE));
}

static void per_address_client(fixture *fx)
{
	int fds[4];
	/* 127.0.0.1 keeps two idle keep-alive connections, its share. */
	for (int i = 0; i < 2; i++) {
		fds[i] = connect_from(fx->port, "127.0.0.1");
		fx->served[i] = keep_alive_request(fds[i]);
	}
	/* Its third is closed at once; another address is still served. */
	fds[2] = connect_from(fx->port, "127.0.0.1");
	fx->refused[2] = closed_without_answer(fds[2]);
	fds[3] = connect_from(fx->port, "127.0.0.2");
	fx->served[3] = keep_alive_request(fds[3]);
	/* The held ones still work. */
	fx->served[0] = fx->served[0] && keep_alive_request(fds[0]);
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void test_per_address_cap(void **state)
{
	(void)state;
	fixture *fx = new_fixture(per_address_client);
	fx->limits.max_connections_per_address = 2;
	run(fx);
	assert_true(fx->served[0]);
	assert_true(fx->served[1]);
	assert_true(fx->refused[2]);
	assert_true(fx->served[3]);
	assert_int_equal(fx->counts.refused_per_address, 1);
	assert_int_equal(fx->counts.refused_full, 0);
	/* The refused connection never reached the handler. */
	assert_int_equal(fx->handled, 4);
	free(fx);
}

static void full_server_client(fixture *fx)
{
	/* Two idle keep-alive connections fill the server, the first idle longest. */
	int first = connect_from(fx->port, "127.0.0.1");
	fx->served[0] = keep_alive_request(first);
	usleep(50 * 1000);
	int second = connect_from(fx->port, "127.0.0.2");
	fx->served[1] = keep_alive_request(second);
	usleep(50 * 1000);
	/* A third client takes the place of the first. */
	int third = connect_from(fx->port, "127.0.0.3");
	fx->served[2] = keep_alive_request(third);
	char byte;
	ssize_t n = first >= 0 ? recv(first, &byte, 1, 0) : -1;
	fx->refused[0] = n == 0 || (n < 0 && errno == ECONNRESET);
	fx->served[1] = fx->served[1] && keep_alive_request(second);
	if (first >= 0)
		close(first);
	if (second >= 0)
		close(second);
	if (third >= 0)
		close(third);
}

static void test_full_server_sheds_the_longest_idle(void **state)
{
	(void)state;
	fixture *fx = new_fixture(full_server_client);
	fx->limits.max_connections = 2;
	/* Only making room closes anyone here, never the crowded idle timeout. */
	fx->limits.crowded_idle_timeout_ms = 60 * 1000;
	run(fx);
	assert_true(fx->served[0]);
	assert_true(fx->served[2]);
	assert_true(fx->refused[0]);
	assert_true(fx->served[1]);
	assert_int_equal(fx->counts.idle_shed, 1);
	assert_int_equal(fx->counts.refused_full, 0);
	free(fx);
}

static void crowded_client(fixture *fx)
{
	int fds[4];
	for (int i = 0; i < 4; i++) {
		fds[i] = connect_local(fx->port);
		fx->served[i] = keep_alive_request(fds[i]);
	}
	/* Four of four open is crowded: idle ones close long before 60 s. */
	read_to_eof(fx, fds[0]);
	for (int i = 0; i < 4; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void test_crowded_server_closes_idle_early(void **state)
{
	(void)state;
	fixture *fx = new_fixture(crowded_client);
	fx->limits.max_connections = 4;
	fx->limits.crowded_idle_timeout_ms = 100;
	run(fx);
	for (int i = 0; i < 4; i++)
		assert_true(fx->served[i]);
	/* Closed silently, within the client's 5 s receive timeout, not after 60 s. */
	assert_int_equal(fx->seen_len, 0);
	assert_true(fx->eof_after_ms >= 0);
	assert_true(fx->counts.idle_shed >= 1);
	free(fx);
}

static void half_request_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *partial = "POST /x HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc";
	send_all(fd, partial, strlen(partial));
	shutdown(fd, SHUT_WR);
	read_to_eof(fx, fd);
	close(fd);
}

static void test_eof_mid_request(void **state)
{
	(void)state;
	fixture *fx = new_fixture(half_request_client);
	run(fx);
	assert_int_equal(fx->handled, 0);
	assert_int_equal(fx->seen_len, 0);
	assert_true(fx->eof_after_ms >= 0);
	free(fx);
}

static void hold_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *request = "GET /hold HTTP/1.1\r\nHost: t\r\n\r\n";
	send_all(fd, request, strlen(request));
	/* Give the handler time to take the request before the loop is woken. */
	usleep(100 * 1000);
	close(fd);
}

static void test_close_waits_for_held_request(void **state)
{
	(void)state;
	fixture *fx = new_fixture(hold_client);
	run(fx);
	assert_int_equal(fx->handled, 1);
	assert_true(fx->answered_after_close);
	free(fx);
}

static void continue_client(fixture *fx)
{
	int fd = connect_local(fx->port);
	if (fd < 0)
		return;
	const char *head = "POST /sync HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
			   "Content-Length: 5\r\nConnection: close\r\n\r\n";
	char interim[64] = "";
	const char *expected = "HTTP/1.1 100 Continue\r\n\r\n";
	size_t got = 0;
	if (send_all(fd, head, strlen(head))) {
		while (got < strlen(expected)) {
			ssize_t n = recv(fd, interim + got, strlen(expected) - got, 0);
			if (n <= 0)
				break;
			got += (size_t)n;
		}
	}
	fx->other_ok = strcmp(interim, expected) == 0;
	if (send_all(fd, "hello", 5))
		read_to_eof(fx, fd);
	close(fd);
}

static void test_expect_continue(void **state)
{
	(void)state;
	fixture *fx = new_fixture(continue_client);
	run(fx);
	assert_true(fx->other_ok);
	assert_true(strstr(fx->seen, "HTTP/1.1 200 OK\r\n") == fx->seen);
	assert_non_null(strstr(fx->seen, "\r\n\r\nhello"));
	free(fx);
}

static void stop_client(fixture *fx)
{
	int idle = connect_local(fx->port);
	int busy = connect_local(fx->port);
	if (idle < 0 || busy < 0)
		return;
	const char *request = "GET /stop HTTP/1.1\r\nHost: t\r\n\r\n";
	if (send_all(busy, request, strlen(request)))
		read_to_eof(fx, busy);
	/* The idle connection was closed and no new one is taken. */
	char byte;
	bool idle_closed = recv(idle, &byte, 1, 0) == 0;
	int late = connect_local(fx->port);
	fx->other_ok = idle_closed && late < 0;
	if (late >= 0)
		close(late);
	close(idle);
	close(busy);
}

static void test_stop_accepting(void **state)
{
	(void)state;
	fixture *fx = new_fixture(stop_client);
	run(fx);
	assert_int_equal(fx->handled, 1);
	/* The request in progress is still answered, then the connection closes. */
	assert_true(strstr(fx->seen, "HTTP/1.1 200 OK\r\n") == fx->seen);
	assert_non_null(strstr(fx->seen, "Connection: close\r\n"));
	assert_true(fx->eof_after_ms >= 0);
	assert_true(fx->other_ok);
	free(fx);
}

static void exhaust_client(fixture *fx)
{
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fx->port)};
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (size_t i = 0; i < SPARE_SOCKETS; i++)
		connect(fx->spare[i], (struct sockaddr *)&addr, sizeof(addr));
	/*
	 * Every connection ends at once, without a byte: none was accepted
	 * normally (it would wait for the 10 s header timeout), and libuv's
	 * reserve descriptor let the server shed them all.
	 */
	for (size_t i = 0; i < SPARE_SOCKETS; i++) {
		char byte;
		ssize_t n = recv(fx->spare[i], &byte, 1, 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			fx->closed_by_server++;
	}
	/* Only now: a freed descriptor would let the server accept normally. */
	for (size_t i = 0; i < SPARE_SOCKETS; i++)
		close(fx->spare[i]);
	usleep(300 * 1000);
}

static void test_out_of_descriptors(void **state)
{
	(void)state;
	fixture *fx = new_fixture(exhaust_client);
	fx->exhaust_fds = true;
	for (size_t i = 0; i < SPARE_SOCKETS; i++) {
		fx->spare[i] = socket(AF_INET, SOCK_STREAM, 0);
		assert_true(fx->spare[i] >= 0);
		struct timeval tv = {.tv_sec = 5};
		setsockopt(fx->spare[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	}
	run(fx);
	assert_int_equal(fx->closed_by_server, SPARE_SOCKETS);
	assert_int_equal(count_lines(fx->log), 0);
	/* No busy loop: the loop slept through the client's pause. */
	assert_true(fx->cpu_share < 0.5);
	free(fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipelined_in_order),
		cmocka_unit_test(test_header_timeout),
		cmocka_unit_test(test_body_timeout),
		cmocka_unit_test(test_body_too_large),
		cmocka_unit_test(test_idle_keep_alive_closes_silently),
		cmocka_unit_test(test_connection_cap),
		cmocka_unit_test(test_per_address_cap),
		cmocka_unit_test(test_full_server_sheds_the_longest_idle),
		cmocka_unit_test(test_crowded_server_closes_idle_early),
		cmocka_unit_test(test_eof_mid_request),
		cmocka_unit_test(test_close_waits_for_held_request),
		cmocka_unit_test(test_expect_continue),
		cmocka_unit_test(test_stop_accepting),
		cmocka_unit_test(test_out_of_descriptors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
