package mm

import (
	"fmt"
	"strings"

	"quartz/hal"
)

// Maps formats the address space as Linux's /proc/pid/maps does.
func (m *MM) Maps() string {
	var b strings.Builder
	for _, mp := range m.space.Mappings() {
		perms := []byte("---p")
		if mp.perms&hal.PermRead != 0 {
			perms[0] = 'r'
		}
		if mp.perms&hal.PermWrite != 0 {
			perms[1] = 'w'
		}
		if mp.perms&hal.PermExec != 0 {
			perms[2] = 'x'
		}
		if mp.Shared {
			perms[3] = 's'
		}
		isFile := mp.Ino != 0 || (mp.Name != "" && !strings.HasPrefix(mp.Name, "["))
		var off uint64
		if isFile {
			off = mp.offset
		}
		line := fmt.Sprintf("%08x-%08x %s %08x %02x:%02x %d ", mp.base, mp.base+mp.size, perms,
			off, (mp.Dev>>8)&0xfff, mp.Dev&0xff|(mp.Dev>>12)&0xfff00, mp.Ino)
		b.WriteString(line)
		if mp.Name != "" {
			// Linux pads the fixed columns to 73 characters before a name.
			if pad := 73 - len(line); pad > 0 {
				b.WriteString(strings.Repeat(" ", pad))
			}
			b.WriteString(mp.Name)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
