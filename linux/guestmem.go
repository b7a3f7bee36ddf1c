package linux

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Copies between the kernel and the calling thread's memory. A copy that
// cannot complete is EFAULT, as in Linux.

func (t *Thread) copyIn(addr uint64, b []byte) error {
	if _, err := t.proc.mm.CopyIn(addr, b); err != nil {
		return unix.EFAULT
	}
	return nil
}

func (t *Thread) copyOut(addr uint64, b []byte) error {
	if _, err := t.proc.mm.CopyOut(addr, b); err != nil {
		return unix.EFAULT
	}
	return nil
}

func (t *Thread) readUint32(addr uint64) (uint32, error) {
	var b [4]byte
	err := t.copyIn(addr, b[:])
	return binary.LittleEndian.Uint32(b[:]), err
}

func (t *Thread) readUint64(addr uint64) (uint64, error) {
	var b [8]byte
	err := t.copyIn(addr, b[:])
	return binary.LittleEndian.Uint64(b[:]), err
}

func (t *Thread) writeUint32(addr uint64, v uint32) error {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return t.copyOut(addr, b[:])
}

func (t *Thread) writeUint64(addr uint64, v uint64) error {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return t.copyOut(addr, b[:])
}

// readPath reads a path argument: EFAULT for a bad pointer, ENAMETOOLONG
// past PATH_MAX.
func (t *Thread) readPath(addr uint64) (string, error) {
	s, err := t.proc.mm.ReadString(addr, unix.PathMax)
	if err == unix.ENAMETOOLONG {
		return "", err
	}
	if err != nil {
		return "", unix.EFAULT
	}
	return s, nil
}

// readStruct and writeStruct copy a plain-data kernel struct (one whose
// Go layout is the ABI's, like unix.Stat_t) from or to guest memory.
func readStruct[T any](t *Thread, addr uint64, v *T) error {
	return t.copyIn(addr, unsafe.Slice((*byte)(unsafe.Pointer(v)), unsafe.Sizeof(*v)))
}

func writeStruct[T any](t *Thread, addr uint64, v *T) error {
	return t.copyOut(addr, unsafe.Slice((*byte)(unsafe.Pointer(v)), unsafe.Sizeof(*v)))
}
