package linux

import (
	"os"
	"sync"

	"golang.org/x/sys/unix"
)

type fdEntry struct {
	of      *openFile
	cloexec bool
}

// fdTable is a process's descriptor table.
type fdTable struct {
	mu    sync.Mutex
	files []fdEntry // index is the descriptor; of == nil is free
}

// maxFDs is RLIMIT_NOFILE's soft limit as Linux usually sets it.
const maxFDs = 1024

// newStdioTable makes a table whose 0, 1, 2 are duplicates of the given
// host files (nil entries stay closed).
func newStdioTable(stdio [3]*os.File) (*fdTable, error) {
	tab := &fdTable{}
	for i, f := range stdio {
		if f == nil {
			continue
		}
		fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			continue // a closed host descriptor stays closed in the guest
		}
		flags, _ := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
		// The guest's O_NONBLOCK is its own: the host's status flags
		// belong to whoever else shares the descriptor.
		hf := newHostFile(fd)
		of := newOpenFile(hf, hostInode{fd}, flags&^unix.O_NONBLOCK)
		hf.nonblock = of.nonblocking
		tab.installAt(i, of, false)
	}
	return tab, nil
}

func (tab *fdTable) installAt(fd int, of *openFile, cloexec bool) {
	for len(tab.files) <= fd {
		tab.files = append(tab.files, fdEntry{})
	}
	tab.files[fd] = fdEntry{of: of, cloexec: cloexec}
}

// install puts of at the lowest free descriptor >= min.
func (tab *fdTable) install(of *openFile, cloexec bool, min int) (int, error) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	for fd := min; fd < maxFDs; fd++ {
		if fd >= len(tab.files) || tab.files[fd].of == nil {
			tab.installAt(fd, of, cloexec)
			return fd, nil
		}
	}
	return -1, unix.EMFILE
}

// get returns the file at fd with a reference the caller must put.
func (tab *fdTable) get(fd uint64) (*openFile, error) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	if fd >= uint64(len(tab.files)) || tab.files[fd].of == nil {
		return nil, unix.EBADF
	}
	return tab.files[fd].of.get(), nil
}

func (tab *fdTable) close(fd uint64) error {
	tab.mu.Lock()
	if fd >= uint64(len(tab.files)) || tab.files[fd].of == nil {
		tab.mu.Unlock()
		return unix.EBADF
	}
	of := tab.files[fd].of
	tab.files[fd] = fdEntry{}
	tab.mu.Unlock()
	of.put()
	return nil
}

// dup2 makes newfd refer to oldfd's file, closing what newfd held.
func (tab *fdTable) dup2(oldfd, newfd uint64, cloexec bool) error {
	if newfd >= maxFDs {
		return unix.EBADF
	}
	tab.mu.Lock()
	if oldfd >= uint64(len(tab.files)) || tab.files[oldfd].of == nil {
		tab.mu.Unlock()
		return unix.EBADF
	}
	of := tab.files[oldfd].of.get()
	var old *openFile
	if newfd < uint64(len(tab.files)) {
		old = tab.files[newfd].of
	}
	tab.installAt(int(newfd), of, cloexec)
	tab.mu.Unlock()
	if old != nil {
		old.put()
	}
	return nil
}

func (tab *fdTable) cloexec(fd uint64) (bool, error) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	if fd >= uint64(len(tab.files)) || tab.files[fd].of == nil {
		return false, unix.EBADF
	}
	return tab.files[fd].cloexec, nil
}

func (tab *fdTable) setCloexec(fd uint64, on bool) error {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	if fd >= uint64(len(tab.files)) || tab.files[fd].of == nil {
		return unix.EBADF
	}
	tab.files[fd].cloexec = on
	return nil
}

func (tab *fdTable) closeAll() {
	tab.mu.Lock()
	files := tab.files
	tab.files = nil
	tab.mu.Unlock()
	for _, e := range files {
		if e.of != nil {
			e.of.put()
		}
	}
}

// fork returns a copy of the table for a new process (fork without
// CLONE_FILES): the same open files, each with one more reference, and
// the same close-on-exec flags.
func (tab *fdTable) fork() *fdTable {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	c := &fdTable{files: make([]fdEntry, len(tab.files))}
	for i, e := range tab.files {
		if e.of != nil {
			c.files[i] = fdEntry{of: e.of.get(), cloexec: e.cloexec}
		}
	}
	return c
}

// closeOnExec closes the descriptors marked close-on-exec, as execve
// does.
func (tab *fdTable) closeOnExec() {
	tab.mu.Lock()
	var closing []*openFile
	for i, e := range tab.files {
		if e.of != nil && e.cloexec {
			closing = append(closing, e.of)
			tab.files[i] = fdEntry{}
		}
	}
	tab.mu.Unlock()
	for _, of := range closing {
		of.put()
	}
}

// closeRange closes (or marks close-on-exec) descriptors first..last.
func (tab *fdTable) closeRange(first int, last int64, cloexecOnly bool) {
	tab.mu.Lock()
	var closing []*openFile
	for fd := first; fd < len(tab.files) && int64(fd) <= last; fd++ {
		e := &tab.files[fd]
		if e.of == nil {
			continue
		}
		if cloexecOnly {
			e.cloexec = true
			continue
		}
		closing = append(closing, e.of)
		*e = fdEntry{}
	}
	tab.mu.Unlock()
	for _, of := range closing {
		of.put()
	}
}
