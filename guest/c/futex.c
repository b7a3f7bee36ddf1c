// futex checks the futex(2) operations against Linux: errors, timeouts,
// wake counts, requeueing, FUTEX_WAKE_OP and signals during waits. It
// prints only results that are the same on every run: return values,
// errno names and booleans about elapsed time.
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// The futex ABI, spelled out: musl-gcc has no kernel headers.
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_REQUEUE 3
#define FUTEX_CMP_REQUEUE 4
#define FUTEX_WAKE_OP 5
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_PRIVATE_FLAG 128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK (~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))
#define FUTEX_WAIT_PRIVATE (FUTEX_WAIT | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_PRIVATE (FUTEX_WAKE | FUTEX_PRIVATE_FLAG)
#define FUTEX_REQUEUE_PRIVATE (FUTEX_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_CMP_REQUEUE_PRIVATE (FUTEX_CMP_REQUEUE | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_OP_PRIVATE (FUTEX_WAKE_OP | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_BITSET_PRIVATE (FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAKE_BITSET_PRIVATE (FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG)
#define FUTEX_BITSET_MATCH_ANY 0xffffffff
#define FUTEX_OP_SET 0
#define FUTEX_OP_ADD 1
#define FUTEX_OP_OR 2
#define FUTEX_OP_ANDN 3
#define FUTEX_OP_XOR 4
#define FUTEX_OP_OPARG_SHIFT 8
#define FUTEX_OP_CMP_EQ 0
#define FUTEX_OP_CMP_NE 1
#define FUTEX_OP_CMP_LT 2
#define FUTEX_OP_CMP_LE 3
#define FUTEX_OP_CMP_GT 4
#define FUTEX_OP_CMP_GE 5
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	(((op & 0xf) << 28) | ((cmp & 0xf) << 24) | ((oparg & 0xfff) << 12) | (cmparg & 0xfff))

static long futex(void *addr, int op, uint32_t val, const void *timeout, void *addr2, uint32_t val3) {
	return syscall(SYS_futex, addr, op, val, timeout, addr2, val3);
}

// futex2 passes val2 (a count) in the timeout argument, as REQUEUE and
// WAKE_OP take it.
static long futex2(void *addr, int op, uint32_t val, long val2, void *addr2, uint32_t val3) {
	return syscall(SYS_futex, addr, op, val, val2, addr2, val3);
}

static const char *ename(int e) {
	switch (e) {
	case EAGAIN: return "EAGAIN";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EINTR: return "EINTR";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	}
	static char buf[32];
	snprintf(buf, sizeof buf, "errno %d", e);
	return buf;
}

// show prints a call's result: the value, or -1 and the errno name.
static void show(const char *what, long r) {
	if (r < 0)
		printf("%-44s -1 %s\n", what, ename(errno));
	else
		printf("%-44s %ld\n", what, r);
}

static int64_t now_ns(clockid_t clk) {
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec ts_of(int64_t ns) {
	struct timespec ts = {ns / 1000000000, ns % 1000000000};
	return ts;
}

// waiters counts the threads queued on addr without waking any: a requeue
// of the futex onto itself wakes none and reports every one it "moved".
static long waiters(uint32_t *addr) { return futex2(addr, FUTEX_REQUEUE_PRIVATE, 0, INT_MAX, addr, 0); }

// await_waiters waits until n threads are queued on addr.
static void await_waiters(uint32_t *addr, long n) {
	for (int i = 0; i < 20000; i++) {
		if (waiters(addr) == n) return;
		usleep(500);
	}
	printf("timed out waiting for %ld waiters (have %ld)\n", n, waiters(addr));
	exit(1);
}

struct waiter {
	pthread_t th;
	uint32_t *addr;
	uint32_t val, bitset;
	int op;
	long ret;
	int err;
};

static void *wait_thread(void *arg) {
	struct waiter *w = arg;
	// A safety net of 10s: nothing here waits that long. WAIT_BITSET
	// takes an absolute CLOCK_MONOTONIC time, WAIT a relative one.
	struct timespec ts = {10, 0};
	if ((w->op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET) ts = ts_of(now_ns(CLOCK_MONOTONIC) + 10000000000LL);
	w->ret = futex(w->addr, w->op, w->val, &ts, NULL, w->bitset);
	w->err = errno;
	return NULL;
}

static void start_waiter(struct waiter *w, uint32_t *addr, int op, uint32_t val, uint32_t bitset) {
	w->addr = addr;
	w->op = op;
	w->val = val;
	w->bitset = bitset;
	pthread_create(&w->th, NULL, wait_thread, w);
}

// finish joins w and reports how its wait ended.
static const char *finish(struct waiter *w) {
	pthread_join(w->th, NULL);
	return w->ret == 0 ? "woken" : ename(w->err);
}

static void test_errors(void) {
	static uint32_t word = 7;
	char *p = (char *)&word;
	struct timespec ts = {0, 1000};
	struct timespec bad = {0, 1000000000};
	struct timespec neg = {-1, 0};

	show("WAIT value differs", futex(&word, FUTEX_WAIT_PRIVATE, 8, NULL, NULL, 0));
	show("WAIT shared value differs", futex(&word, FUTEX_WAIT, 8, NULL, NULL, 0));
	show("WAIT_BITSET bitset 0", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 7, NULL, NULL, 0));
	show("WAKE_BITSET bitset 0", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0));
	show("WAIT unaligned", futex(p + 1, FUTEX_WAIT_PRIVATE, 7, NULL, NULL, 0));
	show("WAKE unaligned", futex(p + 2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	show("WAIT NULL", futex(NULL, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0));
	show("WAIT unmapped", futex((void *)0x1000, FUTEX_WAIT, 0, NULL, NULL, 0));
	show("WAIT bad timeout pointer", futex(&word, FUTEX_WAIT_PRIVATE, 7, (void *)8, NULL, 0));
	show("WAIT timeout nsec 1e9", futex(&word, FUTEX_WAIT_PRIVATE, 7, &bad, NULL, 0));
	show("WAIT timeout negative", futex(&word, FUTEX_WAIT_PRIVATE, 7, &neg, NULL, 0));
	show("WAIT bad timeout, value differs", futex(&word, FUTEX_WAIT_PRIVATE, 8, &bad, NULL, 0));
	show("WAIT 1us timeout", futex(&word, FUTEX_WAIT_PRIVATE, 7, &ts, NULL, 0));
	show("WAKE no waiters", futex(&word, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
	show("WAKE private unmapped", futex((void *)0x1000, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	show("WAKE private NULL", futex(NULL, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	show("CMP_REQUEUE private unmapped target", futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, (void *)0x1000, 7));
	show("CMP_REQUEUE shared unmapped target", futex2(&word, FUTEX_CMP_REQUEUE, 1, 1, (void *)0x1000, 7));
	show("CMP_REQUEUE private unmapped source", futex2((void *)0x1000, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word, 7));
	show("REQUEUE private unmapped source", futex2((void *)0x1000, FUTEX_REQUEUE_PRIVATE, 1, 1, &word, 7));
	show("WAKE_OP private unmapped source", futex2((void *)0x1000, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word,
					   FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0)));
	show("WAIT_BITSET CLOCK_REALTIME bad timeout ptr",
	     futex(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 7, (void *)8, NULL, 0));
	show("WAKE shared unmapped", futex((void *)0x1000, FUTEX_WAKE, 1, NULL, NULL, 0));
	show("unknown op", futex(&word, 99, 0, NULL, NULL, 0));
	show("REQUEUE negative count", futex2(&word, FUTEX_REQUEUE_PRIVATE, -1, 1, &word, 0));
	show("REQUEUE negative count 2", futex2(&word, FUTEX_REQUEUE_PRIVATE, 1, -1, &word, 0));
	show("CMP_REQUEUE value differs", futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, &word, 8));
	show("CMP_REQUEUE unaligned target", futex2(&word, FUTEX_CMP_REQUEUE_PRIVATE, 1, 1, p + 1, 7));
	show("WAKE_OP unmapped target", futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, (void *)0x1000,
					   FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)));
	show("WAKE_OP bad op", futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word, 7u << 28));
	printf("word after bad op: %u\n", word);
	show("WAKE_OP bad cmp", futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, &word,
				      FUTEX_OP(FUTEX_OP_SET, 9, 7, 0)));
	printf("word after bad cmp: %u\n", word);

	// A read-only page: waiting only reads the word.
	uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	show("WAIT read-only page, value differs", futex(ro, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0));
	show("WAIT read-only page, 1us", futex(ro, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0));
	show("WAKE_OP read-only target", futex2(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, ro,
					       FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)));
	munmap(ro, 4096);
}

static void test_timeouts(void) {
	static uint32_t word;
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec rel = {0, 50000000};
	long r = futex(&word, FUTEX_WAIT_PRIVATE, 0, &rel, NULL, 0);
	int e = errno;
	int64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	printf("WAIT 50ms: ETIMEDOUT %d, took >= 50ms %d, < 5s %d\n", r == -1 && e == ETIMEDOUT,
	       took >= 50000000, took < 5000000000LL);

	t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec abs = ts_of(t0 + 50000000);
	r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	e = errno;
	int64_t end = now_ns(CLOCK_MONOTONIC);
	printf("WAIT_BITSET monotonic +50ms: ETIMEDOUT %d, reached deadline %d, < 5s %d\n",
	       r == -1 && e == ETIMEDOUT, end >= t0 + 50000000, end - t0 < 5000000000LL);

	int64_t rt0 = now_ns(CLOCK_REALTIME);
	t0 = now_ns(CLOCK_MONOTONIC);
	abs = ts_of(rt0 + 50000000);
	r = futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, FUTEX_BITSET_MATCH_ANY);
	e = errno;
	printf("WAIT_BITSET realtime +50ms: ETIMEDOUT %d, reached deadline %d, < 5s %d\n",
	       r == -1 && e == ETIMEDOUT, now_ns(CLOCK_REALTIME) >= rt0 + 50000000,
	       now_ns(CLOCK_MONOTONIC) - t0 < 5000000000LL);

	abs = ts_of(now_ns(CLOCK_MONOTONIC) - 1000000000);
	show("WAIT_BITSET deadline passed", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, ~0u));
	abs = ts_of(0);
	show("WAIT_BITSET deadline 0", futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 0, &abs, NULL, ~0u));
	abs = ts_of(now_ns(CLOCK_REALTIME) - 1000000000);
	show("WAIT_BITSET realtime deadline passed",
	     futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &abs, NULL, ~0u));
	rel = (struct timespec){0, 1000000};
	show("WAIT CLOCK_REALTIME 1ms", futex(&word, FUTEX_WAIT_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &rel, NULL, 0));
	show("WAKE CLOCK_REALTIME", futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0));

}

// huge_timeout: a thread waits with an enormous relative timeout and must
// still be waiting when woken.
static void *huge_wait(void *arg) {
	struct timespec ts = {INT64_MAX / 2, 0};
	long r = futex(arg, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	return (void *)(r == 0 ? 1L : -(long)errno);
}

static void test_huge_timeout(void) {
	static uint32_t word;
	pthread_t th;
	pthread_create(&th, NULL, huge_wait, &word);
	await_waiters(&word, 1);
	usleep(20000);
	long still = waiters(&word);
	show("WAKE huge-timeout waiter", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	void *ret;
	pthread_join(th, &ret);
	printf("huge timeout: still waiting after 20ms %d, woken %d\n", still == 1, ret == (void *)1L);
}

static void test_wake_counts(void) {
	static uint32_t word;
	struct waiter w[4];
	for (int i = 0; i < 4; i++) start_waiter(&w[i], &word, FUTEX_WAIT_PRIVATE, 0, 0);
	await_waiters(&word, 4);
	show("WAKE 0 (wakes one)", futex(&word, FUTEX_WAKE_PRIVATE, 0, NULL, NULL, 0));
	show("WAKE -1 (wakes one)", futex(&word, FUTEX_WAKE_PRIVATE, (uint32_t)-1, NULL, NULL, 0));
	show("WAKE 1", futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
	show("waiters left", waiters(&word));
	show("WAKE shared misses private waiter", futex(&word, FUTEX_WAKE, 5, NULL, NULL, 0));
	show("WAKE private all", futex(&word, FUTEX_WAKE_PRIVATE, 5, NULL, NULL, 0));
	for (int i = 0; i < 4; i++) printf("waiter %d: %s\n", i, finish(&w[i]));

	// Bitsets: a wake meets only waiters whose bitset shares a bit.
	for (int i = 0; i < 3; i++) start_waiter(&w[i], &word, FUTEX_WAIT_BITSET_PRIVATE, 0, 1u << i);
	await_waiters(&word, 3);
	show("WAKE_BITSET 0x8", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 8));
	show("WAKE_BITSET 0x2", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 2));
	show("WAKE_BITSET 0x5", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 5));
	for (int i = 0; i < 3; i++) printf("bitset waiter %d: %s\n", i, finish(&w[i]));

	// A plain WAIT is a WAIT_BITSET with every bit.
	start_waiter(&w[0], &word, FUTEX_WAIT_PRIVATE, 0, 0);
	await_waiters(&word, 1);
	show("WAKE_BITSET 0x100 meets plain WAIT", futex(&word, FUTEX_WAKE_BITSET_PRIVATE, 1, NULL, NULL, 0x100));
	printf("plain waiter: %s\n", finish(&w[0]));
}

static void test_requeue(void) {
	static uint32_t a, b;
	struct waiter w[6];
	for (int i = 0; i < 6; i++) start_waiter(&w[i], &a, FUTEX_WAIT_PRIVATE, 0, 0);
	await_waiters(&a, 6);
	show("CMP_REQUEUE value differs", futex2(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &b, 1));
	show("CMP_REQUEUE wake 1 move 2", futex2(&a, FUTEX_CMP_REQUEUE_PRIVATE, 1, 2, &b, 0));
	show("waiters on a", waiters(&a));
	show("waiters on b", waiters(&b));
	show("REQUEUE wake 0 move 1", futex2(&a, FUTEX_REQUEUE_PRIVATE, 0, 1, &b, 0));
	show("REQUEUE wake 0 move 0", futex2(&a, FUTEX_REQUEUE_PRIVATE, 0, 0, &b, 0));
	show("REQUEUE wake 1 move 0", futex2(&a, FUTEX_REQUEUE_PRIVATE, 1, 0, &b, 0));
	show("waiters on a", waiters(&a));
	show("waiters on b", waiters(&b));
	show("WAKE b all", futex(&b, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
	show("CMP_REQUEUE onto itself", futex2(&a, FUTEX_CMP_REQUEUE_PRIVATE, 0, 10, &a, 0));
	show("WAKE a all", futex(&a, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
	int woken = 0;
	for (int i = 0; i < 6; i++) woken += strcmp(finish(&w[i]), "woken") == 0;
	printf("requeue: all %d woken\n", woken);
}

static void test_wake_op(void) {
	static uint32_t a, b;
	struct waiter w[6];
	for (int i = 0; i < 3; i++) start_waiter(&w[i], &a, FUTEX_WAIT_PRIVATE, 0, 0);
	b = 5;
	for (int i = 3; i < 6; i++) start_waiter(&w[i], &b, FUTEX_WAIT_PRIVATE, 5, 0);
	await_waiters(&a, 3);
	await_waiters(&b, 3);
	// oparg and cmparg are signed 12-bit fields.
	show("WAKE_OP add -1, old == 5", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 1, 1, &b,
					       FUTEX_OP(FUTEX_OP_ADD, 0xfff, FUTEX_OP_CMP_EQ, 5)));
	printf("b = %d\n", (int)b);
	show("WAKE_OP set -1, old != 4 (fails)", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 0, 1, &b,
						       FUTEX_OP(FUTEX_OP_SET, 0xfff, FUTEX_OP_CMP_NE, 4)));
	printf("b = %d\n", (int)b);
	show("WAKE_OP add 1, old == -1", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 0, 0, &b,
					       FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0xfff)));
	printf("b = %d\n", (int)b);
	show("WAKE_OP or 1<<3, old < 1", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 0, 5, &b,
					       FUTEX_OP((FUTEX_OP_OR | FUTEX_OP_OPARG_SHIFT), 3, FUTEX_OP_CMP_LT, 1)));
	printf("b = %d\n", (int)b);
	show("WAKE_OP xor 0xff, old >= 8", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 5, 0, &b,
						 FUTEX_OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_GE, 8)));
	printf("b = %d\n", (int)b);
	show("WAKE_OP andn 0xf0, old <= 0 (fails)", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 5, 5, &b,
							  FUTEX_OP(FUTEX_OP_ANDN, 0xf0, FUTEX_OP_CMP_LE, 0)));
	printf("b = %d\n", (int)b);
	show("WAKE_OP shift 40 (masked to 8)", futex2(&a, FUTEX_WAKE_OP_PRIVATE, 5, 5, &b,
						     FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 40, FUTEX_OP_CMP_GT, 0)));
	printf("b = %d\n", (int)b);
	for (int i = 0; i < 6; i++) printf("wake_op waiter %d: %s\n", i, finish(&w[i]));
}

static volatile sig_atomic_t handled;
static void on_usr1(int sig) { (void)sig; handled++; }

struct kicker {
	pthread_t target;
	uint32_t *word;
	int set_word;
	int sig;
};

static void *kick(void *arg) {
	struct kicker *k = arg;
	usleep(30000);
	pthread_kill(k->target, k->sig);
	if (k->set_word) {
		usleep(30000);
		__atomic_store_n(k->word, 1, __ATOMIC_SEQ_CST);
		futex(k->word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	return NULL;
}

static void test_signals(void) {
	static uint32_t word;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);

	// With a timeout, a handled signal ends the wait with EINTR even under
	// SA_RESTART.
	struct kicker k = {pthread_self(), &word, 0, SIGUSR1};
	pthread_t th;
	pthread_create(&th, NULL, kick, &k);
	struct timespec ts = {5, 0};
	long r = futex(&word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	int e = errno;
	pthread_join(th, NULL);
	printf("timed WAIT + SA_RESTART handler: %s, handled %d\n", r == 0 ? "0" : ename(e), handled);

	// Without one, it is restarted: it ends woken, or with EAGAIN when the
	// word changed before the restart.
	word = 0;
	k.set_word = 1;
	pthread_create(&th, NULL, kick, &k);
	r = futex(&word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	e = errno;
	pthread_join(th, NULL);
	printf("untimed WAIT + SA_RESTART handler: restarted %d, handled %d\n", r == 0 || e == EAGAIN, handled);

	// A signal whose default is to be ignored does not end a timed wait.
	word = 0;
	k.set_word = 0;
	k.sig = SIGWINCH;
	pthread_create(&th, NULL, kick, &k);
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	ts = (struct timespec){0, 100000000};
	r = futex(&word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	e = errno;
	int64_t took = now_ns(CLOCK_MONOTONIC) - t0;
	pthread_join(th, NULL);
	printf("timed WAIT + ignored SIGWINCH: %s, took >= 100ms %d\n", r == 0 ? "0" : ename(e), took >= 100000000);

	// A blocked signal does not either.
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	k.sig = SIGUSR1;
	pthread_create(&th, NULL, kick, &k);
	t0 = now_ns(CLOCK_MONOTONIC);
	r = futex(&word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
	e = errno;
	took = now_ns(CLOCK_MONOTONIC) - t0;
	pthread_join(th, NULL);
	printf("timed WAIT + blocked SIGUSR1: %s, took >= 100ms %d, handled %d\n", r == 0 ? "0" : ename(e),
	       took >= 100000000, handled);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	printf("after unblocking: handled %d\n", handled);
}

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_errors();
	test_timeouts();
	test_huge_timeout();
	test_wake_counts();
	test_requeue();
	test_wake_op();
	test_signals();
	printf("done\n");
	return 0;
}
