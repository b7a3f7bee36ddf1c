package syscall

import (
	"quartz/zircon/object"
)

// Topics of zx_object_get_info that the object layer leaves to its
// objects' Info methods.
const (
	infoSocket uint32 = 22 // ZX_INFO_SOCKET
	infoTimer  uint32 = 25 // ZX_INFO_TIMER
)

// infoRecordSize is the size of one record of a topic, so that exactly
// the records written reach user memory. 0: unknown.
func infoRecordSize(topic uint32) uint64 {
	switch topic {
	case object.InfoHandleBasic:
		return object.HandleBasicInfoSize
	case object.InfoHandleCount:
		return object.HandleCountInfoSize
	case object.InfoProcess:
		return object.ProcessInfoSize
	case object.InfoThread:
		return object.ThreadInfoSize
	case object.InfoJob:
		return object.JobInfoSize
	case object.InfoVMAR:
		return object.VmarInfoSize
	case object.InfoVMO, object.InfoProcessVMOs:
		return object.VmoInfoSize
	case object.InfoVMOV1, object.InfoProcessVMOsV1:
		return object.VmoInfoV1Size
	case object.InfoTaskStats:
		return object.TaskStatsSize
	case object.InfoProcessHandleStats:
		return uint64(object.ProcessHandleStatsSize)
	case object.InfoKmemStats:
		return object.KmemStatsSize
	case object.InfoProcessThreads, object.InfoJobChildren, object.InfoJobProcesses:
		return 8 // zx_koid_t
	case object.InfoProcessMaps:
		return object.MapsEntrySize
	case infoSocket:
		return object.SocketInfoSize
	case infoTimer:
		return object.TimerInfoSize
	}
	return 0
}

// infoFirst is the kernel buffer a get_info starts with: enough for any
// single record, and for short lists.
const infoFirst = 4 << 10

// zx_object_get_info(handle, topic, buffer, buffer_size, actual, avail):
// the records go to buffer; actual and avail (either may be 0) get the
// number written and the number there are, also when a single record
// does not fit (BUFFER_TOO_SMALL, actual 0, avail 1).
func sysObjectGetInfo(c *Context, a *args) int64 {
	v, topic, ptr, size := a.h(0), a.u32(1), a[2], a[3]
	buf := make([]byte, min(size, infoFirst))
	actual, avail, st := getInfo(c, v, topic, buf)
	rec := infoRecordSize(topic)
	if st == object.OK && actual < avail && size > uint64(len(buf)) && rec > 0 {
		// A list longer than the first buffer: ask again with room for
		// all of it, or for as much as the caller's buffer holds.
		buf = make([]byte, min(size, uint64(avail)*rec))
		actual, avail, st = getInfo(c, v, topic, buf)
	}
	if st != object.OK && st != object.ErrBufferTooSmall {
		return ret(st)
	}
	if st == object.OK {
		// Exactly the records written; a topic of unknown record size
		// (one the object layer learnt later) gives the whole buffer.
		n := uint64(len(buf))
		if rec > 0 || actual == 0 {
			n = uint64(actual) * rec
		}
		if s := c.copyOut(ptr, buf[:n]); s != object.OK {
			return ret(s)
		}
	}
	if s := c.putOptU64(a[4], uint64(actual)); s != object.OK {
		return ret(s)
	}
	if s := c.putOptU64(a[5], uint64(avail)); s != object.OK {
		return ret(s)
	}
	return ret(st)
}

// getInfo is ObjectGetInfo, with the topics of objects that describe
// themselves: a socket (ZX_INFO_SOCKET) and a timer (ZX_INFO_TIMER), both
// needing INSPECT.
func getInfo(c *Context, v object.HandleValue, topic uint32, buf []byte) (int, int, object.Status) {
	actual, avail, st := object.ObjectGetInfo(c.Process, v, topic, buf)
	if st != object.ErrNotSupported || (topic != infoSocket && topic != infoTimer) {
		return actual, avail, st
	}
	var rec []byte
	if topic == infoSocket {
		s, _, st := get[*object.Socket](c, v, object.RightInspect)
		if st != object.OK {
			return 0, 0, st
		}
		b := s.Info().Marshal()
		rec = b[:]
	} else {
		t, _, st := get[*object.Timer](c, v, object.RightInspect)
		if st != object.OK {
			return 0, 0, st
		}
		b := t.Info().Marshal()
		rec = b[:]
	}
	if len(buf) < len(rec) {
		return 0, 1, object.ErrBufferTooSmall
	}
	copy(buf, rec)
	return 1, 1, object.OK
}
