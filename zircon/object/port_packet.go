package object

import "encoding/binary"

// PacketType is zx_port_packet_t's type.
type PacketType uint32

// Packet types (zircon/syscalls/port.h). 2 was SIGNAL_REP, removed.
const (
	PacketUser        PacketType = 0x00
	PacketSignalOne   PacketType = 0x01
	PacketGuestBell   PacketType = 0x03
	PacketGuestMem    PacketType = 0x04
	PacketGuestIO     PacketType = 0x05
	PacketGuestVCPU   PacketType = 0x06
	PacketInterrupt   PacketType = 0x07
	PacketPageRequest PacketType = 0x09
)

// PortPacketSize is sizeof(zx_port_packet_t).
const PortPacketSize = 48

// PortPacket is zx_port_packet_t: key, type, status, and a 32-byte union
// whose meaning depends on the type (Payload holds it as the guest sees
// it; Signal decodes the SIGNAL_ONE form).
type PortPacket struct {
	Key     uint64
	Type    PacketType
	Status  Status
	Payload [32]byte
}

// SignalPacket is zx_packet_signal_t, the union of a SIGNAL_ONE packet.
type SignalPacket struct {
	Trigger   Signals // the signals waited for
	Observed  Signals // the state when the packet was queued
	Count     uint64  // always 1
	Timestamp Time    // with ZX_WAIT_ASYNC_TIMESTAMP, when it fired; else 0
	Reserved1 uint64
}

// Signal decodes the payload as a signal packet.
func (p *PortPacket) Signal() SignalPacket {
	le := binary.LittleEndian
	return SignalPacket{
		Trigger:   Signals(le.Uint32(p.Payload[0:])),
		Observed:  Signals(le.Uint32(p.Payload[4:])),
		Count:     le.Uint64(p.Payload[8:]),
		Timestamp: Time(le.Uint64(p.Payload[16:])),
		Reserved1: le.Uint64(p.Payload[24:]),
	}
}

// SetSignal encodes s into the payload.
func (p *PortPacket) SetSignal(s SignalPacket) {
	le := binary.LittleEndian
	le.PutUint32(p.Payload[0:], uint32(s.Trigger))
	le.PutUint32(p.Payload[4:], uint32(s.Observed))
	le.PutUint64(p.Payload[8:], s.Count)
	le.PutUint64(p.Payload[16:], uint64(s.Timestamp))
	le.PutUint64(p.Payload[24:], s.Reserved1)
}

// Marshal encodes the packet in zx_port_packet_t's layout.
func (p *PortPacket) Marshal() [PortPacketSize]byte {
	var b [PortPacketSize]byte
	binary.LittleEndian.PutUint64(b[0:], p.Key)
	binary.LittleEndian.PutUint32(b[8:], uint32(p.Type))
	binary.LittleEndian.PutUint32(b[12:], uint32(p.Status))
	copy(b[16:], p.Payload[:])
	return b
}

// UnmarshalPortPacket decodes a zx_port_packet_t (b must hold
// PortPacketSize bytes).
func UnmarshalPortPacket(b []byte) PortPacket {
	var p PortPacket
	p.Key = binary.LittleEndian.Uint64(b[0:])
	p.Type = PacketType(binary.LittleEndian.Uint32(b[8:]))
	p.Status = Status(int32(binary.LittleEndian.Uint32(b[12:])))
	copy(p.Payload[:], b[16:PortPacketSize])
	return p
}
