package linux

import (
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"quartz/kernel/poll"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// openFile is an open file description: what the descriptors dup'ed from
// one open share — the file, its position and its status flags.
type openFile struct {
	vfs.File
	// path is where the file was opened; anonymous files (pipes,
	// eventfds, epoll instances) have none (Mount nil).
	path vfs.Path
	// inode answers fstat: path's inode, or the anonymous file's own.
	inode vfs.Inode
	// name is how /proc/<pid>/fd shows an anonymous file ("pipe:[7]").
	name string

	flags atomic.Uint32 // O_APPEND, O_NONBLOCK, access mode ...
	refs  atomic.Int32

	mu  sync.Mutex // serializes position updates, as f_pos_lock
	pos int64
	dir dirCursor

	// locks is set once the file holds a flock or OFD lock, which its
	// last close drops.
	locks atomic.Pointer[lockTable]
}

func newOpenFile(f vfs.File, inode vfs.Inode, flags int) *openFile {
	of := &openFile{File: f, inode: inode}
	of.flags.Store(uint32(flags))
	of.refs.Store(1)
	return of
}

func (of *openFile) get() *openFile { of.refs.Add(1); return of }

func (of *openFile) put() {
	if of.refs.Add(-1) == 0 {
		if lt := of.locks.Load(); lt != nil {
			lt.releaseFile(of)
		}
		of.Release()
	}
}

func (of *openFile) lockedBy(lt *lockTable) { of.locks.Store(lt) }

func (of *openFile) nonblocking() bool { return of.flags.Load()&unix.O_NONBLOCK != 0 }

func accessMode(of *openFile) int { return int(of.flags.Load()) & unix.O_ACCMODE }

// isDir reports whether the file is an open directory.
func (of *openFile) isDir() bool {
	_, ok := of.inode.(vfs.Dir)
	return ok && of.path.Mount != nil
}

// The optional behaviours a vfs.File may have beyond reading and writing.
type (
	// pollable files have readiness (epoll accepts only these).
	pollable interface {
		pollee() *poll.Pollee
		readiness() poll.Events
	}
	// ioctler files answer device-specific ioctls.
	ioctler interface {
		ioctl(t *Thread, req, arg uint64) (uint64, error)
	}
	// syncer files have data to write back (fsync, msync).
	syncer interface {
		Sync() error
	}
)

// read moves data from the file into dst at the file position (seekable
// files) and advances it.
func (of *openFile) read(t *Thread, dst *vmio.Writer) (uint64, error) {
	c := t.blocking()
	defer c.release()
	if !of.Seekable() {
		n, err := of.Read(dst, 0, c)
		return n, t.interruptedErr(n, err)
	}
	of.mu.Lock()
	defer of.mu.Unlock()
	n, err := of.Read(dst, of.pos, c)
	of.pos += int64(n)
	return n, t.interruptedErr(n, err)
}

// write moves data from src into the file at the file position, or at
// its end with O_APPEND.
func (of *openFile) write(t *Thread, src *vmio.Reader) (uint64, error) {
	c := t.blocking()
	defer c.release()
	if !of.Seekable() {
		n, err := of.Write(src, 0, c)
		return n, t.interruptedErr(n, err)
	}
	of.mu.Lock()
	defer of.mu.Unlock()
	if of.flags.Load()&unix.O_APPEND != 0 {
		st, err := of.inode.Stat()
		if err != nil {
			return 0, err
		}
		of.pos = st.Size
	}
	n, err := of.Write(src, of.pos, c)
	of.pos += int64(n)
	return n, t.interruptedErr(n, err)
}

// pread and pwrite use an explicit offset and leave the position alone.
func (of *openFile) pread(t *Thread, dst *vmio.Writer, off int64) (uint64, error) {
	if !of.Seekable() {
		return 0, unix.ESPIPE
	}
	c := t.blocking()
	defer c.release()
	n, err := of.Read(dst, off, c)
	return n, t.interruptedErr(n, err)
}

func (of *openFile) pwrite(t *Thread, src *vmio.Reader, off int64) (uint64, error) {
	if !of.Seekable() {
		return 0, unix.ESPIPE
	}
	if of.flags.Load()&unix.O_APPEND != 0 {
		// Linux appends whatever the offset says.
		return of.write(t, src)
	}
	c := t.blocking()
	defer c.release()
	n, err := of.Write(src, off, c)
	return n, t.interruptedErr(n, err)
}

// seek is lseek: SEEK_DATA and SEEK_HOLE treat the whole file as data.
func (of *openFile) seek(off int64, whence int) (int64, error) {
	if !of.Seekable() {
		return 0, unix.ESPIPE
	}
	of.mu.Lock()
	defer of.mu.Unlock()
	var base int64
	switch whence {
	case unix.SEEK_SET:
	case unix.SEEK_CUR:
		base = of.pos
	case unix.SEEK_END, unix.SEEK_DATA, unix.SEEK_HOLE:
		st, err := of.inode.Stat()
		if err != nil {
			return 0, err
		}
		base = st.Size
		if whence != unix.SEEK_END {
			if off < 0 || off >= st.Size {
				return 0, unix.ENXIO
			}
			if whence == unix.SEEK_DATA {
				base = 0
			} else {
				off = 0
			}
		}
	default:
		return 0, unix.EINVAL
	}
	pos := base + off
	if pos < 0 || (off > 0 && pos < base) {
		return 0, unix.EINVAL
	}
	of.pos = pos
	if of.isDir() {
		of.dir.seek(pos)
	}
	return pos, nil
}

// interruptedErr turns a blocking call's EINTR into errInterrupted when a
// signal is what ended it, so that SA_RESTART can restart the call; a
// partial transfer is a success.
func (t *Thread) interruptedErr(n uint64, err error) error {
	if err == nil || n > 0 {
		return nil
	}
	if err == unix.EINTR && t.hasDeliverable() {
		return errInterrupted
	}
	return err
}

// blockCanceler is the vfs.Canceler of one system call: Done fires when a
// signal arrives for the thread or its process dies. Its watcher starts
// only if the call really blocks.
type blockCanceler struct {
	t    *Thread
	once sync.Once
	done chan struct{}
	stop chan struct{}
}

func (t *Thread) blocking() *blockCanceler { return &blockCanceler{t: t} }

func (c *blockCanceler) Done() <-chan struct{} {
	c.once.Do(func() {
		c.done, c.stop = make(chan struct{}), make(chan struct{})
		t := c.t
		t.sleeping.Add(1)
		go func() {
			defer close(c.done)
			for !t.hasDeliverable() {
				select {
				case <-t.proc.dying:
					return
				case <-t.signalled:
					// A notification for a signal that is already
					// handled, or blocked, wakes nobody: look again.
				case <-c.stop:
					return
				}
			}
		}()
	})
	return c.done
}

func (c *blockCanceler) release() {
	c.once.Do(func() {}) // a watcher started later would never stop
	if c.stop != nil {
		close(c.stop)
		c.t.sleeping.Add(-1)
	}
}

// pathFile is what O_PATH opens: a location, with no data access.
type pathFile struct{}

func (pathFile) Read(*vmio.Writer, int64, vfs.Canceler) (uint64, error)  { return 0, unix.EBADF }
func (pathFile) Write(*vmio.Reader, int64, vfs.Canceler) (uint64, error) { return 0, unix.EBADF }
func (pathFile) Seekable() bool                                          { return false }
func (pathFile) Release() error                                          { return nil }
