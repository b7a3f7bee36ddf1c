package strace

import (
	"bytes"
	"encoding/binary"
	"strings"
)

const (
	maxStrLen  = 32   // strace's default -s: bytes of a string or buffer shown
	maxPathLen = 4096 // PATH_MAX: paths are shown whole
	maxArray   = 32   // elements of an array shown before "..."
)

// quote quotes b as strace does: C escapes for \t \n \v \f \r \" \\, the
// printable ASCII as is, and other bytes in octal, as short as possible
// unless a digit follows ("\177ELF\2\1\1\0"). With forceHex every byte is
// written \xNN, as strace shows getrandom's buffer. more appends "..."
// after the closing quote, for a cut string.
func quote(b []byte, more, forceHex bool) string {
	var sb strings.Builder
	sb.WriteByte('"')
	for i, ch := range b {
		if forceHex {
			sb.WriteString(`\x`)
			sb.WriteByte(hexDigit[ch>>4])
			sb.WriteByte(hexDigit[ch&15])
			continue
		}
		switch ch {
		case '"':
			sb.WriteString(`\"`)
		case '\\':
			sb.WriteString(`\\`)
		case '\t':
			sb.WriteString(`\t`)
		case '\n':
			sb.WriteString(`\n`)
		case '\v':
			sb.WriteString(`\v`)
		case '\f':
			sb.WriteString(`\f`)
		case '\r':
			sb.WriteString(`\r`)
		default:
			if ch >= ' ' && ch < 0x7f {
				sb.WriteByte(ch)
				continue
			}
			// Octal, as short as it can be unless a digit follows.
			sb.WriteByte('\\')
			if i+1 < len(b) && b[i+1] >= '0' && b[i+1] <= '9' {
				sb.WriteByte('0' + ch>>6)
				sb.WriteByte('0' + (ch>>3)&7)
			} else if ch>>3 != 0 {
				if ch>>6 != 0 {
					sb.WriteByte('0' + ch>>6)
				}
				sb.WriteByte('0' + (ch>>3)&7)
			}
			sb.WriteByte('0' + ch&7)
		}
	}
	sb.WriteByte('"')
	if more {
		sb.WriteString("...")
	}
	return sb.String()
}

const hexDigit = "0123456789abcdef"

// read reads exactly n bytes at addr, or reports failure.
func (c *call) read(addr uint64, n int) ([]byte, bool) {
	if c.mem == nil || addr == 0 || n < 0 {
		return nil, false
	}
	if n == 0 {
		return nil, true
	}
	b, err := c.mem.ReadBytes(addr, n)
	if err != nil || len(b) < n {
		return nil, false
	}
	return b[:n], true
}

// u64 reads a little-endian 64-bit word at addr.
func (c *call) u64(addr uint64) (uint64, bool) {
	b, ok := c.read(addr, 8)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(b), true
}

// u32 reads a little-endian 32-bit word at addr.
func (c *call) u32(addr uint64) (uint32, bool) {
	b, ok := c.read(addr, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b), true
}

// cstring reads the NUL-terminated string at addr, at most max bytes of
// it. more reports that the string goes on past max.
func (c *call) cstring(addr uint64, max int) (s []byte, more, ok bool) {
	if c.mem == nil || addr == 0 {
		return nil, false, false
	}
	if str, err := c.mem.ReadString(addr, max+1); err == nil {
		if len(str) > max {
			return []byte(str[:max]), true, true
		}
		return []byte(str), false, true
	}
	// No NUL within max+1 bytes, or a fault: read what is there.
	b, err := c.mem.ReadBytes(addr, max)
	if err != nil || len(b) < max {
		return nil, false, false
	}
	if i := bytes.IndexByte(b, 0); i >= 0 {
		return b[:i], false, true
	}
	return b[:max], true, true
}

// str formats the C string at addr, cut at maxStrLen bytes.
func (c *call) str(addr uint64) string {
	return c.strMax(addr, maxStrLen)
}

// path formats the path at addr, whole.
func (c *call) path(addr uint64) string {
	return c.strMax(addr, maxPathLen)
}

func (c *call) strMax(addr uint64, max int) string {
	if addr == 0 {
		return "NULL"
	}
	s, more, ok := c.cstring(addr, max)
	if !ok {
		return hex(addr)
	}
	return quote(s, more, false)
}

// buf formats the n-byte buffer at addr, cut at maxStrLen bytes.
func (c *call) buf(addr, n uint64, forceHex bool) string {
	if addr == 0 {
		return "NULL"
	}
	more := n > maxStrLen
	if more {
		n = maxStrLen
	}
	b, ok := c.read(addr, int(n))
	if !ok {
		return hex(addr)
	}
	return quote(b, more, forceHex)
}

// bufWhole formats the n-byte buffer at addr, up to maxPathLen bytes.
func (c *call) bufWhole(addr, n uint64) string {
	if addr == 0 {
		return "NULL"
	}
	more := n > maxPathLen
	if more {
		n = maxPathLen
	}
	b, ok := c.read(addr, int(n))
	if !ok {
		return hex(addr)
	}
	return quote(b, more, false)
}

// argv formats a NULL-terminated array of string pointers: ["ls", "-l"].
func (c *call) argv(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	var parts []string
	for i := 0; ; i++ {
		p, ok := c.u64(addr + uint64(i)*8)
		if !ok {
			if i == 0 {
				return hex(addr)
			}
			parts = append(parts, "...")
			break
		}
		if p == 0 {
			break
		}
		if i == maxArray {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, c.str(p))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// envp formats an environment array the way strace does without -v:
// 0x7ffc12345678 /* 23 vars */.
func (c *call) envp(addr uint64) string {
	if addr == 0 {
		return "NULL"
	}
	n := 0
	for ; n < 1<<16; n++ {
		p, ok := c.u64(addr + uint64(n)*8)
		if !ok {
			return hex(addr)
		}
		if p == 0 {
			break
		}
	}
	if n == 1 {
		return hex(addr) + " /* 1 var */"
	}
	return hex(addr) + " /* " + udec(uint64(n)) + " vars */"
}
