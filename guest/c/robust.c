// robust checks what the kernel does with a thread's robust futex list
// when the thread ends (Linux's exit_robust_list): threads register
// hand-made lists with set_robust_list and end with a raw exit, and the
// main thread looks at the futex words they leave and the waiters they
// wake. Output is deterministic.
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

struct lock {
	struct robust_list list; // first, as in glibc's mutexes
	uint32_t word;
};

#define OFFSET ((long)offsetof(struct lock, word) - (long)offsetof(struct lock, list))
#define PI_BIT 1UL

static long futex(uint32_t *addr, int op, uint32_t val, const struct timespec *ts) {
	return syscall(SYS_futex, addr, op, val, ts, NULL, 0);
}

// shared_waiters counts the threads queued on addr as a shared futex.
static long shared_waiters(uint32_t *addr) {
	return syscall(SYS_futex, addr, FUTEX_REQUEUE, 0, INT_MAX, addr, 0);
}

static void await_waiters(uint32_t *addr, long n) {
	for (int i = 0; i < 20000; i++) {
		if (shared_waiters(addr) == n) return;
		usleep(500);
	}
	printf("timed out waiting for %ld waiters\n", n);
	exit(1);
}

// A waiter waits on a word as glibc's robust mutexes do: a shared futex,
// with a safety-net timeout so that a missing wake shows as ETIMEDOUT.
struct waiter {
	pthread_t th;
	uint32_t *word;
	uint32_t val;
	long ret;
	int err;
};

static void *wait_thread(void *arg) {
	struct waiter *w = arg;
	struct timespec ts = {10, 0};
	w->ret = futex(w->word, FUTEX_WAIT, w->val, &ts);
	w->err = errno;
	return NULL;
}

static void start_waiter(struct waiter *w, uint32_t *word, uint32_t val) {
	w->word = word;
	w->val = val;
	pthread_create(&w->th, NULL, wait_thread, w);
	await_waiters(word, 1);
}

static const char *finish(struct waiter *w) {
	pthread_join(w->th, NULL);
	if (w->ret == 0) return "woken";
	return w->err == ETIMEDOUT ? "not woken" : strerror(w->err);
}

// A scenario: a dying thread's robust list and what it set up.
struct scenario {
	struct robust_list_head head;
	struct lock locks[6];
	uint32_t tid;
	uint32_t ready, go; // futex words between the main thread and the dying one
	void (*setup)(struct scenario *);
	long get_ok;
};

static void signal_word(uint32_t *w) {
	__atomic_store_n(w, 1, __ATOMIC_SEQ_CST);
	futex(w, FUTEX_WAKE_PRIVATE, INT_MAX, NULL);
}

static void wait_word(uint32_t *w) {
	while (!__atomic_load_n(w, __ATOMIC_SEQ_CST)) futex(w, FUTEX_WAIT_PRIVATE, 0, NULL);
}

// dying sets up its list, tells the main thread, waits for the go-ahead
// and leaves with a bare exit system call, holding what it holds.
static void *dying(void *arg) {
	struct scenario *s = arg;
	s->tid = (uint32_t)syscall(SYS_gettid);
	s->head.futex_offset = OFFSET;
	s->head.list.next = &s->head.list;
	s->head.list_op_pending = NULL;
	s->setup(s);
	syscall(SYS_set_robust_list, &s->head, sizeof s->head);
	struct robust_list_head *got = NULL;
	size_t len = 0;
	s->get_ok = syscall(SYS_get_robust_list, 0, &got, &len) == 0 && got == &s->head && len == sizeof s->head;
	signal_word(&s->ready);
	wait_word(&s->go);
	syscall(SYS_exit, 0);
	return NULL;
}

static void link_locks(struct scenario *s, int n) {
	struct robust_list *prev = &s->head.list;
	for (int i = 0; i < n; i++) {
		prev->next = &s->locks[i].list;
		prev = &s->locks[i].list;
	}
	prev->next = &s->head.list;
}

static void start(struct scenario *s, pthread_t *th) {
	pthread_create(th, NULL, dying, s);
	wait_word(&s->ready);
}

static void end(struct scenario *s, pthread_t th) {
	signal_word(&s->go);
	pthread_join(th, NULL);
}

// A plain list: locks held by the thread, one with a waiter, one held
// by someone else, one already marked, and a pending one.
static void setup_plain(struct scenario *s) {
	link_locks(s, 5);
	s->locks[0].word = s->tid;
	s->locks[1].word = s->tid | FUTEX_WAITERS;
	s->locks[2].word = 12345;
	s->locks[3].word = s->tid | FUTEX_OWNER_DIED;
	s->locks[4].word = 0;
	s->locks[5].word = s->tid; // pending, not on the list
	s->head.list_op_pending = &s->locks[5].list;
}

// A cycle that never comes back to the head: the walk gives up after
// ROBUST_LIST_LIMIT entries and still handles the pending lock, which is
// free: a waiter on it is woken.
static void setup_cycle(struct scenario *s) {
	s->head.list.next = &s->locks[0].list;
	s->locks[0].list.next = &s->locks[1].list;
	s->locks[1].list.next = &s->locks[0].list;
	s->locks[0].word = s->tid;
	s->locks[1].word = s->tid | FUTEX_WAITERS;
	s->locks[2].word = 0;
	s->head.list_op_pending = &s->locks[2].list;
}

// A bad pointer ends the walk, and the pending lock is left alone.
static void setup_bad_pointer(struct scenario *s) {
	s->head.list.next = &s->locks[0].list;
	s->locks[0].list.next = (struct robust_list *)0x10;
	s->locks[0].word = s->tid;
	s->locks[1].word = s->tid;
	s->head.list_op_pending = &s->locks[1].list;
}

// PI-marked entries (bit 0 of the pointer): the word is marked; there
// is nobody to wake.
static void setup_pi(struct scenario *s) {
	s->head.list.next = (struct robust_list *)((uintptr_t)&s->locks[0].list | PI_BIT);
	s->locks[0].list.next = (struct robust_list *)((uintptr_t)&s->locks[1].list | PI_BIT);
	s->locks[1].list.next = &s->head.list;
	s->locks[0].word = s->tid;
	s->locks[1].word = s->tid | FUTEX_WAITERS;
}

// The pending lock is also on the list: it is handled once, as pending.
static void setup_pending_on_list(struct scenario *s) {
	link_locks(s, 2);
	s->locks[0].word = s->tid;
	s->locks[1].word = s->tid | FUTEX_WAITERS;
	s->head.list_op_pending = &s->locks[1].list;
}

// A misaligned futex word ends the walk.
static void setup_misaligned(struct scenario *s) {
	link_locks(s, 2);
	s->head.futex_offset = OFFSET + 1;
	s->locks[0].word = s->tid;
	s->locks[1].word = s->tid;
}

static char hexbuf[6][16];

static const char *show(struct scenario *s, int i) {
	uint32_t w = s->locks[i].word;
	char *b = hexbuf[i];
	if ((w & FUTEX_TID_MASK) == s->tid)
		snprintf(b, 16, "%s%stid", w & FUTEX_WAITERS ? "W|" : "", w & FUTEX_OWNER_DIED ? "D|" : "");
	else
		snprintf(b, 16, "%#x", w);
	return b;
}

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	pthread_t th;
	struct waiter w;

	printf("set_robust_list bad size: %s\n",
	       syscall(SYS_set_robust_list, NULL, 23) < 0 ? strerror(errno) : "ok");
	void *head;
	size_t len;
	printf("get_robust_list no such thread: %s\n",
	       syscall(SYS_get_robust_list, 999999, &head, &len) < 0 ? strerror(errno) : "ok");
	printf("get_robust_list bad pointer: %s\n",
	       syscall(SYS_get_robust_list, 0, (void *)8, &len) < 0 ? strerror(errno) : "ok");

	static struct scenario plain = {.setup = setup_plain};
	start(&plain, &th);
	start_waiter(&w, &plain.locks[1].word, plain.locks[1].word);
	end(&plain, th);
	printf("plain: get_robust_list %ld, words %s %s %s %s %s pending %s, waiter %s\n", plain.get_ok,
	       show(&plain, 0), show(&plain, 1), show(&plain, 2), show(&plain, 3), show(&plain, 4),
	       show(&plain, 5), finish(&w));

	static struct scenario cycle = {.setup = setup_cycle};
	start(&cycle, &th);
	start_waiter(&w, &cycle.locks[2].word, 0);
	end(&cycle, th);
	printf("cycle: words %s %s pending %s, pending waiter %s\n", show(&cycle, 0), show(&cycle, 1),
	       show(&cycle, 2), finish(&w));

	static struct scenario bad = {.setup = setup_bad_pointer};
	start(&bad, &th);
	end(&bad, th);
	printf("bad pointer: word %s pending %s\n", show(&bad, 0), show(&bad, 1));

	static struct scenario pi = {.setup = setup_pi};
	start(&pi, &th);
	end(&pi, th);
	printf("pi: words %s %s\n", show(&pi, 0), show(&pi, 1));

	static struct scenario pol = {.setup = setup_pending_on_list};
	start(&pol, &th);
	start_waiter(&w, &pol.locks[1].word, pol.locks[1].word);
	end(&pol, th);
	printf("pending on list: words %s %s, waiter %s\n", show(&pol, 0), show(&pol, 1), finish(&w));

	static struct scenario mis = {.setup = setup_misaligned};
	start(&mis, &th);
	end(&mis, th);
	printf("misaligned: words %s %s\n", show(&mis, 0), show(&mis, 1));
	return 0;
}
