package syscall

import (
	"crypto/rand"

	"quartz/zircon/object"
)

// zx_debuglog_create(resource, options, out): Zircon wants the root
// resource for a reader. Quartz has no resource objects yet: only
// ZX_HANDLE_INVALID is accepted (any other handle is not a resource:
// BAD_HANDLE or WRONG_TYPE). The log is the kernel's.
func sysDebuglogCreate(c *Context, a *args) int64 {
	if r := a.h(0); r != object.HandleInvalid {
		h, st := getHandle(c, r, 0)
		if st != object.OK {
			return ret(st)
		}
		if h.Object().Type() != object.TypeResource {
			return ret(object.ErrWrongType)
		}
	}
	options := a.u32(1)
	l, st := object.NewDebuglog(object.KernelDlog, options)
	if st != object.OK {
		return ret(st)
	}
	v, st := c.Process.AddHandle(l, object.DebuglogRights(options))
	return ret(c.outHandle(a[2], v, st))
}

// zx_debuglog_write(handle, options, buffer, buffer_size): the log needs
// WRITE; a record longer than ZX_LOG_RECORD_DATA_MAX is cut.
func sysDebuglogWrite(c *Context, a *args) int64 {
	l, _, st := get[*object.Debuglog](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	var buf [object.LogRecordDataMax]byte
	b := buf[:min(a[3], object.LogRecordDataMax)]
	if st := c.copyIn(a[2], b); st != object.OK {
		return ret(st)
	}
	var tid object.Koid
	if c.Thread != nil {
		tid = c.Thread.Koid()
	}
	return ret(l.Write(a.u32(1), b, c.Process.Koid(), tid))
}

// zx_debuglog_read(handle, options, buffer, buffer_size): the log needs
// READ. On success rax is the number of bytes of the zx_log_record_t
// written (cut to buffer_size), not a status.
func sysDebuglogRead(c *Context, a *args) int64 {
	l, _, st := get[*object.Debuglog](c, a.h(0), object.RightRead)
	if st != object.OK {
		return ret(st)
	}
	rec, st := l.Read(a.u32(1))
	if st != object.OK {
		return ret(st)
	}
	var buf [object.LogRecordMax]byte
	n := rec.Marshal(buf[:min(a[3], object.LogRecordMax)])
	if st := c.copyOut(a[2], buf[:n]); st != object.OK {
		return ret(st)
	}
	return int64(n)
}

// zx_cprng_draw_once(buffer, buffer_size): at most ZX_CPRNG_DRAW_MAX_LEN
// random bytes (INVALID_ARGS beyond).
func sysCPRNGDrawOnce(c *Context, a *args) int64 {
	if a[1] > cprngDrawMax {
		return ret(object.ErrInvalidArgs)
	}
	var buf [cprngDrawMax]byte
	b := buf[:a[1]]
	rand.Read(b)
	return ret(c.copyOut(a[0], b))
}

// zx_cprng_add_entropy(buffer, buffer_size): the host's generator needs
// no help; the buffer is read (INVALID_ARGS beyond
// ZX_CPRNG_ADD_ENTROPY_MAX_LEN, or if it cannot be) and dropped.
func sysCPRNGAddEntropy(c *Context, a *args) int64 {
	if a[1] > cprngEntropy {
		return ret(object.ErrInvalidArgs)
	}
	var buf [cprngEntropy]byte
	return ret(c.copyIn(a[0], buf[:a[1]]))
}
