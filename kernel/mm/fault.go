package mm

import (
	"golang.org/x/sys/unix"

	"quartz/hal"
)

const segvAccErr = 2 // SEGV_ACCERR: the page is mapped, the access is not allowed

// HandleFault resolves a guest fault at addr. It returns false when the
// access is invalid and the guest must get the signal.
func (m *MM) HandleFault(f hal.FaultInfo) bool {
	if f.Signal != int(unix.SIGSEGV) || f.Code == segvAccErr {
		// Platform mappings always carry their area's permissions, so an
		// access error is a real violation.
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	a := pageDown(f.Addr)
	v := m.findOrGrow(a)
	if v == nil || v.perms == 0 {
		return false
	}
	if p, ok := m.pages[a]; ok && p.flags&pteMapped != 0 {
		return false // mapped already, yet faulting: not ours to fix
	}
	start := max(v.start, a&^(faultRun*pageSize-1))
	end := min(v.end, start+faultRun*pageSize)
	return m.populate(v, start, end, true) == nil
}

// findOrGrow returns the area containing addr, growing a stack area down
// to it when addr lies in the stack's reach, as Linux does on touch.
func (m *MM) findOrGrow(addr uint64) *vma {
	if v := m.find(addr); v != nil {
		return v
	}
	for i, v := range m.vmas {
		if v.start <= addr {
			continue
		}
		if !v.growsDown || v.end-addr > stackMax {
			return nil
		}
		if i > 0 && m.vmas[i-1].end+pageSize > addr {
			return nil // keep a guard page to the area below
		}
		v.start = pageDown(addr)
		return v
	}
	return nil
}

// populate commits frames for every page of [start, end) in v that has
// none, and with mapNow also maps the pages in the platform address space
// with the area's permissions, one host call per contiguous run.
func (m *MM) populate(v *vma, start, end uint64, mapNow bool) error {
	for a := start; a < end; {
		p, ok := m.pages[a]
		if ok && (!mapNow || p.flags&pteMapped != 0) {
			a += pageSize
			continue
		}
		// A run: consecutive pages that all lack a frame, or all have one
		// but no platform mapping.
		runEnd := a + pageSize
		for runEnd < end {
			q, qok := m.pages[runEnd]
			if qok != ok || (qok && (q.flags&pteMapped != 0 || q.frame != p.frame+(runEnd-a))) {
				break
			}
			runEnd += pageSize
		}
		n := (runEnd - a) / pageSize
		frame := p.frame
		if !ok {
			var err error
			if frame, err = m.frames.AllocRun(n); err != nil {
				if n == 1 {
					return err
				}
				runEnd, n = a+pageSize, 1
				if frame, err = m.frames.AllocRun(1); err != nil {
					return err
				}
			}
			if v.file != nil {
				m.fill(v, a, frame, n)
			}
		}
		var flags uint8
		if mapNow {
			if err := m.as.Map(a, frame, n*pageSize, v.perms); err != nil {
				if !ok {
					m.frames.FreeRun(frame, n)
				}
				return err
			}
			flags = pteMapped
		}
		for i := uint64(0); i < n; i++ {
			m.pages[a+i*pageSize] = pte{frame: frame + i*pageSize, flags: flags}
		}
		a = runEnd
	}
	return nil
}

// fill copies file content into fresh frames for n pages at addr. Bytes
// past the end of the file stay zero.
func (m *MM) fill(v *vma, addr, frame, n uint64) {
	buf := m.frames.Memory().Slice(frame, n*pageSize)
	v.file.f.ReadAt(buf, int64(v.offset+(addr-v.start)))
}

// pageFor returns the frame behind the page at addr, committing one if
// needed, for a kernel access of the given kind.
func (m *MM) pageFor(addr uint64, write, force bool) (uint64, error) {
	a := pageDown(addr)
	v := m.findOrGrow(a)
	if v == nil {
		return 0, unix.EFAULT
	}
	if !force && (v.perms == 0 || (write && v.perms&hal.PermWrite == 0)) {
		return 0, unix.EFAULT
	}
	if _, ok := m.pages[a]; !ok {
		if err := m.populate(v, a, a+pageSize, false); err != nil {
			return 0, unix.EFAULT
		}
	}
	return m.pages[a].frame, nil
}
