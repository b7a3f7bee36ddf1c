package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMountTmpfs mounts a tmpfs inside the guest, uses it, sees it in
// /proc/mounts, is refused while it is the working directory (EBUSY) and
// unmounts it. (Natively this would change the host's mounts, so the
// expected output is Linux's, written down.)
func TestMountTmpfs(t *testing.T) {
	script := `mkdir -p /mnt/t && mount -t tmpfs -o mode=700 none /mnt/t && echo hi > /mnt/t/f && cat /mnt/t/f
ls -ld /mnt/t | cut -c1-10
grep ' /mnt/t ' /proc/mounts
mount -t nosuchfs none /mnt/t; echo nodev=$?
cd /mnt/t && umount /mnt/t; echo busy=$?
cd / && umount /mnt/t && echo unmounted
ls /mnt/t | wc -l
umount /mnt/t; echo again=$?`
	got := quartz(t, "/bin/busybox", "sh", "-c", script)
	want := "hi\ndrwx------\nnone /mnt/t tmpfs rw 0 0\nnodev=255\nbusy=1\nunmounted\n0\nagain=1\n"
	wantErr := "mount: mounting none on /mnt/t failed: No such device\n" +
		"umount: can't unmount /mnt/t: Device or resource busy\n" +
		"umount: can't unmount /mnt/t: Invalid argument\n"
	if got.stdout != want || got.stderr != wantErr || got.code != 0 {
		t.Errorf("got (exit %d):\n%s\nstderr:\n%s\nwant:\n%s\nstderr:\n%s", got.code, got.stdout, got.stderr, want, wantErr)
	}
}

// TestBindMount: --mount HOST:GUEST puts a host directory in the guest's
// tree, read-write (the guest's writes reach the host) or read-only
// (EROFS), confined beneath the directory.
func TestBindMount(t *testing.T) {
	host := t.TempDir()
	if err := os.WriteFile(filepath.Join(host, "in.txt"), []byte("from the host\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `cat /data/in.txt; echo from the guest > /data/out.txt; mkdir /data/d; ls /data; cat /data/../data/out.txt; ls /data/.. | grep -c '^data$'`
	got := runCmd(t, "", quartzBin, "run", "--mount", host+":/data", "/bin/busybox", "sh", "-c", script)
	want := "from the host\nd\nin.txt\nout.txt\nfrom the guest\n1\n"
	if got.stdout != want || got.code != 0 {
		t.Errorf("read-write mount: got (exit %d):\n%s%s\nwant:\n%s", got.code, got.stdout, got.stderr, want)
	}
	if b, err := os.ReadFile(filepath.Join(host, "out.txt")); err != nil || string(b) != "from the guest\n" {
		t.Errorf("the host does not see the guest's file: %q %v", b, err)
	}
	if st, err := os.Stat(filepath.Join(host, "d")); err != nil || !st.IsDir() {
		t.Errorf("the host does not see the guest's directory: %v", err)
	}

	got = runCmd(t, "", quartzBin, "run", "--mount", host+":/data:ro", "/bin/busybox", "sh", "-c", "cat /data/in.txt; echo no > /data/x")
	if got.stdout != "from the host\n" || !strings.Contains(got.stderr, "Read-only file system") || got.code == 0 {
		t.Errorf("read-only mount: exit %d\n%s%s", got.code, got.stdout, got.stderr)
	}
	if _, err := os.Stat(filepath.Join(host, "x")); err == nil {
		t.Error("a read-only mount let the guest write")
	}

	bad := runCmd(t, "", quartzBin, "run", "--mount", "nohost", "/bin/true")
	if bad.code != 2 || strings.Count(bad.stderr, "\n") < 1 {
		t.Errorf("a malformed --mount: exit %d, %q", bad.code, bad.stderr)
	}
}
