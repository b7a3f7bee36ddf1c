// fault commits one memory violation, chosen by its argument; with a
// second argument "catch" it reports the signal from a handler instead
// of dying.
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static char *target;

static void handler(int sig, siginfo_t *si, void *uc) {
	(void)uc;
	printf("signal %d code %d addr-matches %d\n", sig, si->si_code, (char *)si->si_addr == target);
	fflush(stdout);
	_exit(0);
}

int main(int argc, char **argv) {
	if (argc < 2) return 2;
	if (argc > 2 && strcmp(argv[2], "catch") == 0) {
		struct sigaction sa = {0};
		sa.sa_sigaction = handler;
		sa.sa_flags = SA_SIGINFO;
		sigaction(SIGSEGV, &sa, NULL);
	}
	char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (strcmp(argv[1], "write-readonly") == 0) {
		mprotect(p, 4096, PROT_READ);
		target = p + 8;
		*(volatile char *)target = 1;
	} else if (strcmp(argv[1], "exec-data") == 0) {
		p[0] = (char)0xc3; // ret
		target = p;
		((void (*)(void))p)();
	} else if (strcmp(argv[1], "unmapped") == 0) {
		munmap(p, 2 * 4096);
		target = p + 4096 + 3;
		(void)*(volatile char *)target;
	} else if (strcmp(argv[1], "none") == 0) {
		mprotect(p, 4096, PROT_NONE);
		target = p;
		(void)*(volatile char *)target;
	}
	printf("no fault\n");
	return 1;
}
