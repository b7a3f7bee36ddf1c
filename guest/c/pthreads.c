// pthreads exercises POSIX threads the way programs use them: 16 threads
// on a mutex, thread-local storage, barriers, a producer/consumer queue on
// condition variables, read-write locks, thread-specific data with
// destructors, timed waits, cancellation, join values, and robust mutexes
// whose owners die holding them. Well over 100k operations in all; the
// output is the same on every run.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define NTHREADS 16
#define MUTEX_OPS 4000
#define BARRIER_ROUNDS 50
#define PRODUCERS 8
#define CONSUMERS 8
#define ITEMS 2500 // per producer
#define QUEUE 64
#define RW_OPS 1000

static int failures;

static void check(int ok, const char *what) {
	if (!ok) {
		printf("FAILED: %s\n", what);
		failures++;
	}
}

// --- mutex, thread-local storage, join values ---

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long tls_ops;
static __thread int tls_init = 42;
static __thread char tls_name[16];

static void *mutex_worker(void *arg) {
	long id = (long)arg;
	int saw_init = tls_init == 42;
	tls_init = (int)id;
	snprintf(tls_name, sizeof tls_name, "worker-%ld", id);
	for (int i = 0; i < MUTEX_OPS; i++) {
		pthread_mutex_lock(&counter_lock);
		counter += id + 1;
		pthread_mutex_unlock(&counter_lock);
		tls_ops++;
		if ((i & 255) == 0) sched_yield();
	}
	char want[16];
	snprintf(want, sizeof want, "worker-%ld", id);
	int tls_ok = saw_init && tls_init == id && strcmp(tls_name, want) == 0 && tls_ops == MUTEX_OPS;
	return (void *)(intptr_t)(tls_ok ? id * 1000 + 7 : -1);
}

static void test_mutex(void) {
	pthread_t th[NTHREADS];
	for (long i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, mutex_worker, (void *)i);
	long joined = 0;
	for (int i = 0; i < NTHREADS; i++) {
		void *ret;
		pthread_join(th[i], &ret);
		joined += (intptr_t)ret;
	}
	long want = 0;
	for (int i = 0; i < NTHREADS; i++) want += (long)(i + 1) * MUTEX_OPS;
	printf("mutex: counter %ld (want %ld), join values sum %ld, main tls_init %d tls_ops %ld\n", counter, want,
	       joined, tls_init, tls_ops);
	check(counter == want, "mutex counter");
	check(joined == 1000L * NTHREADS * (NTHREADS - 1) / 2 + 7 * NTHREADS, "join values / TLS");
}

// --- barriers ---

static pthread_barrier_t barrier;
static long slots[BARRIER_ROUNDS][NTHREADS];
static int serials, round_errors;

static void *barrier_worker(void *arg) {
	long id = (long)arg;
	for (int r = 0; r < BARRIER_ROUNDS; r++) {
		slots[r][id] = r * 100 + id;
		int s = pthread_barrier_wait(&barrier);
		if (s == PTHREAD_BARRIER_SERIAL_THREAD) {
			// Everyone has written round r, and nobody round r+1 yet:
			// they wait at the second barrier.
			long sum = 0;
			for (int i = 0; i < NTHREADS; i++) sum += slots[r][i];
			if (sum != r * 100L * NTHREADS + NTHREADS * (NTHREADS - 1) / 2) round_errors++;
			serials++;
		} else if (s != 0) {
			round_errors++;
		}
		pthread_barrier_wait(&barrier);
	}
	return NULL;
}

static void test_barrier(void) {
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	pthread_t th[NTHREADS];
	for (long i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, barrier_worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	printf("barrier: %d rounds, %d serial threads, %d errors\n", BARRIER_ROUNDS, serials, round_errors);
	check(serials == BARRIER_ROUNDS && round_errors == 0, "barrier");
}

// --- producer/consumer on condition variables ---

static pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t q_not_empty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t q_not_full = PTHREAD_COND_INITIALIZER;
static long queue[QUEUE];
static int q_head, q_len;
static int max_len;

static void put(long v) {
	pthread_mutex_lock(&q_lock);
	while (q_len == QUEUE) pthread_cond_wait(&q_not_full, &q_lock);
	queue[(q_head + q_len) % QUEUE] = v;
	q_len++;
	if (q_len > max_len) max_len = q_len;
	pthread_cond_signal(&q_not_empty);
	pthread_mutex_unlock(&q_lock);
}

static long get(void) {
	pthread_mutex_lock(&q_lock);
	while (q_len == 0) pthread_cond_wait(&q_not_empty, &q_lock);
	long v = queue[q_head];
	q_head = (q_head + 1) % QUEUE;
	q_len--;
	pthread_cond_signal(&q_not_full);
	pthread_mutex_unlock(&q_lock);
	return v;
}

static void *producer(void *arg) {
	long id = (long)arg;
	for (long i = 0; i < ITEMS; i++) put(id * 100000 + i);
	return (void *)(intptr_t)ITEMS;
}

struct tally {
	long count, sum;
};

static void *consumer(void *arg) {
	struct tally *t = arg;
	for (;;) {
		long v = get();
		if (v < 0) break;
		t->count++;
		t->sum += v;
	}
	return t;
}

static void test_queue(void) {
	pthread_t p[PRODUCERS], c[CONSUMERS];
	static struct tally tallies[CONSUMERS];
	for (long i = 0; i < CONSUMERS; i++) pthread_create(&c[i], NULL, consumer, &tallies[i]);
	for (long i = 0; i < PRODUCERS; i++) pthread_create(&p[i], NULL, producer, (void *)i);
	long produced = 0;
	for (int i = 0; i < PRODUCERS; i++) {
		void *ret;
		pthread_join(p[i], &ret);
		produced += (intptr_t)ret;
	}
	for (int i = 0; i < CONSUMERS; i++) put(-1);
	long count = 0, sum = 0;
	int right_tally = 1;
	for (int i = 0; i < CONSUMERS; i++) {
		void *ret;
		pthread_join(c[i], &ret);
		right_tally &= ret == &tallies[i];
		count += tallies[i].count;
		sum += tallies[i].sum;
	}
	long want = 0;
	for (long p = 0; p < PRODUCERS; p++) want += p * 100000 * ITEMS + (long)ITEMS * (ITEMS - 1) / 2;
	printf("queue: produced %ld, consumed %ld, sum %ld (want %ld), bounded %d, join values %d\n", produced,
	       count, sum, want, max_len <= QUEUE, right_tally);
	check(count == produced && sum == want && right_tally, "producer/consumer");
}

// --- read-write locks ---

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_a, rw_b; // writers keep them equal
static int rw_torn;

static void *rw_worker(void *arg) {
	long id = (long)arg;
	for (int i = 0; i < RW_OPS; i++) {
		if ((i + id) % 4 == 0) {
			pthread_rwlock_wrlock(&rw);
			rw_a++;
			rw_b++;
			pthread_rwlock_unlock(&rw);
		} else {
			pthread_rwlock_rdlock(&rw);
			if (rw_a != rw_b) __atomic_add_fetch(&rw_torn, 1, __ATOMIC_RELAXED);
			pthread_rwlock_unlock(&rw);
		}
	}
	return NULL;
}

static void test_rwlock(void) {
	pthread_t th[NTHREADS];
	for (long i = 0; i < NTHREADS; i++) pthread_create(&th[i], NULL, rw_worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++) pthread_join(th[i], NULL);
	printf("rwlock: %ld writes, %d torn reads\n", rw_a, rw_torn);
	check(rw_a == NTHREADS * RW_OPS / 4 && rw_torn == 0, "rwlock");
}

// --- thread-specific data, once, detached threads ---

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs, destructor_runs;
static pthread_mutex_t tsd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t tsd_cond = PTHREAD_COND_INITIALIZER;
static int detached_done;

static void destructor(void *v) {
	pthread_mutex_lock(&tsd_lock);
	destructor_runs++;
	free(v);
	pthread_mutex_unlock(&tsd_lock);
}

static void init_key(void) {
	once_runs++;
	pthread_key_create(&key, destructor);
}

static void *tsd_worker(void *arg) {
	pthread_once(&once, init_key);
	long *v = malloc(sizeof *v);
	*v = (long)arg;
	pthread_setspecific(key, v);
	sched_yield();
	long *got = pthread_getspecific(key);
	int ok = got == v && *got == (long)arg;
	pthread_mutex_lock(&tsd_lock);
	detached_done += ok;
	pthread_cond_broadcast(&tsd_cond);
	pthread_mutex_unlock(&tsd_lock);
	return NULL;
}

static void test_tsd(void) {
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	for (long i = 0; i < NTHREADS; i++) {
		pthread_t th;
		pthread_create(&th, &attr, tsd_worker, (void *)i);
	}
	pthread_attr_destroy(&attr);
	// Wait for every destructor: they run after the threads' last words.
	struct timespec limit;
	clock_gettime(CLOCK_REALTIME, &limit);
	limit.tv_sec += 20;
	pthread_mutex_lock(&tsd_lock);
	while (detached_done < NTHREADS || destructor_runs < NTHREADS) {
		pthread_mutex_unlock(&tsd_lock);
		usleep(1000);
		pthread_mutex_lock(&tsd_lock);
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		if (now.tv_sec > limit.tv_sec) break;
	}
	pthread_mutex_unlock(&tsd_lock);
	printf("tsd: once ran %d, %d threads saw their value, %d destructors\n", once_runs, detached_done,
	       destructor_runs);
	check(once_runs == 1 && detached_done == NTHREADS && destructor_runs == NTHREADS, "thread-specific data");
}

// --- timed waits ---

static int64_t mono_ns(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct timedlock_args {
	struct timespec *ts;
	int *r;
};

static void *timedlock(void *arg) {
	struct timedlock_args *a = arg;
	*a->r = pthread_mutex_timedlock(&counter_lock, a->ts);
	return NULL;
}

static void test_timed(void) {
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_cond_t rt = PTHREAD_COND_INITIALIZER, mono;
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&mono, &ca);

	// The start is taken before the deadline is computed from it: the
	// wait lasts at least 30ms from the start.
	int64_t t0 = mono_ns();
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
	pthread_mutex_lock(&m);
	int r1 = pthread_cond_timedwait(&rt, &m, &ts);
	int64_t took1 = mono_ns() - t0;

	t0 = mono_ns();
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += 30000000;
	if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
	int r2 = pthread_cond_timedwait(&mono, &m, &ts);
	int64_t took2 = mono_ns() - t0;
	pthread_mutex_unlock(&m);

	// A mutex held by another thread: timedlock times out.
	pthread_mutex_lock(&counter_lock);
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20000000;
	if (ts.tv_nsec >= 1000000000) ts.tv_sec++, ts.tv_nsec -= 1000000000;
	int r3 = -1;
	pthread_t th;
	struct timedlock_args a = {&ts, &r3};
	pthread_create(&th, NULL, timedlock, &a);
	pthread_join(th, NULL);
	pthread_mutex_unlock(&counter_lock);

	printf("timed: cond realtime %s (>= 30ms %d), cond monotonic %s (>= 30ms %d), mutex %s\n",
	       r1 == ETIMEDOUT ? "ETIMEDOUT" : "?", took1 >= 30000000, r2 == ETIMEDOUT ? "ETIMEDOUT" : "?",
	       took2 >= 30000000, r3 == ETIMEDOUT ? "ETIMEDOUT" : "?");
	check(r1 == ETIMEDOUT && r2 == ETIMEDOUT && r3 == ETIMEDOUT && took1 >= 30000000 && took2 >= 30000000,
	      "timed waits");
}

// --- cancellation ---

static void *cancel_me(void *arg) {
	(void)arg;
	for (;;) pause(); // a cancellation point
	return NULL;
}

static void test_cancel(void) {
	pthread_t th;
	pthread_create(&th, NULL, cancel_me, NULL);
	usleep(10000);
	pthread_cancel(th);
	void *ret;
	pthread_join(th, &ret);
	printf("cancel: joined with PTHREAD_CANCELED %d\n", ret == PTHREAD_CANCELED);
	check(ret == PTHREAD_CANCELED, "cancellation");
}

// --- robust mutexes ---

static pthread_mutex_t robust;
static pthread_mutex_t robust2;
static volatile int owner_holds;

static void *die_holding(void *arg) {
	pthread_mutex_t *m = arg;
	pthread_mutex_lock(m);
	__atomic_store_n(&owner_holds, 1, __ATOMIC_SEQ_CST);
	usleep(50000); // let a waiter, if any, block on the mutex
	return (void *)5; // ends holding the lock
}

static void *lock_after_death(void *arg) {
	pthread_mutex_t *m = arg;
	int r = pthread_mutex_lock(m);
	int c = r == EOWNERDEAD ? pthread_mutex_consistent(m) : -1;
	int u = pthread_mutex_unlock(m);
	return (void *)(intptr_t)(r == EOWNERDEAD && c == 0 && u == 0 ? 1 : -r);
}

static const char *errname(int r) {
	switch (r) {
	case 0: return "0";
	case EOWNERDEAD: return "EOWNERDEAD";
	case ENOTRECOVERABLE: return "ENOTRECOVERABLE";
	case EPERM: return "EPERM";
	case EBUSY: return "EBUSY";
	}
	return "other";
}

static void test_robust(void) {
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&robust, &ma);
	pthread_mutex_init(&robust2, &ma);
	pthread_mutexattr_destroy(&ma);

	// The owner dies; the next locker, later, learns it.
	pthread_t th;
	void *ret;
	pthread_create(&th, NULL, die_holding, &robust);
	pthread_join(th, &ret);
	int r1 = pthread_mutex_lock(&robust);
	int c1 = pthread_mutex_consistent(&robust);
	int u1 = pthread_mutex_unlock(&robust);
	int r2 = pthread_mutex_lock(&robust);
	int u2 = pthread_mutex_unlock(&robust);
	printf("robust: owner returned %ld; lock %s, consistent %s, unlock %s; lock again %s, unlock %s\n",
	       (long)(intptr_t)ret, errname(r1), errname(c1), errname(u1), errname(r2), errname(u2));
	check(r1 == EOWNERDEAD && c1 == 0 && u1 == 0 && r2 == 0 && u2 == 0, "robust mutex");

	// The owner dies while another thread waits for the lock.
	owner_holds = 0;
	pthread_t waiter;
	pthread_create(&th, NULL, die_holding, &robust2);
	while (!__atomic_load_n(&owner_holds, __ATOMIC_SEQ_CST)) usleep(1000);
	pthread_create(&waiter, NULL, lock_after_death, &robust2);
	pthread_join(th, NULL);
	pthread_join(waiter, &ret);
	printf("robust with a waiter: waiter got EOWNERDEAD and recovered %d\n", ret == (void *)1);
	check(ret == (void *)1, "robust mutex with a waiter");

	// Not made consistent: the mutex becomes unusable.
	pthread_create(&th, NULL, die_holding, &robust2);
	pthread_join(th, NULL);
	int r3 = pthread_mutex_lock(&robust2);
	int u3 = pthread_mutex_unlock(&robust2);
	int r4 = pthread_mutex_lock(&robust2);
	printf("robust not made consistent: lock %s, unlock %s, lock again %s\n", errname(r3), errname(u3),
	       errname(r4));
	check(r3 == EOWNERDEAD && u3 == 0 && r4 == ENOTRECOVERABLE, "unrecoverable robust mutex");
}

int main(void) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_mutex();
	test_barrier();
	test_queue();
	test_rwlock();
	test_tsd();
	test_timed();
	test_cancel();
	test_robust();
	printf("%s\n", failures ? "FAILED" : "all passed");
	return failures ? 1 : 0;
}
