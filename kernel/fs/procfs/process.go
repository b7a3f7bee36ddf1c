package procfs

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// The texts of a process's files. Each asks the Process at open; a file
// of a thread that has gone fails with ENOENT.

func genStat(f file, p Process) ([]byte, error) {
	in, err := f.info(p)
	if err != nil {
		return nil, err
	}
	return fmtPidStat(in, f.tid == 0), nil
}

func genStatm(f file, p Process) ([]byte, error) {
	in, err := f.info(p)
	if err != nil {
		return nil, err
	}
	return fmtStatm(in), nil
}

func genStatus(f file, p Process) ([]byte, error) {
	in, err := f.info(p)
	if err != nil {
		return nil, err
	}
	return fmtStatus(in), nil
}

// genComm is the name unescaped, as Linux's comm file shows it.
func genComm(f file, p Process) ([]byte, error) {
	in, err := f.info(p)
	if err != nil {
		return nil, err
	}
	return append([]byte(in.Comm), '\n'), nil
}

func genCmdline(f file, p Process) ([]byte, error) { return p.Cmdline(), nil }
func genEnviron(f file, p Process) ([]byte, error) { return p.Environ(), nil }
func genMaps(f file, p Process) ([]byte, error)    { return p.Maps(), nil }
func genMounts(f file, p Process) ([]byte, error)  { return fmtMounts(p.Mounts()), nil }

// genFDInfo is fdinfo/<fd>: Linux's position, flags (octal, with a
// leading 0), mount id and inode lines, then the file's own.
func genFDInfo(f file, p Process) ([]byte, error) {
	fd, err := p.FD(f.fd)
	if err != nil {
		return nil, unix.ENOENT
	}
	ino := fd.Ino
	if ino == 0 && fd.Path.Dentry != nil {
		if st, err := fd.Path.Inode().Stat(); err == nil {
			ino = st.Ino
		}
	}
	b := fmt.Appendf(nil, "pos:\t%d\nflags:\t0%o\nmnt_id:\t%d\nino:\t%d\n", fd.Pos, fd.Flags, fd.MntID, ino)
	return append(b, fd.Extra...), nil
}
