package strace

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
	"strconv"
	"strings"

	"quartz/linux/abi"
)

var le = binary.LittleEndian

// timespec formats a struct timespec: {tv_sec=1, tv_nsec=500}.
func (c *call) timespec(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	b, ok := c.read(addr, 16)
	if !ok {
		return hex(addr)
	}
	return "{tv_sec=" + dec(int64(le.Uint64(b))) + ", tv_nsec=" + dec(int64(le.Uint64(b[8:]))) + "}"
}

// timeval formats a struct timeval: {tv_sec=1, tv_usec=500}.
func (c *call) timeval(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	b, ok := c.read(addr, 16)
	if !ok {
		return hex(addr)
	}
	return "{tv_sec=" + dec(int64(le.Uint64(b))) + ", tv_usec=" + dec(int64(le.Uint64(b[8:]))) + "}"
}

// sigmask formats a signal set: [], [INT TERM], or ~[RTMIN RT_1] when
// more than half of the signals are in it.
func sigmask(m uint64) string {
	prefix := "["
	if bits.OnesCount64(m) > abi.NSIG/2 {
		prefix = "~["
		m = ^m
	}
	var names []string
	for sig := 1; sig <= abi.NSIG; sig++ {
		if m&(1<<(sig-1)) != 0 {
			names = append(names, strings.TrimPrefix(abi.SignalName(sig), "SIG"))
		}
	}
	return prefix + strings.Join(names, " ") + "]"
}

// sigset formats the signal set at addr.
func (c *call) sigset(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	m, ok := c.u64(addr)
	if !ok {
		return hex(addr)
	}
	return sigmask(m)
}

// sigaction formats a kernel struct sigaction:
// {sa_handler=SIG_DFL, sa_mask=[], sa_flags=SA_RESTORER, sa_restorer=0x...}.
func (c *call) sigaction(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	b, ok := c.read(addr, 32)
	if !ok {
		return hex(addr)
	}
	handler := le.Uint64(b)
	flags := le.Uint64(b[8:])
	restorer := le.Uint64(b[16:])
	mask := le.Uint64(b[24:])
	var h string
	switch handler {
	case 0:
		h = "SIG_DFL"
	case 1:
		h = "SIG_IGN"
	case ^uint64(0):
		h = "SIG_ERR"
	default:
		h = hex(handler)
	}
	s := "{sa_handler=" + h + ", sa_mask=" + sigmask(mask) + ", sa_flags=" + sigactionFlags.flags(flags, "0")
	if flags&saRestorer != 0 {
		s += ", sa_restorer=" + hex(restorer)
	}
	return s + "}"
}

// stack formats a stack_t: {ss_sp=0x..., ss_flags=0, ss_size=8192}.
func (c *call) stack(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	b, ok := c.read(addr, 24)
	if !ok {
		return hex(addr)
	}
	return "{ss_sp=" + ptr(le.Uint64(b)) + ", ss_flags=" + sigaltstackFlags.flags(uint64(le.Uint32(b[8:])), "0") +
		", ss_size=" + udec(le.Uint64(b[16:])) + "}"
}

// rlimValue formats one limit: RLIM64_INFINITY, 8192*1024, 1000.
func rlimValue(v uint64, infinity string) string {
	switch {
	case v == ^uint64(0):
		return infinity
	case v > 0 && v%1024 == 0:
		return udec(v/1024) + "*1024"
	}
	return udec(v)
}

// rlimit formats a struct rlimit: {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}.
func (c *call) rlimit(addr uint64, infinity string) string {
	if addr == 0 {
		return "NULL"
	}
	b, ok := c.read(addr, 16)
	if !ok {
		return hex(addr)
	}
	return "{rlim_cur=" + rlimValue(le.Uint64(b), infinity) + ", rlim_max=" + rlimValue(le.Uint64(b[8:]), infinity) + "}"
}

// makedev formats a device number: makedev(0x1, 0x3).
func makedev(dev uint64) string {
	major := (dev>>8)&0xfff | (dev>>32)&^0xfff
	minor := dev&0xff | (dev>>12)&^0xff
	return "makedev(" + hex(major) + ", " + hex(minor) + ")"
}

// stat formats a struct stat the way strace abbreviates it:
// {st_mode=S_IFREG|0644, st_size=1234, ...}.
func (c *call) stat(addr uint64) string {
	b, ok := c.read(addr, 144)
	if !ok {
		return ptr(addr)
	}
	mode := uint64(le.Uint32(b[24:]))
	s := "{st_mode=" + symbolicMode(mode)
	switch mode & 0o170000 {
	case 0o20000, 0o60000: // character and block devices
		s += ", st_rdev=" + makedev(le.Uint64(b[40:]))
	default:
		s += ", st_size=" + dec(int64(le.Uint64(b[48:])))
	}
	return s + ", ...}"
}

// statx formats a struct statx, abbreviated:
// {stx_mask=STATX_BASIC_STATS, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=1234, ...}.
func (c *call) statx(addr uint64) string {
	b, ok := c.read(addr, 0x100)
	if !ok {
		return ptr(addr)
	}
	mode := uint64(le.Uint16(b[28:]))
	s := "{stx_mask=" + statxMasks.flags(uint64(le.Uint32(b)), "0") +
		", stx_attributes=" + statxAttributes.flags(le.Uint64(b[8:]), "0") +
		", stx_mode=" + symbolicMode(mode)
	switch mode & 0o170000 {
	case 0o20000, 0o60000:
		major, minor := le.Uint32(b[128:]), le.Uint32(b[132:])
		s += ", stx_rdev_major=" + udec(uint64(major)) + ", stx_rdev_minor=" + udec(uint64(minor))
	default:
		s += ", stx_size=" + udec(le.Uint64(b[40:]))
	}
	return s + ", ...}"
}

// utsname formats a struct utsname, abbreviated:
// {sysname="Linux", nodename="quartz", ...}.
func (c *call) utsname(addr uint64) string {
	b, ok := c.read(addr, 65*2)
	if !ok {
		return ptr(addr)
	}
	field := func(f []byte) string {
		if i := strings.IndexByte(string(f), 0); i >= 0 {
			f = f[:i]
		}
		return quote(f, false, false)
	}
	return "{sysname=" + field(b[:65]) + ", nodename=" + field(b[65:130]) + ", ...}"
}

// fdPair formats the two ints at addr: [3, 4].
func (c *call) fdPair(addr uint64) string {
	b, ok := c.read(addr, 8)
	if !ok {
		return ptr(addr)
	}
	return "[" + cint(uint64(le.Uint32(b))) + ", " + cint(uint64(le.Uint32(b[4:]))) + "]"
}

// intAt formats the int at addr in brackets: [16].
func (c *call) intAt(addr uint64) string {
	v, ok := c.u32(addr)
	if !ok {
		return ptr(addr)
	}
	return "[" + cint(uint64(v)) + "]"
}

// longAt formats the 64-bit integer at addr in brackets: [4096].
func (c *call) longAt(addr uint64) string {
	v, ok := c.u64(addr)
	if !ok {
		return ptr(addr)
	}
	return "[" + dec(int64(v)) + "]"
}

// waitStatus formats an exit status the way strace does:
// [{WIFEXITED(s) && WEXITSTATUS(s) == 0}].
func waitStatus(st uint32) string {
	var s string
	switch {
	case st&0x7f == 0:
		s = "WIFEXITED(s) && WEXITSTATUS(s) == " + strconv.Itoa(int(st>>8&0xff))
	case st&0xff == 0x7f:
		s = "WIFSTOPPED(s) && WSTOPSIG(s) == " + abi.SignalName(int(st>>8&0xff))
		if st>>16 != 0 {
			s += " && s>>16 == " + strconv.Itoa(int(st>>16))
		}
	case st == 0xffff:
		s = "WIFCONTINUED(s)"
	default:
		s = "WIFSIGNALED(s) && WTERMSIG(s) == " + abi.SignalName(int(st&0x7f))
		if st&0x80 != 0 {
			s += " && WCOREDUMP(s)"
		}
	}
	return "[{" + s + "}]"
}

func (c *call) waitStatusAt(addr uint64) string {
	v, ok := c.u32(addr)
	if !ok {
		return ptr(addr)
	}
	return waitStatus(v)
}

// iovec formats an array of n struct iovec. With data set each buffer is
// shown, all of them (total < 0) or the first total bytes of the lot.
func (c *call) iovec(addr uint64, n uint64, total int64) string {
	if addr == 0 {
		return "NULL"
	}
	var parts []string
	for i := uint64(0); i < n; i++ {
		if i == maxArray {
			parts = append(parts, "...")
			break
		}
		b, ok := c.read(addr+i*16, 16)
		if !ok {
			if i == 0 {
				return hex(addr)
			}
			parts = append(parts, "...")
			break
		}
		base, length := le.Uint64(b), le.Uint64(b[8:])
		shown := length
		if total >= 0 {
			shown = min(length, uint64(total))
			total -= int64(shown)
		}
		parts = append(parts, "{iov_base="+c.buf(base, shown, false)+", iov_len="+udec(length)+"}")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// dirents formats getdents's buffer the way strace does without -v:
// 0x5581fd6d7a80 /* 13 entries */.
func (c *call) dirents(addr uint64, n int64, recLenOff uint64) string {
	b, ok := c.read(addr, int(min(n, 1<<20)))
	if !ok {
		return ptr(addr)
	}
	count := 0
	for off := uint64(0); off+recLenOff+2 <= uint64(len(b)); count++ {
		reclen := uint64(le.Uint16(b[off+recLenOff:]))
		if reclen == 0 {
			break
		}
		off += reclen
	}
	if count == 1 {
		return hex(addr) + " /* 1 entry */"
	}
	return hex(addr) + " /* " + strconv.Itoa(count) + " entries */"
}

// cpuSet formats a CPU mask of n bytes: [0 1 2 3].
func (c *call) cpuSet(addr uint64, n uint64) string {
	b, ok := c.read(addr, int(min(n, 1024)))
	if !ok {
		return ptr(addr)
	}
	var cpus []string
	for i, x := range b {
		for bit := 0; bit < 8; bit++ {
			if x&(1<<bit) != 0 {
				cpus = append(cpus, strconv.Itoa(i*8+bit))
			}
		}
	}
	return "[" + strings.Join(cpus, " ") + "]"
}

// fdSet formats an fd_set of nfds bits: [0 3].
func (c *call) fdSet(addr uint64, nfds uint64) string {
	if addr == 0 {
		return "NULL"
	}
	nfds = min(nfds, 1024)
	b, ok := c.read(addr, int((nfds+7)/8))
	if !ok {
		return hex(addr)
	}
	var fds []string
	for fd := uint64(0); fd < nfds; fd++ {
		if b[fd/8]&(1<<(fd%8)) != 0 {
			fds = append(fds, strconv.FormatUint(fd, 10))
		}
	}
	return "[" + strings.Join(fds, " ") + "]"
}

// pollfds formats n struct pollfd: [{fd=3, events=POLLIN}]. With revents
// set it shows the returned events of those that have any instead.
func (c *call) pollfds(addr uint64, n uint64, revents bool) string {
	if addr == 0 {
		return "NULL"
	}
	var parts []string
	for i := uint64(0); i < min(n, 1024); i++ {
		if len(parts) == maxArray {
			parts = append(parts, "...")
			break
		}
		b, ok := c.read(addr+i*8, 8)
		if !ok {
			if i == 0 {
				return hex(addr)
			}
			parts = append(parts, "...")
			break
		}
		fd := cint(uint64(le.Uint32(b)))
		if revents {
			if r := uint64(le.Uint16(b[6:])); r != 0 {
				parts = append(parts, "{fd="+fd+", revents="+pollEvents.flags(r, "0")+"}")
			}
			continue
		}
		parts = append(parts, "{fd="+fd+", events="+pollEvents.flags(uint64(le.Uint16(b[4:])), "0")+"}")
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// epollEvent formats one packed struct epoll_event (12 bytes).
func epollEvent(b []byte) string {
	data := le.Uint64(b[4:])
	return "{events=" + epollEvents.flags(uint64(le.Uint32(b)), "0") +
		", data={u32=" + udec(uint64(uint32(data))) + ", u64=" + udec(data) + "}}"
}

func (c *call) epollEventAt(addr uint64) string {
	b, ok := c.read(addr, 12)
	if !ok {
		return ptr(addr)
	}
	return epollEvent(b)
}

// epollEvents formats n struct epoll_event: [{events=EPOLLIN, data={u32=3, u64=3}}].
func (c *call) epollEventsAt(addr uint64, n uint64) string {
	n = min(n, maxArray)
	b, ok := c.read(addr, int(n*12))
	if !ok {
		return ptr(addr)
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = epollEvent(b[i*12:])
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// sockaddr formats a socket address of n bytes:
// {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")}.
func (c *call) sockaddr(addr uint64, n uint64) string {
	if addr == 0 {
		return "NULL"
	}
	if n < 2 {
		return hex(addr)
	}
	b, ok := c.read(addr, int(min(n, 128)))
	if !ok {
		return hex(addr)
	}
	family := uint64(le.Uint16(b))
	s := "{sa_family=" + addressFamilies.value(family)
	switch {
	case family == afUnix:
		path := b[2:]
		switch {
		case len(path) == 0:
		case path[0] == 0: // abstract
			s += ", sun_path=@" + quote(path[1:], false, false)
		default:
			if i := strings.IndexByte(string(path), 0); i >= 0 {
				path = path[:i]
			}
			s += ", sun_path=" + quote(path, false, false)
		}
	case family == afInet && len(b) >= 8:
		ip := netip.AddrFrom4([4]byte(b[4:8]))
		s += ", sin_port=htons(" + udec(uint64(binary.BigEndian.Uint16(b[2:]))) + "), sin_addr=inet_addr(\"" + ip.String() + "\")"
	case family == afInet6 && len(b) >= 28:
		ip := netip.AddrFrom16([16]byte(b[8:24]))
		s += ", sin6_port=htons(" + udec(uint64(binary.BigEndian.Uint16(b[2:]))) +
			"), sin6_flowinfo=htonl(" + udec(uint64(binary.BigEndian.Uint32(b[4:]))) +
			"), inet_pton(AF_INET6, \"" + ip.String() + "\", &sin6_addr), sin6_scope_id=" + udec(uint64(le.Uint32(b[24:])))
	default:
		s += ", sa_data=" + quote(b[2:], false, false)
	}
	return s + "}"
}

// openHow formats openat2's struct open_how:
// {flags=O_RDONLY|O_CLOEXEC, mode=0, resolve=RESOLVE_NO_SYMLINKS}.
func (c *call) openHow(addr uint64, size uint64) string {
	b, ok := c.read(addr, 24)
	if !ok || size < 24 {
		return ptr(addr)
	}
	flags := le.Uint64(b)
	s := "{flags=" + openMode(flags)
	if mode := le.Uint64(b[8:]); mode != 0 || flags&(oCreat|oTmpfile) != 0 {
		s += ", mode=" + octal(mode)
	}
	if r := le.Uint64(b[16:]); r != 0 {
		s += ", resolve=" + resolveFlags.flags(r, "0")
	}
	return s + "}"
}

// cloneArgs formats clone3's struct clone_args:
// {flags=CLONE_VM|..., child_tid=0x..., exit_signal=SIGCHLD, stack=0x..., stack_size=0x..., tls=0x...}.
func (c *call) cloneArgs(addr uint64, size uint64) string {
	if size < 64 {
		return ptr(addr)
	}
	b, ok := c.read(addr, 64)
	if !ok {
		return ptr(addr)
	}
	flags := le.Uint64(b)
	s := "{flags=" + cloneFlagNames.flags(flags, "0")
	if flags&clonePidfd != 0 {
		s += ", pidfd=" + ptr(le.Uint64(b[8:]))
	}
	if flags&(cloneChildSettid|cloneChildCleartid) != 0 {
		s += ", child_tid=" + ptr(le.Uint64(b[16:]))
	}
	if flags&cloneParentSettid != 0 {
		s += ", parent_tid=" + ptr(le.Uint64(b[24:]))
	}
	exit := le.Uint64(b[32:])
	if exit == 0 {
		s += ", exit_signal=0"
	} else {
		s += ", exit_signal=" + signal(exit)
	}
	s += ", stack=" + ptr(le.Uint64(b[40:])) + ", stack_size=" + hex(le.Uint64(b[48:]))
	if flags&cloneSettls != 0 {
		s += ", tls=" + ptr(le.Uint64(b[56:]))
	}
	return s + "}"
}
