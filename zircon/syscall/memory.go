package syscall

import (
	"encoding/binary"
	"sync"

	"quartz/lib/vmio"
	"quartz/zircon/object"
)

// Memory is the user address space a syscall's pointers point into: a
// process's kernel/mm Space, or a test's fake. Pin has lib/vmio's
// contract — fault the page in as a user access of that kind would, pin
// it, and return the kernel memory aliasing it — and refuses what the
// user may not touch.
type Memory interface {
	vmio.Memory
}

// reader and writer walk the caller's memory: the bytes a syscall takes
// and the bytes it gives back.
func (c *Context) reader(addr, n uint64) *vmio.Reader { return vmio.NewGuestReader(c.mem(), addr, n) }
func (c *Context) writer(addr, n uint64) *vmio.Writer { return vmio.NewGuestWriter(c.mem(), addr, n) }

// copyIn fills b from user memory at addr: INVALID_ARGS if any byte of it
// cannot be read (Zircon's user_copy status).
func (c *Context) copyIn(addr uint64, b []byte) object.Status {
	if len(b) == 0 {
		return object.OK
	}
	if n, err := c.reader(addr, uint64(len(b))).Read(b); err != nil || n != len(b) {
		return object.ErrInvalidArgs
	}
	return object.OK
}

// copyInPartial reads as much of b as user memory at addr allows and
// returns how much that was.
func (c *Context) copyInPartial(addr uint64, b []byte) int {
	if len(b) == 0 {
		return 0
	}
	n, _ := c.reader(addr, uint64(len(b))).Read(b)
	return n
}

// copyOut writes b to user memory at addr: INVALID_ARGS if any byte of it
// cannot be written.
func (c *Context) copyOut(addr uint64, b []byte) object.Status {
	if len(b) == 0 {
		return object.OK
	}
	if n, err := c.writer(addr, uint64(len(b))).Write(b); err != nil || n != len(b) {
		return object.ErrInvalidArgs
	}
	return object.OK
}

func (c *Context) readU32(addr uint64) (uint32, object.Status) {
	var b [4]byte
	st := c.copyIn(addr, b[:])
	return binary.LittleEndian.Uint32(b[:]), st
}

func (c *Context) readU64(addr uint64) (uint64, object.Status) {
	var b [8]byte
	st := c.copyIn(addr, b[:])
	return binary.LittleEndian.Uint64(b[:]), st
}

func (c *Context) putU32(addr uint64, v uint32) object.Status {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	return c.copyOut(addr, b[:])
}

func (c *Context) putU64(addr uint64, v uint64) object.Status {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], v)
	return c.copyOut(addr, b[:])
}

// putOptU32 and putOptU64 write an optional result: a 0 pointer means the
// caller does not want it.
func (c *Context) putOptU32(addr uint64, v uint32) object.Status {
	if addr == 0 {
		return object.OK
	}
	return c.putU32(addr, v)
}

func (c *Context) putOptU64(addr uint64, v uint64) object.Status {
	if addr == 0 {
		return object.OK
	}
	return c.putU64(addr, v)
}

// readString reads a name argument (process_create, thread_create): at
// most MaxNameLen-1 bytes, cut at a NUL as the C string would be.
func (c *Context) readString(addr, n uint64) (string, object.Status) {
	var b [object.MaxNameLen - 1]byte
	n = min(n, uint64(len(b)))
	if st := c.copyIn(addr, b[:n]); st != object.OK {
		return "", st
	}
	s := b[:n]
	for i, ch := range s {
		if ch == 0 {
			s = s[:i]
			break
		}
	}
	return string(s), object.OK
}

// Scratch buffers carry data between user memory and the object calls
// that take Go slices (channel messages, socket and FIFO data). They are
// recycled: a syscall takes one and gives it back when done.
const (
	scratchSmall = 4 << 10
	scratchLarge = 320 << 10 // more than a socket's buffer
)

var scratchPools = [2]sync.Pool{
	{New: func() any { b := make([]byte, scratchSmall); return &b }},
	{New: func() any { b := make([]byte, scratchLarge); return &b }},
}

// scratchBuf is a buffer taken from the pools; release gives it back (the
// zero scratchBuf releases nothing).
type scratchBuf struct {
	p     *[]byte
	class int
}

func (s scratchBuf) release() {
	if s.p != nil {
		scratchPools[s.class].Put(s.p)
	}
}

// scratch returns a buffer of n bytes (n <= scratchLarge), its content not
// cleared, and the handle to release it by.
func scratch(n uint64) ([]byte, scratchBuf) {
	s := scratchBuf{}
	if n > scratchSmall {
		s.class = 1
	}
	s.p = scratchPools[s.class].Get().(*[]byte)
	return (*s.p)[:n], s
}

// Byte sizes of the records syscalls exchange with user memory.
const (
	handleSize    = 4
	waitItemSize  = 12 // zx_wait_item_t
	iovecSize     = 16 // zx_channel_iovec_t
	callArgsSize  = 48 // zx_channel_call_args_t, zx_channel_call_etc_args_t
	maxIOVecs     = 8192
	cprngDrawMax  = 256 // ZX_CPRNG_DRAW_MAX_LEN
	cprngEntropy  = 256 // ZX_CPRNG_ADD_ENTROPY_MAX_LEN
	futexWordSize = 4
)

// decodeHandles reads handle values from b (4 bytes each).
func decodeHandles(b []byte, out []object.HandleValue) []object.HandleValue {
	for i := 0; i+handleSize <= len(b); i += handleSize {
		out = append(out, object.HandleValue(binary.LittleEndian.Uint32(b[i:])))
	}
	return out
}
