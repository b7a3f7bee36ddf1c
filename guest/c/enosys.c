// enosys makes a system call Quartz does not implement and prints what
// came back.
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
	long r = syscall(SYS_kexec_file_load, -1, -1, 0, 0, 0);
	printf("kexec_file_load: %ld %s\n", r, strerror(errno));
	return 0;
}
