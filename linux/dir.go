package linux

import (
	"encoding/binary"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

func init() {
	register(unix.SYS_GETDENTS64, sysGetdents64)
}

// dirCursor is where getdents64 is in a directory listing: "." and ".."
// first, then the file system's entries from a cookie. Entries read from
// the file system but not yet returned wait in pending.
type dirCursor struct {
	phase   int // 0: "." next; 1: ".." next; 2: entries after cookie
	cookie  int64
	pending []vfs.Dirent
}

// The d_off values of "." and ".."; file system cookies follow.
const (
	dotOff    = 1
	dotdotOff = 2
)

func (d *dirCursor) seek(pos int64) {
	d.pending = nil
	switch pos {
	case 0:
		d.phase, d.cookie = 0, 0
	case dotOff:
		d.phase, d.cookie = 1, 0
	case dotdotOff:
		d.phase, d.cookie = 2, 0
	default:
		d.phase, d.cookie = 2, pos
	}
}

// direntSize is the size of a linux_dirent64 record for a name: header
// (19 bytes), name, NUL, padded to 8.
func direntSize(name string) int { return (19 + len(name) + 1 + 7) &^ 7 }

func putDirent(b []byte, ino uint64, off int64, typ uint32, name string) int {
	n := direntSize(name)
	binary.LittleEndian.PutUint64(b[0:], ino)
	binary.LittleEndian.PutUint64(b[8:], uint64(off))
	binary.LittleEndian.PutUint16(b[16:], uint16(n))
	b[18] = byte(typ >> 12) // S_IFx >> 12 is DT_x
	copy(b[19:], name)
	clear(b[19+len(name) : n])
	return n
}

// getdents fills buf with entries; EINVAL when not even one fits.
func (of *openFile) getdents(buf []byte) (int, error) {
	dir, ok := of.inode.(vfs.Dir)
	if !ok || of.path.Mount == nil {
		return 0, unix.ENOTDIR
	}
	of.mu.Lock()
	defer of.mu.Unlock()
	d := &of.dir
	used := 0
	emit := func(ino uint64, off int64, typ uint32, name string) bool {
		if used+direntSize(name) > len(buf) {
			return false
		}
		used += putDirent(buf[used:], ino, off, typ, name)
		of.pos = off
		return true
	}
	for d.phase < 2 {
		name, in := ".", vfs.Inode(dir)
		if d.phase == 1 {
			name = ".."
			if parent := of.path.Dentry.Parent; parent != nil {
				in = parent.Inode
			}
		}
		st, _ := in.Stat()
		if !emit(st.Ino, int64(d.phase+1), unix.S_IFDIR, name) {
			return tooSmall(used)
		}
		d.phase++
	}
	for {
		if len(d.pending) == 0 {
			ents, err := dir.ReadDir(d.cookie)
			if err != nil {
				return used, doneOr(uint64(used), err)
			}
			if len(ents) == 0 {
				return used, nil
			}
			d.pending = ents
		}
		e := d.pending[0]
		if !emit(e.Ino, e.Next, e.Type, e.Name) {
			return tooSmall(used)
		}
		d.cookie = e.Next
		d.pending = d.pending[1:]
	}
}

func tooSmall(used int) (int, error) {
	if used == 0 {
		return 0, unix.EINVAL
	}
	return used, nil
}

func sysGetdents64(t *Thread, a sysArgs) (uint64, error) {
	return withFile(t, a[0], func(of *openFile) (uint64, error) {
		buf := make([]byte, min(a[2], 64<<10))
		n, err := of.getdents(buf)
		if err != nil {
			return 0, err
		}
		return uint64(n), t.copyOut(a[1], buf[:n])
	})
}
