// memprobe exercises the memory system calls and prints results that do
// not depend on addresses, so they must match a native run.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096

static void fill(char *p, size_t n, char c) { for (size_t i = 0; i < n; i += PAGE) p[i] = c + (char)(i / PAGE); }
static int check(const char *p, size_t n, char c) {
	for (size_t i = 0; i < n; i += PAGE) if (p[i] != (char)(c + (char)(i / PAGE))) return 0;
	return 1;
}

// maps_has reports whether a line of /proc/self/maps with perms covers
// [p, p+n). (Linux may merge the area with a neighbour, so the line can
// be longer.)
static int maps_has(void *p, size_t n, const char *perms) {
	char line[512], lperms[8];
	unsigned long start, end, lo = (unsigned long)p, hi = lo + n;
	FILE *f = fopen("/proc/self/maps", "r");
	if (!f) return -1;
	int found = 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "%lx-%lx %4s", &start, &end, lperms) == 3 && start <= lo && hi <= end)
			found = strcmp(lperms, perms) == 0;
	fclose(f);
	return found;
}

int main(void) {
	// Anonymous memory reads zero, keeps writes.
	char *a = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	printf("anon zero: %d\n", a[5 * PAGE + 7] == 0);
	fill(a, 8 * PAGE, 'a');
	printf("anon keeps: %d\n", check(a, 8 * PAGE, 'a'));
	printf("maps rw-p: %d\n", maps_has(a, 8 * PAGE, "rw-p"));

	// mprotect splits the area.
	printf("mprotect: %d\n", mprotect(a + 2 * PAGE, 2 * PAGE, PROT_READ));
	printf("maps split: %d %d %d\n", maps_has(a, 2 * PAGE, "rw-p"), maps_has(a + 2 * PAGE, 2 * PAGE, "r--p"),
	       maps_has(a + 4 * PAGE, 4 * PAGE, "rw-p"));
	char *hole = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(hole + PAGE, PAGE);
	int r = mprotect(hole, 3 * PAGE, PROT_READ | PROT_WRITE);
	printf("mprotect hole: %d %s\n", r, strerror(errno));
	printf("mremap across areas: %s\n", mremap(a, 8 * PAGE, 16 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED ? strerror(errno) : "moved?");
	mprotect(a, 8 * PAGE, PROT_READ | PROT_WRITE);

	// mremap: shrink, grow (moving if it must), content kept.
	char *b = mremap(a, 8 * PAGE, 4 * PAGE, 0);
	printf("mremap shrink same place: %d\n", b == a);
	char *c = mremap(b, 4 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
	printf("mremap grow ok: %d keeps: %d tail zero: %d\n", c != MAP_FAILED, check(c, 2 * PAGE, 'a'), c[40 * PAGE] == 0);
	c[63 * PAGE] = 1;
	printf("mremap no move: %s\n", mremap(c, 64 * PAGE, 1 << 30, 0) == MAP_FAILED ? strerror(errno) : "grew?");
	printf("mremap bad: %s\n", mremap(c + 1, PAGE, 2 * PAGE, MREMAP_MAYMOVE) == MAP_FAILED ? strerror(errno) : "ok?");

	// Fixed mappings: replace, and NOREPLACE refuses.
	char *d = mmap(c, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	printf("fixed replaces: %d zero: %d\n", d == c, d[0] == 0);
	printf("noreplace: %s\n", mmap(c, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) == MAP_FAILED ? strerror(errno) : "mapped?");
	printf("bad flags: %s\n", mmap(NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "mapped?");
	printf("zero length: %s\n", mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? strerror(errno) : "mapped?");
	printf("bad fd: %s\n", mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED ? strerror(errno) : "mapped?");

	// madvise(DONTNEED) zeroes private anonymous memory.
	c[5 * PAGE] = 9;
	r = madvise(c + 4 * PAGE, 4 * PAGE, MADV_DONTNEED);
	printf("dontneed: %d zero after: %d\n", r, c[5 * PAGE] == 0);
	printf("madvise bad: %s\n", madvise(c + 1, PAGE, MADV_DONTNEED) ? strerror(errno) : "ok?");

	// mincore and msync.
	unsigned char vec[4];
	char *e = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	e[PAGE] = 1;
	r = mincore(e, 4 * PAGE, vec);
	printf("mincore: %d touched: %d\n", r, vec[1] & 1);
	munmap(e + 2 * PAGE, PAGE);
	printf("mincore hole: %s\n", mincore(e, 4 * PAGE, vec) ? strerror(errno) : "ok?");
	printf("msync: %d\n", msync(e, PAGE, MS_SYNC));
	printf("msync bad: %s\n", msync(e, PAGE, MS_SYNC | MS_ASYNC) ? strerror(errno) : "ok?");
	printf("msync hole: %s\n", msync(e, 4 * PAGE, MS_SYNC) ? strerror(errno) : "ok?");

	// Shared anonymous memory and populate.
	char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	s[PAGE] = 5;
	printf("shared: %d maps rw-s: %d\n", s[PAGE], maps_has(s, 2 * PAGE, "rw-s"));

	// A private file mapping reads the file; writes stay private.
	int fd = open("/proc/self/exe", O_RDONLY);
	if (fd < 0) fd = open("/bin/sh", O_RDONLY);
	char *f = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	printf("file magic: %.3s\n", f + 1);
	f[1] = 'X';
	char buf[4];
	pread(fd, buf, 4, 0);
	printf("private write stays: %.3s %.3s\n", f + 1, buf + 1);
	printf("shared write on read-only fd: %s\n", mmap(NULL, PAGE, PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? strerror(errno) : "mapped?");

	// A shared file mapping and write(2) see each other's bytes: the
	// mapping is the file's page cache. The name carries the pid so that
	// parallel runs do not meet.
	char path[64];
	snprintf(path, sizeof path, "/tmp/memprobe-%d", (int)getpid());
	int wfd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	write(wfd, "first", 5);
	ftruncate(wfd, PAGE);
	char *sh = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, wfd, 0);
	printf("shared file map sees file: %.5s\n", sh);
	pwrite(wfd, "later", 5, 100);
	printf("map sees write(2): %.5s\n", sh + 100);
	memcpy(sh + 200, "mapped", 6);
	char back[6];
	pread(wfd, back, 6, 200);
	printf("read(2) sees map: %.6s\n", back);
	msync(sh, PAGE, MS_SYNC);
	munmap(sh, PAGE);
	close(wfd);
	wfd = open(path, O_RDONLY);
	pread(wfd, back, 6, 200);
	printf("after close and reopen: %.6s\n", back);
	close(wfd);
	unlink(path);

	// brk grows and shrinks (raw calls: musl's sbrk only reports).
	char *brk0 = (char *)syscall(SYS_brk, 0);
	brk0 = (char *)(((unsigned long)brk0 + PAGE - 1) & ~(unsigned long)(PAGE - 1));
	syscall(SYS_brk, brk0 + 3 * PAGE);
	brk0[2 * PAGE] = 4;
	syscall(SYS_brk, brk0);
	syscall(SYS_brk, brk0 + 3 * PAGE);
	printf("brk regrow zero: %d\n", brk0[2 * PAGE] == 0);
	printf("brk below start: %d\n", syscall(SYS_brk, 4096) != 4096);
	return 0;
}
