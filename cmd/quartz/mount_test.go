package main

import "testing"

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
