package linux

import (
	"sync"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

// Advisory file locks, by inode. flock(2) locks belong to an open file
// description and go with its last close. POSIX record locks (fcntl
// F_SETLK) belong to a process and cover byte ranges; any close of the
// file by the process drops them all, as POSIX says. Open file
// description locks (F_OFD_SETLK) are record locks owned like flock's.
// The two families do not see each other, as on Linux.
type lockTable struct {
	mu    sync.Mutex
	files map[vfs.Inode]*inodeLocks
}

type inodeLocks struct {
	flocks  map[*openFile]int // LOCK_SH or LOCK_EX
	records []recordLock
	// changed is closed (and replaced) whenever a lock goes, waking
	// blocked lockers to look again.
	changed chan struct{}
}

// recordLock is a locked byte range [start, end]; end -1 is "to EOF and
// beyond".
type recordLock struct {
	owner      any // *Process, or *openFile for OFD locks
	pid        int // reported by F_GETLK (-1 for OFD locks)
	write      bool
	start, end int64
}

func (r recordLock) overlaps(start, end int64) bool {
	return (r.end < 0 || start <= r.end) && (end < 0 || r.start <= end)
}

func (lt *lockTable) locksOf(in vfs.Inode) *inodeLocks {
	if lt.files == nil {
		lt.files = make(map[vfs.Inode]*inodeLocks)
	}
	il := lt.files[in]
	if il == nil {
		il = &inodeLocks{flocks: make(map[*openFile]int), changed: make(chan struct{})}
		lt.files[in] = il
	}
	return il
}

// wakeLocked tells waiters that locks went; with lt.mu held.
func (lt *lockTable) wakeLocked(in vfs.Inode, il *inodeLocks) {
	close(il.changed)
	il.changed = make(chan struct{})
	if len(il.flocks) == 0 && len(il.records) == 0 {
		delete(lt.files, in)
	}
}

// wait blocks until the locks of in change or c says stop (EINTR).
func (lt *lockTable) wait(ch <-chan struct{}, c *blockCanceler) error {
	select {
	case <-ch:
		return nil
	case <-c.Done():
		return unix.EINTR
	}
}

// flock is flock(2) on the open file of.
func (lt *lockTable) flock(t *Thread, of *openFile, op int) error {
	nb := op&unix.LOCK_NB != 0
	op &^= unix.LOCK_NB
	in := of.inode
	if op == unix.LOCK_UN {
		lt.mu.Lock()
		defer lt.mu.Unlock()
		if il := lt.files[in]; il != nil {
			if _, held := il.flocks[of]; held {
				delete(il.flocks, of)
				lt.wakeLocked(in, il)
			}
		}
		return nil
	}
	if op != unix.LOCK_SH && op != unix.LOCK_EX {
		return unix.EINVAL
	}
	c := t.blocking()
	defer c.release()
	for {
		lt.mu.Lock()
		il := lt.locksOf(in)
		if held, ok := il.flocks[of]; ok && held != op {
			// A conversion drops the old lock first, as Linux does.
			delete(il.flocks, of)
			lt.wakeLocked(in, il)
			il = lt.locksOf(in)
		}
		conflict := false
		for other, kind := range il.flocks {
			if other != of && (op == unix.LOCK_EX || kind == unix.LOCK_EX) {
				conflict = true
				break
			}
		}
		if !conflict {
			il.flocks[of] = op
			of.lockedBy(lt)
			lt.mu.Unlock()
			return nil
		}
		ch := il.changed
		lt.mu.Unlock()
		if nb {
			return unix.EWOULDBLOCK
		}
		if err := lt.wait(ch, c); err != nil {
			return t.interruptedErr(0, err)
		}
	}
}

// releaseFile drops the flock and OFD locks of an open file at its last
// close.
func (lt *lockTable) releaseFile(of *openFile) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	il := lt.files[of.inode]
	if il == nil {
		return
	}
	delete(il.flocks, of)
	il.records = removeOwner(il.records, of)
	lt.wakeLocked(of.inode, il)
}

// releaseProcess drops the POSIX record locks p holds on in (any close
// of the file by p), or on every file (in nil: p exits).
func (lt *lockTable) releaseProcess(p *Process, in vfs.Inode) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	for key, il := range lt.files {
		if in != nil && key != in {
			continue
		}
		if n := len(il.records); len(removeOwner(il.records, p)) != n {
			il.records = removeOwner(il.records, p)
			lt.wakeLocked(key, il)
		}
	}
}

func removeOwner(rs []recordLock, owner any) []recordLock {
	out := rs[:0:0]
	for _, r := range rs {
		if r.owner != owner {
			out = append(out, r)
		}
	}
	return out
}

// conflict returns a lock of another owner that a lock of kind write
// over [start, end] would collide with.
func (il *inodeLocks) conflict(owner any, write bool, start, end int64) (recordLock, bool) {
	for _, r := range il.records {
		if r.owner != owner && r.overlaps(start, end) && (write || r.write) {
			return r, true
		}
	}
	return recordLock{}, false
}

// setRange makes owner's locks over [start, end] be of the given kind
// (unlock: none), splitting and merging its existing ranges.
func (il *inodeLocks) setRange(owner any, pid int, unlock, write bool, start, end int64) {
	var out []recordLock
	for _, r := range il.records {
		if r.owner != owner || !r.overlaps(start, end) {
			out = append(out, r)
			continue
		}
		if r.start < start {
			left := r
			left.end = start - 1
			out = append(out, left)
		}
		if end >= 0 && (r.end < 0 || r.end > end) {
			right := r
			right.start = end + 1
			out = append(out, right)
		}
	}
	if !unlock {
		out = append(out, recordLock{owner: owner, pid: pid, write: write, start: start, end: end})
	}
	il.records = out
}

// flockRange is struct flock.
type flockRange struct {
	Type, Whence int16
	_            [4]byte
	Start, Len   int64
	Pid          int32
	_            [4]byte
}

// recordLockOp runs F_GETLK, F_SETLK(W) and their OFD variants.
func (t *Thread) recordLockOp(of *openFile, cmd int, arg uint64) error {
	var fl flockRange
	if err := readStruct(t, arg, &fl); err != nil {
		return err
	}
	ofd := cmd == unix.F_OFD_GETLK || cmd == unix.F_OFD_SETLK || cmd == unix.F_OFD_SETLKW
	if ofd && fl.Pid != 0 {
		return unix.EINVAL
	}
	var owner any = t.proc
	pid := t.proc.pid
	if ofd {
		owner, pid = of, -1
	}
	var base int64
	switch fl.Whence {
	case unix.SEEK_SET:
	case unix.SEEK_CUR:
		of.mu.Lock()
		base = of.pos
		of.mu.Unlock()
	case unix.SEEK_END:
		st, err := of.inode.Stat()
		if err != nil {
			return err
		}
		base = st.Size
	default:
		return unix.EINVAL
	}
	start, end := base+fl.Start, int64(-1)
	switch {
	case fl.Len > 0:
		end = start + fl.Len - 1
	case fl.Len < 0:
		start, end = start+fl.Len, start-1
	}
	if start < 0 {
		return unix.EINVAL
	}
	write, unlock := false, false
	switch fl.Type {
	case unix.F_RDLCK:
		if cmd != unix.F_GETLK && cmd != unix.F_OFD_GETLK && accessMode(of) == unix.O_WRONLY {
			return unix.EBADF
		}
	case unix.F_WRLCK:
		write = true
		if cmd != unix.F_GETLK && cmd != unix.F_OFD_GETLK && accessMode(of) == unix.O_RDONLY {
			return unix.EBADF
		}
	case unix.F_UNLCK:
		unlock = true
	default:
		return unix.EINVAL
	}
	lt := &t.proc.k.locks
	if cmd == unix.F_GETLK || cmd == unix.F_OFD_GETLK {
		if unlock {
			return unix.EINVAL
		}
		lt.mu.Lock()
		r, found := lt.locksOf(of.inode).conflict(owner, write, start, end)
		lt.mu.Unlock()
		if !found {
			fl.Type = unix.F_UNLCK
		} else {
			fl.Type, fl.Whence, fl.Start, fl.Pid = unix.F_RDLCK, unix.SEEK_SET, r.start, int32(r.pid)
			if r.write {
				fl.Type = unix.F_WRLCK
			}
			fl.Len = 0
			if r.end >= 0 {
				fl.Len = r.end - r.start + 1
			}
		}
		return writeStruct(t, arg, &fl)
	}
	wait := cmd == unix.F_SETLKW || cmd == unix.F_OFD_SETLKW
	c := t.blocking()
	defer c.release()
	for {
		lt.mu.Lock()
		il := lt.locksOf(of.inode)
		if _, found := il.conflict(owner, write, start, end); !found || unlock {
			il.setRange(owner, pid, unlock, write, start, end)
			if ofd {
				of.lockedBy(lt)
			}
			lt.wakeLocked(of.inode, il)
			lt.mu.Unlock()
			return nil
		}
		ch := il.changed
		lt.mu.Unlock()
		if !wait {
			return unix.EAGAIN
		}
		if err := lt.wait(ch, c); err != nil {
			return t.interruptedErr(0, err)
		}
	}
}

func init() {
	register(unix.SYS_FLOCK, sysFlock)
}

func sysFlock(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		if isPath(of) {
			return 0, unix.EBADF
		}
		return 0, t.proc.k.locks.flock(t, of, int(a[1]))
	})
}
