package vmio

import "testing"

// BenchmarkGuestWriterCopy64K copies 64 KiB of kernel memory (a page-cache
// page run, a pipe buffer) into 16 guest pages: the read(2) data path.
func BenchmarkGuestWriterCopy64K(b *testing.B) {
	const size = 64 << 10
	m := newMem(b, base, "wwwwwwwwwwwwwwww")
	src := make([]byte, size)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		n, err := Copy(NewGuestWriter(m, base, size), NewKernelReader(src))
		if n != size || err != nil {
			b.Fatal(n, err)
		}
	}
}

// BenchmarkGuestWriterWrite64K is the same through Writer.Write.
func BenchmarkGuestWriterWrite64K(b *testing.B) {
	const size = 64 << 10
	m := newMem(b, base, "wwwwwwwwwwwwwwww")
	src := make([]byte, size)
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		if n, err := NewGuestWriter(m, base, size).Write(src); n != size || err != nil {
			b.Fatal(n, err)
		}
	}
}
