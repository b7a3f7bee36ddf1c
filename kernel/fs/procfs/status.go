package procfs

import (
	"fmt"
	"strconv"
	"strings"
)

// stateNames are status's State texts (Linux's task_state_array).
var stateNames = map[byte]string{
	'R': "R (running)",
	'S': "S (sleeping)",
	'D': "D (disk sleep)",
	'T': "T (stopped)",
	't': "t (tracing stop)",
	'X': "X (dead)",
	'Z': "Z (zombie)",
	'P': "P (parked)",
	'I': "I (idle)",
}

// pfKthread is Linux's PF_KTHREAD task flag.
const pfKthread = 0x00200000

// memsAllowed is Mems_allowed for the one memory node Quartz has: a
// bitmap of MAX_NUMNODES (1024, as distribution kernels configure it).
var memsAllowed = func() string {
	nodes := make([]bool, 1024)
	nodes[0] = true
	return string(bitmapHex(nil, nodes))
}()

// fmtStatus is /proc/<pid>/status (or a thread's): Linux's
// proc_pid_status, line for line. Lines about Linux features Quartz does
// not have show those features off: no NUMA group, one pid name space
// level, no core dump in progress, no speculation controls set.
func fmtStatus(in ProcessInfo) []byte {
	b := make([]byte, 0, 1536)
	b = append(b, "Name:\t"...)
	b = escapeComm(b, in.Comm)
	b = fmt.Appendf(b, "\nUmask:\t%04o\n", in.Umask&0o777)
	b = append(b, "State:\t"...)
	b = append(b, stateName(in.State)...)
	b = fmt.Appendf(b, "\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t%d\n",
		in.TGID, in.PID, in.PPID, in.TracerPID)
	b = fmt.Appendf(b, "Uid:\t%d\t%d\t%d\t%d\nGid:\t%d\t%d\t%d\t%d\nFDSize:\t%d\nGroups:\t",
		in.UID[0], in.UID[1], in.UID[2], in.UID[3], in.GID[0], in.GID[1], in.GID[2], in.GID[3], in.FDSize)
	for i, g := range in.Groups {
		if i > 0 {
			b = append(b, ' ')
		}
		b = strconv.AppendUint(b, uint64(g), 10)
	}
	// Linux ends the list with a space it keeps for compatibility.
	b = append(b, ' ')
	b = fmt.Appendf(b, "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", in.TGID, in.PID, in.PGRP, in.SID)
	kthread := 0
	if in.Flags&pfKthread != 0 {
		kthread = 1
	}
	b = fmt.Appendf(b, "Kthread:\t%d\n", kthread)
	if m := in.Mem; m != nil {
		kb := func(label string, v uint64) {
			b = fmt.Appendf(b, "%s:\t%8d kB\n", label, v>>10)
		}
		kb("VmPeak", max(m.Peak, m.Size))
		kb("VmSize", m.Size)
		kb("VmLck", m.Locked)
		kb("VmPin", m.Pinned)
		kb("VmHWM", max(m.HWM, m.RSS))
		kb("VmRSS", m.RSS)
		kb("RssAnon", m.RSSAnon)
		kb("RssFile", m.RSSFile)
		kb("RssShmem", m.RSSShmem)
		kb("VmData", m.Data)
		kb("VmStk", m.Stack)
		kb("VmExe", m.Exe)
		kb("VmLib", m.Lib)
		kb("VmPTE", m.PTE)
		kb("VmSwap", m.Swap)
		kb("HugetlbPages", 0)
		thp := 1
		if m.THPDisabled {
			thp = 0
		}
		// untag_mask is all ones: x86-64 without linear address masking.
		b = fmt.Appendf(b, "CoreDumping:\t0\nTHP_enabled:\t%d\nuntag_mask:\t0xffffffffffffffff\n", thp)
	}
	b = fmt.Appendf(b, "Threads:\t%d\nSigQ:\t%d/%d\n", in.Threads, in.SigQueued, in.SigQueueLimit)
	for _, s := range []struct {
		label string
		set   uint64
	}{
		{"SigPnd", in.SigPending}, {"ShdPnd", in.SigShared}, {"SigBlk", in.SigBlocked},
		{"SigIgn", in.SigIgnored}, {"SigCgt", in.SigCaught},
		{"CapInh", in.CapInh}, {"CapPrm", in.CapPrm}, {"CapEff", in.CapEff},
		{"CapBnd", in.CapBnd}, {"CapAmb", in.CapAmb},
	} {
		b = fmt.Appendf(b, "%s:\t%016x\n", s.label, s.set)
	}
	noNewPrivs := 0
	if in.NoNewPrivs {
		noNewPrivs = 1
	}
	b = fmt.Appendf(b, "NoNewPrivs:\t%d\nSeccomp:\t%d\nSeccomp_filters:\t%d\n", noNewPrivs, in.Seccomp, in.SeccompFilters)
	b = append(b, "Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n"...)
	cpus := in.CPUsAllowed
	if len(cpus) == 0 {
		cpus = []bool{true}
	}
	b = append(b, "Cpus_allowed:\t"...)
	b = bitmapHex(b, cpus)
	b = append(b, "\nCpus_allowed_list:\t"...)
	b = bitmapList(b, cpus)
	b = append(b, "\nMems_allowed:\t"...)
	b = append(b, memsAllowed...)
	b = append(b, "\nMems_allowed_list:\t0\n"...)
	b = fmt.Appendf(b, "voluntary_ctxt_switches:\t%d\nnonvoluntary_ctxt_switches:\t%d\n",
		in.VoluntarySwitches, in.InvoluntarySwitches)
	return b
}

func stateName(c byte) string {
	if s, ok := stateNames[state(c)]; ok {
		return s
	}
	return string(c)
}

// escapeComm writes a command name the way status's Name line does:
// newlines and backslashes escaped, so that the line stays one line.
func escapeComm(b []byte, comm string) []byte {
	for i := 0; i < len(comm); i++ {
		switch c := comm[i]; c {
		case '\n':
			b = append(b, `\n`...)
		case '\\':
			b = append(b, `\\`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// bitmapHex prints a bitmap as Linux's "%*pb": 32-bit hex groups, most
// significant first, separated by commas, the first only as wide as
// its bits need.
func bitmapHex(b []byte, bits []bool) []byte {
	n := len(bits)
	top := (n - 1) / 32 * 32
	for lo := top; lo >= 0; lo -= 32 {
		var v uint32
		for i := 0; i < 32 && lo+i < n; i++ {
			if bits[lo+i] {
				v |= 1 << i
			}
		}
		width := 8
		if lo == top {
			width = (n - top + 3) / 4
			if width > 8 {
				width = 8
			}
		} else {
			b = append(b, ',')
		}
		s := strconv.FormatUint(uint64(v), 16)
		b = append(b, strings.Repeat("0", max(0, width-len(s)))...)
		b = append(b, s...)
	}
	return b
}

// bitmapList prints a bitmap as Linux's "%*pbl": ranges such as
// "0-3,8,10-11".
func bitmapList(b []byte, bits []bool) []byte {
	first := true
	for i := 0; i < len(bits); {
		if !bits[i] {
			i++
			continue
		}
		j := i
		for j+1 < len(bits) && bits[j+1] {
			j++
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = strconv.AppendInt(b, int64(i), 10)
		if j > i {
			b = append(b, '-')
			b = strconv.AppendInt(b, int64(j), 10)
		}
		i = j + 1
	}
	return b
}
