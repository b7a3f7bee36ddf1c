// timers checks alarm(2), the interval timers (setitimer, getitimer) and
// the POSIX timers (timer_create and its family) against Linux: signals
// and their siginfo, periodic counts, overruns, what fork and execve do
// to timers, sleeps that signals interrupt, and the errors. It prints
// only results that are the same on every run: return values, errno
// names, counts and booleans about remaining times.
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// The kernel ABI, spelled out: musl-gcc has no kernel headers.
#define SI_TIMER_CODE (-2)
#define SI_KERNEL_CODE 0x80
#define SIGEV_SIGNAL_ 0
#define SIGEV_NONE_ 1
#define SIGEV_THREAD_ID_ 4
#define CPUCLOCK_SCHED 2
#define MAKE_PROCESS_CPUCLOCK(pid, clock) ((int)(~(unsigned)(pid) << 3) | (clock))
#define MAKE_THREAD_CPUCLOCK(tid, clock) (MAKE_PROCESS_CPUCLOCK(tid, clock) | 4)
#define CLOCKFD 3

// ksigevent is the kernel's struct sigevent.
struct ksigevent {
	union sigval value;
	int signo;
	int notify;
	int tid;
	int pad[11];
};

static const char *self;

static const char *ename(int e) {
	switch (e) {
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EINTR: return "EINTR";
	case ENOSYS: return "ENOSYS";
	case EPERM: return "EPERM";
	case EAGAIN: return "EAGAIN";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case ESRCH: return "ESRCH";
	}
	static char buf[32];
	snprintf(buf, sizeof buf, "errno %d", e);
	return buf;
}

static const char *codename(int code) {
	switch (code) {
	case SI_TIMER_CODE: return "SI_TIMER";
	case SI_KERNEL_CODE: return "SI_KERNEL";
	case SI_USER: return "SI_USER";
	case SI_TKILL: return "SI_TKILL";
	}
	return "?";
}

// show prints a raw call's result: the value, or -1 and the errno name.
static void show(const char *what, long r) {
	if (r < 0)
		printf("%s: -1 %s\n", what, ename(errno));
	else
		printf("%s: %ld\n", what, r);
}

// What the handler saw of each signal, last instance.
struct rec {
	volatile int count;
	int code, value, timerid, overrun;
	pid_t tid;
};
static struct rec recs[65];

static void on_signal(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	struct rec *r = &recs[sig];
	r->code = si->si_code;
	r->value = si->si_value.sival_int;
	r->timerid = si->si_timerid;
	r->overrun = si->si_overrun;
	r->tid = syscall(SYS_gettid);
	r->count++;
}

static void catch(int sig, int flags) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_signal;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

static void block(int sig, int how) {
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(how, &s, NULL);
}

// wait_for waits until sig has been handled n times in all, without
// missing a signal that comes between the check and the wait.
static void wait_for(int sig, int n) {
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, sig);
	sigprocmask(SIG_BLOCK, &s, &old);
	sigset_t during = old;
	sigdelset(&during, sig);
	while (recs[sig].count < n)
		sigsuspend(&during);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static double now_on(clockid_t c) {
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

// spin_until burns CPU until sig has been handled n times (CPU-time
// timers), giving up after 20 seconds of wall time.
static void spin_until(int sig, int n) {
	double start = now_on(CLOCK_MONOTONIC);
	for (unsigned long i = 0; recs[sig].count < n; i++)
		if ((i & 0xfffff) == 0 && now_on(CLOCK_MONOTONIC) - start > 20)
			break;
}

static void msleep(long ms) {
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {
	}
}

static double tv(struct timeval v) { return v.tv_sec + v.tv_usec / 1e6; }
static double ts(struct timespec v) { return v.tv_sec + v.tv_nsec / 1e9; }

static long sys_setitimer(long which, void *v, void *old) { return syscall(SYS_setitimer, which, v, old); }
static long sys_getitimer(long which, void *v) { return syscall(SYS_getitimer, which, v); }
static long sys_timer_create(long clock, void *sev, void *id) { return syscall(SYS_timer_create, clock, sev, id); }
static long sys_timer_settime(long id, long flags, void *v, void *old) {
	return syscall(SYS_timer_settime, id, flags, v, old);
}

static void alarms(void) {
	printf("alarm(0) = %u\n", alarm(0));
	printf("alarm(10) = %u\n", alarm(10));
	printf("alarm(5) = %u\n", alarm(5));
	printf("alarm(0) = %u\n", alarm(0));
	catch(SIGALRM, 0);
	alarm(1);
	int r = pause();
	int e = errno;
	printf("pause = %d %s, SIGALRM %d %s\n", r, ename(e), recs[SIGALRM].count, codename(recs[SIGALRM].code));
	printf("alarm(0) after it went off = %u\n", alarm(0));
}

static void itimers(void) {
	catch(SIGALRM, 0);
	recs[SIGALRM].count = 0;
	struct itimerval v = {{0, 10000}, {0, 10000}}, old, cur;
	setitimer(ITIMER_REAL, &v, NULL);
	wait_for(SIGALRM, 5);
	struct itimerval zero;
	memset(&zero, 0, sizeof zero);
	setitimer(ITIMER_REAL, &zero, &old);
	printf("periodic ITIMER_REAL: at least 5 SIGALRMs %d, %s, old interval %ld.%06ld, old value <= 10ms %d\n",
	       recs[SIGALRM].count >= 5, codename(recs[SIGALRM].code), (long)old.it_interval.tv_sec,
	       (long)old.it_interval.tv_usec, tv(old.it_value) <= 0.010);
	getitimer(ITIMER_REAL, &cur);
	printf("disarmed: %ld.%06ld %ld.%06ld\n", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec,
	       (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);

	struct itimerval five = {{2, 0}, {5, 0}};
	setitimer(ITIMER_REAL, &five, NULL);
	getitimer(ITIMER_REAL, &cur);
	printf("getitimer: interval %ld.%06ld, value in (4s,5s] %d\n", (long)cur.it_interval.tv_sec,
	       (long)cur.it_interval.tv_usec, tv(cur.it_value) > 4 && tv(cur.it_value) <= 5);
	struct itimerval odd = {{1, 1}, {100, 999999}};
	setitimer(ITIMER_REAL, &odd, &old);
	printf("old interval %ld.%06ld\n", (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
	getitimer(ITIMER_REAL, &cur);
	printf("microseconds kept: interval %ld.%06ld, value > 100s %d\n", (long)cur.it_interval.tv_sec,
	       (long)cur.it_interval.tv_usec, tv(cur.it_value) > 100);
	setitimer(ITIMER_REAL, &zero, NULL);

	// Errors, through the raw system calls.
	struct itimerval bad;
	show("setitimer which 3", sys_setitimer(3, &zero, NULL));
	show("setitimer which -1", sys_setitimer(-1, &zero, NULL));
	bad = zero;
	bad.it_value.tv_usec = 1000000;
	show("setitimer usec 1000000", sys_setitimer(ITIMER_REAL, &bad, NULL));
	bad.it_value.tv_usec = -1;
	show("setitimer usec -1", sys_setitimer(ITIMER_REAL, &bad, NULL));
	bad = zero;
	bad.it_value.tv_sec = -1;
	show("setitimer sec -1", sys_setitimer(ITIMER_REAL, &bad, NULL));
	bad = zero;
	bad.it_interval.tv_usec = 1000000;
	show("setitimer interval usec 1000000", sys_setitimer(ITIMER_REAL, &bad, NULL));
	bad = zero;
	bad.it_value.tv_sec = 1;
	bad.it_interval.tv_usec = 1000000;
	show("setitimer bad interval with value", sys_setitimer(ITIMER_VIRTUAL, &bad, NULL));
	show("setitimer bad pointer", sys_setitimer(ITIMER_REAL, (void *)8, NULL));
	show("setitimer bad which and pointer", sys_setitimer(7, (void *)8, NULL));
	show("setitimer bad old pointer", sys_setitimer(ITIMER_PROF, &zero, (void *)8));
	show("setitimer NULL value", sys_setitimer(ITIMER_REAL, NULL, &old));
	show("getitimer which 3", sys_getitimer(3, &cur));
	show("getitimer which 3 NULL", sys_getitimer(3, NULL));
	show("getitimer NULL", sys_getitimer(ITIMER_REAL, NULL));
	show("getitimer bad pointer", sys_getitimer(ITIMER_VIRTUAL, (void *)8));
}

// cpu_itimers: ITIMER_VIRTUAL and ITIMER_PROF count CPU time, so the
// program spins until they go off.
static void cpu_itimers(void) {
	struct itimerval zero, cur, old;
	memset(&zero, 0, sizeof zero);
	struct itimerval v = {{0, 20000}, {0, 20000}};
	catch(SIGVTALRM, 0);
	setitimer(ITIMER_VIRTUAL, &v, NULL);
	spin_until(SIGVTALRM, 3);
	setitimer(ITIMER_VIRTUAL, &zero, &old);
	printf("ITIMER_VIRTUAL: at least 3 SIGVTALRMs %d, %s, old interval %ld.%06ld\n", recs[SIGVTALRM].count >= 3,
	       codename(recs[SIGVTALRM].code), (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec);
	catch(SIGPROF, 0);
	setitimer(ITIMER_PROF, &v, NULL);
	spin_until(SIGPROF, 3);
	setitimer(ITIMER_PROF, &zero, NULL);
	printf("ITIMER_PROF: at least 3 SIGPROFs %d, %s\n", recs[SIGPROF].count >= 3, codename(recs[SIGPROF].code));

	struct itimerval ten = {{0, 0}, {10, 0}};
	setitimer(ITIMER_VIRTUAL, &ten, NULL);
	getitimer(ITIMER_VIRTUAL, &cur);
	printf("ITIMER_VIRTUAL remaining > 9s %d, interval %ld.%06ld\n", tv(cur.it_value) > 9,
	       (long)cur.it_interval.tv_sec, (long)cur.it_interval.tv_usec);
	setitimer(ITIMER_VIRTUAL, &zero, &old);
	printf("ITIMER_VIRTUAL old value > 9s %d\n", tv(old.it_value) > 9);
	getitimer(ITIMER_PROF, &cur);
	printf("ITIMER_PROF disarmed %d\n", tv(cur.it_value) == 0 && tv(cur.it_interval) == 0);
}

static timer_t make_timer(clockid_t clock, int notify, int sig, int value) {
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = notify;
	sev.sigev_signo = sig;
	sev.sigev_value.sival_int = value;
	timer_t id;
	if (timer_create(clock, &sev, &id) < 0) {
		printf("timer_create clock %d: %s\n", (int)clock, ename(errno));
		return (timer_t)(intptr_t)-1;
	}
	return id;
}

static int kid(timer_t t) { return (int)(intptr_t)t; }

static void settime(timer_t t, int flags, double value, double interval) {
	struct itimerspec its;
	its.it_value.tv_sec = (time_t)value;
	its.it_value.tv_nsec = (long)((value - (time_t)value) * 1e9 + 0.5);
	its.it_interval.tv_sec = (time_t)interval;
	its.it_interval.tv_nsec = (long)((interval - (time_t)interval) * 1e9 + 0.5);
	if (timer_settime(t, flags, &its, NULL) < 0)
		printf("timer_settime: %s\n", ename(errno));
}

static int pending(int sig) {
	sigset_t s;
	sigpending(&s);
	return sigismember(&s, sig);
}

static void posix_timers(void) {
	catch(SIGUSR1, 0);
	timer_t t1 = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 42);
	timer_t t2 = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 43);
	printf("timer ids: second is first + 1 %d\n", kid(t2) == kid(t1) + 1);
	timer_delete(t2);

	settime(t1, 0, 0.01, 0);
	wait_for(SIGUSR1, 1);
	struct rec *r = &recs[SIGUSR1];
	printf("one-shot: %s value %d timerid matches %d overrun %d\n", codename(r->code), r->value,
	       r->timerid == kid(t1), r->overrun);
	struct itimerspec cur;
	timer_gettime(t1, &cur);
	printf("after it went off: %ld.%09ld %ld.%09ld overrun %d\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec,
	       (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec, timer_getoverrun(t1));

	// Overruns: the expirations while the signal waits, blocked.
	block(SIGUSR1, SIG_BLOCK);
	settime(t1, 0, 0.005, 0.005);
	msleep(100);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	siginfo_t si;
	int sig = sigwaitinfo(&s, &si);
	int ov = timer_getoverrun(t1);
	printf("sigwaitinfo: %d %s value %d overrun > 0 %d, timer_getoverrun the same %d\n", sig,
	       codename(si.si_code), si.si_value.sival_int, si.si_overrun > 0, ov == si.si_overrun);
	timer_gettime(t1, &cur);
	printf("periodic: interval %ld.%09ld, value in (0,5ms] %d\n", (long)cur.it_interval.tv_sec,
	       cur.it_interval.tv_nsec, ts(cur.it_value) > 0 && ts(cur.it_value) <= 0.005);
	struct itimerspec zero, old;
	memset(&zero, 0, sizeof zero);
	timer_settime(t1, 0, &zero, &old);
	printf("disarmed: old interval %ld.%09ld, old value <= 5ms %d\n", (long)old.it_interval.tv_sec,
	       old.it_interval.tv_nsec, ts(old.it_value) <= 0.005);
	int before = r->count;
	block(SIGUSR1, SIG_UNBLOCK);
	printf("signals of the old setting after disarming: %d\n", r->count - before);

	// A signal pending when its timer is deleted.
	block(SIGUSR1, SIG_BLOCK);
	settime(t1, 0, 0.01, 0);
	msleep(50);
	printf("pending before delete %d\n", pending(SIGUSR1));
	printf("timer_delete: %d\n", timer_delete(t1));
	printf("pending after delete %d\n", pending(SIGUSR1));
	before = r->count;
	block(SIGUSR1, SIG_UNBLOCK);
	printf("signals of the deleted timer: %d\n", r->count - before);

	// The kernel's default sigevent: SIGALRM carrying the timer id
	// (glibc's timer_create passes its own).
	catch(SIGALRM, 0);
	recs[SIGALRM].count = 0;
	int id3;
	sys_timer_create(CLOCK_MONOTONIC, NULL, &id3);
	timer_t t3 = (timer_t)(intptr_t)id3;
	settime(t3, 0, 0.01, 0);
	wait_for(SIGALRM, 1);
	printf("default sigevent: %s, value is the id %d\n", codename(recs[SIGALRM].code),
	       recs[SIGALRM].value == kid(t3));
	timer_delete(t3);

	// SIGEV_NONE: no signal, but the timer runs.
	timer_t t4 = make_timer(CLOCK_MONOTONIC, SIGEV_NONE, 0, 0);
	settime(t4, 0, 10, 0);
	timer_gettime(t4, &cur);
	printf("SIGEV_NONE: value in (9s,10s] %d\n", ts(cur.it_value) > 9 && ts(cur.it_value) <= 10);
	settime(t4, 0, 0.001, 1);
	msleep(20);
	timer_gettime(t4, &cur);
	printf("SIGEV_NONE periodic: value in (0,1s] %d, interval %ld.%09ld\n",
	       ts(cur.it_value) > 0 && ts(cur.it_value) <= 1, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	settime(t4, 0, 0.001, 0);
	msleep(20);
	timer_gettime(t4, &cur);
	printf("SIGEV_NONE expired: %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
	timer_delete(t4);

	// Absolute expiry times, and the old setting.
	catch(SIGUSR2, 0);
	timer_t t5 = make_timer(CLOCK_REALTIME, SIGEV_SIGNAL, SIGUSR2, 7);
	settime(t5, TIMER_ABSTIME, now_on(CLOCK_REALTIME) + 0.02, 0);
	wait_for(SIGUSR2, 1);
	settime(t5, TIMER_ABSTIME, now_on(CLOCK_REALTIME) - 1, 0);
	wait_for(SIGUSR2, 2);
	printf("TIMER_ABSTIME on CLOCK_REALTIME: %d signals, value %d\n", recs[SIGUSR2].count, recs[SIGUSR2].value);
	settime(t5, 0, 10, 0);
	timer_settime(t5, 0, &zero, &old);
	printf("old value in (9s,10s] %d\n", ts(old.it_value) > 9 && ts(old.it_value) <= 10);
	timer_delete(t5);
	timer_t t6 = make_timer(CLOCK_BOOTTIME, SIGEV_SIGNAL, SIGUSR2, 8);
	settime(t6, TIMER_ABSTIME, now_on(CLOCK_BOOTTIME) + 0.01, 0);
	wait_for(SIGUSR2, 3);
	printf("TIMER_ABSTIME on CLOCK_BOOTTIME: value %d\n", recs[SIGUSR2].value);
	timer_delete(t6);

	// CPU-time clocks.
	timer_t t7 = make_timer(CLOCK_PROCESS_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR2, 9);
	settime(t7, 0, 0.02, 0);
	spin_until(SIGUSR2, 4);
	printf("CLOCK_PROCESS_CPUTIME_ID: %d value %d\n", recs[SIGUSR2].count, recs[SIGUSR2].value);
	timer_delete(t7);
	timer_t t8 = make_timer(CLOCK_THREAD_CPUTIME_ID, SIGEV_SIGNAL, SIGUSR2, 10);
	settime(t8, 0, 0.02, 0.02);
	spin_until(SIGUSR2, 6);
	timer_gettime(t8, &cur);
	printf("CLOCK_THREAD_CPUTIME_ID: %d value %d, interval %ld.%09ld\n", recs[SIGUSR2].count >= 6,
	       recs[SIGUSR2].value, (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec);
	timer_delete(t8);
	struct ksigevent ks;
	memset(&ks, 0, sizeof ks);
	ks.notify = SIGEV_NONE_;
	int id;
	long rc = sys_timer_create(MAKE_THREAD_CPUCLOCK(syscall(SYS_gettid), CPUCLOCK_SCHED), &ks, &id);
	show("timer_create on own thread's clock", rc < 0 ? rc : 0);
	if (rc == 0)
		timer_delete((timer_t)(intptr_t)id);
	rc = sys_timer_create(MAKE_PROCESS_CPUCLOCK(getpid(), CPUCLOCK_SCHED), &ks, &id);
	show("timer_create on own process's clock", rc < 0 ? rc : 0);
	if (rc == 0)
		timer_delete((timer_t)(intptr_t)id);
}

// The SIGEV_THREAD_ID target: it waits for its signal.
static volatile pid_t target_tid;
static void *target_thread(void *arg) {
	(void)arg;
	target_tid = syscall(SYS_gettid);
	wait_for(SIGUSR2, 1);
	return NULL;
}

static volatile int callback_value;
static void on_expiry(union sigval v) { __atomic_store_n(&callback_value, v.sival_int, __ATOMIC_SEQ_CST); }

static void *creator_thread(void *arg) {
	timer_t *t = arg;
	*t = make_timer(CLOCK_MONOTONIC, SIGEV_SIGNAL, SIGUSR1, 5);
	return NULL;
}

static void thread_timers(void) {
	catch(SIGUSR2, 0);
	recs[SIGUSR2].count = 0;
	pthread_t th;
	pthread_create(&th, NULL, target_thread, NULL);
	while (!target_tid)
		msleep(1);
	struct ksigevent ks;
	memset(&ks, 0, sizeof ks);
	ks.notify = SIGEV_THREAD_ID_;
	ks.signo = SIGUSR2;
	ks.tid = target_tid;
	ks.value.sival_int = 77;
	int id;
	show("timer_create SIGEV_THREAD_ID", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	settime((timer_t)(intptr_t)id, 0, 0.01, 0);
	pthread_join(th, NULL);
	printf("SIGEV_THREAD_ID: %s value %d, ran on the target thread %d\n", codename(recs[SIGUSR2].code),
	       recs[SIGUSR2].value, recs[SIGUSR2].tid == target_tid);
	timer_delete((timer_t)(intptr_t)id);

	// A timer belongs to the process, not to the thread that made it.
	timer_t t;
	pthread_create(&th, NULL, creator_thread, &t);
	pthread_join(th, NULL);
	recs[SIGUSR1].count = 0;
	settime(t, 0, 0.01, 0);
	wait_for(SIGUSR1, 1);
	printf("timer of an exited thread: value %d\n", recs[SIGUSR1].value);
	timer_delete(t);

	// SIGEV_THREAD: the C library runs the function in a thread.
	struct sigevent sev;
	memset(&sev, 0, sizeof sev);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = on_expiry;
	sev.sigev_value.sival_int = 99;
	timer_t tt;
	if (timer_create(CLOCK_MONOTONIC, &sev, &tt) < 0) {
		printf("timer_create SIGEV_THREAD: %s\n", ename(errno));
		return;
	}
	settime(tt, 0, 0.01, 0);
	for (int i = 0; i < 10000 && !__atomic_load_n(&callback_value, __ATOMIC_SEQ_CST); i++)
		msleep(1);
	printf("SIGEV_THREAD: callback value %d\n", callback_value);
	printf("timer_delete SIGEV_THREAD: %d\n", timer_delete(tt));
}

static void timer_errors(void) {
	struct ksigevent ks;
	memset(&ks, 0, sizeof ks);
	ks.notify = SIGEV_SIGNAL_;
	ks.signo = SIGUSR1;
	int id;
	show("timer_create clock 99", sys_timer_create(99, &ks, &id));
	show("timer_create clock 10", sys_timer_create(10, &ks, &id));
	show("timer_create clock 12", sys_timer_create(12, &ks, &id));
	show("timer_create CLOCK_MONOTONIC_RAW", sys_timer_create(CLOCK_MONOTONIC_RAW, &ks, &id));
	show("timer_create CLOCK_REALTIME_COARSE", sys_timer_create(CLOCK_REALTIME_COARSE, &ks, &id));
	show("timer_create CLOCK_MONOTONIC_COARSE", sys_timer_create(CLOCK_MONOTONIC_COARSE, &ks, &id));
	show("timer_create cpu clock kind 3", sys_timer_create(-1, &ks, &id));
	show("timer_create fd clock", sys_timer_create(MAKE_PROCESS_CPUCLOCK(3, CLOCKFD), &ks, &id));
	show("timer_create clock of no process", sys_timer_create(MAKE_PROCESS_CPUCLOCK(999999, CPUCLOCK_SCHED), &ks, &id));
	show("timer_create clock of no thread", sys_timer_create(MAKE_THREAD_CPUCLOCK(999999, CPUCLOCK_SCHED), &ks, &id));
	ks.notify = 99;
	show("timer_create notify 99", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.notify = 2 | SIGEV_THREAD_ID_;
	show("timer_create notify SIGEV_THREAD|SIGEV_THREAD_ID", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.notify = SIGEV_SIGNAL_;
	ks.signo = 0;
	show("timer_create signal 0", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.signo = 65;
	show("timer_create signal 65", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.signo = 64;
	long rc = sys_timer_create(CLOCK_MONOTONIC, &ks, &id);
	show("timer_create signal 64", rc);
	if (rc == 0)
		timer_delete((timer_t)(intptr_t)id);
	ks.notify = SIGEV_NONE_;
	ks.signo = 0;
	rc = sys_timer_create(CLOCK_MONOTONIC, &ks, &id);
	show("timer_create SIGEV_NONE signal 0", rc);
	if (rc == 0)
		timer_delete((timer_t)(intptr_t)id);
	ks.notify = SIGEV_THREAD_ID_;
	ks.signo = SIGUSR1;
	ks.tid = 999999;
	show("timer_create SIGEV_THREAD_ID no thread", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.tid = getppid();
	show("timer_create SIGEV_THREAD_ID other process", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.tid = 0;
	show("timer_create SIGEV_THREAD_ID tid 0", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.tid = getpid();
	ks.signo = 0;
	show("timer_create SIGEV_THREAD_ID signal 0", sys_timer_create(CLOCK_MONOTONIC, &ks, &id));
	ks.signo = SIGUSR1;
	show("timer_create bad sigevent pointer", sys_timer_create(CLOCK_MONOTONIC, (void *)8, &id));
	show("timer_create bad id pointer", sys_timer_create(CLOCK_MONOTONIC, &ks, (void *)8));
	show("timer_create bad clock and pointer", sys_timer_create(99, (void *)8, &id));
	show("timer_create bad clock and id pointer", sys_timer_create(99, &ks, (void *)8));

	// Ids go on from the last, even after failures and deletions.
	ks.notify = SIGEV_NONE_;
	int a, b;
	sys_timer_create(CLOCK_MONOTONIC, &ks, &a);
	timer_delete((timer_t)(intptr_t)a);
	ks.notify = 99;
	sys_timer_create(CLOCK_MONOTONIC, &ks, &b);
	ks.notify = SIGEV_NONE_;
	sys_timer_create(CLOCK_MONOTONIC, &ks, &b);
	printf("id after a deletion and a failure: +%d\n", b - a);

	struct itimerspec its;
	memset(&its, 0, sizeof its);
	its.it_value.tv_sec = 100;
	show("timer_settime no such timer", sys_timer_settime(12345, 0, &its, NULL));
	show("timer_settime id -1", sys_timer_settime(-1, 0, &its, NULL));
	show("timer_settime NULL", sys_timer_settime(b, 0, NULL, NULL));
	show("timer_settime bad pointer", sys_timer_settime(b, 0, (void *)8, NULL));
	show("timer_settime no such timer, bad pointer", sys_timer_settime(12345, 0, (void *)8, NULL));
	its.it_value.tv_nsec = 1000000000;
	show("timer_settime nsec 1e9", sys_timer_settime(b, 0, &its, NULL));
	show("timer_settime no such timer, nsec 1e9", sys_timer_settime(12345, 0, &its, NULL));
	its.it_value.tv_nsec = -1;
	show("timer_settime nsec -1", sys_timer_settime(b, 0, &its, NULL));
	its.it_value.tv_nsec = 0;
	its.it_value.tv_sec = -1;
	show("timer_settime sec -1", sys_timer_settime(b, 0, &its, NULL));
	its.it_value.tv_sec = 100;
	its.it_interval.tv_nsec = 1000000000;
	show("timer_settime interval nsec 1e9", sys_timer_settime(b, 0, &its, NULL));
	its.it_interval.tv_nsec = 0;
	show("timer_settime unknown flags", sys_timer_settime(b, 0x7e, &its, NULL));
	show("timer_settime bad old pointer", sys_timer_settime(b, 0, &its, (void *)8));
	struct itimerspec cur;
	timer_gettime((timer_t)(intptr_t)b, &cur);
	printf("set despite the bad old pointer %d\n", cur.it_value.tv_sec > 90);
	show("timer_gettime no such timer", syscall(SYS_timer_gettime, 12345, &cur));
	show("timer_gettime NULL", syscall(SYS_timer_gettime, b, NULL));
	show("timer_getoverrun no such timer", syscall(SYS_timer_getoverrun, 12345));
	show("timer_getoverrun", syscall(SYS_timer_getoverrun, b));
	show("timer_delete", syscall(SYS_timer_delete, b));
	show("timer_delete again", syscall(SYS_timer_delete, b));
	show("timer_delete -1", syscall(SYS_timer_delete, -1));
}

// Interrupted sleeps fail with EINTR and tell the time left, even under
// SA_RESTART; without a handler (a stop and a continue) they go on.
static void sleeps(void) {
	catch(SIGALRM, SA_RESTART);
	struct itimerval v = {{0, 0}, {0, 50000}};
	struct timespec req = {2, 0}, rem = {0, 0};
	setitimer(ITIMER_REAL, &v, NULL);
	long r = syscall(SYS_nanosleep, &req, &rem);
	int e = errno;
	printf("nanosleep: %ld %s, remaining in (1s,2s) %d\n", r, ename(e), ts(rem) > 1 && ts(rem) < 2);
	rem.tv_sec = 0;
	setitimer(ITIMER_REAL, &v, NULL);
	int rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, &rem);
	printf("clock_nanosleep: %s, remaining in (1s,2s) %d\n", ename(rc), ts(rem) > 1 && ts(rem) < 2);
	struct timespec until;
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += 2;
	rem.tv_sec = rem.tv_nsec = 77;
	setitimer(ITIMER_REAL, &v, NULL);
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, &rem);
	printf("clock_nanosleep TIMER_ABSTIME: %s, rem untouched %d\n", ename(rc), rem.tv_sec == 77 && rem.tv_nsec == 77);
	rc = clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &req, NULL);
	printf("clock_nanosleep CLOCK_THREAD_CPUTIME_ID: %s\n", ename(rc));
	req.tv_nsec = 1000000000;
	rc = clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
	printf("clock_nanosleep nsec 1e9: %s\n", ename(rc));

	for (int absolute = 0; absolute < 2; absolute++) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0) {
			struct timespec d = {0, 400000000};
			int rc;
			if (absolute) {
				clock_gettime(CLOCK_MONOTONIC, &until);
				until.tv_nsec += d.tv_nsec;
				if (until.tv_nsec >= 1000000000) {
					until.tv_sec++;
					until.tv_nsec -= 1000000000;
				}
				rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
			} else {
				rc = syscall(SYS_nanosleep, &d, NULL) < 0 ? errno : 0;
			}
			printf("sleep %s across a stop and continue: %s\n", absolute ? "until" : "for",
			       rc ? ename(rc) : "0");
			_exit(0);
		}
		msleep(100);
		kill(pid, SIGSTOP);
		int status;
		waitpid(pid, &status, WUNTRACED);
		kill(pid, SIGCONT);
		waitpid(pid, &status, 0);
	}

	// pause goes on across a stop and continue too, until a signal
	// runs a handler.
	catch(SIGUSR1, 0);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		recs[SIGUSR1].count = 0;
		int r = pause();
		int e = errno;
		printf("pause across a stop and continue: %d %s, handled %d\n", r, ename(e), recs[SIGUSR1].count);
		_exit(0);
	}
	msleep(100);
	kill(pid, SIGSTOP);
	int status;
	waitpid(pid, &status, WUNTRACED);
	kill(pid, SIGCONT);
	msleep(100);
	kill(pid, SIGUSR1);
	waitpid(pid, &status, 0);
}

// after_exec runs in the program a child execs with an ITIMER_REAL and a
// POSIX timer armed: the first survives execve, the second does not.
static int after_exec(char **argv) {
	int id = atoi(argv[2]);
	struct itimerval cur;
	getitimer(ITIMER_REAL, &cur);
	printf("after exec: ITIMER_REAL value in (90s,100s] %d, interval %ld.%06ld\n",
	       tv(cur.it_value) > 90 && tv(cur.it_value) <= 100, (long)cur.it_interval.tv_sec,
	       (long)cur.it_interval.tv_usec);
	struct itimerspec its;
	show("after exec: timer_gettime of the old timer", syscall(SYS_timer_gettime, id, &its));
	struct ksigevent ks;
	memset(&ks, 0, sizeof ks);
	ks.notify = SIGEV_NONE_;
	int next;
	sys_timer_create(CLOCK_MONOTONIC, &ks, &next);
	printf("after exec: next id +%d\n", next - id);
	printf("after exec: alarm(0) = %u\n", alarm(0));
	return 0;
}

static void fork_exec(void) {
	struct ksigevent ks;
	memset(&ks, 0, sizeof ks);
	ks.notify = SIGEV_NONE_;
	int id;
	sys_timer_create(CLOCK_MONOTONIC, &ks, &id);
	struct itimerval hundred = {{1, 0}, {100, 0}};
	setitimer(ITIMER_REAL, &hundred, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct itimerval cur;
		getitimer(ITIMER_REAL, &cur);
		printf("fork child: ITIMER_REAL disarmed %d\n", tv(cur.it_value) == 0 && tv(cur.it_interval) == 0);
		printf("fork child: alarm(0) = %u\n", alarm(0));
		struct itimerspec its;
		show("fork child: timer_gettime of the parent's timer", syscall(SYS_timer_gettime, id, &its));
		int first;
		sys_timer_create(CLOCK_MONOTONIC, &ks, &first);
		printf("fork child: first id %d\n", first);
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	struct itimerval zero;
	memset(&zero, 0, sizeof zero);
	setitimer(ITIMER_REAL, &zero, NULL);

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sys_timer_create(CLOCK_MONOTONIC, &ks, &id);
		struct itimerspec its = {{0, 0}, {100, 0}};
		timer_settime((timer_t)(intptr_t)id, 0, &its, NULL);
		setitimer(ITIMER_REAL, &hundred, NULL);
		char buf[16];
		snprintf(buf, sizeof buf, "%d", id);
		execl(self, "timers", "--after-exec", buf, (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	printf("exec child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

// An alarm with no handler ends the process with SIGALRM.
static void deadly_alarm(void) {
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGALRM, SIG_DFL);
		struct itimerval v = {{0, 0}, {0, 10000}};
		setitimer(ITIMER_REAL, &v, NULL);
		for (;;)
			pause();
	}
	int status;
	waitpid(pid, &status, 0);
	printf("unhandled SIGALRM: killed by %s\n", WIFSIGNALED(status) ? strsignal(WTERMSIG(status)) : "nothing");
}

int main(int argc, char **argv) {
	self = argv[0];
	if (argc > 2 && strcmp(argv[1], "--after-exec") == 0)
		return after_exec(argv);
	setvbuf(stdout, NULL, _IOLBF, 0);
	alarms();
	itimers();
	cpu_itimers();
	posix_timers();
	thread_timers();
	timer_errors();
	sleeps();
	fork_exec();
	deadly_alarm();
	return 0;
}
