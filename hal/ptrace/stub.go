package ptrace

import (
	"encoding/binary"
	"fmt"
	"sync"

	"golang.org/x/sys/unix"
)

// The stub image occupies one page at stubBase. Guests may use every
// address below it; hal.AddressSpace.Limit reports stubBase.
const (
	stubBase = 0x7ffffff00000
	stubSize = 0x1000

	ehdrSize   = 64
	phdrSize   = 56
	codeOffset = 128
)

// Offsets of the instruction sequences inside the code.
const (
	parkOffset    = 0  // mov eax, SYS_pause; syscall; jmp park
	syscallOffset = 9  // syscall; int3
	cloneOffset   = 12 // syscall; test rax, rax; jz park; int3
)

var stubCode = []byte{
	// park: threads that belong to nobody yet wait here in pause(2).
	0xb8, byte(unix.SYS_PAUSE), 0x00, 0x00, 0x00, // mov eax, SYS_pause
	0x0f, 0x05, // syscall
	0xeb, 0xf7, // jmp park
	// syscall site: the injected call runs, then int3 stops the thread.
	0x0f, 0x05, // syscall
	0xcc, // int3
	// clone site: the new thread (rax == 0) parks; the caller stops.
	0x0f, 0x05, // syscall
	0x48, 0x85, 0xc0, // test rax, rax
	0x74, 0xed, // jz park
	0xcc, // int3
}

// Addresses of the sites in every stub process.
const (
	parkAddr    = stubBase + codeOffset + parkOffset
	syscallAddr = stubBase + codeOffset + syscallOffset
	cloneAddr   = stubBase + codeOffset + cloneOffset
)

// stubELF returns a minimal static ELF executable: one PT_LOAD segment,
// read and execute, mapping the stub code at stubBase, entering the park
// loop.
func stubELF() []byte {
	img := make([]byte, codeOffset+len(stubCode))
	le := binary.LittleEndian
	copy(img, []byte{0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LE */, 1 /* version */})
	le.PutUint16(img[16:], 2)  // ET_EXEC
	le.PutUint16(img[18:], 62) // EM_X86_64
	le.PutUint32(img[20:], 1)  // EV_CURRENT
	le.PutUint64(img[24:], parkAddr)
	le.PutUint64(img[32:], ehdrSize) // e_phoff
	le.PutUint16(img[52:], ehdrSize)
	le.PutUint16(img[54:], phdrSize)
	le.PutUint16(img[56:], 1) // e_phnum
	ph := img[ehdrSize:]
	le.PutUint32(ph[0:], 1)   // PT_LOAD
	le.PutUint32(ph[4:], 4|1) // PF_R | PF_X
	le.PutUint64(ph[8:], 0)   // p_offset
	le.PutUint64(ph[16:], stubBase)
	le.PutUint64(ph[24:], stubBase)
	le.PutUint64(ph[32:], uint64(len(img)))
	le.PutUint64(ph[40:], uint64(len(img)))
	le.PutUint64(ph[48:], stubSize)
	copy(img[codeOffset:], stubCode)
	return img
}

var (
	stubOnce sync.Once
	stubFD   int
	stubErr  error
)

// stubExecutable returns a memfd holding the stub image, made once per
// Quartz process. It is a memfd so that nothing is left on disk.
func stubExecutable() (int, error) {
	stubOnce.Do(func() {
		fd, err := unix.MemfdCreate("quartz-stub", unix.MFD_CLOEXEC)
		if err != nil {
			stubErr = fmt.Errorf("ptrace: memfd for stub: %w", err)
			return
		}
		img := stubELF()
		if n, err := unix.Write(fd, img); err != nil || n != len(img) {
			unix.Close(fd)
			stubErr = fmt.Errorf("ptrace: writing stub image: %v", err)
			return
		}
		stubFD = fd
	})
	return stubFD, stubErr
}
