package hostfs

import (
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// file is a host regular file.
type file struct{ node }

// cache returns the file's page cache, making it (or finding the one a
// previous inode of the same host file left alive) on first use. The
// inode holds a reference to it from then on.
func (f *file) cache() (*pageCache, error) {
	defer runtime.KeepAlive(f)
	r := f.res
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, unix.EBADF
	}
	if r.pc == nil {
		pc, err := f.fs.pageCacheFor(f.key, f.fd)
		if err != nil {
			return nil, err
		}
		r.pc = pc
	}
	return r.pc, nil
}

// VMO is the file's page cache, for mmap; nil if it cannot be made (the
// file is larger than mm.MaxVMOSize, or the file system is closed).
func (f *file) VMO() *mm.VMO {
	pc, err := f.cache()
	if err != nil {
		return nil
	}
	return pc.vmo
}

// Sync writes the pages of the page cache back to the host file (for
// writes made through shared mappings); see pageCache.sync.
func (f *file) Sync() error {
	pc, err := f.cache()
	if err != nil {
		return err
	}
	return pc.sync()
}

func (f *file) SetAttr(a vfs.Attr) error {
	if f.fs.readOnly {
		return unix.EROFS
	}
	if a.Size != nil {
		pc, err := f.cache()
		if err != nil {
			return err
		}
		err = pc.truncate(*a.Size, f.fd)
		runtime.KeepAlive(f)
		if err != nil {
			return err
		}
	}
	return f.setAttr(a)
}

// Open opens the file for reading and/or writing through its page cache.
// O_TRUNC truncates the host file and the cache (with O_RDONLY too, as
// Linux does). Appending is the caller's: it passes the offset.
func (f *file) Open(flags int) (vfs.File, error) {
	defer runtime.KeepAlive(f)
	acc := flags & unix.O_ACCMODE
	write := acc == unix.O_WRONLY || acc == unix.O_RDWR
	if f.fs.readOnly && (write || flags&unix.O_TRUNC != 0) {
		return nil, unix.EROFS
	}
	pc, err := f.cache()
	if err != nil {
		return nil, err
	}
	if write || flags&unix.O_TRUNC != 0 {
		if err := pc.openWriter(f.fd); err != nil {
			return nil, err
		}
	}
	if flags&unix.O_TRUNC != 0 {
		if err := pc.truncate(0, f.fd); err != nil {
			return nil, err
		}
	} else if err := pc.refreshSize(f.fd); err != nil {
		return nil, err
	}
	pc.vmo.Ref()
	return &openFile{f: f, pc: pc, write: write}, nil
}

// openFile is an open host regular file: a reference to the page cache.
type openFile struct {
	f        *file // keeps the inode (and so its identity) alive while open
	pc       *pageCache
	write    bool
	released atomic.Bool
}

func (o *openFile) Seekable() bool { return true }

func (o *openFile) Release() error {
	if o.released.CompareAndSwap(false, true) {
		o.pc.vmo.Unref()
	}
	return nil
}

// Sync writes the page cache back to the host (fsync, msync).
func (o *openFile) Sync() error { return o.pc.sync() }

func (o *openFile) Read(dst *vmio.Writer, off int64, _ vfs.Canceler) (uint64, error) {
	if off < 0 {
		return 0, unix.EINVAL
	}
	return o.pc.read(dst, off)
}

func (o *openFile) Write(src *vmio.Reader, off int64, _ vfs.Canceler) (uint64, error) {
	if !o.write {
		return 0, unix.EBADF
	}
	return o.pc.write(src, off)
}

// pageCache is the page cache of one host file: a paged VMO whose pager
// reads the host file. The VMO's references are held by inodes, open
// files and mappings; when the last goes, the VMO is destroyed and Close
// (as its pager) releases the host descriptors.
type pageCache struct {
	fs  *FS
	key fileKey
	vmo *mm.VMO

	// mu orders writes, truncations and write-backs (exclusive) against
	// reads (shared). Lock order: mu, then the VMO's lock.
	mu sync.RWMutex
	// size is the file size. It changes under mu; the pager reads it
	// under the VMO's lock, where mu cannot be taken.
	size atomic.Int64

	rfd int          // read-only host descriptor for paging in; -1 if unreadable
	wfd atomic.Int64 // write-only host descriptor, -1 until opened for writing

	// paged has a bit for every page the pager supplied: every page the
	// VMO commits goes through the pager first, so it covers them all.
	// Guarded by pagedMu, which is taken under the VMO's lock.
	pagedMu sync.Mutex
	paged   []uint64

	dead atomic.Bool // the VMO is destroyed
}

// pageCacheFor returns, with a reference, the live page cache of the host
// file key, or a new one for the host object fd (O_PATH).
func (fs *FS) pageCacheFor(key fileKey, fd int) (*pageCache, error) {
	fs.pcMu.Lock()
	defer fs.pcMu.Unlock()
	if pc := fs.caches[key]; pc != nil {
		// The reference holds the VMO alive unless it was already
		// destroyed (its pager closed): a reference to a destroyed VMO
		// is harmless, and a new cache replaces it.
		pc.vmo.Ref()
		if !pc.dead.Load() {
			return pc, nil
		}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if uint64(st.Size) > mm.MaxVMOSize {
		return nil, unix.EFBIG
	}
	rfd, err := unix.Open(procPath(fd), unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		rfd = -1 // a write-only file: pages beyond the end still work
	}
	pc := &pageCache{fs: fs, key: key, rfd: rfd}
	pc.wfd.Store(-1)
	pc.size.Store(st.Size)
	vmo, err := mm.NewPagedVMO(fs.frames, uint64(st.Size), pc)
	if err != nil {
		if rfd >= 0 {
			unix.Close(rfd)
		}
		return nil, err
	}
	pc.vmo = vmo
	fs.caches[key] = pc
	return pc, nil
}

// forget removes a destroyed cache from the file system's table.
func (fs *FS) forget(pc *pageCache) {
	fs.pcMu.Lock()
	if fs.caches[pc.key] == pc {
		delete(fs.caches, pc.key)
	}
	fs.pcMu.Unlock()
}

// ReadPage is the pager: page idx from the host file, zeros beyond the
// file size. Called with the VMO's lock held.
func (pc *pageCache) ReadPage(idx uint64, dst []byte) error {
	pc.pagedMu.Lock()
	if w := idx / 64; w >= uint64(len(pc.paged)) {
		pc.paged = append(pc.paged, make([]uint64, w+1-uint64(len(pc.paged)))...)
	}
	pc.paged[idx/64] |= 1 << (idx % 64)
	pc.pagedMu.Unlock()

	off := int64(idx * hal.PageSize)
	size := pc.size.Load()
	if off >= size {
		clear(dst)
		return nil
	}
	if pc.rfd < 0 {
		return unix.EIO
	}
	want := dst[:min(int64(len(dst)), size-off)]
	got := 0
	for got < len(want) {
		n, err := unix.Pread(pc.rfd, want[got:], off+int64(got))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		if n == 0 {
			break // the host file is shorter than it was: zeros
		}
		got += n
	}
	clear(dst[got:])
	return nil
}

// Close runs when the VMO is destroyed (its last reference went): nobody
// can use the cache any more.
func (pc *pageCache) Close() error {
	pc.dead.Store(true)
	if pc.rfd >= 0 {
		unix.Close(pc.rfd)
	}
	if w := pc.wfd.Swap(-1); w >= 0 {
		unix.Close(int(w))
	}
	// The VMO's lock is held here; the table is changed outside it.
	go pc.fs.forget(pc)
	return nil
}

// openWriter makes sure the cache has a host descriptor to write with,
// opening the host object fd (O_PATH) for writing: the host's permission
// check happens here.
func (pc *pageCache) openWriter(fd int) error {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.wfd.Load() >= 0 {
		return nil
	}
	w, err := unix.Open(procPath(fd), unix.O_WRONLY|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return err
	}
	pc.wfd.Store(int64(w))
	return nil
}

// refreshSize adopts the host file's size when it changed behind our back
// (another host process wrote it); fd is the host object (O_PATH).
func (pc *pageCache) refreshSize(fd int) error {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	old := pc.size.Load()
	if st.Size == old || uint64(st.Size) > mm.MaxVMOSize {
		return nil
	}
	if st.Size < old {
		return pc.resizeLocked(st.Size)
	}
	if need := pageUp(uint64(st.Size)); need > pc.vmo.Size() {
		if err := pc.vmo.SetSize(need); err != nil {
			return err
		}
	}
	pc.size.Store(st.Size)
	if uint64(old)%hal.PageSize != 0 {
		// The cached last page has zeros where the host now has data:
		// it is read again.
		from := uint64(old) &^ (hal.PageSize - 1)
		pc.vmo.Decommit(from, hal.PageSize)
	}
	return nil
}

func pageUp(n uint64) uint64 { return (n + hal.PageSize - 1) &^ (hal.PageSize - 1) }

// read copies the file's bytes from off, up to its size, into dst.
func (pc *pageCache) read(dst *vmio.Writer, off int64) (uint64, error) {
	pc.mu.RLock()
	defer pc.mu.RUnlock()
	size := pc.size.Load()
	if off >= size {
		return 0, nil
	}
	return pc.vmo.Read(dst, uint64(off), uint64(size-off), 0)
}

// write copies src into the cache at off, growing the file, and writes
// the same pages through to the host, so that host and cache agree.
func (pc *pageCache) write(src *vmio.Reader, off int64) (uint64, error) {
	n := src.Remaining()
	if n == 0 {
		return 0, nil
	}
	if off < 0 {
		return 0, unix.EINVAL
	}
	end := uint64(off) + n
	if end < uint64(off) || end > mm.MaxVMOSize {
		return 0, unix.EFBIG
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	wfd := pc.wfd.Load()
	if wfd < 0 {
		return 0, unix.EBADF
	}
	size := pc.size.Load()
	if pageUp(end) > pc.vmo.Size() {
		if err := pc.vmo.SetSize(pageUp(end)); err != nil {
			return 0, unix.ENOSPC
		}
	}
	if off > size {
		pc.zeroTail(size)
	}
	// Bring every page in before writing it: mm's writable() on a page
	// of a paged root VMO not yet cached commits a second frame over the
	// one the pager filled, leaking it. A page already cached is
	// written in place. Pages beyond the end come as zeros, no I/O.
	first, last := uint64(off)/hal.PageSize, (end-1)/hal.PageSize
	for i := first; i <= last; i++ {
		fr, err := pc.vmo.PinPage(i, false, 0)
		if err != nil {
			pc.shrinkVMO(size)
			return 0, err
		}
		fr.Drop()
	}
	done, err := pc.vmo.Write(src, uint64(off), n, 0)
	if done > 0 {
		put, herr := pc.writeBack(int(wfd), off, done)
		if put < done {
			// The host took less (disk full, quota, I/O error): the
			// cache must not keep bytes the host does not have. The
			// pages from the first one it did not take are read from
			// the host again.
			from := (uint64(off) + put) &^ (hal.PageSize - 1)
			if to := min(pageUp(uint64(off)+done), pc.vmo.Size()); to > from {
				pc.vmo.Decommit(from, to-from)
			}
			done, err = put, herr
		}
	}
	if e := off + int64(done); done > 0 && e > size {
		size = e
		pc.size.Store(size)
	}
	pc.shrinkVMO(size)
	if done > 0 {
		return done, nil
	}
	return 0, err
}

// shrinkVMO gives back VMO room beyond a size that did not grow after
// all. mu is held.
func (pc *pageCache) shrinkVMO(size int64) {
	if need := pageUp(uint64(size)); pc.vmo.Size() > need {
		pc.vmo.SetSize(need)
	}
}

// zeroTail clears the cached bytes after the end of the file in its last
// page (a shared mapping may have written there) before the file grows
// over them: they must read as zeros, as on the host. mu is held.
func (pc *pageCache) zeroTail(size int64) {
	if rem := uint64(size) % hal.PageSize; rem != 0 {
		pc.vmo.Zero(uint64(size), hal.PageSize-rem, 0)
	}
}

// writeBatch is the most pages one pwritev of a write-back covers.
const writeBatch = 64

// writeBack writes [off, off+n) of the cache to the host file with
// pwritev straight from the cache's pages. It returns the bytes the host
// took. mu is held.
func (pc *pageCache) writeBack(wfd int, off int64, n uint64) (uint64, error) {
	var frames [writeBatch]mm.Frame
	var iov [writeBatch][]byte
	var done uint64
	for done < n {
		// Pin a batch of pages.
		k := 0
		var batch uint64
		for k < writeBatch && done+batch < n {
			a := uint64(off) + done + batch
			fr, err := pc.vmo.PinPage(a/hal.PageSize, false, 0)
			if err != nil {
				for _, f := range frames[:k] {
					f.Drop()
				}
				return done, err
			}
			b := fr.Bytes()[a%hal.PageSize:]
			b = b[:min(uint64(len(b)), n-done-batch)]
			frames[k], iov[k] = fr, b
			batch += uint64(len(b))
			k++
		}
		// Write it, all of it unless the host refuses.
		var werr error
		var put uint64
		for put < batch {
			m, err := pwritevFrom(wfd, iov[:k], put, off+int64(done+put))
			if err != nil {
				werr = err
				break
			}
			if m == 0 {
				werr = unix.EIO
				break
			}
			put += uint64(m)
		}
		for i := range frames[:k] {
			frames[i].Drop()
			iov[i] = nil
		}
		done += put
		if werr != nil {
			return done, werr
		}
	}
	return done, nil
}

// pwritevFrom writes the pieces of iov from byte skip on at off.
func pwritevFrom(fd int, iov [][]byte, skip uint64, off int64) (int, error) {
	for len(iov) > 0 && skip >= uint64(len(iov[0])) {
		skip -= uint64(len(iov[0]))
		iov = iov[1:]
	}
	if len(iov) == 0 {
		return 0, nil
	}
	first := iov[0]
	iov[0] = first[skip:]
	defer func() { iov[0] = first }()
	for {
		n, err := unix.Pwritev(fd, iov, off)
		if err != unix.EINTR {
			return n, err
		}
	}
}

// truncate sets the size of the host file and of the cache. fd is the
// host object (O_PATH), for truncating when the cache has no writer.
func (pc *pageCache) truncate(size int64, fd int) error {
	if size < 0 {
		return unix.EINVAL
	}
	if uint64(size) > mm.MaxVMOSize {
		return unix.EFBIG
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	var err error
	if w := pc.wfd.Load(); w >= 0 {
		err = unix.Ftruncate(int(w), size)
	} else {
		err = unix.Truncate(procPath(fd), size)
	}
	if err != nil {
		return err
	}
	return pc.resizeLocked(size)
}

// resizeLocked sets the cache's size to the host file's new size: bytes
// past a shrunk end go, and read as zeros if it grows again. mu is held.
func (pc *pageCache) resizeLocked(size int64) error {
	old := pc.size.Load()
	if size < old {
		pc.size.Store(size) // the pager supplies zeros from here on
		if rem := uint64(size) % hal.PageSize; rem != 0 {
			pc.vmo.Zero(uint64(size), hal.PageSize-rem, 0)
		}
		if err := pc.vmo.SetSize(pageUp(uint64(size))); err != nil {
			return err
		}
		pc.pagedMu.Lock()
		pages := pageUp(uint64(size)) / hal.PageSize
		for i := range pc.paged {
			lo := uint64(i) * 64
			switch {
			case lo >= pages:
				pc.paged[i] = 0
			case lo+64 > pages:
				pc.paged[i] &= 1<<(pages-lo) - 1
			}
		}
		pc.pagedMu.Unlock()
		return nil
	}
	pc.zeroTail(old)
	if need := pageUp(uint64(size)); need > pc.vmo.Size() {
		if err := pc.vmo.SetSize(need); err != nil {
			return err
		}
	}
	pc.size.Store(size)
	return nil
}

// sync writes back every page the cache holds below the file size. There
// is no dirty tracking: each such page is written, changed or not. Without
// a writer (never opened for writing) nothing can have changed it
// legitimately, and there is nothing to do. The host file is not fsynced:
// the data is in the host's page cache, which outlives Quartz.
func (pc *pageCache) sync() error {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	wfd := pc.wfd.Load()
	if wfd < 0 {
		return nil
	}
	size := uint64(pc.size.Load())
	pages := pageUp(size) / hal.PageSize
	pc.pagedMu.Lock()
	paged := append([]uint64(nil), pc.paged...)
	pc.pagedMu.Unlock()
	has := func(i uint64) bool { return i/64 < uint64(len(paged)) && paged[i/64]&(1<<(i%64)) != 0 }
	for i := uint64(0); i < pages; {
		if !has(i) {
			i++
			continue
		}
		j := i
		for j < pages && has(j) {
			j++
		}
		from, to := i*hal.PageSize, min(j*hal.PageSize, size)
		if _, err := pc.writeBack(int(wfd), int64(from), to-from); err != nil {
			return err
		}
		i = j
	}
	return nil
}

var (
	_ vfs.Opener   = (*file)(nil)
	_ vfs.Mappable = (*file)(nil)
	_ mm.Pager     = (*pageCache)(nil)
)

// Sync writes back every page cache of the file system (sync, syncfs):
// what shared mappings wrote into cached pages reaches the host.
func (fs *FS) Sync() error {
	fs.pcMu.Lock()
	caches := make([]*pageCache, 0, len(fs.caches))
	for _, pc := range fs.caches {
		caches = append(caches, pc)
	}
	fs.pcMu.Unlock()
	var first error
	for _, pc := range caches {
		if err := pc.sync(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// DropCaches frees the cached pages of files nobody maps or has open
// for writing: they are clean (writes go through to the host), and are
// read from the host again when needed. It is Linux's drop_caches.
func (fs *FS) DropCaches() {
	fs.pcMu.Lock()
	caches := make([]*pageCache, 0, len(fs.caches))
	for _, pc := range fs.caches {
		caches = append(caches, pc)
	}
	fs.pcMu.Unlock()
	for _, pc := range caches {
		if pc.dead.Load() || pc.wfd.Load() >= 0 || pc.vmo.Holders() > 1 {
			continue
		}
		pc.vmo.Decommit(0, pc.vmo.Size())
	}
}
