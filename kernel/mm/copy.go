package mm

import (
	"golang.org/x/sys/unix"
)

// Pin returns kernel memory aliasing guest [addr, addr+n), cut at the page
// boundary, with a release function: the frame stays allocated until
// release even if the guest unmaps it meanwhile. The page is faulted in
// as a guest access of the same kind would fault it in; an access the
// guest could not make is EFAULT. Pin implements vmio.Memory.
func (m *MM) Pin(addr, n uint64, write bool) ([]byte, func(), error) {
	return m.space.pin(addr, n, write, false)
}

// access walks guest memory [addr, addr+n) page by page, handing each
// piece to fn. It stops at the first page the access may not touch and
// returns the bytes done with EFAULT, like a user copy in Linux.
func (m *MM) access(addr uint64, n int, write, force bool, fn func(ram []byte, done int)) (int, error) {
	done := 0
	for done < n {
		a := addr + uint64(done)
		if a < addr {
			return done, unix.EFAULT
		}
		b, release, err := m.space.pin(a, uint64(n-done), write, force)
		if err != nil {
			return done, err
		}
		fn(b, done)
		release()
		done += len(b)
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
	for len(buf) < max {
		a := addr + uint64(len(buf))
		if a < addr {
			return "", unix.EFAULT
		}
		b, release, err := m.space.pin(a, uint64(max-len(buf)), false, false)
		if err != nil {
			return "", err
		}
		for i, c := range b {
			if c == 0 {
				buf = append(buf, b[:i]...)
				release()
				return string(buf), nil
			}
		}
		buf = append(buf, b...)
		release()
	}
	return "", unix.ENAMETOOLONG
}

// FutexKey identifies the futex word at addr: by address in this address
// space for private memory, by object and offset for shared memory, so
// that processes sharing memory meet on the same key (Linux's
// get_futex_key).
type FutexKey struct {
	Object any
	Offset uint64
}

// FutexKey returns the key of the 4-byte aligned word at addr, and the
// word itself pinned for an atomic load (release it when done).
func (m *MM) FutexKey(addr uint64, private bool) (FutexKey, []byte, func(), error) {
	if addr&3 != 0 {
		return FutexKey{}, nil, nil, unix.EINVAL
	}
	b, release, obj, off, err := m.space.pinKey(addr)
	if err != nil {
		return FutexKey{}, nil, nil, err
	}
	if private || obj == nil {
		return FutexKey{Object: m, Offset: addr}, b[:4], release, nil
	}
	return FutexKey{Object: obj, Offset: off}, b[:4], release, nil
}
