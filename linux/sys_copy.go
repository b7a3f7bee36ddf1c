package linux

import (
	"golang.org/x/sys/unix"

	"quartz/lib/vmio"
)

// The calls that copy between two files inside the kernel.
func init() {
	register(unix.SYS_SENDFILE, sysSendfile)
	register(unix.SYS_COPY_FILE_RANGE, sysCopyFileRange)
	register(unix.SYS_SPLICE, sysSplice)
}

// copyChunk bounds one piece of an in-kernel copy.
const copyChunk = 128 << 10

// copyFiles moves up to count bytes from in to out through a kernel
// buffer. inOff/outOff < 0 use (and move) the file positions; otherwise
// they are explicit offsets, advanced in place.
func (t *Thread) copyFiles(out, in *openFile, count uint64, inOff, outOff *int64) (uint64, error) {
	buf := make([]byte, min(count, copyChunk))
	var done uint64
	for done < count {
		piece := buf[:min(count-done, copyChunk)]
		var n uint64
		var err error
		w := vmio.NewKernelWriter(piece)
		if *inOff >= 0 {
			n, err = in.preadAt(t, w, *inOff)
		} else {
			n, err = in.read(t, w)
		}
		if n == 0 {
			return done, doneOr(done, err)
		}
		r := vmio.NewKernelReader(piece[:n])
		var m uint64
		if *outOff >= 0 {
			m, err = out.pwriteAt(t, r, *outOff)
		} else {
			m, err = t.wrote(out.write(t, r))
		}
		if *inOff >= 0 {
			*inOff += int64(m)
		}
		if *outOff >= 0 {
			*outOff += int64(m)
		}
		done += m
		if err != nil || m < n || n < uint64(len(piece)) {
			return done, doneOr(done, err)
		}
	}
	return done, nil
}

// twoFiles runs f on the files at descriptors outFD and inFD, checking
// their access modes.
func (t *Thread) twoFiles(outFD, inFD uint64, f func(out, in *openFile) (uint64, error)) (uint64, error) {
	in, err := t.proc.fds.get(inFD)
	if err != nil {
		return 0, err
	}
	defer in.put()
	out, err := t.proc.fds.get(outFD)
	if err != nil {
		return 0, err
	}
	defer out.put()
	if readable(in) != nil || writable(out) != nil {
		return 0, unix.EBADF
	}
	return f(out, in)
}

// offsetArg reads an optional loff_t* argument: -1 when NULL.
func (t *Thread) offsetArg(addr uint64) (int64, error) {
	if addr == 0 {
		return -1, nil
	}
	v, err := t.readUint64(addr)
	if err != nil {
		return 0, err
	}
	if int64(v) < 0 {
		return 0, unix.EINVAL
	}
	return int64(v), nil
}

func sysSendfile(t *Thread, a sysArgs) (uint64, error) {
	return t.twoFiles(a[0], a[1], func(out, in *openFile) (uint64, error) {
		if out.flags.Load()&unix.O_APPEND != 0 {
			return 0, unix.EINVAL
		}
		inOff, err := t.offsetArg(a[2])
		if err != nil {
			return 0, err
		}
		if inOff >= 0 && !in.Seekable() {
			if _, ok := in.File.(positioned); !ok {
				return 0, unix.ESPIPE
			}
		}
		outOff := int64(-1)
		n, err := t.copyFiles(out, in, min(a[3], maxRW), &inOff, &outOff)
		if a[2] != 0 {
			if werr := t.writeUint64(a[2], uint64(inOff)); werr != nil {
				return 0, werr
			}
		}
		return n, err
	})
}

func sysCopyFileRange(t *Thread, a sysArgs) (uint64, error) {
	if a[5] != 0 {
		return 0, unix.EINVAL
	}
	return t.twoFiles(a[2], a[0], func(out, in *openFile) (uint64, error) {
		if out.flags.Load()&unix.O_APPEND != 0 {
			return 0, unix.EBADF
		}
		if in.isDir() || out.isDir() {
			return 0, unix.EISDIR
		}
		if !in.Seekable() || !out.Seekable() {
			return 0, unix.EINVAL
		}
		return t.copyWithOffsets(out, in, a[1], a[3], a[4])
	})
}

// sysSplice copies where one side is a pipe, as Linux requires; the data
// is copied, not moved by reference.
func sysSplice(t *Thread, a sysArgs) (uint64, error) {
	if a[5]&^0xf != 0 {
		return 0, unix.EINVAL
	}
	return t.twoFiles(a[2], a[0], func(out, in *openFile) (uint64, error) {
		_, inPipe := in.File.(interface{ pipeOf() pipeFile })
		_, outPipe := out.File.(interface{ pipeOf() pipeFile })
		if !inPipe && !outPipe {
			return 0, unix.EINVAL
		}
		if (inPipe && a[1] != 0) || (outPipe && a[3] != 0) {
			return 0, unix.ESPIPE
		}
		return t.copyWithOffsets(out, in, a[1], a[3], a[4])
	})
}

// copyWithOffsets is copy_file_range's and splice's copy: the optional
// loff_t pointers give and take back the offsets (NULL: the file
// position).
func (t *Thread) copyWithOffsets(out, in *openFile, inAddr, outAddr, count uint64) (uint64, error) {
	inOff, err := t.offsetArg(inAddr)
	if err != nil {
		return 0, err
	}
	outOff, err := t.offsetArg(outAddr)
	if err != nil {
		return 0, err
	}
	n, err := t.copyFiles(out, in, min(count, maxRW), &inOff, &outOff)
	for _, back := range [][2]uint64{{inAddr, uint64(inOff)}, {outAddr, uint64(outOff)}} {
		if back[0] == 0 {
			continue
		}
		if werr := t.writeUint64(back[0], back[1]); werr != nil && n == 0 {
			return 0, werr
		}
	}
	return n, err
}
