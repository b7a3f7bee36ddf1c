package syscall

import (
	"encoding/binary"

	"quartz/zircon/object"
)

// Sizes of the clock argument structs.
const (
	clockCreateArgsV1Size = 8  // zx_clock_create_args_v1_t
	clockUpdateArgsV1Size = 24 // zx_clock_update_args_v1_t
	clockUpdateArgsV2Size = 32 // zx_clock_update_args_v2_t
)

func clockArgsVersion(options uint64) uint64 {
	return (options & object.ClockArgsVersionMask) >> object.ClockArgsVersionShift
}

// zx_clock_create(options, args, out): with ZX_CLOCK_ARGS_VERSION(1) in
// options, args is a zx_clock_create_args_v1_t (its backstop time).
func sysClockCreate(c *Context, a *args) int64 {
	options := a[0]
	var cargs *object.ClockCreateArgs
	if clockArgsVersion(options) == 1 {
		backstop, st := c.readU64(a[1])
		if st != object.OK {
			return ret(st)
		}
		cargs = &object.ClockCreateArgs{BackstopTime: object.Time(int64(backstop))}
	}
	clk, st := object.NewClock(options, cargs)
	if st != object.OK {
		return ret(st)
	}
	v, st := c.Process.AddHandle(clk, object.DefaultClockRights)
	return ret(c.outHandle(a[2], v, st))
}

// zx_clock_read(handle, now): the clock needs READ.
func sysClockRead(c *Context, a *args) int64 {
	clk, _, st := get[*object.Clock](c, a.h(0), object.RightRead)
	if st != object.OK {
		return ret(st)
	}
	return ret(c.putU64(a[1], uint64(clk.Read())))
}

// zx_clock_get_details(handle, options, details): options must ask for
// version 1 of zx_clock_details_t (INVALID_ARGS); the clock needs READ.
func sysClockGetDetails(c *Context, a *args) int64 {
	if a[1]&object.ClockArgsVersionMask != object.ClockArgsVersion(1) {
		return ret(object.ErrInvalidArgs)
	}
	clk, _, st := get[*object.Clock](c, a.h(0), object.RightRead)
	if st != object.OK {
		return ret(st)
	}
	b := clk.Details().Marshal()
	return ret(c.copyOut(a[2], b[:]))
}

// zx_clock_update(handle, options, args): args is the
// zx_clock_update_args_v1_t or _v2_t that options' version names (any
// other version is INVALID_ARGS); the clock needs WRITE.
func sysClockUpdate(c *Context, a *args) int64 {
	options := a[1]
	var size int
	switch clockArgsVersion(options) {
	case 1:
		size = clockUpdateArgsV1Size
	case 2:
		size = clockUpdateArgsV2Size
	default:
		return ret(object.ErrInvalidArgs)
	}
	clk, _, st := get[*object.Clock](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	var b [clockUpdateArgsV2Size]byte
	if st := c.copyIn(a[2], b[:size]); st != object.OK {
		return ret(st)
	}
	le := binary.LittleEndian
	u := object.ClockUpdateArgs{
		RateAdjust:     int32(le.Uint32(b[0:])),
		SyntheticValue: int64(le.Uint64(b[8:])),
	}
	if size == clockUpdateArgsV1Size {
		u.ErrorBound = le.Uint64(b[16:])
	} else {
		u.ReferenceValue = int64(le.Uint64(b[16:]))
		u.ErrorBound = le.Uint64(b[24:])
	}
	return ret(clk.Update(options, u))
}
