package procfs

import (
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"quartz/hal"
)

// userHZ is the clock tick of every time in proc's text (USER_HZ).
const userHZ = 100

// ticks converts a duration to clock ticks, truncating as Linux's
// nsec_to_clock_t does.
func ticks(d time.Duration) uint64 {
	if d < 0 {
		return 0
	}
	return uint64(d / (time.Second / userHZ))
}

// encodeDev is Linux's new_encode_dev: the 32-bit form of a device
// number that stat's tty_nr field shows.
func encodeDev(dev uint64) int64 {
	major, minor := uint64(unix.Major(dev)), uint64(unix.Minor(dev))
	return int64(minor&0xff | major<<8 | (minor&^0xff)<<12)
}

// statLine formats the numbers of stat and statm: each appended after
// one space, signed or unsigned as Linux prints each field.
type statLine []byte

func (b *statLine) u(vs ...uint64) {
	for _, v := range vs {
		*b = append(*b, ' ')
		*b = strconv.AppendUint(*b, v, 10)
	}
}

func (b *statLine) d(vs ...int64) {
	for _, v := range vs {
		*b = append(*b, ' ')
		*b = strconv.AppendInt(*b, v, 10)
	}
}

// fmtPidStat is /proc/<pid>/stat (whole: the group) or
// task/<tid>/stat: Linux's do_task_stat, 52 fields. The fields Quartz
// has no notion of (itrealvalue, nswap, delay-accounting and guest
// times) are 0, as on Linux without them; the stack and instruction
// pointers are 0 as Linux shows them for any running process.
func fmtPidStat(in ProcessInfo, whole bool) []byte {
	b := statLine(make([]byte, 0, 320))
	b = strconv.AppendInt(b, int64(in.PID), 10)
	b = append(b, " ("...)
	b = append(b, in.Comm...)
	b = append(b, ") "...)
	b = append(b, state(in.State))
	b.d(int64(in.PPID), int64(in.PGRP), int64(in.SID), encodeDev(in.TTY), int64(in.TPGID))
	b.u(uint64(in.Flags), in.MinFlt, in.CMinFlt, in.MajFlt, in.CMajFlt, ticks(in.UTime), ticks(in.STime))
	b.d(int64(ticks(in.CUTime)), int64(ticks(in.CSTime)), int64(in.Priority), int64(in.Nice), int64(in.Threads))
	var vsize, rss, startCode, endCode, startStack uint64
	if m := in.Mem; m != nil {
		vsize, rss = m.Size, m.RSS/hal.PageSize
		startCode, endCode, startStack = m.StartCode, m.EndCode, m.StartStack
	}
	b.u(0, ticks(in.Start), vsize, rss, in.RSSLimit, startCode, endCode, startStack, 0, 0)
	// The old signal fields, decimal, first 31 signals only.
	const low = 0x7fffffff
	b.u(in.SigPending&low, in.SigBlocked&low, in.SigIgnored&low, in.SigCaught&low)
	// wchan is now a flag: 1 when a lone thread (or one thread's file)
	// is waiting.
	var wchan uint64
	if (!whole || in.Threads < 2) && state(in.State) != 'R' {
		wchan = 1
	}
	b.u(wchan, 0, 0)
	b.d(int64(in.ExitSignal), int64(in.CPU))
	b.u(uint64(in.RTPriority), uint64(in.Policy), 0, 0)
	b.d(0)
	if m := in.Mem; m != nil {
		b.u(m.StartData, m.EndData, m.StartBrk, m.ArgStart, m.ArgEnd, m.EnvStart, m.EnvEnd)
	} else {
		b.u(0, 0, 0, 0, 0, 0, 0)
	}
	b.d(int64(in.ExitCode))
	return append(b, '\n')
}

// fmtStatm is /proc/<pid>/statm: sizes in pages — total, resident,
// shared (file and shared memory), text, 0, data and stack, 0.
func fmtStatm(in ProcessInfo) []byte {
	m := in.Mem
	if m == nil {
		return []byte("0 0 0 0 0 0 0\n")
	}
	const pg = hal.PageSize
	b := statLine(strconv.AppendUint(nil, m.Size/pg, 10))
	b.u(m.RSS/pg, (m.RSSFile+m.RSSShmem)/pg, m.Exe/pg, 0, (m.Data+m.Stack)/pg, 0)
	return append(b, '\n')
}

// state is a state letter, R when the Provider gave none.
func state(c byte) byte {
	if c == 0 {
		return 'R'
	}
	return c
}
