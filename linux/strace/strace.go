package strace

import (
	"strconv"
	"strings"

	"golang.org/x/sys/unix"

	"quartz/linux/abi"
)

// Memory reads guest memory for decoding pointer arguments.
type Memory interface {
	ReadString(addr uint64, max int) (string, error) // NUL-terminated, at most max bytes
	ReadBytes(addr uint64, n int) ([]byte, error)
}

// Enter formats the call part before it runs, without the closing
// parenthesis: `openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC`.
// Arguments the kernel will write are printed as addresses.
func Enter(nr uint64, args [6]uint64, mem Memory) string {
	c := &call{nr: nr, a: args, mem: mem}
	return c.enter()
}

// Exit formats the result of a call: ` = 3`, ` = -1 ENOENT (No such file or
// directory)`, ` = 0x7f1234560000` for calls that return addresses (mmap,
// brk, mremap, shmat), ` = ?` for exit and exit_group. Some calls add
// strace's comment after the value (poll's ` = 0 (Timeout)`).
func Exit(nr uint64, args [6]uint64, ret int64, mem Memory) string {
	c := &call{nr: nr, a: args, ret: ret, mem: mem, done: true}
	return c.result()
}

// Line formats the whole strace line of a call that has completed: the
// call with its arguments, those the kernel wrote decoded from memory as it
// is now (read's buffer, stat's struct), the closing parenthesis and the
// result.
func Line(nr uint64, args [6]uint64, ret int64, mem Memory) string {
	c := &call{nr: nr, a: args, ret: ret, mem: mem, done: true}
	return c.enter() + ")" + c.result()
}

// call is one system call being formatted.
type call struct {
	nr   uint64
	a    [6]uint64
	ret  int64
	mem  Memory
	done bool // the call has returned; ret is its result
}

// failed reports whether the call has returned an error.
func (c *call) failed() bool {
	return c.done && c.ret < 0 && c.ret >= -abi.MaxErrno
}

// written reports whether arguments the kernel writes can be decoded: the
// call has returned and did not fail.
func (c *call) written() bool {
	return c.done && !c.failed()
}

func (c *call) enter() string {
	name := abi.SyscallName(c.nr)
	var args []string
	if s, ok := signatures[c.nr]; ok {
		args = c.format(s)
	} else {
		args = make([]string, 6)
		for i, v := range c.a {
			args[i] = hex(v)
		}
	}
	return name + "(" + strings.Join(args, ", ")
}

// format formats the arguments of a call with a signature.
func (c *call) format(s sig) []string {
	if s.custom != nil {
		return s.custom(c)
	}
	n := len(s.args)
	if s.count != nil {
		n = min(n, s.count(c))
	}
	out := make([]string, n)
	for i := range n {
		out[i] = c.arg(s.args[i], i)
	}
	return out
}

func (c *call) result() string {
	switch c.nr {
	case abi.SysExit, abi.SysExitGroup:
		return " = ?"
	}
	if c.failed() {
		e := unix.Errno(-c.ret)
		if abi.IsRestart(e) {
			return " = ? " + abi.ErrnoName(e) + " (" + abi.ErrnoDescription(e) + ")"
		}
		return " = -1 " + abi.ErrnoName(e) + " (" + abi.ErrnoDescription(e) + ")"
	}
	s, known := signatures[c.nr]
	var v string
	switch {
	case !known:
		v = strconv.FormatInt(c.ret, 10)
	case s.value != nil:
		v = s.value(c)
	case s.ret == retHex:
		v = hex(uint64(c.ret))
	case s.ret == retOctal:
		v = octal(uint64(c.ret))
	default:
		v = strconv.FormatInt(c.ret, 10)
	}
	if known && s.comment != nil {
		if note := s.comment(c); note != "" {
			v += " (" + note + ")"
		}
	}
	return " = " + v
}

// hex formats v as C's %#x does: 0 is "0", others "0x...".
func hex(v uint64) string {
	if v == 0 {
		return "0"
	}
	return "0x" + strconv.FormatUint(v, 16)
}

// octal formats v as C's %#03o does: "0644", "022", "000".
func octal(v uint64) string {
	s := strconv.FormatUint(v, 8)
	if v != 0 {
		s = "0" + s
	}
	for len(s) < 3 {
		s = "0" + s
	}
	return s
}

// ptr formats an address: NULL for 0.
func ptr(v uint64) string {
	if v == 0 {
		return "NULL"
	}
	return hex(v)
}

func dec(v int64) string   { return strconv.FormatInt(v, 10) }
func udec(v uint64) string { return strconv.FormatUint(v, 10) }

// int32 formats the low 32 bits of v as a C int.
func cint(v uint64) string { return strconv.FormatInt(int64(int32(v)), 10) }
