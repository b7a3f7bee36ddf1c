// Package abi is the x86-64 Linux system-call ABI as data: the system call
// numbers (SysRead, SysOpenat, SysClone3, ...) and their names, the errno
// names and descriptions, and the signal names, spelled the way strace(1)
// prints them.
//
// It is a leaf room: it holds no behaviour of the Linux personality, only
// the numbers and names that the dispatch table (package linux), the
// --strace decoder (package linux/strace) and tests share, so that a number
// is written down in exactly one place. Errno values themselves are
// golang.org/x/sys/unix's (unix.ENOENT, ...).
package abi
