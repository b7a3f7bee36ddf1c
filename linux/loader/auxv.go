package loader

// Auxiliary vector entry types (include/uapi/linux/auxvec.h and
// arch/x86/include/uapi/asm/auxvec.h).
const (
	AT_NULL              = 0
	AT_IGNORE            = 1
	AT_EXECFD            = 2
	AT_PHDR              = 3
	AT_PHENT             = 4
	AT_PHNUM             = 5
	AT_PAGESZ            = 6
	AT_BASE              = 7
	AT_FLAGS             = 8
	AT_ENTRY             = 9
	AT_NOTELF            = 10
	AT_UID               = 11
	AT_EUID              = 12
	AT_GID               = 13
	AT_EGID              = 14
	AT_PLATFORM          = 15
	AT_HWCAP             = 16
	AT_CLKTCK            = 17
	AT_SECURE            = 23
	AT_BASE_PLATFORM     = 24
	AT_RANDOM            = 25
	AT_HWCAP2            = 26
	AT_RSEQ_FEATURE_SIZE = 27
	AT_RSEQ_ALIGN        = 28
	AT_HWCAP3            = 29
	AT_HWCAP4            = 30
	AT_EXECFN            = 31
	AT_SYSINFO_EHDR      = 33
	AT_MINSIGSTKSZ       = 51
)

// ClockTicks is AT_CLKTCK, the USER_HZ of times(2) and /proc.
const ClockTicks = 100

// AuxEntry is one (a_type, a_val) pair of the auxiliary vector.
type AuxEntry struct{ Type, Value uint64 }

// StandardAux returns the auxiliary vector entries Linux's
// create_elf_tables writes for every ELF program, in Linux's order:
//
//	AT_HWCAP, AT_PAGESZ, AT_CLKTCK, AT_PHDR, AT_PHENT, AT_PHNUM, AT_BASE,
//	AT_FLAGS, AT_ENTRY, AT_UID, AT_EUID, AT_GID, AT_EGID, AT_SECURE,
//	AT_HWCAP2
//
// bias is the program's load bias (im.LoadBias), interpBase the address the
// interpreter was loaded at (AT_BASE; pass 0 when im.Interp is ""), and
// entry the program's unrelocated entry point, normally im.Entry: AT_ENTRY
// is entry+bias. AT_PHDR is im.PhdrVaddr+bias (0 if the program headers are
// not loaded).
//
// BuildStack adds AT_RANDOM after AT_SECURE and AT_EXECFN, AT_PLATFORM
// after AT_HWCAP2, and the final AT_NULL. Architecture entries that Linux
// puts first (AT_SYSINFO_EHDR, AT_MINSIGSTKSZ) go before this slice; ones
// it puts last (AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN) go after it.
func StandardAux(im *Image, bias uint64, interpBase uint64, entry uint64,
	uid, euid, gid, egid uint32, hwcap uint64, secure bool) []AuxEntry {
	var phdr uint64
	if im.PhdrVaddr != 0 {
		phdr = im.PhdrVaddr + bias
	}
	if im.Interp == "" {
		interpBase = 0
	}
	sec := uint64(0)
	if secure {
		sec = 1
	}
	return []AuxEntry{
		{AT_HWCAP, hwcap},
		{AT_PAGESZ, PageSize},
		{AT_CLKTCK, ClockTicks},
		{AT_PHDR, phdr},
		{AT_PHENT, im.Phentsize},
		{AT_PHNUM, im.Phnum},
		{AT_BASE, interpBase},
		{AT_FLAGS, 0},
		{AT_ENTRY, entry + bias},
		{AT_UID, uint64(uid)},
		{AT_EUID, uint64(euid)},
		{AT_GID, uint64(gid)},
		{AT_EGID, uint64(egid)},
		{AT_SECURE, sec},
		{AT_HWCAP2, 0},
	}
}
