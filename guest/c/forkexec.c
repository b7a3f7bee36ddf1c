// forkexec exercises processes: fork, vfork, execve (successes and
// failures), exit and wait statuses, orphans, process groups and
// sessions, SIGCHLD, kill to groups, pdeath signals, sigtimedwait and
// sigqueue. Output must be the same natively and in Quartz: it prints
// relations (getppid() != parent), never raw pids.
//
// Usage: forkexec DIR, where DIR holds "noelf" (an executable text file
// without #!) and "script" (an executable #! /bin/sh script).
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *dir;

static void describe(const char *what, int st) {
	if (WIFEXITED(st))
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		printf("%s: killed by %s\n", what, strsignal(WTERMSIG(st)));
	else
		printf("%s: status %#x\n", what, st);
}

static void waitfor(const char *what, pid_t pid) {
	int st;
	pid_t got = waitpid(pid, &st, 0);
	if (got != pid) {
		printf("%s: waitpid: %s\n", what, strerror(errno));
		return;
	}
	describe(what, st);
}

// report prints a call's result and, when it failed, its errno. The call
// is made before report runs, so errno is the call's.
static void report(const char *what, long r) {
	if (r < 0)
		printf("%s: %ld %s\n", what, r, strerror(errno));
	else
		printf("%s: %ld\n", what, r);
}

static void sleepms(int ms) {
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static void exit_codes(void) {
	int codes[] = {0, 1, 3, 255, 256 + 7};
	for (unsigned i = 0; i < sizeof codes / sizeof *codes; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(codes[i]);
		char what[32];
		snprintf(what, sizeof what, "exit(%d)", codes[i]);
		waitfor(what, pid);
	}
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		printf("child: getppid()==parent: %d, own pid: %d\n", getppid() == parent, getpid() != parent);
		exit(0);
	}
	waitfor("child", pid);
}

static void killed(void) {
	int sigs[] = {SIGTERM, SIGKILL, SIGUSR1, SIGABRT};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		pid_t pid = fork();
		if (pid == 0) {
			raise(sigs[i]);
			_exit(100);
		}
		waitfor("raise", pid);
	}
	pid_t pid = fork();
	if (pid == 0) {
		volatile int *p = NULL;
		*p = 1;
		_exit(100);
	}
	waitfor("null write", pid);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	int st;
	printf("WNOHANG on a running child: %d\n", waitpid(pid, &st, WNOHANG));
	printf("kill(child, 0): %d\n", kill(pid, 0));
	kill(pid, SIGTERM);
	waitfor("paused child", pid);
	report("kill(reaped, 0)", kill(pid, 0));
	report("wait without children", wait(&st));
}

static void execs(void) {
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	waitfor("vfork+exec /bin/true", pid);
	pid = fork();
	if (pid == 0) {
		execl("/bin/echo", "echo", "hello", "from", "echo", (char *)NULL);
		_exit(127);
	}
	waitfor("exec /bin/echo", pid);
	pid = fork();
	if (pid == 0) {
		char *env[] = {"A=1", "B=two", NULL};
		char *argv[] = {"env", NULL};
		execve("/usr/bin/env", argv, env);
		_exit(127);
	}
	waitfor("exec env", pid);

	// Failures leave the caller as it was.
	char path[4096];
	struct {
		const char *path;
	} bad[] = {{"/nonexistent/program"}, {"/etc/passwd"}, {"/"}, {"noelf"}, {"/etc/passwd/x"}};
	for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *p = bad[i].path;
		if (p[0] != '/') {
			snprintf(path, sizeof path, "%s/%s", dir, p);
			p = path;
		}
		char *argv[] = {"x", NULL};
		char what[64];
		snprintf(what, sizeof what, "execve %s", bad[i].path);
		report(what, execv(p, argv));
	}
	char *big = malloc(200000);
	memset(big, 'x', 199999);
	big[199999] = 0;
	char *argv[] = {"true", big, NULL};
	report("execve huge argument", execv("/bin/true", argv));
	free(big);
	report("execve bad argv", syscall(SYS_execve, "/bin/true", (char **)8, NULL));
	printf("still here\n");

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		snprintf(path, sizeof path, "%s/script", dir);
		execl(path, "script", "arg1", (char *)NULL);
		_exit(127);
	}
	waitfor("exec script", pid);
}

extern char **environ;
static const char *self;

// after_exec runs in a program that execve started from execs_state:
// what survives execve and what does not.
static int after_exec(char **argv) {
	(void)argv;
	printf("after exec: fd 5 (cloexec) open %d, fd 6 open %d\n", fcntl(5, F_GETFD) >= 0, fcntl(6, F_GETFD) >= 0);
	struct sigaction sa;
	sigaction(SIGUSR1, NULL, &sa);
	printf("after exec: caught SIGUSR1 now SIG_DFL %d\n", sa.sa_handler == SIG_DFL);
	sigaction(SIGUSR2, NULL, &sa);
	printf("after exec: ignored SIGUSR2 still SIG_IGN %d\n", sa.sa_handler == SIG_IGN);
	sigset_t m;
	sigprocmask(SIG_BLOCK, NULL, &m);
	printf("after exec: SIGHUP still blocked %d\n", sigismember(&m, SIGHUP));
	stack_t ss;
	sigaltstack(NULL, &ss);
	printf("after exec: altstack disabled %d\n", (ss.ss_flags & SS_DISABLE) != 0);
	char name[16] = {0};
	prctl(PR_GET_NAME, name);
	printf("after exec: comm %s\n", name);
	printf("after exec: pid kept %d\n", getpid() == atoi(argv[2]));
	return 0;
}

static void on_usr1_exec(int sig) { (void)sig; }

static void execs_state(void) {
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/etc/passwd", O_RDONLY);
		dup3(fd, 5, O_CLOEXEC);
		dup2(fd, 6);
		signal(SIGUSR1, on_usr1_exec);
		signal(SIGUSR2, SIG_IGN);
		sigset_t m;
		sigemptyset(&m);
		sigaddset(&m, SIGHUP);
		sigprocmask(SIG_BLOCK, &m, NULL);
		static char stack[65536];
		stack_t ss = {.ss_sp = stack, .ss_size = sizeof stack};
		sigaltstack(&ss, NULL);
		char pidbuf[16];
		snprintf(pidbuf, sizeof pidbuf, "%d", getpid());
		execl(self, "renamed-program-name", "--after-exec", pidbuf, (char *)NULL);
		_exit(127);
	}
	waitfor("exec state", pid);

	// execveat: by descriptor, relative to a directory, and refusing a
	// symbolic link with AT_SYMLINK_NOFOLLOW.
	char *argv[] = {"true", NULL};
	char *envp[] = {NULL};
	pid = fork();
	if (pid == 0) {
		int fd = open("/usr/bin/true", O_RDONLY);
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(127);
	}
	waitfor("execveat AT_EMPTY_PATH", pid);
	pid = fork();
	if (pid == 0) {
		int dfd = open("/usr/bin", O_RDONLY | O_DIRECTORY);
		syscall(SYS_execveat, dfd, "true", argv, envp, 0);
		_exit(127);
	}
	waitfor("execveat dirfd", pid);
	report("execveat symlink NOFOLLOW", syscall(SYS_execveat, AT_FDCWD, "/bin/sh", argv, envp, AT_SYMLINK_NOFOLLOW));
	report("execveat empty path", syscall(SYS_execveat, AT_FDCWD, "", argv, envp, 0));
	report("execveat bad flags", syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, envp, 0x1));

#ifdef __GLIBC__
	// glibc's posix_spawn shares memory with the child (CLONE_VM) and
	// learns of exec failures through it.
	char *sargv[] = {"echo", "spawned", NULL};
	int r = posix_spawn(&pid, "/bin/echo", NULL, NULL, sargv, environ);
	int st;
	waitpid(pid, &st, 0); // before printing: the child prints too
	printf("posix_spawn: %d\n", r);
	describe("spawned echo", st);
	r = posix_spawn(&pid, "/nonexistent", NULL, NULL, sargv, environ);
	printf("posix_spawn missing: %s\n", strerror(r));
	if (r == 0)
		waitfor("spawned nothing", pid);
#endif
}

struct clone_args_v0 {
	unsigned long long flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

// clones makes processes with clone3 and with clone, including "clone
// children" (no exit signal), which only __WCLONE and __WALL wait for.
static void clones(void) {
	struct clone_args_v0 ca = {.exit_signal = SIGCHLD};
	fflush(stdout);
	long pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(42);
	waitfor("clone3", pid);
	ca.exit_signal = 0;
	pid = syscall(SYS_clone3, &ca, sizeof ca);
	if (pid == 0)
		_exit(43);
	int st;
	report("wait for a clone child without __WCLONE", waitpid(pid, &st, 0));
	waitpid(pid, &st, __WCLONE);
	describe("clone child with __WCLONE", st);
	pid = syscall(SYS_clone, SIGURG, NULL, NULL, NULL, NULL);
	if (pid == 0)
		_exit(44);
	waitpid(pid, &st, __WALL);
	describe("clone with exit signal SIGURG, __WALL", st);
	ca.exit_signal = 65;
	report("clone3 bad exit signal", syscall(SYS_clone3, &ca, sizeof ca));
	report("clone3 short", syscall(SYS_clone3, &ca, 32));
	report("clone CLONE_SIGHAND without CLONE_VM", syscall(SYS_clone, CLONE_SIGHAND | SIGCHLD, NULL, NULL, NULL, NULL));
}

static void *exec_thread(void *arg) {
	(void)arg;
	execl("/bin/echo", "echo", "exec from a second thread", (char *)NULL);
	return NULL;
}

static void *sleeper(void *arg) {
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void exec_threaded(void) {
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		pthread_t a, b;
		pthread_create(&b, NULL, sleeper, NULL);
		pthread_create(&a, NULL, exec_thread, NULL);
		pthread_join(a, NULL);
		_exit(99);
	}
	waitfor("threaded exec", pid);
}

// waitreport waits for the value a grandchild sends with sigqueue: the
// grandchild cannot print itself without racing its grandparent.
static int waitreport(void) {
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	siginfo_t si;
	while (sigwaitinfo(&s, &si) != SIGUSR1)
		;
	return si.si_value.sival_int;
}

static void report_to(pid_t pid, int value) {
	union sigval v = {.sival_int = value};
	sigqueue(pid, SIGUSR1, v);
}

static void orphans(void) {
	pid_t me = getpid();
	pid_t child = fork();
	if (child == 0) {
		pid_t mid = getpid();
		pid_t grandchild = fork();
		if (grandchild == 0) {
			while (getppid() == mid)
				sleepms(1);
			report_to(me, getppid() != mid);
			_exit(0);
		}
		_exit(5);
	}
	waitfor("orphan's parent", child);
	printf("orphan: reparented away from its parent: %d\n", waitreport());
}

static volatile sig_atomic_t chld_count, chld_code, chld_status, chld_pid_ok;
static pid_t chld_expect;
static void on_chld(int sig, siginfo_t *si, void *uc) {
	(void)sig;
	(void)uc;
	chld_count++;
	chld_code = si->si_code;
	chld_status = si->si_status;
	chld_pid_ok = si->si_pid == chld_expect;
}

static void sigchld(void) {
	struct sigaction sa = {0};
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	for (int i = 0; i < 3; i++) {
		sigprocmask(SIG_BLOCK, &block, &old);
		pid_t pid = fork();
		if (pid == 0)
			_exit(10 + i);
		chld_expect = pid;
		int st;
		waitpid(pid, &st, 0);
		sigprocmask(SIG_SETMASK, &old, NULL); // the pending SIGCHLD runs the handler
		printf("SIGCHLD %d: count %d code %s status %d pid ok %d\n", i, chld_count,
		       chld_code == CLD_EXITED ? "CLD_EXITED" : "?", chld_status, chld_pid_ok);
	}
	sigprocmask(SIG_BLOCK, &block, &old);
	pid_t pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGTERM);
		_exit(0);
	}
	chld_expect = pid;
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("SIGCHLD for a killed child: code %s status %s\n",
	       chld_code == CLD_KILLED ? "CLD_KILLED" : "?", strsignal(chld_status));

	// Ignored SIGCHLD: children are reaped by the kernel.
	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(1);
	int st;
	report("wait with SIGCHLD ignored", wait(&st));
	sa.sa_handler = SIG_DFL;
	sa.sa_flags = SA_NOCLDWAIT;
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid == 0)
		_exit(1);
	report("wait with SA_NOCLDWAIT", wait(&st));
	signal(SIGCHLD, SIG_DFL);
}

static void groups(void) {
	pid_t me = getpid();
	printf("getpgid(0)==getpgrp(): %d\n", getpgid(0) == getpgrp());
	printf("getsid(0)==getsid(me): %d\n", getsid(0) == getsid(me));
	report("setpgid(0, -1)", setpgid(0, -1));
	report("getpgid(no such)", getpgid(0x3fffffff));
	fflush(stdout);

	pid_t pid = fork();
	if (pid == 0) {
		printf("child in parent's group: %d\n", getpgrp() == getpgid(getppid()));
		report("setpgid(0,0)", setpgid(0, 0));
		printf("own group: %d\n", getpgrp() == getpid());
		report("setsid as group leader", setsid());
		fflush(stdout);
		pid_t g = fork();
		if (g == 0) {
			pid_t s = setsid();
			printf("setsid: %d, sid==pid %d pgid==pid %d\n", s == getpid(), getsid(0) == getpid(), getpgrp() == getpid());
			report("setpgid into another session", setpgid(0, getpgid(getppid())));
			_exit(0);
		}
		waitfor("session child", g);
		_exit(0);
	}
	waitfor("group child", pid);

	// setpgid on a child that has called execve fails.
	fflush(stdout);
	pid = vfork();
	if (pid == 0) {
		execl("/bin/sleep", "sleep", "5", (char *)NULL);
		_exit(127);
	}
	// vfork returns when the child's execve has let go of our memory,
	// a little before Linux marks the child as exec'ed: give it time.
	usleep(100000);
	report("setpgid of an exec'ed child", setpgid(pid, pid));
	kill(pid, SIGKILL);
	waitfor("sleep", pid);

	// kill to a process group.
	pid_t a = fork();
	if (a == 0) {
		setpgid(0, 0);
		for (;;)
			pause();
	}
	setpgid(a, a);
	pid_t b = fork();
	if (b == 0) {
		setpgid(0, a);
		for (;;)
			pause();
	}
	setpgid(b, a);
	printf("group of b is a: %d\n", getpgid(b) == a);
	report("kill(-group, SIGTERM)", kill(-a, SIGTERM));
	waitfor("group member a", a);
	waitfor("group member b", b);
	report("kill(-gone group)", kill(-a, SIGTERM));
}

static void pdeath(void) {
	pid_t me = getpid();
	pid_t child = fork();
	if (child == 0) {
		// The child waits until its own child is ready, then exits.
		pid_t mid = getpid();
		pid_t g = fork();
		if (g == 0) {
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, SIGHUP);
			sigprocmask(SIG_BLOCK, &s, NULL);
			prctl(PR_SET_PDEATHSIG, SIGHUP);
			int got = 0;
			prctl(PR_GET_PDEATHSIG, &got);
			report_to(mid, 0);
			siginfo_t si;
			int sig = sigwaitinfo(&s, &si);
			report_to(me, sig * 100 + got);
			_exit(0);
		}
		waitreport();
		_exit(0);
	}
	waitfor("pdeath parent", child);
	int r = waitreport();
	printf("pdeath signal: %s (PR_GET_PDEATHSIG %s)\n", strsignal(r / 100), strsignal(r % 100));
}

static void describe_job(const char *what, int st) {
	if (WIFSTOPPED(st))
		printf("%s: stopped by %s\n", what, strsignal(WSTOPSIG(st)));
	else if (WIFCONTINUED(st))
		printf("%s: continued\n", what);
	else
		describe(what, st);
}

static volatile sig_atomic_t stop_codes[8], nstop;
static void on_chld_job(int sig, siginfo_t *si, void *uc) {
	(void)sig;
	(void)uc;
	if (nstop < 8)
		stop_codes[nstop++] = si->si_code;
}

static void jobcontrol(void) {
	struct sigaction sa = {0};
	sa.sa_sigaction = on_chld_job;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	int st;
	pid_t pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		for (;;) // until killed: an exit could be reported before the continue
			pause();
	}
	waitpid(pid, &st, WUNTRACED);
	describe_job("raise(SIGSTOP)", st);
	report("WUNTRACED again", waitpid(pid, &st, WUNTRACED | WNOHANG));
	siginfo_t si;
	sigwaitinfo(&block, &si);
	printf("SIGCHLD: CLD_STOPPED %d status %s\n", si.si_code == CLD_STOPPED, strsignal(si.si_status));
	kill(pid, SIGCONT);
	waitpid(pid, &st, WCONTINUED);
	describe_job("SIGCONT", st);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	describe_job("after continue", st);
	while (sigtimedwait(&block, &si, &(struct timespec){0, 0}) > 0)
		;

	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	memset(&si, 0, sizeof si);
	waitid(P_PID, pid, &si, WSTOPPED);
	printf("waitid WSTOPPED: CLD_STOPPED %d status %s\n", si.si_code == CLD_STOPPED, strsignal(si.si_status));
	kill(pid, SIGTERM); // stays pending while the child is stopped
	report("SIGTERM while stopped, WNOHANG", waitpid(pid, &st, WNOHANG));
	kill(pid, SIGCONT);
	waitpid(pid, &st, 0);
	describe_job("SIGTERM, then SIGCONT", st);
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	kill(pid, SIGSTOP);
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	describe_job("SIGKILL while stopped", st);
	sigprocmask(SIG_SETMASK, &old, NULL);

	// SA_NOCLDSTOP: no SIGCHLD for stops.
	nstop = 0;
	sa.sa_flags = SA_SIGINFO | SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	pid = fork();
	if (pid == 0) {
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(pid, &st, WUNTRACED);
	kill(pid, SIGCONT);
	waitpid(pid, &st, 0);
	describe_job("with SA_NOCLDSTOP", st);
	printf("SIGCHLDs: %d, first CLD_EXITED %d\n", nstop, nstop > 0 && stop_codes[0] == CLD_EXITED);
	signal(SIGCHLD, SIG_DFL);
}

static void sigwaits(void) {
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	kill(getpid(), SIGUSR1);
	siginfo_t si;
	struct timespec ts = {1, 0};
	int sig = sigtimedwait(&s, &si, &ts);
	printf("sigtimedwait: %s code SI_USER %d pid ok %d\n", strsignal(sig), si.si_code == SI_USER, si.si_pid == getpid());
	ts.tv_sec = 0;
	ts.tv_nsec = 10000000;
	report("sigtimedwait timeout", sigtimedwait(&s, &si, &ts));
	union sigval v = {.sival_int = 42};
	sigqueue(getpid(), SIGUSR2, v);
	sig = sigwaitinfo(&s, &si);
	printf("sigqueue: %s code SI_QUEUE %d value %d\n", strsignal(sig), si.si_code == SI_QUEUE, si.si_value.sival_int);
	sigset_t pend;
	raise(SIGUSR1);
	sigpending(&pend);
	printf("pending SIGUSR1: %d\n", sigismember(&pend, SIGUSR1));
	sigwaitinfo(&s, &si);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
}

static void misc(void) {
	struct rusage ru;
	printf("getrusage: %d %d %d\n", getrusage(RUSAGE_SELF, &ru), getrusage(RUSAGE_CHILDREN, &ru), getrusage(RUSAGE_THREAD, &ru));
	report("getrusage(bad)", getrusage(7, &ru));
	struct tms tms;
	printf("times: %d\n", times(&tms) != (clock_t)-1);
	char name[16] = {0};
	prctl(PR_GET_NAME, name);
	printf("comm: %s\n", name);
	report("waitid bad options", syscall(SYS_waitid, P_ALL, 0, NULL, 0, NULL));
	report("waitid P_PID 0", syscall(SYS_waitid, P_PID, 0, NULL, WEXITED, NULL));
	report("wait4 bad options", syscall(SYS_wait4, -1, NULL, WNOWAIT, NULL));
	report("kill bad signal", kill(getpid(), 65));
	report("tgkill wrong group", syscall(SYS_tgkill, getpid() + 100000, getpid(), 0));
	pid_t pid = fork();
	if (pid == 0)
		_exit(9);
	siginfo_t si;
	memset(&si, 0, sizeof si);
	int r = waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	printf("waitid WNOWAIT: %d code %d status %d pid ok %d\n", r, si.si_code, si.si_status, si.si_pid == pid);
	memset(&si, 0, sizeof si);
	r = waitid(P_ALL, 0, &si, WEXITED);
	printf("waitid: %d code %d status %d pid ok %d\n", r, si.si_code, si.si_status, si.si_pid == pid);
	memset(&si, 0xff, sizeof si);
	pid = fork();
	if (pid == 0) {
		pause();
		_exit(0);
	}
	r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
	printf("waitid WNOHANG: %d signo %d pid %d\n", r, si.si_signo, si.si_pid);
	kill(pid, SIGKILL);
	memset(&si, 0, sizeof si);
	r = waitid(P_PGID, 0, &si, WEXITED);
	printf("waitid P_PGID: %d code %s status %s\n", r, si.si_code == CLD_KILLED ? "CLD_KILLED" : "?", strsignal(si.si_status));
}

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: forkexec DIR\n");
		return 2;
	}
	self = argv[0];
	if (strcmp(argv[1], "--after-exec") == 0)
		return after_exec(argv);
	dir = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	exit_codes();
	killed();
	execs();
	execs_state();
	exec_threaded();
	clones();
	sigchld();
	groups();
	jobcontrol();
	sigwaits();
	misc();
	// Orphans are re-parented to init, which in Quartz is this process:
	// test them in a child, so that this process never sees them.
	fflush(stdout);
	pid_t tester = fork();
	if (tester == 0) {
		sigset_t s;
		sigemptyset(&s);
		sigaddset(&s, SIGUSR1);
		sigprocmask(SIG_BLOCK, &s, NULL);
		orphans();
		pdeath();
		_exit(0);
	}
	waitfor("orphan tests", tester);
	printf("done\n");
	return 0;
}
