package procfs

import (
	"os"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"quartz/kernel/vfs"
)

var me = task{tgid: 42, tid: 42}

const wantStat = "42 (my prog) S 1 42 42 34816 42 4194304 100 0 0 0 15 2 0 0 20 0 2 0 12345 6291456 512 " +
	"18446744073709551615 4194304 4198400 2147221504 0 0 0 2 4096 65536 0 0 0 17 1 0 0 0 0 0 " +
	"6291456 6295552 6299648 2147225600 2147225616 2147225616 2147225856 0\n"

// statFields splits a stat line into its fields; the name, in
// parentheses, may hold spaces.
func statFields(t *testing.T, line string) []string {
	t.Helper()
	open, closing := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || closing < open {
		t.Fatalf("no (comm) in %q", line)
	}
	return append([]string{strings.TrimSpace(line[:open]), line[open+1 : closing]},
		strings.Fields(line[closing+1:])...)
}

func TestSelfStat(t *testing.T) {
	w := newWorld(t)
	got := w.read(t, me, "/proc/self/stat")
	if got != wantStat {
		t.Errorf("stat:\n got %q\nwant %q", got, wantStat)
	}
	if got := w.read(t, me, "/proc/42/stat"); got != wantStat {
		t.Errorf("/proc/42/stat differs from /proc/self/stat: %q", got)
	}
	fields := statFields(t, got)
	if len(fields) != 52 {
		t.Errorf("%d fields, want 52", len(fields))
	}
	// The host's own stat has as many fields, in the same shape.
	host, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		t.Skipf("no host /proc: %v", err)
	}
	hostFields := statFields(t, strings.TrimSuffix(string(host), "\n"))
	if len(hostFields) != len(fields) {
		t.Errorf("host stat has %d fields, procfs %d", len(hostFields), len(fields))
	}
	num := regexp.MustCompile(`^-?\d+$`)
	for i := range min(len(fields), len(hostFields)) {
		if i == 1 {
			continue
		}
		if i == 2 {
			if len(fields[i]) != 1 || len(hostFields[i]) != 1 {
				t.Errorf("state field %q / host %q", fields[i], hostFields[i])
			}
			continue
		}
		if !num.MatchString(fields[i]) || !num.MatchString(hostFields[i]) {
			t.Errorf("field %d: %q (host %q) is not a number", i+1, fields[i], hostFields[i])
		}
	}
}

func TestThreadFiles(t *testing.T) {
	w := newWorld(t)
	thread := task{tgid: 42, tid: 43}
	if got := w.read(t, thread, "/proc/thread-self/comm"); got != "worker\n" {
		t.Errorf("thread-self/comm %q", got)
	}
	stat := w.read(t, me, "/proc/42/task/43/stat")
	f := statFields(t, stat)
	// The thread's own pid, state and times; wchan 0 as it runs.
	if f[0] != "43" || f[1] != "worker" || f[2] != "R" || f[13] != "3" || f[34] != "0" {
		t.Errorf("task stat %q", stat)
	}
	status := w.read(t, thread, "/proc/thread-self/status")
	for _, line := range []string{"Name:\tworker\n", "State:\tR (running)\n", "Tgid:\t42\n", "Pid:\t43\n", "Threads:\t2\n"} {
		if !strings.Contains(status, line) {
			t.Errorf("task status lacks %q:\n%s", line, status)
		}
	}
	// A thread's directory has no task/ of its own, and shares the
	// process's descriptors.
	if _, err := w.walk(me, "/proc/42/task/43/task", 0); err != unix.ENOENT {
		t.Errorf("task/43/task: %v", err)
	}
	if p := must(w.walk(me, "/proc/42/task/43/fd/0", vfs.Follow)); p.Inode() != w.x {
		t.Error("task/43/fd/0 does not lead to /tmp/x")
	}
	if _, err := w.walk(me, "/proc/42/task/44", 0); err != unix.ENOENT {
		t.Errorf("missing thread: %v", err)
	}
	if got := must(vfs.ReadlinkAs(thread, must(w.fs.Root().Lookup("thread-self")).(vfs.Symlink))); got != "42/task/43" {
		t.Errorf("thread-self -> %q", got)
	}
}

const wantStatus = "Name:\tmy prog\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t42\nNgid:\t0\nPid:\t42\nPPid:\t1\n" +
	"TracerPid:\t0\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nFDSize:\t64\nGroups:\t4 27 \n" +
	"NStgid:\t42\nNSpid:\t42\nNSpgid:\t42\nNSsid:\t42\nKthread:\t0\n" +
	"VmPeak:\t    8192 kB\nVmSize:\t    6144 kB\nVmLck:\t       0 kB\nVmPin:\t       0 kB\n" +
	"VmHWM:\t    3072 kB\nVmRSS:\t    2048 kB\nRssAnon:\t    1024 kB\nRssFile:\t    1024 kB\n" +
	"RssShmem:\t       0 kB\nVmData:\t    1024 kB\nVmStk:\t     132 kB\nVmExe:\t      20 kB\n" +
	"VmLib:\t    1024 kB\nVmPTE:\t      48 kB\nVmSwap:\t       0 kB\nHugetlbPages:\t       0 kB\n" +
	"CoreDumping:\t0\nTHP_enabled:\t1\nuntag_mask:\t0xffffffffffffffff\nThreads:\t2\nSigQ:\t0/63422\n" +
	"SigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\nSigBlk:\t0000000000000002\n" +
	"SigIgn:\t0000000000001000\nSigCgt:\t0000000000010000\nCapInh:\t0000000000000000\n" +
	"CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nCapBnd:\t000001ffffffffff\n" +
	"CapAmb:\t0000000000000000\nNoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n" +
	"Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n" +
	"Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\n" +
	"Mems_allowed:\t00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000," +
	"00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000," +
	"00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000,00000000," +
	"00000000,00000000,00000000,00000001\nMems_allowed_list:\t0\n" +
	"voluntary_ctxt_switches:\t5\nnonvoluntary_ctxt_switches:\t1\n"

// keys are the "key:" names of a key-value file, in order.
func keys(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if k, _, ok := strings.Cut(line, ":"); ok {
			out = append(out, strings.TrimSpace(k))
		}
	}
	return out
}

// sameOrder checks that the keys both lists have come in the same order,
// and reports ours the host lacks (an older kernel may).
func sameOrder(t *testing.T, what string, ours, host []string) {
	t.Helper()
	inHost := map[string]int{}
	for i, k := range host {
		if _, dup := inHost[k]; !dup {
			inHost[k] = i
		}
	}
	last := -1
	for _, k := range ours {
		i, ok := inHost[k]
		if !ok {
			t.Logf("%s: the host has no %q", what, k)
			continue
		}
		if i < last {
			t.Errorf("%s: %q comes earlier on the host", what, k)
		}
		last = i
	}
}

func TestStatus(t *testing.T) {
	w := newWorld(t)
	got := w.read(t, me, "/proc/self/status")
	if got != wantStatus {
		gl, wl := strings.Split(got, "\n"), strings.Split(wantStatus, "\n")
		for i := range min(len(gl), len(wl)) {
			if gl[i] != wl[i] {
				t.Errorf("status line %d: %q, want %q", i+1, gl[i], wl[i])
				break
			}
		}
		t.Errorf("status differs (%d lines, want %d)", len(gl), len(wl))
	}
	if host, err := os.ReadFile("/proc/self/status"); err == nil {
		sameOrder(t, "status", keys(got), keys(string(host)))
	}
	// A zombie has no address space: no memory lines, zeros in stat.
	zs := w.read(t, me, "/proc/7/status")
	if strings.Contains(zs, "VmSize") || !strings.Contains(zs, "State:\tZ (zombie)\n") {
		t.Errorf("zombie status:\n%s", zs)
	}
	if got := statFields(t, w.read(t, me, "/proc/7/stat")); got[22] != "0" || got[23] != "0" || got[25] != "0" {
		t.Errorf("zombie stat %v", got)
	}
	if got := w.read(t, me, "/proc/7/statm"); got != "0 0 0 0 0 0 0\n" {
		t.Errorf("zombie statm %q", got)
	}
	if got := w.read(t, me, "/proc/self/statm"); got != "1536 512 256 5 0 289 0\n" {
		t.Errorf("statm %q", got)
	}
}

func TestFormatHelpers(t *testing.T) {
	in := baseInfo()
	in.Comm = "a\\b\nc"
	if got := string(fmtStatus(in)); !strings.HasPrefix(got, "Name:\ta\\\\b\\nc\n") {
		t.Errorf("escaped name: %q", got[:20])
	}
	if got := string(fmtPidStat(in, true)); !strings.HasPrefix(got, "42 (a\\b\nc) S ") {
		t.Errorf("stat keeps the raw name: %q", got[:20])
	}
	bits := func(n int, set ...int) []bool {
		b := make([]bool, n)
		for _, i := range set {
			b[i] = true
		}
		return b
	}
	for _, c := range []struct {
		bits      []bool
		hex, list string
	}{
		{bits(2, 0, 1), "3", "0-1"},
		{bits(1, 0), "1", "0"},
		{bits(8, 1, 2, 3, 5), "2e", "1-3,5"},
		{bits(36, 35), "8,00000000", "35"},
		{bits(64, 0, 63), "80000000,00000001", "0,63"},
		{bits(12, 0, 1, 2, 3, 8, 10, 11), "d0f", "0-3,8,10-11"},
	} {
		if got := string(bitmapHex(nil, c.bits)); got != c.hex {
			t.Errorf("bitmapHex(%v) = %q, want %q", c.bits, got, c.hex)
		}
		if got := string(bitmapList(nil, c.bits)); got != c.list {
			t.Errorf("bitmapList(%v) = %q, want %q", c.bits, got, c.list)
		}
	}
	if got := encodeDev(unix.Mkdev(136, 300)); got != 300&0xff|136<<8|(300&^0xff)<<12 {
		t.Errorf("encodeDev %d", got)
	}
}

func TestSmallFiles(t *testing.T) {
	w := newWorld(t)
	for name, want := range map[string]string{
		"/proc/self/comm":    "my prog\n",
		"/proc/self/cmdline": "my prog\x00--flag\x00",
		"/proc/self/environ": "HOME=/root\x00PATH=/bin\x00",
		"/proc/self/maps":    "00400000-00401000 r-xp 00000000 00:00 0 /tmp/x\n",
		"/proc/self/mounts": "rootfs / tmpfs rw 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n" +
			"host\\040dir /mnt/a\\040b\\043c hostfs ro 0 0\n",
		"/proc/self/fdinfo/1": "pos:\t12\nflags:\t02001\nmnt_id:\t0\nino:\t" + itoa(int(must(w.x.Stat()).Ino)) + "\n",
		"/proc/self/fdinfo/2": "pos:\t0\nflags:\t02000002\nmnt_id:\t3\nino:\t" + itoa(int(must(w.x.Stat()).Ino)) + "\n",
		"/proc/self/fdinfo/5": "pos:\t0\nflags:\t00\nmnt_id:\t0\nino:\t42\n",
		"/proc/self/fdinfo/7": "pos:\t0\nflags:\t02\nmnt_id:\t0\nino:\t0\nextra:\t1\n",
	} {
		if got := w.read(t, me, name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	// /proc/mounts is the reader's: a link to self/mounts.
	l := must(w.walk(me, "/proc/mounts", 0))
	if target := must(l.Inode().(vfs.Symlink).Readlink()); target != "self/mounts" {
		t.Errorf("/proc/mounts -> %q", target)
	}
	if st := must(l.Inode().Stat()); st.Size != int64(len("self/mounts")) || st.Mode != unix.S_IFLNK|0o777 || st.Ino != 0xF0000002 {
		t.Errorf("/proc/mounts %+v", st)
	}
	if got, want := w.read(t, me, "/proc/mounts"), w.read(t, me, "/proc/42/mounts"); got != want {
		t.Errorf("/proc/mounts %q", got)
	}
}

func TestFDLinks(t *testing.T) {
	w := newWorld(t)
	// Following leads to the Provider's path, whatever the text says.
	for _, name := range []string{"/proc/self/fd/0", "/proc/self/fd/1", "/proc/42/fd/2", "/proc/self/exe"} {
		p, err := w.walk(me, name, vfs.Follow)
		if err != nil || p.Inode() != w.x {
			t.Errorf("%s: %v, %v", name, p, err)
		}
	}
	if p := must(w.walk(me, "/proc/self/cwd/x", 0)); p.Inode() != w.x {
		t.Error("cwd/x is not /tmp/x")
	}
	if p := must(w.walk(me, "/proc/self/root/tmp/x", 0)); p.Inode() != w.x {
		t.Error("root/tmp/x is not /tmp/x")
	}
	if p := must(w.walk(me, "/proc/self/fd/5", vfs.Follow)); p.Inode() != w.pipe {
		t.Error("fd/5 does not reach the pipe")
	}
	if _, err := w.walk(me, "/proc/self/fd/7", vfs.Follow); err != unix.ENXIO {
		t.Errorf("following a socket: %v", err)
	}
	if _, err := w.walk(me, "/proc/self/fd/3", vfs.Follow); err != unix.ENOENT {
		t.Errorf("closed descriptor: %v", err)
	}
	if _, err := w.walk(me, "/proc/self/fd/01", 0); err != unix.ENOENT {
		t.Errorf("fd/01: %v", err)
	}
	if _, err := w.walk(me, "/proc/7/exe", vfs.Follow); err != unix.ENOENT {
		t.Errorf("zombie's exe: %v", err)
	}
	for name, c := range map[string]struct {
		text string
		mode uint32
	}{
		"/proc/self/fd/0":  {"/tmp/x", unix.S_IFLNK | 0o500},
		"/proc/self/fd/1":  {"/tmp/x (deleted)", unix.S_IFLNK | 0o300},
		"/proc/self/fd/2":  {"/tmp/x", unix.S_IFLNK | 0o700},
		"/proc/self/fd/5":  {"pipe:[42]", unix.S_IFLNK | 0o500},
		"/proc/self/fd/7":  {"socket:[99]", unix.S_IFLNK | 0o700},
		"/proc/self/fd/10": {"/tmp", unix.S_IFLNK},
		"/proc/self/exe":   {"/tmp/x", unix.S_IFLNK | 0o777},
		"/proc/self/cwd":   {"/tmp", unix.S_IFLNK | 0o777},
		"/proc/self/root":  {"/", unix.S_IFLNK | 0o777},
	} {
		p := must(w.walk(me, name, 0))
		l, ok := p.Inode().(vfs.MagicLink)
		if !ok {
			t.Errorf("%s is no magic link", name)
			continue
		}
		if got := must(vfs.ReadlinkAs(me, l)); got != c.text {
			t.Errorf("%s -> %q, want %q", name, got, c.text)
		}
		if got := must(l.Readlink()); got != c.text {
			t.Errorf("%s plain readlink %q", name, got)
		}
		st := must(l.Stat())
		if st.Mode != c.mode || st.UID != 1000 || st.GID != 100 {
			t.Errorf("%s: mode %o uid %d gid %d, want %o", name, st.Mode, st.UID, st.GID, c.mode)
		}
		if strings.Contains(name, "/fd/") && st.Size != 64 {
			t.Errorf("%s size %d", name, st.Size)
		}
	}
	// Another reader still sees process 42's descriptors through /proc/42.
	other := task{tgid: 7, tid: 7}
	if p := must(w.walk(other, "/proc/42/fd/0", vfs.Follow)); p.Inode() != w.x {
		t.Error("/proc/42/fd/0 read by another process")
	}
	if _, err := w.walk(other, "/proc/self/fd/0", vfs.Follow); err != unix.ENOENT {
		t.Errorf("process 7 has no fd 0: %v", err)
	}
}

func names(ents []vfs.Dirent) []string {
	var out []string
	for _, e := range ents {
		out = append(out, e.Name)
	}
	return out
}

func TestListings(t *testing.T) {
	w := newWorld(t)
	root := w.fs.Root()
	all := must(root.ReadDir(0))
	want := []string{"self", "thread-self", "mounts", "stat", "uptime", "cpuinfo", "loadavg", "meminfo",
		"version", "filesystems", "7", "42"}
	if got := names(all); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("/proc lists %v", got)
	}
	seen := map[uint64]string{}
	for _, e := range all {
		if other, dup := seen[e.Ino]; dup {
			t.Errorf("%s and %s share inode %d", e.Name, other, e.Ino)
		}
		seen[e.Ino] = e.Name
		in := must(root.Lookup(e.Name))
		st := must(in.Stat())
		if st.Ino != e.Ino || vfs.Type(st.Mode) != e.Type || st.Dev != fsDev {
			t.Errorf("%s: listed %d/%o, stat %d/%o", e.Name, e.Ino, e.Type, st.Ino, st.Mode)
		}
		if again := must(root.Lookup(e.Name)); again != in {
			t.Errorf("%s: two lookups give different inodes", e.Name)
		}
	}
	// Resuming after pid 7 goes on with 42, even once 7 is gone.
	after7 := all[len(all)-2].Next
	w.prov.remove(7)
	if got := names(must(root.ReadDir(after7))); len(got) != 1 || got[0] != "42" {
		t.Errorf("resumed listing %v", got)
	}
	if got := names(must(root.ReadDir(all[2].Next))); got[0] != "stat" || got[len(got)-1] != "42" {
		t.Errorf("listing from the fourth entry %v", got)
	}

	pidDir := must(root.Lookup("42")).(vfs.Dir)
	wantPid := "task fd fdinfo environ status comm cmdline stat statm maps cwd root exe mounts"
	ents := must(pidDir.ReadDir(0))
	if got := strings.Join(names(ents), " "); got != wantPid {
		t.Errorf("/proc/42 lists %s", got)
	}
	if got := strings.Join(names(must(pidDir.ReadDir(ents[4].Next))), " "); got != "comm cmdline stat statm maps cwd root exe mounts" {
		t.Errorf("/proc/42 resumed: %s", got)
	}
	taskDir := must(pidDir.Lookup("task")).(vfs.Dir)
	if got := strings.Join(names(must(taskDir.ReadDir(0))), " "); got != "42 43" {
		t.Errorf("task lists %s", got)
	}
	tidDir := must(taskDir.Lookup("43")).(vfs.Dir)
	if got := strings.Join(names(must(tidDir.ReadDir(0))), " "); got != strings.TrimPrefix(wantPid, "task ") {
		t.Errorf("task/43 lists %s", got)
	}
	fds := must(must(pidDir.Lookup("fd")).(vfs.Dir).ReadDir(0))
	if got := strings.Join(names(fds), " "); got != "0 1 2 5 7 10" {
		t.Errorf("fd lists %s", got)
	}
	if got := strings.Join(names(must(must(pidDir.Lookup("fd")).(vfs.Dir).ReadDir(fds[2].Next))), " "); got != "5 7 10" {
		t.Errorf("fd resumed %s", got)
	}
	if fds[0].Type != unix.S_IFLNK {
		t.Errorf("fd entry type %o", fds[0].Type)
	}
	if got := strings.Join(names(must(must(pidDir.Lookup("fdinfo")).(vfs.Dir).ReadDir(0))), " "); got != "0 1 2 5 7 10" {
		t.Errorf("fdinfo lists %s", got)
	}
}

func TestModes(t *testing.T) {
	w := newWorld(t)
	for name, c := range map[string]struct {
		mode  uint32
		nlink uint32
		uid   uint32
		size  int64
	}{
		"/proc":                  {unix.S_IFDIR | 0o555, 2 + 2, 0, 0},
		"/proc/42":               {unix.S_IFDIR | 0o555, 2 + 3, 1000, 0},
		"/proc/42/task":          {unix.S_IFDIR | 0o555, 2 + 2, 1000, 0},
		"/proc/42/task/43":       {unix.S_IFDIR | 0o555, 2 + 2, 1000, 0},
		"/proc/42/fd":            {unix.S_IFDIR | 0o500, 2, 1000, 6},
		"/proc/42/fdinfo":        {unix.S_IFDIR | 0o555, 2, 1000, 0},
		"/proc/42/stat":          {unix.S_IFREG | 0o444, 1, 1000, 0},
		"/proc/42/environ":       {unix.S_IFREG | 0o400, 1, 1000, 0},
		"/proc/42/comm":          {unix.S_IFREG | 0o644, 1, 1000, 0},
		"/proc/42/task/43/stat":  {unix.S_IFREG | 0o444, 1, 1000, 0},
		"/proc/42/fdinfo/0":      {unix.S_IFREG | 0o444, 1, 1000, 0},
		"/proc/self":             {unix.S_IFLNK | 0o777, 1, 0, 0},
		"/proc/thread-self":      {unix.S_IFLNK | 0o777, 1, 0, 0},
		"/proc/meminfo":          {unix.S_IFREG | 0o444, 1, 0, 0},
		"/proc/7":                {unix.S_IFDIR | 0o555, 2 + 3, 0, 0},
		"/proc/7/task/7/cmdline": {unix.S_IFREG | 0o444, 1, 0, 0},
	} {
		p, err := w.walk(me, name, 0)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		st := must(p.Inode().Stat())
		if st.Mode != c.mode || st.Nlink != c.nlink || st.UID != c.uid || st.Size != c.size ||
			st.Dev != fsDev || st.Blksize != blockSize || st.Ino == 0 {
			t.Errorf("%s: %+v", name, st)
		}
	}
	// Inode numbers are the same on every lookup and differ between
	// files, processes and threads.
	seen := map[uint64]string{}
	for _, name := range []string{"/proc/42/stat", "/proc/42/status", "/proc/42/task/42/stat", "/proc/42/task/43/stat",
		"/proc/7/stat", "/proc/42/fd/0", "/proc/42/fdinfo/0", "/proc/42/task/43/fd/0", "/proc/42/task/43/fdinfo/0",
		"/proc/42", "/proc/42/task/43", "/proc/42/task", "/proc/42/fd", "/proc/42/task/43/fd", "/proc/uptime"} {
		a := must(must(w.walk(me, name, 0)).Inode().Stat()).Ino
		b := must(must(w.walk(me, name, 0)).Inode().Stat()).Ino
		if a != b {
			t.Errorf("%s: inode %d then %d", name, a, b)
		}
		if other, dup := seen[a]; dup {
			t.Errorf("%s and %s share inode %d", name, other, a)
		}
		seen[a] = name
	}
}

func TestGone(t *testing.T) {
	w := newWorld(t)
	stat := must(w.walk(me, "/proc/42/stat", 0)).Inode().(vfs.Opener)
	dir := must(w.walk(me, "/proc/42", 0)).Inode().(vfs.Dir)
	fd := must(w.walk(me, "/proc/42/fd/0", 0)).Inode().(vfs.MagicLink)
	open := must(stat.Open(unix.O_RDONLY))
	defer open.Release()
	w.prov.remove(42)

	for _, name := range []string{"/proc/42", "/proc/42/stat", "/proc/self/stat", "/proc/thread-self"} {
		if _, err := w.walk(me, name, vfs.Follow); err != unix.ENOENT {
			t.Errorf("%s after exit: %v", name, err)
		}
	}
	if _, err := w.fs.Root().Lookup("99999"); err != unix.ENOENT {
		t.Errorf("a pid never used: %v", err)
	}
	if _, err := stat.Open(unix.O_RDONLY); err != unix.ENOENT {
		t.Errorf("opening a dead process's stat: %v", err)
	}
	if _, err := dir.Lookup("stat"); err != unix.ENOENT {
		t.Errorf("lookup in a dead process's directory: %v", err)
	}
	if _, err := dir.ReadDir(0); err != unix.ENOENT {
		t.Errorf("listing a dead process's directory: %v", err)
	}
	if _, err := fd.Follow(me); err != unix.ENOENT {
		t.Errorf("following a dead process's fd: %v", err)
	}
	// What was open stays readable: it is a snapshot.
	if got := readAll(t, open); got != wantStat {
		t.Errorf("open snapshot %q", got)
	}
	// self for a task procfs cannot name.
	self := must(w.fs.Root().Lookup("self")).(vfs.TaskSymlink)
	if _, err := self.ReadlinkTask(task{}); err != unix.ENOENT {
		t.Errorf("self for no process: %v", err)
	}
	if _, err := self.Readlink(); err != unix.ENOENT {
		t.Errorf("self without a task: %v", err)
	}
}

func TestWritesAndStructure(t *testing.T) {
	w := newWorld(t)
	// Root may open proc files for writing (the mode check is the
	// caller's); writing then fails as on Linux.
	for name, want := range map[string]error{
		"/proc/self/stat": unix.EINVAL, "/proc/self/comm": unix.EINVAL, "/proc/self/fdinfo/0": unix.EINVAL,
		"/proc/uptime": unix.EIO, "/proc/meminfo": unix.EIO,
	} {
		f := must(must(w.walk(me, name, vfs.Follow)).Inode().(vfs.Opener).Open(unix.O_RDWR))
		if n, err := f.Write(nil, 0, nil); n != 0 || err != want {
			t.Errorf("write %s: %d, %v; want %v", name, n, err, want)
		}
		if !f.Seekable() {
			t.Errorf("%s is not seekable", name)
		}
		f.Release()
	}
	for _, name := range []string{"/proc", "/proc/self", "/proc/self/fd"} {
		d := must(w.walk(me, name, vfs.Follow)).Inode().(vfs.Dir)
		if _, err := d.(vfs.Opener).Open(unix.O_WRONLY); err != unix.EISDIR {
			t.Errorf("open %s for writing: %v", name, err)
		}
		existing := "stat"
		if name == "/proc/self/fd" {
			existing = "0"
		}
		if _, err := d.Create("new", unix.S_IFREG|0o644, 0); err != unix.ENOENT {
			t.Errorf("%s: create: %v", name, err)
		}
		if _, err := d.Create(existing, unix.S_IFREG|0o644, 0); err != unix.EEXIST {
			t.Errorf("%s: create over %s: %v", name, existing, err)
		}
		if _, err := d.Mkdir("new", 0o755); err != unix.ENOENT {
			t.Errorf("%s: mkdir: %v", name, err)
		}
		if _, err := d.Symlink("new", "x"); err != unix.ENOENT {
			t.Errorf("%s: symlink: %v", name, err)
		}
		if err := d.Link("new", w.x); err != unix.ENOENT {
			t.Errorf("%s: link: %v", name, err)
		}
		if err := d.Unlink(existing); err != unix.EPERM {
			t.Errorf("%s: unlink: %v", name, err)
		}
		if err := d.Unlink("new"); err != unix.ENOENT {
			t.Errorf("%s: unlink of nothing: %v", name, err)
		}
		if err := d.Rename(existing, d, "new", 0); err != unix.ENOENT {
			t.Errorf("%s: rename: %v", name, err)
		}
		if err := d.Rename(existing, w.tmp.Inode().(vfs.Dir), "new", 0); err != unix.EXDEV {
			t.Errorf("%s: rename out: %v", name, err)
		}
	}
	if err := must(w.walk(me, "/proc/self", vfs.Follow)).Inode().(vfs.Dir).Rmdir("task"); err != unix.EPERM {
		t.Errorf("rmdir task: %v", err)
	}
	// chmod is refused; chown, utimes and truncate pass and change nothing.
	stat := must(w.walk(me, "/proc/self/stat", 0)).Inode()
	mode, uid, size := uint32(0o600), uint32(0), int64(0)
	if err := stat.SetAttr(vfs.Attr{Mode: &mode}); err != unix.EPERM {
		t.Errorf("chmod: %v", err)
	}
	if err := stat.SetAttr(vfs.Attr{UID: &uid, Size: &size}); err != nil {
		t.Errorf("chown+truncate: %v", err)
	}
	if st := must(stat.Stat()); st.UID != 1000 || st.Mode != unix.S_IFREG|0o444 {
		t.Errorf("after attribute changes %+v", st)
	}
}

func TestRead(t *testing.T) {
	w := newWorld(t)
	f := must(must(w.walk(me, "/proc/self/cmdline", 0)).Inode().(vfs.Opener).Open(unix.O_RDONLY))
	defer f.Release()
	buf := make([]byte, 4)
	// pread anywhere, past the end, and reading into too small a buffer.
	for _, c := range []struct {
		off  int64
		want string
	}{{0, "my p"}, {3, "prog"}, {12, "ag\x00"}, {15, ""}, {100, ""}} {
		n, err := f.Read(newWriter(buf), c.off, nil)
		if err != nil || string(buf[:n]) != c.want {
			t.Errorf("read at %d: %q, %v", c.off, buf[:n], err)
		}
	}
	if _, err := f.Read(newWriter(buf), -1, nil); err != unix.EINVAL {
		t.Errorf("negative offset: %v", err)
	}
}

// TestHostFormats compares the system files' layouts with the host's
// /proc: same keys in the same order, same column widths.
func TestSystemFiles(t *testing.T) {
	w := newWorld(t)
	exact := map[string]string{
		"/proc/uptime":      "16469.00 24349.32\n",
		"/proc/loadavg":     "0.07 1.56 12.00 1/85 5242\n",
		"/proc/version":     "Linux version 6.18.44 (quartz@quartz) (go) #1 SMP PREEMPT_DYNAMIC @0\n",
		"/proc/filesystems": "nodev\ttmpfs\nnodev\tproc\n\text4\n",
		"/proc/stat": "cpu  697702 0 161861 2434932 0 0 1073 0 0 0\n" +
			"cpu0 697701 0 161861 2434832 0 0 1073 0 0 0\ncpu1 1 0 0 100 0 0 0 0 0 0\n" +
			"intr 0\nctxt 186474417\nbtime 1795317739\nprocesses 233411\nprocs_running 1\nprocs_blocked 2\n" +
			"softirq 0 0 0 0 0 0 0 0 0 0 0\n",
	}
	for name, want := range exact {
		if got := w.read(t, me, name); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	meminfo := w.read(t, me, "/proc/meminfo")
	for _, line := range []string{"MemTotal:       24683656 kB", "MemAvailable:   24329644 kB", "SwapCached:            0 kB",
		"Inactive(anon):        0 kB", "Committed_AS:      53504 kB", "VmallocTotal:   34359738367 kB",
		"HugePages_Total:       0", "Hugepagesize:       2048 kB"} {
		if !strings.Contains(meminfo, line+"\n") {
			t.Errorf("meminfo lacks %q", line)
		}
	}
	kb := regexp.MustCompile(`^[A-Za-z0-9_()]+: +\d+( kB)?$`)
	for _, line := range strings.Split(strings.TrimSuffix(meminfo, "\n"), "\n") {
		if !kb.MatchString(line) || len(strings.TrimSuffix(line, " kB")) < 24 {
			t.Errorf("meminfo line %q", line)
		}
	}
	cpuinfo := w.read(t, me, "/proc/cpuinfo")
	blocks := strings.Split(strings.TrimSuffix(cpuinfo, "\n\n"), "\n\n")
	if len(blocks) != 2 || !strings.HasPrefix(blocks[1], "processor\t: 1\n") {
		t.Errorf("cpuinfo blocks %q", blocks)
	}
	for _, line := range []string{"model\t\t: 1", "cpu MHz\t\t: 2445.406", "cache size\t: 512 KB", "microcode\t: 0x1000065",
		"flags\t\t: fpu vme sse2", "bugs\t\t: spectre_v1", "bogomips\t: 4890.81", "TLB size\t: 2560 4K pages",
		"address sizes\t: 48 bits physical, 48 bits virtual", "power management:"} {
		if !strings.Contains(blocks[0]+"\n", line+"\n") {
			t.Errorf("cpuinfo lacks %q", line)
		}
	}

	host := func(name string) string {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Skipf("no host %s: %v", name, err)
		}
		return string(b)
	}
	sameOrder(t, "meminfo", keys(meminfo), keys(host("/proc/meminfo")))
	if runtime.GOARCH == "amd64" {
		hostCPU := strings.SplitN(host("/proc/cpuinfo"), "\n\n", 2)[0]
		hk, ok := keys(hostCPU), keys(blocks[0])
		sameOrder(t, "cpuinfo", ok, hk)
		for _, k := range hk {
			if k == "vmx flags" {
				continue // Intel's, with virtualization
			}
			if !strings.Contains(blocks[0], k+"\t") && !strings.Contains(blocks[0], k+":") {
				t.Errorf("cpuinfo lacks the host's %q", k)
			}
		}
	}
	for name, re := range map[string]string{
		"/proc/uptime":  `^\d+\.\d\d \d+\.\d\d\n$`,
		"/proc/loadavg": `^\d+\.\d\d \d+\.\d\d \d+\.\d\d \d+/\d+ \d+\n$`,
		"/proc/version": `^Linux version \S+ .*\n$`,
	} {
		re := regexp.MustCompile(re)
		if !re.MatchString(host(name)) || !re.MatchString(w.read(t, me, name)) {
			t.Errorf("%s: host %q, procfs %q, want %s", name, host(name), w.read(t, me, name), re)
		}
	}
	// /proc/stat: the same lines (per-CPU ones aside) with as many fields.
	shape := func(text string) []string {
		var out []string
		for _, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
			f := strings.Fields(line)
			if f[0] == "intr" || (strings.HasPrefix(f[0], "cpu") && f[0] != "cpu") {
				continue // as many as the machine has CPUs and interrupts
			}
			out = append(out, f[0]+"/"+itoa(len(f)))
		}
		return out
	}
	if got, want := strings.Join(shape(exact["/proc/stat"]), " "), strings.Join(shape(host("/proc/stat")), " "); got != want {
		t.Errorf("/proc/stat shape %s, host %s", got, want)
	}
}

func TestNamespaceMounts(t *testing.T) {
	w := newWorld(t)
	got := NamespaceMounts(w.ns, w.root)
	if len(got) != 2 || got[0] != (MountEntry{Source: "rootfs", Dir: "/", FSType: "tmpfs"}) ||
		got[1] != (MountEntry{Source: "proc", Dir: "/proc", FSType: "proc"}) {
		t.Errorf("mounts %+v", got)
	}
	if got := string(fmtMounts(got)); got != "rootfs / tmpfs rw 0 0\nproc /proc proc rw 0 0\n" {
		t.Errorf("formatted %q", got)
	}
}

// Readers walk and read while processes come and go: the Provider is the
// only shared state, and a file of a process that left fails cleanly.
func TestConcurrent(t *testing.T) {
	w := newWorld(t)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, name := range []string{"/proc/self/stat", "/proc/42/status", "/proc/7/cmdline", "/proc/meminfo"} {
					p, err := w.walk(me, name, vfs.Follow)
					if err != nil {
						continue
					}
					if f, err := p.Inode().(vfs.Opener).Open(unix.O_RDONLY); err == nil {
						buf := make([]byte, 64+i)
						f.Read(newWriter(buf), 0, nil)
						f.Release()
					}
				}
				w.fs.Root().ReadDir(0)
			}
		}()
	}
	p7 := w.prov.procs[7]
	for range 200 {
		w.prov.remove(7)
		w.prov.add(p7)
	}
	close(stop)
	wg.Wait()
}
