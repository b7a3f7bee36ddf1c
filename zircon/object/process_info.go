package object

import (
	"quartz/hal"
	"quartz/kernel/mm"
)

// mapFlags turns page permissions into ZX_VM_PERM_* (zx_info_maps_t's
// mmu_flags).
func mapFlags(p hal.Perms) uint32 {
	var f uint32
	if p&hal.PermRead != 0 {
		f |= VmPermRead
	}
	if p&hal.PermWrite != 0 {
		f |= VmPermWrite
	}
	if p&hal.PermExec != 0 {
		f |= VmPermExecute
	}
	return f
}

// vmoOf is the VMO object behind a mapping, nil if the memory was mapped
// by something other than a VMO object.
func vmoOf(m *mm.VmMapping) *VMO {
	o, _ := m.VMO().Owner().(*VMO)
	return o
}

func (p *Process) dead() bool {
	p.Lock()
	defer p.Unlock()
	return p.state == processDead
}

// Maps is ZX_INFO_PROCESS_MAPS: the address space, its root VMAR, then
// every sub-region and mapping, depth first. BAD_STATE once the process
// is dead and its address space gone.
func (p *Process) Maps() ([]MapsEntry, Status) {
	if p.dead() {
		return nil, ErrBadState
	}
	name, _ := p.Name()
	root := p.rootVMAR
	out := []MapsEntry{
		{Name: name, Base: root.Addr(), Size: root.Len(), Depth: 0, Type: InfoMapsTypeAspace},
		{Name: "root", Base: root.Addr(), Size: root.Len(), Depth: 1, Type: InfoMapsTypeVMAR},
	}
	root.vmar.Walk(func(depth int, r *mm.VMAR, m *mm.VmMapping) {
		if r != nil {
			out = append(out, MapsEntry{Name: "useralloc", Base: r.Base(), Size: r.Size(),
				Depth: uint64(depth + 1), Type: InfoMapsTypeVMAR})
			return
		}
		e := MapsEntry{Name: m.Name, Base: m.Base(), Size: m.Size(), Depth: uint64(depth + 1),
			Type: InfoMapsTypeMapping, MMUFlags: mapFlags(m.Perms()), VMOOffset: m.Offset(),
			CommittedPages: m.CommittedPages()}
		if o := vmoOf(m); o != nil {
			e.VMOKoid = o.Koid()
		}
		out = append(out, e)
	})
	return out, OK
}

// VMOs is ZX_INFO_PROCESS_VMOS: every VMO the process holds a handle to
// (once per handle) and then every VMO it maps (once per mapping).
func (p *Process) VMOs() ([]VmoInfo, Status) {
	if p.dead() {
		return nil, ErrBadState
	}
	var out []VmoInfo
	p.handles.ForEach(func(_ HandleValue, h *Handle) bool {
		if o, ok := h.Object().(*VMO); ok {
			out = append(out, o.Info(h.Rights()))
		}
		return true
	})
	for _, m := range p.space.Mappings() {
		if o := vmoOf(m); o != nil {
			i := o.describe()
			i.Flags |= InfoVMOViaMapping
			out = append(out, i)
		}
	}
	return out, OK
}

// TaskStats is ZX_INFO_TASK_STATS: the bytes mapped, and of the committed
// ones those private to this process and those shared with others (the
// shared ones also divided by the number of processes mapping them).
// BAD_STATE once the process is dead.
func (p *Process) TaskStats() (TaskStats, Status) {
	if p.dead() {
		return TaskStats{}, ErrBadState
	}
	var s TaskStats
	for _, m := range p.space.Mappings() {
		s.MemMappedBytes += m.Size()
		committed := m.CommittedPages() * PageSize
		if share := uint64(m.VMO().ShareCount()); share > 1 {
			s.MemSharedBytes += committed
			s.MemScaledSharedBytes += committed / share
		} else {
			s.MemPrivateBytes += committed
		}
	}
	return s, OK
}
