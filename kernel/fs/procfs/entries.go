package procfs

import (
	"strconv"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// rootEntry is a fixed name in /proc.
type rootEntry struct {
	name   string
	mode   uint32
	index  int
	self   int       // selfLink or threadSelfLink, for the links that depend on the reader
	target string    // a plain link's text
	file   *fileSpec // a system file
}

const (
	notSelf = iota
	selfLink
	threadSelfLink
)

// rootEntries are /proc's fixed names, in listing order. self and
// thread-self come first so that they get Linux's inode numbers (the
// first two it hands out); Linux lists them last, but order carries no
// meaning.
var rootEntries = []*rootEntry{
	{name: "self", mode: unix.S_IFLNK | 0o777, self: selfLink},
	{name: "thread-self", mode: unix.S_IFLNK | 0o777, self: threadSelfLink},
	// /proc/mounts is the reader's own mount table (Linux 2.6.25 on).
	{name: "mounts", mode: unix.S_IFLNK | 0o777, target: "self/mounts"},
	{name: "stat", file: &fileSpec{sys: fmtStat}},
	{name: "uptime", file: &fileSpec{sys: fmtUptime}},
	{name: "cpuinfo", file: &fileSpec{sys: fmtCPUInfo}},
	{name: "loadavg", file: &fileSpec{sys: fmtLoadavg}},
	{name: "meminfo", file: &fileSpec{sys: fmtMeminfo}},
	{name: "version", file: &fileSpec{sys: fmtVersion}},
	{name: "filesystems", file: &fileSpec{sys: fmtFilesystems}},
}

var rootByName = map[string]*rootEntry{}

func init() {
	for i, e := range rootEntries {
		e.index = i
		rootByName[e.name] = e
		if e.file != nil {
			e.mode = unix.S_IFREG | 0o444
			e.file.mode = e.mode
			e.file.index = i
		}
	}
}

func (e *rootEntry) ino() uint64 { return inoStatic + uint64(e.index) }

func (e *rootEntry) inode(fs *FS) vfs.Inode {
	switch {
	case e.self != notSelf:
		return taskLink{fs: fs, thread: e.self == threadSelfLink}
	case e.file != nil:
		return file{fs: fs, spec: e.file}
	default:
		return textLink{fs: fs, entry: e}
	}
}

// procEntry is a name in a process's (or thread's) directory.
type procEntry struct {
	name      string
	mode      uint32
	index     int  // from 1: index 0 numbers the directory itself
	groupOnly bool // not in task/<tid>/ (Linux has no task/<tid>/task)
	dir       dirKind
	file      *fileSpec
	link      func(Process) (Link, error)
}

// Linux's permissions: fd/ and environ are the owner's only.
var (
	entTask   = &procEntry{name: "task", mode: unix.S_IFDIR | 0o555, groupOnly: true, dir: taskDir}
	entFD     = &procEntry{name: "fd", mode: unix.S_IFDIR | 0o500, dir: fdDir}
	entFDInfo = &procEntry{name: "fdinfo", mode: unix.S_IFDIR | 0o555, dir: fdInfoDir}
)

// procEntries are a process directory's names, in Linux's order.
var procEntries = []*procEntry{
	entTask,
	entFD,
	entFDInfo,
	{name: "environ", mode: unix.S_IFREG | 0o400, file: &fileSpec{proc: genEnviron}},
	{name: "status", mode: unix.S_IFREG | 0o444, file: &fileSpec{proc: genStatus}},
	// comm is writable on Linux (prctl(PR_SET_NAME) through a file);
	// here writing it fails with EINVAL, its mode stays Linux's.
	{name: "comm", mode: unix.S_IFREG | 0o644, file: &fileSpec{proc: genComm}},
	{name: "cmdline", mode: unix.S_IFREG | 0o444, file: &fileSpec{proc: genCmdline}},
	{name: "stat", mode: unix.S_IFREG | 0o444, file: &fileSpec{proc: genStat}},
	{name: "statm", mode: unix.S_IFREG | 0o444, file: &fileSpec{proc: genStatm}},
	{name: "maps", mode: unix.S_IFREG | 0o444, file: &fileSpec{proc: genMaps}},
	{name: "cwd", mode: unix.S_IFLNK | 0o777, link: Process.Cwd},
	{name: "root", mode: unix.S_IFLNK | 0o777, link: Process.Root},
	{name: "exe", mode: unix.S_IFLNK | 0o777, link: Process.Exe},
	{name: "mounts", mode: unix.S_IFREG | 0o444, file: &fileSpec{proc: genMounts}},
}

func init() {
	for i, e := range procEntries {
		e.index = i + 1
		if e.file != nil {
			e.file.mode = e.mode
			e.file.index = e.index
		}
	}
}

// subdirs counts the directories in a process's (or a thread's)
// directory, for its link count.
func subdirs(thread bool) int {
	n := 0
	for _, e := range procEntries {
		if vfs.Type(e.mode) == unix.S_IFDIR && !(thread && e.groupOnly) {
			n++
		}
	}
	return n
}

func (e *procEntry) inode(fs *FS, pid, tid int) vfs.Inode {
	switch {
	case e.file != nil:
		return file{fs: fs, spec: e.file, pid: pid, tid: tid}
	case e.link != nil:
		return magicLink{fs: fs, entry: e, pid: pid, tid: tid}
	default:
		return dir{fs: fs, kind: e.dir, pid: pid, tid: tid}
	}
}

// entryIno numbers entry index of a process's directory, or of one of its
// threads' when tid is set; index 0 is the directory.
func entryIno(pid, tid, index int) uint64 {
	if tid != 0 {
		return ino(classThread, tid, index)
	}
	return ino(classProc, pid, index)
}

// fdIno numbers fd/<fd> or fdinfo/<fd>. A thread id is unique, so a
// thread's are numbered by it alone.
func fdIno(pid, tid, fd int, info bool) uint64 {
	switch {
	case tid != 0 && info:
		return ino(classThreadInfo, tid, fd)
	case tid != 0:
		return ino(classThreadFD, tid, fd)
	case info:
		return ino(classFDInfo, pid, fd)
	}
	return ino(classFD, pid, fd)
}

func itoa(n int) string { return strconv.Itoa(n) }
