// membench times memory operations: "fault" touches fresh pages 64 KiB
// apart (one page fault each), "touch" writes fresh pages in sequence
// (where fault-around saves traps), "mmap16" maps 16 pages, writes each
// and unmaps them. It prints the nanoseconds one operation took on average.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

static long long now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv) {
	if (argc != 3) return 2;
	long n = atol(argv[2]);
	long long start, end;
	if (strcmp(argv[1], "fault") == 0) {
		const long stride = 16 * 4096;
		char *p = mmap(NULL, n * stride, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) return 1;
		start = now();
		for (long i = 0; i < n; i++) p[i * stride] = 1;
		end = now();
	} else if (strcmp(argv[1], "touch") == 0) {
		char *p = mmap(NULL, n * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) return 1;
		start = now();
		for (long i = 0; i < n; i++) p[i * 4096] = 1;
		end = now();
	} else if (strcmp(argv[1], "mmap16") == 0) {
		start = now();
		for (long i = 0; i < n; i++) {
			char *p = mmap(NULL, 16 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			for (int j = 0; j < 16; j++) p[j * 4096] = 1;
			munmap(p, 16 * 4096);
		}
		end = now();
	} else {
		return 2;
	}
	printf("%lld\n", (end - start) / n);
	return 0;
}
