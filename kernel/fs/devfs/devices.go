package devfs

import (
	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
	"quartz/lib/vmio"
)

// The memory devices (Linux's drivers/char/mem.c) are seekable: lseek
// succeeds and pread/pwrite work, the position meaning nothing.

// nullFile is /dev/null: reads end at once, writes vanish.
type nullFile struct{}

func (nullFile) Read(*vmio.Writer, int64, vfs.Canceler) (uint64, error) { return 0, nil }
func (nullFile) Write(src *vmio.Reader, _ int64, _ vfs.Canceler) (uint64, error) {
	return discard(src)
}
func (nullFile) Seekable() bool { return true }
func (nullFile) Release() error { return nil }

// discard consumes a write without reading it (Linux does not touch the
// buffer either: a bad pointer is no error).
func discard(src *vmio.Reader) (uint64, error) {
	n, _ := src.Skip(src.Remaining())
	return n, nil
}

// zeroFile is /dev/zero: reads give zeros, writes vanish.
type zeroFile struct{}

func (zeroFile) Read(dst *vmio.Writer, _ int64, _ vfs.Canceler) (uint64, error) {
	return zeros(dst)
}
func (zeroFile) Write(src *vmio.Reader, _ int64, _ vfs.Canceler) (uint64, error) {
	return discard(src)
}
func (zeroFile) Seekable() bool { return true }
func (zeroFile) Release() error { return nil }

// zeros fills dst; a fault stops it with the bytes done.
func zeros(dst *vmio.Writer) (uint64, error) {
	n, err := dst.FillZero(dst.Remaining())
	if err != nil && n > 0 {
		return n, nil
	}
	return n, err
}

// fullFile is /dev/full: reads give zeros, writes find the disk full.
type fullFile struct{}

func (fullFile) Read(dst *vmio.Writer, _ int64, _ vfs.Canceler) (uint64, error) {
	return zeros(dst)
}
func (fullFile) Write(*vmio.Reader, int64, vfs.Canceler) (uint64, error) { return 0, unix.ENOSPC }
func (fullFile) Seekable() bool                                          { return true }
func (fullFile) Release() error                                          { return nil }

// randomFile is /dev/random and /dev/urandom (the same since Linux 5.6,
// once the pool is initialized, which the host's is): reads give
// getrandom(2) bytes; writes are accepted and, as on Linux without
// privilege, add nothing countable.
type randomFile struct{}

// randomChunk is how much is drawn per getrandom call; a canceled read
// stops between chunks with what it has.
const randomChunk = 256

func (randomFile) Read(dst *vmio.Writer, _ int64, c vfs.Canceler) (uint64, error) {
	var buf [randomChunk]byte
	var done uint64
	for dst.Remaining() > 0 {
		if done > 0 && done%(64<<10) == 0 && canceled(c) {
			return done, nil
		}
		k := min(uint64(len(buf)), dst.Remaining())
		got, err := unix.Getrandom(buf[:k], 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			if done > 0 {
				return done, nil
			}
			return 0, err
		}
		n, err := dst.Write(buf[:got])
		done += uint64(n)
		if err != nil {
			if done > 0 {
				return done, nil
			}
			return 0, err
		}
	}
	return done, nil
}

func (randomFile) Write(src *vmio.Reader, _ int64, _ vfs.Canceler) (uint64, error) {
	return discard(src)
}
func (randomFile) Seekable() bool { return true }
func (randomFile) Release() error { return nil }

func canceled(c vfs.Canceler) bool {
	if c == nil {
		return false
	}
	select {
	case <-c.Done():
		return true
	default:
		return false
	}
}

// ttyFile is /dev/tty or /dev/console: the terminal, a stream.
type ttyFile struct{ term Console }

func (t *ttyFile) Read(dst *vmio.Writer, _ int64, c vfs.Canceler) (uint64, error) {
	return t.term.Read(dst, c)
}
func (t *ttyFile) Write(src *vmio.Reader, _ int64, _ vfs.Canceler) (uint64, error) {
	return t.term.Write(src)
}
func (t *ttyFile) Seekable() bool { return false }
func (t *ttyFile) Release() error { return nil }

// Console is the terminal the file is, for the caller's terminal ioctls
// (TCGETS, TIOCGWINSZ, TIOCGPGRP...).
func (t *ttyFile) Console() Console { return t.term }
