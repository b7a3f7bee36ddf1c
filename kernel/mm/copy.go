package mm

import (
	"golang.org/x/sys/unix"
)

// access walks guest memory [addr, addr+n) page by page, handing each
// piece's RAM to fn. It stops at the first page the access may not touch
// and returns the bytes done with EFAULT, like a user copy in Linux.
func (m *MM) access(addr uint64, n int, write, force bool, fn func(ram []byte, done int)) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	done := 0
	for done < n {
		a := addr + uint64(done)
		if a < addr {
			return done, unix.EFAULT
		}
		frame, err := m.pageFor(a, write, force)
		if err != nil {
			return done, err
		}
		off := a & pageMask
		chunk := min(uint64(n-done), pageSize-off)
		fn(m.frames.Memory().Slice(frame+off, chunk), done)
		done += int(chunk)
	}
	return done, nil
}

// CopyIn reads guest memory at addr into dst.
func (m *MM) CopyIn(addr uint64, dst []byte) (int, error) {
	return m.access(addr, len(dst), false, false, func(ram []byte, done int) { copy(dst[done:], ram) })
}

// CopyOut writes src to guest memory at addr.
func (m *MM) CopyOut(addr uint64, src []byte) (int, error) {
	return m.access(addr, len(src), true, false, func(ram []byte, done int) { copy(ram, src[done:]) })
}

// Poke writes src at addr regardless of the area's permissions, for the
// program loader (zeroing the tail of a read-only segment's last page).
func (m *MM) Poke(addr uint64, src []byte) error {
	_, err := m.access(addr, len(src), true, true, func(ram []byte, done int) { copy(ram, src[done:]) })
	return err
}

// ReadString reads a NUL-terminated string of at most max bytes. A string
// without a NUL within max bytes fails with ENAMETOOLONG.
func (m *MM) ReadString(addr uint64, max int) (string, error) {
	var buf []byte
	found := false
	_, err := m.access(addr, max, false, false, func(ram []byte, done int) {
		if found {
			return
		}
		for i, c := range ram {
			if c == 0 {
				found = true
				buf = append(buf, ram[:i]...)
				return
			}
		}
		buf = append(buf, ram...)
	})
	if found {
		return string(buf), nil
	}
	if err != nil {
		return "", err
	}
	return "", unix.ENAMETOOLONG
}

// Frame returns the RAM offset of the byte at addr, committing its page,
// for atomic operations on guest words (futexes). write asks for a
// writable page.
func (m *MM) Frame(addr uint64, write bool) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	frame, err := m.pageFor(addr, write, false)
	if err != nil {
		return 0, err
	}
	return frame + addr&pageMask, nil
}
