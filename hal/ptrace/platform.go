package ptrace

import (
	"quartz/hal"
)

// Platform is the ptrace platform over one PhysMem.
type Platform struct {
	mem *hal.PhysMem
}

var _ hal.Platform = (*Platform)(nil)

// New creates a ptrace platform whose address spaces map frames of mem.
func New(mem *hal.PhysMem) (*Platform, error) {
	if _, err := stubExecutable(); err != nil {
		return nil, err
	}
	return &Platform{mem: mem}, nil
}

func (p *Platform) Name() string { return "ptrace" }

func (p *Platform) Memory() *hal.PhysMem { return p.mem }

func (p *Platform) NewAddressSpace() (hal.AddressSpace, error) {
	s, err := newStub(p.mem.FD())
	if err != nil {
		return nil, err
	}
	return &addressSpace{stub: s}, nil
}

func (p *Platform) NewContext() (hal.Context, error) { return &context{}, nil }

// Close releases the platform. Address spaces are released by their
// owners; the stub image memfd lives as long as the Quartz process.
func (p *Platform) Close() error { return nil }
