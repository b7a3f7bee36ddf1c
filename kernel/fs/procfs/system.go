package procfs

import (
	"fmt"
	"math"
	"time"
)

// The system-wide files, formatted from SystemInfo as Linux formats
// them.

// fmtUptime is /proc/uptime: seconds since boot and seconds all CPUs
// spent idle, with hundredths, truncated.
func fmtUptime(s SystemInfo) []byte {
	var idle time.Duration
	for _, c := range s.CPUs {
		idle += c.Times.Idle
	}
	hundredths := func(d time.Duration) (int64, int64) {
		d = max(d, 0)
		return int64(d / time.Second), int64(d % time.Second / (10 * time.Millisecond))
	}
	us, uc := hundredths(s.Uptime)
	is, ic := hundredths(idle)
	return fmt.Appendf(nil, "%d.%02d %d.%02d\n", us, uc, is, ic)
}

// fmtLoadavg is /proc/loadavg: the three load averages rounded to
// hundredths, runnable/all threads, and the last pid given.
func fmtLoadavg(s SystemInfo) []byte {
	var b []byte
	for _, l := range s.Load {
		h := int64(math.Floor(max(l, 0)*100 + 0.5))
		b = fmt.Appendf(b, "%d.%02d ", h/100, h%100)
	}
	return fmt.Appendf(b, "%d/%d %d\n", s.Running, s.Threads, s.LastPID)
}

// fmtStat is /proc/stat: CPU times in clock ticks, summed then per CPU,
// and the counters. Quartz has no interrupts, so intr and softirq are
// zero (softirq has Linux's ten kinds).
func fmtStat(s SystemInfo) []byte {
	line := func(b []byte, name string, t CPUTimes) []byte {
		b = append(b, name...)
		for _, d := range []time.Duration{t.User, t.Nice, t.System, t.Idle, t.IOWait,
			t.IRQ, t.SoftIRQ, t.Steal, t.Guest, t.GuestNice} {
			b = fmt.Appendf(b, " %d", ticks(d))
		}
		return append(b, '\n')
	}
	var sum CPUTimes
	for _, c := range s.CPUs {
		t := c.Times
		sum.User += t.User
		sum.Nice += t.Nice
		sum.System += t.System
		sum.Idle += t.Idle
		sum.IOWait += t.IOWait
		sum.IRQ += t.IRQ
		sum.SoftIRQ += t.SoftIRQ
		sum.Steal += t.Steal
		sum.Guest += t.Guest
		sum.GuestNice += t.GuestNice
	}
	b := line(nil, "cpu ", sum)
	for i, c := range s.CPUs {
		b = line(b, fmt.Sprintf("cpu%d", i), c.Times)
	}
	var btime int64
	if !s.BootTime.IsZero() {
		btime = s.BootTime.Unix()
	}
	b = fmt.Appendf(b, "intr 0\nctxt %d\nbtime %d\nprocesses %d\nprocs_running %d\nprocs_blocked %d\n",
		s.ContextSwitches, btime, s.Forks, s.Running, s.Blocked)
	return append(b, "softirq 0 0 0 0 0 0 0 0 0 0 0\n"...)
}

// fmtMeminfo is /proc/meminfo: Linux 6's lines, label and value in
// "%-16s%8d kB" columns. What Quartz does not track (swap caches, slab
// reclaim, huge pages, zswap) reads 0; all page cache counts as active.
// The x86 DirectMap lines are left out: they describe the host's page
// tables, which the guest has no business knowing.
func fmtMeminfo(s SystemInfo) []byte {
	m := s.Memory
	var b []byte
	kb := func(label string, v uint64) {
		b = fmt.Appendf(b, "%-16s%8d kB\n", label+":", v>>10)
	}
	kb("MemTotal", m.Total)
	kb("MemFree", m.Free)
	kb("MemAvailable", m.Available)
	kb("Buffers", m.Buffers)
	kb("Cached", m.Cached)
	kb("SwapCached", 0)
	kb("Active", m.Anon+m.Cached)
	kb("Inactive", 0)
	kb("Active(anon)", m.Anon)
	kb("Inactive(anon)", 0)
	kb("Active(file)", m.Cached)
	kb("Inactive(file)", 0)
	kb("Unevictable", 0)
	kb("Mlocked", 0)
	kb("SwapTotal", m.SwapTotal)
	kb("SwapFree", m.SwapFree)
	kb("Zswap", 0)
	kb("Zswapped", 0)
	kb("Dirty", 0)
	kb("Writeback", 0)
	kb("AnonPages", m.Anon)
	kb("Mapped", m.Mapped)
	kb("Shmem", m.Shmem)
	kb("KReclaimable", 0)
	kb("Slab", m.Slab)
	kb("SReclaimable", 0)
	kb("SUnreclaim", m.Slab)
	kb("KernelStack", m.KernelStack)
	kb("PageTables", m.PageTables)
	kb("SecPageTables", 0)
	kb("NFS_Unstable", 0)
	kb("Bounce", 0)
	kb("WritebackTmp", 0)
	// Linux's default overcommit_ratio: half of RAM, plus swap.
	kb("CommitLimit", m.Total/2+m.SwapTotal)
	kb("Committed_AS", m.Committed)
	// The x86-64 vmalloc area with four-level page tables.
	kb("VmallocTotal", 34359738367<<10)
	kb("VmallocUsed", 0)
	kb("VmallocChunk", 0)
	kb("Percpu", 0)
	kb("AnonHugePages", 0)
	kb("ShmemHugePages", 0)
	kb("ShmemPmdMapped", 0)
	kb("FileHugePages", 0)
	kb("FilePmdMapped", 0)
	b = append(b, "HugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\nHugePages_Surp:        0\n"...)
	kb("Hugepagesize", 2<<20)
	kb("Hugetlb", 0)
	return b
}

// fmtCPUInfo is /proc/cpuinfo in x86's layout, one block per CPU.
func fmtCPUInfo(s SystemInfo) []byte {
	var b []byte
	for i, c := range s.CPUs {
		vendor, name := c.VendorID, c.ModelName
		if vendor == "" {
			vendor = "unknown"
		}
		if name == "" {
			name = "unknown"
		}
		b = fmt.Appendf(b, "processor\t: %d\nvendor_id\t: %s\ncpu family\t: %d\nmodel\t\t: %d\nmodel name\t: %s\nstepping\t: %d\n",
			i, vendor, c.Family, c.Model, name, c.Stepping)
		if c.Microcode != 0 {
			b = fmt.Appendf(b, "microcode\t: 0x%x\n", c.Microcode)
		}
		if c.MHz > 0 {
			khz := int64(math.Round(c.MHz * 1000))
			b = fmt.Appendf(b, "cpu MHz\t\t: %d.%03d\n", khz/1000, khz%1000)
		}
		if c.CacheSizeKB != 0 {
			b = fmt.Appendf(b, "cache size\t: %d KB\n", c.CacheSizeKB)
		}
		b = fmt.Appendf(b, "physical id\t: %d\nsiblings\t: %d\ncore id\t\t: %d\ncpu cores\t: %d\napicid\t\t: %d\ninitial apicid\t: %d\n",
			c.PhysicalID, c.Siblings, c.CoreID, c.Cores, c.APICID, c.InitialAPICID)
		b = fmt.Appendf(b, "fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %d\nwp\t\t: yes\n", c.CPUIDLevel)
		b = append(b, "flags\t\t:"...)
		for _, f := range c.Flags {
			b = append(b, ' ')
			b = append(b, f...)
		}
		b = append(b, "\nbugs\t\t:"...)
		for _, f := range c.Bugs {
			b = append(b, ' ')
			b = append(b, f...)
		}
		bogo := int64(math.Round(c.BogoMIPS * 100))
		b = fmt.Appendf(b, "\nbogomips\t: %d.%02d\n", bogo/100, bogo%100)
		if c.TLBSize > 0 {
			b = fmt.Appendf(b, "TLB size\t: %d 4K pages\n", c.TLBSize)
		}
		b = fmt.Appendf(b, "clflush size\t: %d\ncache_alignment\t: %d\naddress sizes\t: %d bits physical, %d bits virtual\npower management:",
			c.CLFlushSize, c.CacheAlignment, c.PhysBits, c.VirtBits)
		for _, f := range c.PowerManagement {
			b = append(b, ' ')
			b = append(b, f...)
		}
		b = append(b, "\n\n"...)
	}
	return b
}

// fmtVersion is /proc/version.
func fmtVersion(s SystemInfo) []byte {
	k := s.Kernel
	if k.Build == "" {
		return fmt.Appendf(nil, "Linux version %s %s\n", k.Release, k.Version)
	}
	return fmt.Appendf(nil, "Linux version %s %s %s\n", k.Release, k.Build, k.Version)
}

// fmtFilesystems is /proc/filesystems: "nodev" or nothing, a tab, the
// name.
func fmtFilesystems(s SystemInfo) []byte {
	var b []byte
	for _, f := range s.FileSystems {
		if f.NoDev {
			b = append(b, "nodev"...)
		}
		b = append(b, '\t')
		b = append(b, f.Name...)
		b = append(b, '\n')
	}
	return b
}
