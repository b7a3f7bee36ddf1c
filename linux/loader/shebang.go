package loader

import "bytes"

// ShebangBufSize is how much of a script Linux examines (BINPRM_BUF_SIZE).
const ShebangBufSize = 256

// ParseShebang interprets a "#!" line the way Linux's fs/binfmt_script.c
// does. head is the start of the file (only the first ShebangBufSize bytes
// matter). The line ends at the first newline within those bytes; leading
// and trailing spaces and tabs are stripped; the interpreter is the first
// word (ending at a space, tab or NUL) and the rest, trimmed, is a single
// optional argument (which may contain spaces; "" when absent). A NUL ends
// either string.
//
// ok is false if head does not start with "#!", names no interpreter
// (including an empty name cut by a NUL, where Linux fails with ENOENT), or
// has no newline in the first ShebangBufSize bytes and the interpreter path
// runs to the end of them (it may be truncated) — execve then fails with
// ENOEXEC.
func ParseShebang(head []byte) (interp string, arg string, ok bool) {
	if len(head) < 2 || head[0] != '#' || head[1] != '!' {
		return "", "", false
	}
	// Linux reads into a zeroed buffer; the zero padding matters.
	var buf [ShebangBufSize]byte
	copy(buf[:], head)
	bufEnd := ShebangBufSize - 1

	isSpaceTab := func(c byte) bool { return c == ' ' || c == '\t' }
	isTerm := func(c byte) bool { return c == ' ' || c == '\t' || c == 0 }
	nextNonSpaceTab := func(i, end int) int {
		for ; i < end; i++ {
			if !isSpaceTab(buf[i]) {
				return i
			}
		}
		return -1
	}
	nextTerminator := func(i, end int) int {
		for ; i < end; i++ {
			if isTerm(buf[i]) {
				return i
			}
		}
		return -1
	}

	iEnd := bytes.IndexByte(buf[:], '\n')
	if iEnd < 0 {
		iEnd = nextNonSpaceTab(2, bufEnd)
		if iEnd < 0 {
			return "", "", false // the whole buffer is spaces/tabs
		}
		if nextTerminator(iEnd, bufEnd) < 0 {
			return "", "", false // interpreter path truncated
		}
		iEnd = bufEnd
	}
	for iEnd > 2 && isSpaceTab(buf[iEnd-1]) {
		iEnd--
	}
	iName := nextNonSpaceTab(2, iEnd)
	if iName < 0 {
		return "", "", false // no interpreter name
	}
	iSep := nextTerminator(iName, iEnd)
	nameEnd := iEnd
	if iSep >= 0 {
		nameEnd = iSep
	}
	if nameEnd == iName {
		// A NUL right after "#!" and the blanks: Linux goes on to fail
		// opening "" (ENOENT); there is no interpreter either way.
		return "", "", false
	}
	interp = string(buf[iName:nameEnd])
	if iSep >= 0 && buf[iSep] != 0 {
		if iArg := nextNonSpaceTab(iSep, iEnd); iArg >= 0 {
			a := buf[iArg:iEnd]
			if j := bytes.IndexByte(a, 0); j >= 0 {
				a = a[:j]
			}
			arg = string(bytes.TrimRight(a, " \t"))
		}
	}
	return interp, arg, true
}
