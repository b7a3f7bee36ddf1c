package linux

// cpuid executes the CPUID instruction.
func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)

// cpuidEDX1 is CPUID leaf 1's EDX: what Linux reports as AT_HWCAP on
// x86-64.
func cpuidEDX1() uint64 {
	_, _, _, edx := cpuid(1, 0)
	return uint64(edx)
}
