// Package strace formats system calls the way strace(1) prints them, for
// Quartz's --strace flag:
//
//	openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3
//	read(3, "root:x:0:0:root:/root:/bin/bash\n"..., 4096) = 1234
//	mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f1234560000
//	openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)
//
// The room holds only formatting: a signature table (table.go) saying what
// kind each argument of a system call is, how each kind is printed
// (kinds.go), the calls whose arguments depend on one another (custom.go:
// clone, futex, fcntl, ...), the flag and value names (names.go), the
// string quoting rules (quote.go) and decoders for the structures the
// kernel reads or writes (structs.go). It reads guest memory
// through the small Memory interface and knows nothing of threads or
// processes; numbers and names of calls, errnos and signals come from
// package linux/abi.
//
// Strace's conventions are followed where they are cheap to follow: strings
// and buffers are quoted with C escapes (\n, \t, \", octal for other
// unprintable bytes, hex for getrandom's buffer) and cut at 32 bytes with
// "..." after the closing quote; paths are printed whole; a NULL pointer is
// NULL; a pointer that cannot be read is printed as its address; structures
// are abbreviated ({st_mode=S_IFREG|0644, st_size=1234, ...}); errors are
// "-1 ENAME (description)"; exit and exit_group return "?".
//
// Arguments the kernel writes (read's buffer, fstat's struct, pipe's fds)
// are decoded only once the call has returned successfully: Enter prints
// them as addresses, Line decodes them. Line reads memory after the call, so
// an argument the kernel both reads and writes (select's fd sets, a
// sendfile offset) shows its value on return, and execve's arguments must
// be formatted with Enter before the old image is gone.
package strace
