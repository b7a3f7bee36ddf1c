package object

import "encoding/binary"

// Topics of zx_object_get_info, with Fuchsia's values (a version sits in
// the top four bits).
const (
	InfoNone               uint32 = 0
	InfoHandleValid        uint32 = 1
	InfoHandleBasic        uint32 = 2
	InfoProcess            uint32 = 3 | 1<<28
	InfoProcessThreads     uint32 = 4
	InfoVMAR               uint32 = 7
	InfoJobChildren        uint32 = 8
	InfoJobProcesses       uint32 = 9
	InfoThread             uint32 = 10
	InfoTaskStats          uint32 = 12
	InfoProcessMaps        uint32 = 13
	InfoProcessVMOsV1      uint32 = 14
	InfoProcessVMOs        uint32 = 14 | 1<<28
	InfoKmemStats          uint32 = 17
	InfoHandleCount        uint32 = 19
	InfoProcessHandleStats uint32 = 21
	InfoVMOV1              uint32 = 23
	InfoVMO                uint32 = 23 | 1<<28
	InfoJob                uint32 = 24
)

// ProcessHandleStatsSize is sizeof(zx_info_process_handle_stats_t): a
// count per object type.
const ProcessHandleStatsSize = 4 * int(TypeUpperBound)

// ObjectGetInfo is zx_object_get_info made by process p: the records of
// topic about the object v names, in Zircon's byte layout, written to buf.
// It returns how many records it wrote and how many there are.
//
// A topic with one record fails with BUFFER_TOO_SMALL (actual 0, avail 1)
// when buf cannot hold it; a list topic writes what fits and succeeds.
// The handle needs INSPECT (ENUMERATE for the lists of children and
// threads); HANDLE_VALID, HANDLE_BASIC and VMO need no right. A topic the
// object does not have is WRONG_TYPE, an unknown topic NOT_SUPPORTED.
func ObjectGetInfo(p *Process, v HandleValue, topic uint32, buf []byte) (actual, avail int, st Status) {
	switch topic {
	case InfoHandleValid:
		_, st := p.handles.Get(v, TypeNone, 0)
		return 0, 0, st
	case InfoHandleBasic:
		h, st := p.handles.Get(v, TypeNone, 0)
		if st != OK {
			p.EnforcePolicy(PolBadHandle)
			return 0, 0, st
		}
		b := h.BasicInfo().Marshal()
		return single(buf, b[:])
	case InfoHandleCount:
		h, st := getInspect(p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		return single(buf, HandleCountInfo{uint32(h.Object().base().HandleCount())}.Marshal())
	case InfoProcess:
		pr, _, st := lookup[*Process](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		return single(buf, pr.Info().Marshal())
	case InfoThread:
		t, _, st := lookup[*Thread](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		return single(buf, t.Info().Marshal())
	case InfoJob:
		j, _, st := lookup[*Job](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		return single(buf, j.Info().Marshal())
	case InfoVMAR:
		r, _, st := lookup[*VMAR](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		return single(buf, r.Info().Marshal())
	case InfoVMO, InfoVMOV1:
		o, h, st := lookup[*VMO](p, v, 0)
		if st != OK {
			return 0, 0, st
		}
		b := o.Info(h.Rights()).Marshal()
		if topic == InfoVMOV1 {
			b = b[:VmoInfoV1Size]
		}
		return single(buf, b)
	case InfoTaskStats:
		pr, _, st := lookup[*Process](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		s, st := pr.TaskStats()
		if st != OK {
			return 0, 0, st
		}
		return single(buf, s.Marshal())
	case InfoProcessHandleStats:
		pr, _, st := lookup[*Process](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		b := make([]byte, ProcessHandleStatsSize)
		pr.handles.ForEach(func(_ HandleValue, h *Handle) bool {
			if t := h.Object().Type(); t < TypeUpperBound {
				off := 4 * int(t)
				binary.LittleEndian.PutUint32(b[off:], binary.LittleEndian.Uint32(b[off:])+1)
			}
			return true
		})
		return single(buf, b)
	case InfoKmemStats:
		// Zircon answers this for the system-information resource. Quartz
		// has no resource objects yet; the root job, which only the
		// system's first process holds, stands in for it.
		j, _, st := lookup[*Job](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		if j.parent != nil {
			return 0, 0, ErrAccessDenied
		}
		return single(buf, KmemStatsOf(j.env).Marshal())
	case InfoProcessThreads:
		pr, _, st := lookup[*Process](p, v, RightEnumerate)
		if st != OK {
			return 0, 0, st
		}
		return koidList(buf, koidsOf(pr.Threads()))
	case InfoJobChildren:
		j, _, st := lookup[*Job](p, v, RightEnumerate)
		if st != OK {
			return 0, 0, st
		}
		return koidList(buf, koidsOf(j.Children()))
	case InfoJobProcesses:
		j, _, st := lookup[*Job](p, v, RightEnumerate)
		if st != OK {
			return 0, 0, st
		}
		return koidList(buf, koidsOf(j.Processes()))
	case InfoProcessMaps:
		pr, _, st := lookup[*Process](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		maps, st := pr.Maps()
		if st != OK {
			return 0, 0, st
		}
		return records(buf, len(maps), MapsEntrySize, func(i int) []byte { return maps[i].Marshal() })
	case InfoProcessVMOs, InfoProcessVMOsV1:
		pr, _, st := lookup[*Process](p, v, RightInspect)
		if st != OK {
			return 0, 0, st
		}
		vmos, st := pr.VMOs()
		if st != OK {
			return 0, 0, st
		}
		size := VmoInfoSize
		if topic == InfoProcessVMOsV1 {
			size = VmoInfoV1Size
		}
		return records(buf, len(vmos), size, func(i int) []byte { return vmos[i].Marshal()[:size] })
	}
	return 0, 0, ErrNotSupported
}

// getInspect looks up any object with the given rights.
func getInspect(p *Process, v HandleValue, want Rights) (*Handle, Status) {
	h, st := p.handles.Get(v, TypeNone, want)
	if st == ErrBadHandle {
		p.EnforcePolicy(PolBadHandle)
	}
	return h, st
}

// single is the result of a one-record topic.
func single(buf, rec []byte) (int, int, Status) {
	if len(buf) < len(rec) {
		return 0, 1, ErrBufferTooSmall
	}
	copy(buf, rec)
	return 1, 1, OK
}

// records writes as many of n records of size bytes as buf holds.
func records(buf []byte, n, size int, rec func(int) []byte) (int, int, Status) {
	fit := min(n, len(buf)/size)
	for i := 0; i < fit; i++ {
		copy(buf[i*size:], rec(i))
	}
	return fit, n, OK
}

func koidList(buf []byte, koids []Koid) (int, int, Status) {
	return records(buf, len(koids), 8, func(i int) []byte {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], uint64(koids[i]))
		return b[:]
	})
}

func koidsOf[T Object](objs []T) []Koid {
	out := make([]Koid, len(objs))
	for i, o := range objs {
		out[i] = o.Koid()
	}
	return out
}
