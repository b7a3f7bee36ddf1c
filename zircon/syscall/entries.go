package syscall

// fuchsiaTable holds the handlers of the syscalls Quartz provides, by
// Fuchsia's number; a nil entry is NOT_SUPPORTED.
var fuchsiaTable = [Count]handler{
	// Handles.
	SysHandleClose:     sysHandleClose,
	SysHandleCloseMany: sysHandleCloseMany,
	SysHandleDuplicate: sysHandleDuplicate,
	SysHandleReplace:   sysHandleReplace,

	// Objects: introspection and signals.
	SysObjectGetInfo:     sysObjectGetInfo,
	SysObjectGetProperty: sysObjectGetProperty,
	SysObjectSetProperty: sysObjectSetProperty,
	SysObjectGetChild:    sysObjectGetChild,
	SysObjectSignal:      sysObjectSignal,
	SysObjectSignalPeer:  sysObjectSignalPeer,
	SysObjectWaitOne:     sysObjectWaitOne,
	SysObjectWaitMany:    sysObjectWaitMany,
	SysObjectWaitAsync:   sysObjectWaitAsync,

	// Events and ports.
	SysEventCreate:     sysEventCreate,
	SysEventPairCreate: sysEventPairCreate,
	SysPortCreate:      sysPortCreate,
	SysPortQueue:       sysPortQueue,
	SysPortWait:        sysPortWait,
	SysPortCancel:      sysPortCancel,

	// Time.
	SysClockGetMonotonicViaKernel: sysClockGetMonotonic,
	SysTicksGetViaKernel:          sysTicksGet,
	SysNanosleep:                  sysNanosleep,
	SysTimerCreate:                sysTimerCreate,
	SysTimerSet:                   sysTimerSet,
	SysTimerCancel:                sysTimerCancel,
	SysClockCreate:                sysClockCreate,
	SysClockRead:                  sysClockRead,
	SysClockGetDetails:            sysClockGetDetails,
	SysClockUpdate:                sysClockUpdate,

	// Futexes.
	SysFutexWait:               sysFutexWait,
	SysFutexWake:               sysFutexWake,
	SysFutexWakeSingleOwner:    sysFutexWakeSingleOwner,
	SysFutexRequeue:            sysFutexRequeue,
	SysFutexRequeueSingleOwner: sysFutexRequeueSingleOwner,
	SysFutexGetOwner:           sysFutexGetOwner,

	// IPC.
	SysChannelCreate:         sysChannelCreate,
	SysChannelRead:           sysChannelRead,
	SysChannelReadEtc:        sysChannelReadEtc,
	SysChannelWrite:          sysChannelWrite,
	SysChannelWriteEtc:       sysChannelWriteEtc,
	SysChannelCallNoRetry:    sysChannelCallNoRetry,
	SysChannelCallEtcNoRetry: sysChannelCallEtcNoRetry,
	SysChannelCallFinish:     sysChannelCallFinish,
	SysChannelCallEtcFinish:  sysChannelCallFinish,
	SysSocketCreate:          sysSocketCreate,
	SysSocketRead:            sysSocketRead,
	SysSocketWrite:           sysSocketWrite,
	SysSocketSetDisposition:  sysSocketSetDisposition,
	SysFIFOCreate:            sysFIFOCreate,
	SysFIFORead:              sysFIFORead,
	SysFIFOWrite:             sysFIFOWrite,

	// Memory.
	SysVMOCreate:              sysVMOCreate,
	SysVMORead:                sysVMORead,
	SysVMOWrite:               sysVMOWrite,
	SysVMOGetSize:             sysVMOGetSize,
	SysVMOSetSize:             sysVMOSetSize,
	SysVMOOpRange:             sysVMOOpRange,
	SysVMOCreateChild:         sysVMOCreateChild,
	SysVMOSetCachePolicy:      sysVMOSetCachePolicy,
	SysVMOReplaceAsExecutable: sysVMOReplaceAsExecutable,
	SysVMARAllocate:           sysVMARAllocate,
	SysVMARMap:                sysVMARMap,
	SysVMARUnmap:              sysVMARUnmap,
	SysVMARProtect:            sysVMARProtect,
	SysVMARDestroy:            sysVMARDestroy,

	// Tasks.
	SysJobCreate:          sysJobCreate,
	SysJobSetPolicy:       sysJobSetPolicy,
	SysJobSetCritical:     sysJobSetCritical,
	SysProcessCreate:      sysProcessCreate,
	SysProcessStart:       sysProcessStart,
	SysProcessExit:        sysProcessExit,
	SysProcessReadMemory:  sysProcessReadMemory,
	SysProcessWriteMemory: sysProcessWriteMemory,
	SysThreadCreate:       sysThreadCreate,
	SysThreadStart:        sysThreadStart,
	SysThreadExit:         sysThreadExit,
	SysTaskKill:           sysTaskKill,

	// Logging and randomness.
	SysDebuglogCreate:  sysDebuglogCreate,
	SysDebuglogWrite:   sysDebuglogWrite,
	SysDebuglogRead:    sysDebuglogRead,
	SysCPRNGDrawOnce:   sysCPRNGDrawOnce,
	SysCPRNGAddEntropy: sysCPRNGAddEntropy,
}

// vdsoTable holds the calls Fuchsia's vDSO answers itself, by Quartz's
// number less VDSOBase.
var vdsoTable = [vdsoEnd - VDSOBase]handler{
	SysDeadlineAfter - VDSOBase:                  sysDeadlineAfter,
	SysSystemGetPageSize - VDSOBase:              sysSystemGetPageSize,
	SysSystemGetNumCPUs - VDSOBase:               sysSystemGetNumCPUs,
	SysSystemGetPhysmem - VDSOBase:               sysSystemGetPhysmem,
	SysSystemGetDcacheLineSize - VDSOBase:        sysSystemGetDcacheLineSize,
	SysTicksPerSecond - VDSOBase:                 sysTicksPerSecond,
	SysHandleCheckValid - VDSOBase:               sysHandleCheckValid,
	SysVMARUnmapHandleCloseThreadExit - VDSOBase: sysVMARUnmapHandleCloseThreadExit,
	SysFutexWakeHandleCloseThreadExit - VDSOBase: sysFutexWakeHandleCloseThreadExit,
}
