package object_test

import (
	"fmt"

	"quartz/zircon/object"
)

// gadget is an object defined outside the package, as later parts define
// channels, VMOs and tasks: embed Base, Init it, and it is an Object.
type gadget struct {
	object.Base
}

func Example() {
	g := &gadget{}
	g.Init(object.TypeEvent, 0)

	ht := object.NewHandleTable()
	v, _ := ht.AddObject(g, object.DefaultEventRights)
	h, _ := ht.Get(v, object.TypeEvent, object.RightWait)

	port, _ := object.NewPort(0)
	port.WaitAsync(h, 42, object.UserSignal0, object.WaitAsyncTimestamp)
	g.UpdateState(0, object.UserSignal0)

	pkt, st := port.Wait(object.TimeInfinite, nil)
	fmt.Println(st, pkt.Key, pkt.Type == object.PacketSignalOne, pkt.Signal().Observed == object.UserSignal0)

	_, st = object.WaitOne(h, object.UserSignal1, object.DeadlineAfter(1000), nil)
	fmt.Println(st)
	fmt.Println(ht.Close(v), ht.Close(v))
	// Output:
	// ZX_OK 42 true true
	// ZX_ERR_TIMED_OUT
	// ZX_OK ZX_ERR_BAD_HANDLE
}
