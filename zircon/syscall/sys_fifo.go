package syscall

import "quartz/zircon/object"

// zx_fifo_create(elem_count, elem_size, options, out0, out1):
// ZX_POL_NEW_FIFO, then the sizes (OUT_OF_RANGE) and options
// (INVALID_ARGS).
func sysFIFOCreate(c *Context, a *args) int64 {
	if st := c.policy(object.PolNewFIFO); st != object.OK {
		return ret(st)
	}
	f0, f1, st := object.NewFIFO(a[0], a[1], a.u32(2))
	if st != object.OK {
		return ret(st)
	}
	return ret(c.addPair(f0, f1, object.DefaultFIFORights, a[3], a[4]))
}

// fifoBytes is how many bytes count elements of elemSize may be, at most
// a FIFO's whole size.
func fifoBytes(elemSize, count uint64) uint64 {
	return min(min(elemSize, object.FIFOMaxSizeBytes)*min(count, object.FIFOMaxSizeBytes), object.FIFOMaxSizeBytes)
}

// zx_fifo_write(handle, elem_size, data, count, actual_count): the FIFO
// needs WRITE; actual_count (may be 0) gets the elements queued. Only the
// elements that fit are read from data: a data buffer that cannot be
// read that far is INVALID_ARGS and nothing is queued.
func sysFIFOWrite(c *Context, a *args) int64 {
	f, _, st := get[*object.FIFO](c, a.h(0), object.RightWrite)
	if st != object.OK {
		return ret(st)
	}
	elemSize, count := a[1], a[3]
	var buf [object.FIFOMaxSizeBytes]byte
	data := buf[:c.copyInPartial(a[2], buf[:fifoBytes(elemSize, count)])]
	n, st := f.Write(elemSize, data, count)
	if st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[4], n))
}

// zx_fifo_read(handle, elem_size, data, count, actual_count): the FIFO
// needs READ; actual_count (may be 0) gets the elements read. They are
// taken before they are written out: a data buffer that cannot be written
// loses them (INVALID_ARGS).
func sysFIFORead(c *Context, a *args) int64 {
	f, _, st := get[*object.FIFO](c, a.h(0), object.RightRead)
	if st != object.OK {
		return ret(st)
	}
	elemSize, count := a[1], a[3]
	var buf [object.FIFOMaxSizeBytes]byte
	n, st := f.Read(elemSize, buf[:fifoBytes(elemSize, count)], count)
	if st != object.OK {
		return ret(st)
	}
	if st := c.copyOut(a[2], buf[:n*elemSize]); st != object.OK {
		return ret(st)
	}
	return ret(c.putOptU64(a[4], n))
}
