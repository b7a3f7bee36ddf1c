// Package procfs is Linux's /proc as a file system: the per-process
// directories (/proc/<pid>, their task/<tid> threads, fd links), the
// "self" and "thread-self" links, and the system-wide files (cpuinfo,
// meminfo, stat, uptime, loadavg, mounts, version, filesystems).
//
// procfs only formats. What it shows comes from a Provider, which the
// personality that owns processes implements; procfs knows nothing of
// how processes, descriptors or address spaces are kept, and its text
// follows Linux's byte for byte, since programs parse it (ps, top, libc's
// sysconf, language runtimes reading their own limits and maps).
//
// Files are snapshots: each open asks the Provider once and serves that
// text, so a reader that goes through the file in pieces, or with
// pread(2), sees one consistent state. Nothing is cached between opens,
// and an inode is a small value naming what it shows (a pid, a file), so
// a process that goes away simply stops being found.
package procfs
