// signalfd: blocked signals read as records instead of being delivered,
// with their senders and values; readiness through poll; nonblocking
// reads; SIGCHLD with the child's status; mask changes; errors.
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *what, struct signalfd_siginfo *si, pid_t self) {
	printf("%s: signo %u code %d pid-is-self %d int %d\n", what, si->ssi_signo, si->ssi_code,
	       si->ssi_pid == (unsigned)self, si->ssi_int);
}

int main(void) {
	pid_t self = getpid();
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);

	int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	printf("signalfd: %d\n", fd >= 0);
	struct signalfd_siginfo si;
	ssize_t n = read(fd, &si, sizeof si);
	printf("empty read: %zd %s\n", n, n < 0 ? strerror(errno) : "");
	n = read(fd, &si, 10);
	printf("short buffer: %zd %s\n", n, n < 0 ? strerror(errno) : "");

	struct pollfd p = {.fd = fd, .events = POLLIN};
	printf("poll before: %d\n", poll(&p, 1, 0));
	kill(self, SIGUSR1);
	int ready = poll(&p, 1, 0);
	printf("poll after kill: %d revents %#x\n", ready, p.revents);
	n = read(fd, &si, sizeof si);
	show("kill", &si, self);

	union sigval v = {.sival_int = 4242};
	sigqueue(self, SIGUSR2, v);
	n = read(fd, &si, sizeof si);
	show("sigqueue", &si, self);

	// Two pending signals come out in one read with room for two.
	kill(self, SIGUSR2);
	kill(self, SIGUSR1);
	struct signalfd_siginfo two[2];
	n = read(fd, two, sizeof two);
	printf("two at once: %zd bytes, %u then %u\n", n, two[0].ssi_signo, two[1].ssi_signo);

	pid_t child = fork();
	if (child == 0)
		_exit(7);
	p.revents = 0;
	poll(&p, 1, 5000);
	n = read(fd, &si, sizeof si);
	printf("sigchld: signo %u code %d status %d pid-is-child %d\n", si.ssi_signo, si.ssi_code, si.ssi_status,
	       si.ssi_pid == (unsigned)child);
	waitpid(child, NULL, 0);

	// A new mask for the same descriptor: SIGUSR1 no longer reads.
	sigset_t only2;
	sigemptyset(&only2);
	sigaddset(&only2, SIGUSR2);
	printf("remask: %d\n", signalfd(fd, &only2, 0) == fd);
	kill(self, SIGUSR1);
	n = read(fd, &si, sizeof si);
	printf("masked out: %zd %s\n", n, n < 0 ? strerror(errno) : "");
	sigset_t pending;
	sigpending(&pending);
	printf("still pending: %d\n", sigismember(&pending, SIGUSR1));

	// Blocking read woken by a signal sent later (from a child).
	int bfd = signalfd(-1, &only2, 0);
	if (fork() == 0) {
		usleep(20000);
		kill(getppid(), SIGUSR2);
		_exit(0);
	}
	n = read(bfd, &si, sizeof si);
	printf("blocking read: %zd signo %u\n", n, si.ssi_signo);
	wait(NULL);

	int r = signalfd(-1, &set, 0x1234);
	printf("bad flags: %d %s\n", r, strerror(errno));
	r = signalfd(0, &set, 0);
	printf("not a signalfd: %d %s\n", r, strerror(errno));
	r = signalfd(99, &set, 0);
	printf("bad fd: %d %s\n", r, strerror(errno));
	return 0;
}
