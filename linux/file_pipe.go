package linux

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"

	"quartz/kernel/pipe"
	"quartz/kernel/poll"
	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_PIPE, sysPipe)
	register(unix.SYS_PIPE2, sysPipe2)
}

// pipeFile is an end of a pipe or FIFO as a Linux file: the kernel/pipe
// end, with readiness for poll and FIONREAD.
type pipeFile struct {
	*pipe.End
}

func (f pipeFile) pollee() *poll.Pollee   { return f.End.Pollee() }
func (f pipeFile) readiness() poll.Events { return f.End.Readiness() }

func (f pipeFile) ioctl(t *Thread, req, arg uint64) (uint64, error) {
	if req == fionread {
		return 0, t.writeUint32(arg, uint32(f.Pipe().Buffered()))
	}
	return 0, unix.ENOTTY
}

// anonInode is the inode of a file that has no name: pipes, eventfds,
// epoll instances. fstat shows its type and a number unique to it.
type anonInode struct {
	mode  uint32
	ino   uint64
	ctime time.Time
	// reopen, if set, opens the object again (open of /proc/pid/fd/N).
	reopen func(flags int) (vfs.File, error)
}

// anonOpener is an anonymous inode that can be opened again.
type anonOpener struct{ *anonInode }

func (a anonOpener) Open(flags int) (vfs.File, error) { return a.reopen(flags) }

// anonDev is the device of anonymous inodes (Linux's pipefs and
// anon_inodefs sit on unnamed devices 0:N).
const anonDev = 0xc

var lastAnonIno atomic.Uint64

func newAnonInode(mode uint32) *anonInode {
	return &anonInode{mode: mode, ino: lastAnonIno.Add(1) + 1000, ctime: time.Now()}
}

func (a *anonInode) Stat() (vfs.Stat, error) {
	return vfs.Stat{
		Dev: anonDev, Ino: a.ino, Mode: a.mode, Nlink: 1, UID: uint32(unix.Getuid()), GID: uint32(unix.Getgid()),
		Blksize: 4096, Atime: a.ctime, Mtime: a.ctime, Ctime: a.ctime,
	}, nil
}

func (a *anonInode) SetAttr(vfs.Attr) error { return unix.EPERM }

func sysPipe(t *Thread, a sysArgs) (uint64, error) { return sysPipe2(t, sysArgs{a[0], 0}) }

func sysPipe2(t *Thread, a sysArgs) (uint64, error) {
	flags := int(a[1])
	if flags&^(unix.O_CLOEXEC|unix.O_NONBLOCK|unix.O_DIRECT|oNotificationPipe) != 0 {
		return 0, unix.EINVAL
	}
	inode := newAnonInode(unix.S_IFIFO | 0o600)
	name := fmt.Sprintf("pipe:[%d]", inode.ino)
	status := flags & (unix.O_NONBLOCK | unix.O_DIRECT)
	rof := newOpenFile(nil, inode, unix.O_RDONLY|status)
	wof := newOpenFile(nil, inode, unix.O_WRONLY|status)
	pp := pipe.New()
	r, w := pp.Ends(rof.nonblocking, wof.nonblocking)
	inode.reopen = func(flags int) (vfs.File, error) {
		acc := flags & unix.O_ACCMODE
		end, err := pp.Open(acc != unix.O_WRONLY, acc != unix.O_RDONLY, nil, nil)
		if err != nil {
			return nil, err
		}
		return pipeFile{end}, nil
	}
	rof.inode, wof.inode = anonOpener{inode}, anonOpener{inode}
	rof.File, wof.File = pipeFile{r}, pipeFile{w}
	rof.name, wof.name = name, name
	cloexec := flags&unix.O_CLOEXEC != 0
	rfd, err := t.proc.fds.install(rof, cloexec, 0)
	if err != nil {
		rof.put()
		wof.put()
		return 0, err
	}
	wfd, err := t.proc.fds.install(wof, cloexec, 0)
	if err != nil {
		t.proc.fds.close(uint64(rfd))
		wof.put()
		return 0, err
	}
	fds := [2]int32{int32(rfd), int32(wfd)}
	if err := writeStruct(t, a[0], &fds); err != nil {
		t.proc.fds.close(uint64(rfd))
		t.proc.fds.close(uint64(wfd))
		return 0, err
	}
	return 0, nil
}

// fifos gives every FIFO inode its one pipe while it is open anywhere.
type fifoTable struct {
	mu    sync.Mutex
	pipes map[vfs.Inode]*fifoEntry
}

type fifoEntry struct {
	p    *pipe.Pipe
	open int
}

// openFIFO opens the FIFO at inode for flags' access mode.
func (t *Thread) openFIFO(inode vfs.Inode, flags int) (*openFile, error) {
	k := t.proc.k
	k.fifos.mu.Lock()
	if k.fifos.pipes == nil {
		k.fifos.pipes = make(map[vfs.Inode]*fifoEntry)
	}
	e := k.fifos.pipes[inode]
	if e == nil {
		e = &fifoEntry{p: pipe.NewFIFO()}
		k.fifos.pipes[inode] = e
	}
	e.open++
	k.fifos.mu.Unlock()

	of := newOpenFile(nil, inode, flags&^unix.O_CLOEXEC)
	mode := flags & unix.O_ACCMODE
	c := t.blocking()
	end, err := e.p.Open(mode != unix.O_WRONLY, mode != unix.O_RDONLY, of.nonblocking, c)
	c.release()
	if err != nil {
		k.fifos.drop(inode, e)
		return nil, t.interruptedErr(0, err)
	}
	of.File = &fifoFile{pipeFile: pipeFile{end}, table: &k.fifos, inode: inode, entry: e}
	return of, nil
}

func (ft *fifoTable) drop(inode vfs.Inode, e *fifoEntry) {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if e.open--; e.open == 0 && ft.pipes[inode] == e {
		delete(ft.pipes, inode) // the data of a FIFO nobody has open is gone
	}
}

// fifoFile is an open FIFO: closing the last one forgets its pipe.
type fifoFile struct {
	pipeFile
	table *fifoTable
	inode vfs.Inode
	entry *fifoEntry
}

func (f *fifoFile) Release() error {
	err := f.End.Release()
	f.table.drop(f.inode, f.entry)
	return err
}

func (f pipeFile) pipeOf() pipeFile { return f }
