package linux

import (
	"golang.org/x/sys/unix"
)

func init() {
	register(unix.SYS_UNAME, sysUname)
	register(unix.SYS_GETPID, sysGetpid)
	register(unix.SYS_GETUID, sysGetuid)
	register(unix.SYS_GETEUID, sysGetuid)
	register(unix.SYS_GETGID, sysGetgid)
	register(unix.SYS_GETEGID, sysGetgid)
	register(unix.SYS_GETRLIMIT, sysGetrlimit)
	register(unix.SYS_PRLIMIT64, sysPrlimit64)
	register(unix.SYS_SYSINFO, sysSysinfo)
	register(unix.SYS_GETRANDOM, sysGetrandom)
	register(unix.SYS_ARCH_PRCTL, sysArchPrctl)
	register(unix.SYS_PRCTL, sysPrctl)
}

// nodename is the host name guests see.
const nodename = "quartz"

func sysUname(t *Thread, a sysArgs) (uint64, error) {
	var host unix.Utsname
	if err := unix.Uname(&host); err != nil {
		return 0, err
	}
	// The guest sees the host's kernel release and version (libc and
	// programs check them for features) under Quartz's own host name.
	u := host
	u.Nodename = [65]byte{}
	copy(u.Nodename[:], nodename)
	u.Domainname = [65]byte{}
	copy(u.Domainname[:], "(none)")
	return 0, writeStruct(t, a[0], &u)
}

func sysGetpid(t *Thread, a sysArgs) (uint64, error) { return uint64(t.proc.pid), nil }

// Guests run with the identity Quartz runs with.
func sysGetuid(t *Thread, a sysArgs) (uint64, error) { return uint64(unix.Getuid()), nil }
func sysGetgid(t *Thread, a sysArgs) (uint64, error) { return uint64(unix.Getgid()), nil }

// rlimit is struct rlimit64.
type rlimit struct{ Cur, Max uint64 }

const rlimInfinity = ^uint64(0)

// limits are the resource limits guests see: Linux's usual defaults.
func defaultLimit(resource uint64) (rlimit, bool) {
	switch resource {
	case unix.RLIMIT_STACK:
		return rlimit{8 << 20, rlimInfinity}, true
	case unix.RLIMIT_NOFILE:
		return rlimit{maxFDs, maxFDs}, true
	case unix.RLIMIT_NPROC, unix.RLIMIT_SIGPENDING:
		return rlimit{63459, 63459}, true
	case unix.RLIMIT_MEMLOCK:
		return rlimit{8 << 20, 8 << 20}, true
	case unix.RLIMIT_MSGQUEUE:
		return rlimit{819200, 819200}, true
	case unix.RLIMIT_CORE:
		return rlimit{0, rlimInfinity}, true
	case unix.RLIMIT_NICE, unix.RLIMIT_RTPRIO:
		return rlimit{0, 0}, true
	case unix.RLIMIT_CPU, unix.RLIMIT_FSIZE, unix.RLIMIT_DATA, unix.RLIMIT_RSS,
		unix.RLIMIT_AS, unix.RLIMIT_LOCKS, unix.RLIMIT_RTTIME:
		return rlimit{rlimInfinity, rlimInfinity}, true
	}
	return rlimit{}, false
}

func sysGetrlimit(t *Thread, a sysArgs) (uint64, error) {
	lim, ok := defaultLimit(a[0])
	if !ok {
		return 0, unix.EINVAL
	}
	return 0, writeStruct(t, a[1], &lim)
}

func sysPrlimit64(t *Thread, a sysArgs) (uint64, error) {
	pid, resource, newAddr, oldAddr := a[0], a[1], a[2], a[3]
	if pid != 0 && t.proc.k.findProcess(int(int32(pid))) == nil {
		return 0, unix.ESRCH
	}
	lim, ok := defaultLimit(resource)
	if !ok {
		return 0, unix.EINVAL
	}
	if newAddr != 0 {
		var nl rlimit
		if err := readStruct(t, newAddr, &nl); err != nil {
			return 0, err
		}
		if nl.Cur > nl.Max {
			return 0, unix.EINVAL
		}
		if nl.Max > lim.Max {
			return 0, unix.EPERM
		}
		// Limits are not enforced yet; lowering one is accepted and the
		// defaults keep being reported.
	}
	if oldAddr != 0 {
		return 0, writeStruct(t, oldAddr, &lim)
	}
	return 0, nil
}

func sysSysinfo(t *Thread, a sysArgs) (uint64, error) {
	var si unix.Sysinfo_t
	if err := unix.Sysinfo(&si); err != nil {
		return 0, err
	}
	mem := t.proc.k.frames.Memory()
	used := t.proc.k.frames.Used() * 4096
	si.Totalram = mem.Size()
	si.Freeram = mem.Size() - used
	si.Sharedram, si.Bufferram, si.Totalswap, si.Freeswap = 0, 0, 0, 0
	k := t.proc.k
	k.tree.mu.Lock()
	si.Procs = uint16(min(len(k.tree.tasks), 0xffff))
	k.tree.mu.Unlock()
	si.Unit = 1
	return 0, writeStruct(t, a[0], &si)
}

func sysGetrandom(t *Thread, a sysArgs) (uint64, error) {
	if a[2]&^(unix.GRND_NONBLOCK|unix.GRND_RANDOM|unix.GRND_INSECURE) != 0 {
		return 0, unix.EINVAL
	}
	buf := make([]byte, min(a[1], 1<<25))
	n, err := unix.Getrandom(buf, int(a[2]&unix.GRND_NONBLOCK))
	if err != nil {
		return 0, err
	}
	return uint64(n), t.copyOut(a[0], buf[:n])
}

func sysArchPrctl(t *Thread, a sysArgs) (uint64, error) {
	switch a[0] {
	case archSetFS:
		if a[1] >= 1<<47 {
			return 0, unix.EPERM
		}
		t.regs.FsBase = a[1]
	case archGetFS:
		return 0, t.writeUint64(a[1], t.regs.FsBase)
	case archSetGS:
		if a[1] >= 1<<47 {
			return 0, unix.EPERM
		}
		t.regs.GsBase = a[1]
	case archGetGS:
		return 0, t.writeUint64(a[1], t.regs.GsBase)
	default:
		return 0, unix.EINVAL
	}
	return 0, nil
}

func sysPrctl(t *Thread, a sysArgs) (uint64, error) {
	switch a[0] {
	case unix.PR_SET_NAME:
		name, err := t.proc.mm.ReadString(a[1], 16)
		if err != nil && err != unix.ENAMETOOLONG {
			return 0, unix.EFAULT
		}
		if err == unix.ENAMETOOLONG {
			b := make([]byte, 15)
			if err := t.copyIn(a[1], b); err != nil {
				return 0, err
			}
			name = string(b)
		}
		t.name = name
		return 0, nil
	case unix.PR_GET_NAME:
		b := make([]byte, 16)
		copy(b, t.name)
		return 0, t.copyOut(a[1], b)
	case unix.PR_SET_PDEATHSIG:
		if a[1] > numSignals {
			return 0, unix.EINVAL
		}
		t.proc.deathSignal.Store(int32(a[1]))
		return 0, nil
	case unix.PR_GET_PDEATHSIG:
		return 0, t.writeUint32(a[1], uint32(t.proc.deathSignal.Load()))
	case unix.PR_GET_DUMPABLE:
		return 1, nil
	case unix.PR_SET_DUMPABLE:
		if a[1] > 1 {
			return 0, unix.EINVAL
		}
		return 0, nil
	}
	return 0, unix.EINVAL
}
