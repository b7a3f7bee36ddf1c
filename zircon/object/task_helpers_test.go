package object

import (
	"encoding/binary"
	"testing"

	"quartz/hal"
	"quartz/kernel/mm"
	"quartz/lib/vmio"
)

// The memory and task tests run as Fuchsia's core-tests do, inside a
// process: self, in a job of its own (zx_job_default) under the root job.
// Syscalls are made as self makes them; "guest" accesses to mapped
// memory go through self's address space with the mappings' permissions.

type taskEnv struct {
	t      *testing.T
	env    *Env
	root   *Job
	job    *Job        // zx_job_default's object
	self   *Process    // the calling process
	jobV   HandleValue // zx_job_default()
	vmarV  HandleValue // zx_vmar_root_self()
	frames *mm.Frames
}

func newTaskEnv(t testing.TB) *taskEnv {
	t.Helper()
	mem, err := hal.NewPhysMem(64 << 20)
	if err != nil {
		t.Fatal(err)
	}
	frames := mm.NewFrames(mem)
	env := &Env{Frames: frames}
	root := NewRootJob(env)
	job, st := root.CreateChild(0)
	if st != OK {
		t.Fatal(st)
	}
	self, vmar, st := job.CreateProcess("test-self", 0)
	if st != OK {
		t.Fatal(st)
	}
	e := &taskEnv{env: env, root: root, job: job, self: self, frames: frames}
	if tt, ok := t.(*testing.T); ok {
		e.t = tt
	}
	e.jobV, _ = self.AddHandle(job, DefaultJobRights)
	e.vmarV, _ = self.AddHandle(vmar, vmar.DefaultRights())
	t.Cleanup(func() {
		// Kill everything and wait for the tree to die (thread bodies
		// return asynchronously) before RAM goes away.
		root.Kill(TaskRetcodeSyscallKill)
		h := NewHandle(root, DefaultJobRights)
		WaitOne(h, TaskTerminated, DeadlineAfter(Duration(10e9)), nil)
		h.Close()
		mem.Close()
	})
	return e
}

// vmo creates a VMO in self.
func (e *taskEnv) vmo(size uint64, options uint32) HandleValue {
	e.t.Helper()
	v, st := VmoCreate(e.self, size, options)
	mustOK(e.t, st, "vmo_create")
	return v
}

func (e *taskEnv) child(v HandleValue, options uint32, off, size uint64) HandleValue {
	e.t.Helper()
	c, st := VmoCreateChild(e.self, v, options, off, size)
	mustOK(e.t, st, "vmo_create_child")
	return c
}

func (e *taskEnv) close(v HandleValue) {
	e.t.Helper()
	mustOK(e.t, e.self.Handles().Close(v), "handle_close")
}

// vmoRead and vmoWrite are zx_vmo_read and zx_vmo_write of buf.
func (e *taskEnv) vmoRead(v HandleValue, buf []byte, off uint64) Status {
	return VmoRead(e.self, v, vmio.NewKernelWriter(buf), off)
}

func (e *taskEnv) vmoWrite(v HandleValue, buf []byte, off uint64) Status {
	return VmoWrite(e.self, v, vmio.NewKernelReader(buf), off)
}

// write32 and check32 are the helpers of Fuchsia's vmo tests: VmoWrite
// and VmoCheck of a uint32 at an offset.
func (e *taskEnv) write32(v HandleValue, val uint32, off uint64) {
	e.t.Helper()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], val)
	mustOK(e.t, e.vmoWrite(v, b[:], off), "vmo_write")
}

func (e *taskEnv) check32(v HandleValue, want uint32, off uint64) {
	e.t.Helper()
	var b [4]byte
	mustOK(e.t, e.vmoRead(v, b[:], off), "vmo_read")
	if got := binary.LittleEndian.Uint32(b[:]); got != want {
		e.t.Fatalf("value at %#x: %d, want %d", off, got, want)
	}
}

// tagged is InitPageTaggedVmo: n pages, page i holding i+1.
func (e *taskEnv) tagged(n uint64) HandleValue {
	e.t.Helper()
	v := e.vmo(n*PageSize, 0)
	for i := uint64(0); i < n; i++ {
		e.write32(v, uint32(i+1), i*PageSize)
	}
	return v
}

// info is ZX_INFO_VMO through the syscall, decoded from its bytes.
func (e *taskEnv) info(v HandleValue) VmoInfo {
	e.t.Helper()
	var b [VmoInfoSize]byte
	_, _, st := ObjectGetInfo(e.self, v, InfoVMO, b[:])
	mustOK(e.t, st, "get_info(VMO)")
	return VmoInfo{
		Koid:           Koid(binary.LittleEndian.Uint64(b[0:])),
		Name:           cString(b[8:40]),
		SizeBytes:      binary.LittleEndian.Uint64(b[40:]),
		ParentKoid:     Koid(binary.LittleEndian.Uint64(b[48:])),
		NumChildren:    binary.LittleEndian.Uint64(b[56:]),
		NumMappings:    binary.LittleEndian.Uint64(b[64:]),
		ShareCount:     binary.LittleEndian.Uint64(b[72:]),
		Flags:          binary.LittleEndian.Uint32(b[80:]),
		CommittedBytes: binary.LittleEndian.Uint64(b[88:]),
		HandleRights:   Rights(binary.LittleEndian.Uint32(b[96:])),
		CachePolicy:    binary.LittleEndian.Uint32(b[100:]),
	}
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

// committed is VmoCommittedBytes.
func (e *taskEnv) committed(v HandleValue) uint64 { return e.info(v).CommittedBytes }

// rights is the handle's rights from ZX_INFO_HANDLE_BASIC.
func (e *taskEnv) rights(v HandleValue) Rights {
	e.t.Helper()
	var b [HandleBasicInfoSize]byte
	_, _, st := ObjectGetInfo(e.self, v, InfoHandleBasic, b[:])
	mustOK(e.t, st, "get_info(HANDLE_BASIC)")
	return Rights(binary.LittleEndian.Uint32(b[8:]))
}

func (e *taskEnv) koid(v HandleValue) Koid {
	e.t.Helper()
	var b [HandleBasicInfoSize]byte
	_, _, st := ObjectGetInfo(e.self, v, InfoHandleBasic, b[:])
	mustOK(e.t, st, "get_info(HANDLE_BASIC)")
	return Koid(binary.LittleEndian.Uint64(b[0:]))
}

// mapVmo maps a VMO in self's root VMAR and returns the address.
func (e *taskEnv) mapVmo(v HandleValue, off, size uint64, options uint32) uint64 {
	e.t.Helper()
	addr, st := VmarMap(e.self, e.vmarV, options, 0, v, off, size)
	mustOK(e.t, st, "vmar_map")
	return addr
}

// load and store are guest accesses to self's memory: they fault (false)
// where the guest could not read or write.
func (e *taskEnv) load(addr uint64, b []byte) bool {
	_, err := e.self.Space().Access(addr, b, false, false)
	return err == nil
}

func (e *taskEnv) store(addr uint64, b []byte) bool {
	_, err := e.self.Space().Access(addr, b, true, false)
	return err == nil
}

func (e *taskEnv) load32(addr uint64) uint32 {
	e.t.Helper()
	var b [4]byte
	if !e.load(addr, b[:]) {
		e.t.Fatalf("load at %#x faulted", addr)
	}
	return binary.LittleEndian.Uint32(b[:])
}

func (e *taskEnv) store32(addr uint64, v uint32) {
	e.t.Helper()
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], v)
	if !e.store(addr, b[:]) {
		e.t.Fatalf("store at %#x faulted", addr)
	}
}

// probeRead and probeWrite are Fuchsia's probe_for_read/probe_for_write.
func (e *taskEnv) probeRead(addr uint64) bool  { return e.load(addr, make([]byte, 1)) }
func (e *taskEnv) probeWrite(addr uint64) bool { return e.store(addr, make([]byte, 1)) }

// permutations calls f with every permutation of 0..n-1.
func permutations(n int, f func([]int)) {
	perm := make([]int, n)
	used := make([]bool, n)
	var rec func(int)
	rec = func(k int) {
		if k == n {
			f(perm)
			return
		}
		for i := 0; i < n; i++ {
			if !used[i] {
				used[i] = true
				perm[k] = i
				rec(k + 1)
				used[i] = false
			}
		}
	}
	rec(0)
}

func u64bytes(v uint64) []byte {
	b := make([]byte, 8)
	binary.LittleEndian.PutUint64(b, v)
	return b
}

func getU64(b []byte, off int) uint64 { return binary.LittleEndian.Uint64(b[off:]) }
