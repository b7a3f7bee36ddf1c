// iobench times file, pipe and process system calls:
//
//   open     open and close of a regular file
//   read1    pread of 1 byte at offset 0 of a regular file (never EOF)
//   write1   pwrite of 1 byte at offset 0 of a regular file (the file
//            stays one byte long)
//   read64k  pread of 64 KiB at offset 0 of a 64 KiB regular file
//   pipe     a round trip: one byte to a child over one pipe and back
//            over another
//   fork     fork of a child that exits at once, and waitpid for it
//
// Usage: iobench OP [N] times N operations (a count of its own for each
// operation when N is missing) and prints the nanoseconds one took on
// average; iobench with no arguments times every operation and prints
// "OP NS" lines. The files are /tmp/iobench.PID.*, removed at the end.
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BIG (64 * 1024)

static char small_path[64], big_path[64];
static char buf[BIG];

static long long now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void die(const char *what) {
	perror(what);
	unlink(small_path);
	unlink(big_path);
	exit(1);
}

static void make_file(const char *path, size_t size) {
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) die(path);
	memset(buf, 'x', size);
	if (write(fd, buf, size) != (ssize_t)size) die("write");
	close(fd);
}

// Each timer runs n operations after a short warm-up and returns the
// nanoseconds they took together.

static long long time_open(long n) {
	for (long i = 0; i < n / 10; i++) {
		int fd = open(small_path, O_RDONLY);
		if (fd < 0) die("open");
		close(fd);
	}
	long long start = now();
	for (long i = 0; i < n; i++) {
		int fd = open(small_path, O_RDONLY);
		if (fd < 0) die("open");
		close(fd);
	}
	return now() - start;
}

static long long time_pread(long n, size_t size) {
	const char *path = size == 1 ? small_path : big_path;
	int fd = open(path, O_RDONLY);
	if (fd < 0) die(path);
	for (long i = 0; i < n / 10; i++)
		if (pread(fd, buf, size, 0) != (ssize_t)size) die("pread");
	long long start = now();
	for (long i = 0; i < n; i++)
		if (pread(fd, buf, size, 0) != (ssize_t)size) die("pread");
	long long t = now() - start;
	close(fd);
	return t;
}

static long long time_write1(long n) {
	int fd = open(small_path, O_WRONLY);
	if (fd < 0) die(small_path);
	for (long i = 0; i < n / 10; i++)
		if (pwrite(fd, "y", 1, 0) != 1) die("pwrite");
	long long start = now();
	for (long i = 0; i < n; i++)
		if (pwrite(fd, "y", 1, 0) != 1) die("pwrite");
	long long t = now() - start;
	close(fd);
	return t;
}

static long long time_pipe(long n) {
	int there[2], back[2];
	if (pipe(there) < 0 || pipe(back) < 0) die("pipe");
	pid_t pid = fork();
	if (pid < 0) die("fork");
	if (pid == 0) {
		close(there[1]);
		close(back[0]);
		char c;
		while (read(there[0], &c, 1) == 1)
			if (write(back[1], &c, 1) != 1) _exit(1);
		_exit(0);
	}
	close(there[0]);
	close(back[1]);
	char c = 'p';
	long warm = n / 10;
	long long start = 0;
	for (long i = -warm; i < n; i++) {
		if (i == 0) start = now();
		if (write(there[1], &c, 1) != 1) die("write to pipe");
		if (read(back[0], &c, 1) != 1) die("read from pipe");
	}
	long long t = now() - start;
	close(there[1]);
	close(back[0]);
	int st;
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) die("pipe child");
	return t;
}

static long long time_fork(long n) {
	long warm = n / 10;
	long long start = 0;
	for (long i = -warm; i < n; i++) {
		if (i == 0) start = now();
		pid_t pid = fork();
		if (pid < 0) die("fork");
		if (pid == 0) _exit(0);
		int st;
		if (waitpid(pid, &st, 0) != pid) die("waitpid");
	}
	return now() - start;
}

static long long time_read1(long n) { return time_pread(n, 1); }
static long long time_read64k(long n) { return time_pread(n, BIG); }

static const struct op {
	const char *name;
	long n; // the default count: some tenths of a second in Quartz
	long long (*time)(long n);
} ops[] = {
	{"open", 10000, time_open},
	{"read1", 30000, time_read1},
	{"write1", 20000, time_write1},
	{"read64k", 20000, time_read64k},
	{"pipe", 4000, time_pipe},
	{"fork", 200, time_fork},
};

#define NOPS (sizeof ops / sizeof ops[0])

int main(int argc, char **argv) {
	if (argc > 3) return 2;
	const struct op *only = NULL;
	long n = 0;
	if (argc >= 2) {
		for (size_t i = 0; i < NOPS; i++)
			if (strcmp(argv[1], ops[i].name) == 0) only = &ops[i];
		if (only == NULL) return 2;
	}
	if (argc == 3 && (n = atol(argv[2])) <= 0) return 2;

	snprintf(small_path, sizeof small_path, "/tmp/iobench.%d.small", (int)getpid());
	snprintf(big_path, sizeof big_path, "/tmp/iobench.%d.big", (int)getpid());
	make_file(small_path, 1);
	make_file(big_path, BIG);

	for (size_t i = 0; i < NOPS; i++) {
		const struct op *op = &ops[i];
		if (only != NULL && op != only) continue;
		long count = n > 0 ? n : op->n;
		long long ns = op->time(count) / count;
		if (only != NULL)
			printf("%lld\n", ns);
		else
			printf("%-8s %lld\n", op->name, ns);
		fflush(stdout);
	}
	unlink(small_path);
	unlink(big_path);
	return 0;
}
