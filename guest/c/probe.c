// probe exercises the system calls a plain C program makes at start-up
// and in ordinary work, printing results that must match a native run.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *worker(void *arg) {
	long n = (long)arg;
	for (int i = 0; i < 10000; i++) {
		pthread_mutex_lock(&lock);
		counter += n;
		pthread_mutex_unlock(&lock);
	}
	return (void *)(n * 2);
}

static int cmp(const void *a, const void *b) { return strcmp(*(char **)a, *(char **)b); }

int main(int argc, char **argv) {
	printf("argc=%d\n", argc);
	for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
	printf("PROBE_VAR=%s\n", getenv("PROBE_VAR") ? getenv("PROBE_VAR") : "(unset)");

	// Files: read a file, stat it, fail to open a missing one and to write.
	int fd = open(argv[0], O_RDONLY);
	char magic[4];
	printf("self open: %s\n", fd >= 0 ? "ok" : strerror(errno));
	printf("self read: %zd %.3s\n", read(fd, magic, 4), magic + 1);
	struct stat st;
	fstat(fd, &st);
	printf("self is regular: %d\n", S_ISREG(st.st_mode));
	printf("lseek end == size: %d\n", lseek(fd, 0, SEEK_END) == st.st_size);
	close(fd);
	printf("missing: %s\n", open("/no/such/file", O_RDONLY) < 0 ? strerror(errno) : "opened?");
	printf("bad fd: %s\n", close(12345) < 0 ? strerror(errno) : "closed?");

	// Directories: list /etc sorted (first few entries that exist everywhere).
	DIR *d = opendir("/etc");
	char *names[4096];
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 4096) names[n++] = strdup(e->d_name);
	if (d) closedir(d);
	qsort(names, n, sizeof names[0], cmp);
	int has_passwd = 0;
	for (int i = 0; i < n; i++) has_passwd |= strcmp(names[i], "passwd") == 0;
	printf("/etc listed: %s, has passwd: %d\n", n > 10 ? "yes" : "no", has_passwd);

	char cwd[4096];
	printf("getcwd ok: %d\n", getcwd(cwd, sizeof cwd) != NULL);
	chdir("/usr");
	getcwd(cwd, sizeof cwd);
	printf("after chdir: %s\n", cwd);

	// Memory: anonymous mmap, touch, protect, unmap; brk through malloc.
	size_t len = 1 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (size_t i = 0; i < len; i += 4096) m[i] = (char)(i >> 12);
	long sum = 0;
	for (size_t i = 0; i < len; i += 4096) sum += m[i];
	printf("mmap sum: %ld zero tail: %d\n", sum, m[len - 1] == 0);
	printf("mprotect: %d\n", mprotect(m, 4096, PROT_READ));
	printf("munmap: %d\n", munmap(m, len));
	char *big = malloc(10 << 20);
	memset(big, 7, 10 << 20);
	printf("malloc 10M: %d\n", big[(10 << 20) - 1]);
	free(big);

	// Threads.
	pthread_t th[4];
	for (long i = 0; i < 4; i++) pthread_create(&th[i], NULL, worker, (void *)(i + 1));
	long total = 0;
	for (int i = 0; i < 4; i++) {
		void *r;
		pthread_join(th[i], &r);
		total += (long)r;
	}
	printf("threads: counter=%ld joined=%ld\n", counter, total);

	// Time moves forward.
	struct timespec a, b, nap = {0, 2000000};
	clock_gettime(CLOCK_MONOTONIC, &a);
	nanosleep(&nap, NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("slept: %d\n", (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec) >= 2000000);

	struct utsname u;
	uname(&u);
	printf("sysname=%s machine=%s\n", u.sysname, u.machine);
	fflush(stdout);
	return argc + 40;
}
