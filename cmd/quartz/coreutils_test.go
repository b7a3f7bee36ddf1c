package main

import (
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// makeTree writes the same small tree under dir every time: files,
// directories, a symbolic link, one fixed time for all, so that two copies
// list the same.
func makeTree(t *testing.T, dir string) {
	t.Helper()
	files := map[string]string{
		"data.txt":          "pear:3\napple:10\nfig:2\nbanana:7\ncherry:10\n",
		"words.txt":         "delta\nalpha\ncharlie\nbravo\necho\nalpha\n",
		"sub/a.txt":         strings.Repeat("a line of text\n", 40),
		"sub/b.bin":         strings.Repeat("\x00\x01\x02\xff", 3000),
		"sub/deeper/c.txt":  "deep\n",
		"sub/deeper/d.conf": "key = value\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(filepath.Join(dir, "sub/deeper/d.conf"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub/a.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	// Deepest first, so that setting a file's time does not disturb its
	// directory's afterwards.
	var paths []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		paths = append(paths, p)
		return err
	})
	ts := []unix.Timespec{unix.NsecToTimespec(when.UnixNano()), unix.NsecToTimespec(when.UnixNano())}
	for i := len(paths) - 1; i >= 0; i-- {
		if err := unix.UtimesNanoAt(unix.AT_FDCWD, paths[i], ts, unix.AT_SYMLINK_NOFOLLOW); err != nil {
			t.Fatal(err)
		}
	}
}

// snapshot describes a host tree completely: every name, type, mode,
// size, time and content.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v %d %d", p, info.Mode(), info.Size(), info.ModTime().UnixNano())
		if info.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(b))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// coreutilsScript works on the tree in the current directory with the
// host's dynamically linked coreutils and tar, and prints only what is
// the same for two identical copies of the tree.
//
// The directories the commands make are in the overlay's memory layer,
// whose directory sizes are not the host file system's (as with Linux's
// overlayfs over tmpfs): their size column is left out, and so are the
// times of what cp -r makes now.
const coreutilsScript = `
set -e
columns='{ print $1, $2, $3, $4, ($1 ~ /^d/ ? "-" : $5), $6, $7, $8, $NF }'
untimed='{ print $1, $2, $3, $4, ($1 ~ /^d/ ? "-" : $5), $NF }'

ls -la | grep -v ' \.\.$'
ls -la sub sub/deeper
sort -t: -k2,2n -k1,1 data.txt
sort -u words.txt
sort -r words.txt | head -n 3
cp -r sub copy
ls -l copy copy/deeper | grep -v '^total' | awk "$untimed"
cmp sub/b.bin copy/b.bin && echo copy is identical
cp -a sub archive-copy
ls -la archive-copy/deeper | grep -v '^total' | awk "$columns"
tar cf tree.tar sub data.txt link
tar tvf tree.tar
mkdir out
tar xf tree.tar -C out
diff -r sub out/sub && echo extracted tree is identical
readlink out/link
rm -r copy archive-copy out tree.tar
ls
echo done
`

// TestCoreutilsOnTheOverlay runs the host's coreutils and tar in Quartz
// on a tree of the host seen through the overlay root: they print what
// they print natively on an identical tree, and the host tree is exactly
// as it was afterwards (everything they wrote stayed in the overlay).
func TestCoreutilsOnTheOverlay(t *testing.T) {
	nativeTree := filepath.Join(t.TempDir(), "tree")
	guestTree := filepath.Join(t.TempDir(), "tree")
	makeTree(t, nativeTree)
	makeTree(t, guestTree)
	before := snapshot(t, guestTree)
	parentBefore := snapshot(t, filepath.Dir(guestTree))

	script := "cd \"$1\"\n" + coreutilsScript
	native := runCmd(t, "", "/bin/sh", "-c", script, "sh", nativeTree)
	got := runCmd(t, "", quartzBin, "run", "/bin/sh", "-c", script, "sh", guestTree)
	if native.code != 0 {
		t.Fatalf("native run failed (%d):\n%s\n%s", native.code, native.stdout, native.stderr)
	}
	if got.stdout != native.stdout || got.code != native.code {
		t.Errorf("native (exit %d):\n%s\nquartz (exit %d):\n%s\nquartz stderr:\n%s",
			native.code, native.stdout, got.code, got.stdout, got.stderr)
	}
	if after := snapshot(t, guestTree); after != before {
		t.Errorf("the host tree changed:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if after := snapshot(t, filepath.Dir(guestTree)); after != parentBefore {
		t.Errorf("the host directory around the tree changed")
	}
}
