package syscall

// Num is a syscall number.
type Num uint32

// Fuchsia's syscall numbers (zx-syscall-numbers.h, ZX_SYS_*): the
// alphabetical index of each syscall in the FIDL library zx of the
// revision this table follows.
const (
	SysBTICreate                         Num = 0
	SysBTIPin                            Num = 1
	SysBTIReleaseQuarantine              Num = 2
	SysChannelCallEtcFinish              Num = 3
	SysChannelCallEtcNoRetry             Num = 4
	SysChannelCallFinish                 Num = 5
	SysChannelCallNoRetry                Num = 6
	SysChannelCreate                     Num = 7
	SysChannelRead                       Num = 8
	SysChannelReadEtc                    Num = 9
	SysChannelWrite                      Num = 10
	SysChannelWriteEtc                   Num = 11
	SysClockCreate                       Num = 12
	SysClockGetDetails                   Num = 13
	SysClockGetMonotonicViaKernel        Num = 14
	SysClockRead                         Num = 15
	SysClockUpdate                       Num = 16
	SysCPRNGAddEntropy                   Num = 17
	SysCPRNGDrawOnce                     Num = 18
	SysDebugRead                         Num = 19
	SysDebugSendCommand                  Num = 20
	SysDebugWrite                        Num = 21
	SysDebuglogCreate                    Num = 22
	SysDebuglogRead                      Num = 23
	SysDebuglogWrite                     Num = 24
	SysEventCreate                       Num = 25
	SysEventPairCreate                   Num = 26
	SysExceptionGetProcess               Num = 27
	SysExceptionGetThread                Num = 28
	SysFIFOCreate                        Num = 29
	SysFIFORead                          Num = 30
	SysFIFOWrite                         Num = 31
	SysFramebufferGetInfo                Num = 32
	SysFramebufferSetRange               Num = 33
	SysFutexGetOwner                     Num = 34
	SysFutexRequeue                      Num = 35
	SysFutexRequeueSingleOwner           Num = 36
	SysFutexWait                         Num = 37
	SysFutexWake                         Num = 38
	SysFutexWakeSingleOwner              Num = 39
	SysGuestCreate                       Num = 40
	SysGuestSetTrap                      Num = 41
	SysHandleClose                       Num = 42
	SysHandleCloseMany                   Num = 43
	SysHandleDuplicate                   Num = 44
	SysHandleReplace                     Num = 45
	SysInterruptAck                      Num = 46
	SysInterruptBind                     Num = 47
	SysInterruptCreate                   Num = 48
	SysInterruptDestroy                  Num = 49
	SysInterruptTrigger                  Num = 50
	SysInterruptWait                     Num = 51
	SysIOMMUCreate                       Num = 52
	SysIOPortsRelease                    Num = 53
	SysIOPortsRequest                    Num = 54
	SysJobCreate                         Num = 55
	SysJobSetCritical                    Num = 56
	SysJobSetPolicy                      Num = 57
	SysKtraceControl                     Num = 58
	SysKtraceRead                        Num = 59
	SysKtraceWrite                       Num = 60
	SysMSIAllocate                       Num = 61
	SysMSICreate                         Num = 62
	SysMtraceControl                     Num = 63
	SysNanosleep                         Num = 64
	SysObjectGetChild                    Num = 65
	SysObjectGetInfo                     Num = 66
	SysObjectGetProperty                 Num = 67
	SysObjectSetProfile                  Num = 68
	SysObjectSetProperty                 Num = 69
	SysObjectSignal                      Num = 70
	SysObjectSignalPeer                  Num = 71
	SysObjectWaitAsync                   Num = 72
	SysObjectWaitMany                    Num = 73
	SysObjectWaitOne                     Num = 74
	SysPagerCreate                       Num = 75
	SysPagerCreateVMO                    Num = 76
	SysPagerDetachVMO                    Num = 77
	SysPagerOpRange                      Num = 78
	SysPagerQueryDirtyRanges             Num = 79
	SysPagerQueryVMOStats                Num = 80
	SysPagerSupplyPages                  Num = 81
	SysPCFirmwareTables                  Num = 82
	SysPCIAddSubtractIORange             Num = 83
	SysPCICfgPIORW                       Num = 84
	SysPCIConfigRead                     Num = 85
	SysPCIConfigWrite                    Num = 86
	SysPCIEnableBusMaster                Num = 87
	SysPCIGetBar                         Num = 88
	SysPCIGetNthDevice                   Num = 89
	SysPCIInit                           Num = 90
	SysPCIMapInterrupt                   Num = 91
	SysPCIQueryIRQMode                   Num = 92
	SysPCIResetDevice                    Num = 93
	SysPCISetIRQMode                     Num = 94
	SysPMTUnpin                          Num = 95
	SysPortCancel                        Num = 96
	SysPortCreate                        Num = 97
	SysPortQueue                         Num = 98
	SysPortWait                          Num = 99
	SysProcessCreate                     Num = 100
	SysProcessCreateShared               Num = 101
	SysProcessExit                       Num = 102
	SysProcessReadMemory                 Num = 103
	SysProcessStart                      Num = 104
	SysProcessWriteMemory                Num = 105
	SysProfileCreate                     Num = 106
	SysResourceCreate                    Num = 107
	SysRestrictedEnter                   Num = 108
	SysRestrictedReadState               Num = 109
	SysRestrictedWriteState              Num = 110
	SysSMCCall                           Num = 111
	SysSocketCreate                      Num = 112
	SysSocketRead                        Num = 113
	SysSocketSetDisposition              Num = 114
	SysSocketWrite                       Num = 115
	SysStreamCreate                      Num = 116
	SysStreamReadv                       Num = 117
	SysStreamReadvAt                     Num = 118
	SysStreamSeek                        Num = 119
	SysStreamWritev                      Num = 120
	SysStreamWritevAt                    Num = 121
	SysSyscallNext1                      Num = 122
	SysSyscallTestHandleCreate           Num = 123
	SysSyscallTestWideningSignedNarrow   Num = 124
	SysSyscallTestWideningSignedWide     Num = 125
	SysSyscallTestWideningUnsignedNarrow Num = 126
	SysSyscallTestWideningUnsignedWide   Num = 127
	SysSyscallTestWrapper                Num = 128
	SysSyscallTest0                      Num = 129
	SysSyscallTest1                      Num = 130
	SysSyscallTest2                      Num = 131
	SysSyscallTest3                      Num = 132
	SysSyscallTest4                      Num = 133
	SysSyscallTest5                      Num = 134
	SysSyscallTest6                      Num = 135
	SysSyscallTest7                      Num = 136
	SysSyscallTest8                      Num = 137
	SysSystemGetEvent                    Num = 138
	SysSystemGetPerformanceInfo          Num = 139
	SysSystemMexec                       Num = 140
	SysSystemMexecPayloadGet             Num = 141
	SysSystemPowerctl                    Num = 142
	SysSystemSetPerformanceInfo          Num = 143
	SysTaskCreateExceptionChannel        Num = 144
	SysTaskKill                          Num = 145
	SysTaskSuspend                       Num = 146
	SysTaskSuspendToken                  Num = 147
	SysThreadCreate                      Num = 148
	SysThreadExit                        Num = 149
	SysThreadLegacyYield                 Num = 150
	SysThreadReadState                   Num = 151
	SysThreadStart                       Num = 152
	SysThreadWriteState                  Num = 153
	SysTicksGetViaKernel                 Num = 154
	SysTimerCancel                       Num = 155
	SysTimerCreate                       Num = 156
	SysTimerSet                          Num = 157
	SysVCPUCreate                        Num = 158
	SysVCPUEnter                         Num = 159
	SysVCPUInterrupt                     Num = 160
	SysVCPUKick                          Num = 161
	SysVCPUReadState                     Num = 162
	SysVCPUWriteState                    Num = 163
	SysVMARAllocate                      Num = 164
	SysVMARDestroy                       Num = 165
	SysVMARMap                           Num = 166
	SysVMAROpRange                       Num = 167
	SysVMARProtect                       Num = 168
	SysVMARUnmap                         Num = 169
	SysVMOCreate                         Num = 170
	SysVMOCreateChild                    Num = 171
	SysVMOCreateContiguous               Num = 172
	SysVMOCreatePhysical                 Num = 173
	SysVMOGetSize                        Num = 174
	SysVMOOpRange                        Num = 175
	SysVMORead                           Num = 176
	SysVMOReplaceAsExecutable            Num = 177
	SysVMOSetCachePolicy                 Num = 178
	SysVMOSetSize                        Num = 179
	SysVMOWrite                          Num = 180

	// Count is ZX_SYS_COUNT: the numbers below it are Fuchsia's.
	Count Num = 181
)

// Calls Fuchsia's vDSO answers without entering its kernel, numbered by
// Quartz from VDSOBase on so that a vDSO of Quartz's (or a test) can reach
// them. A program linked against Fuchsia's vDSO never uses these numbers.
const (
	VDSOBase Num = 1000

	SysDeadlineAfter                  Num = VDSOBase + 0
	SysSystemGetPageSize              Num = VDSOBase + 1
	SysSystemGetNumCPUs               Num = VDSOBase + 2
	SysSystemGetPhysmem               Num = VDSOBase + 3
	SysSystemGetDcacheLineSize        Num = VDSOBase + 4
	SysTicksPerSecond                 Num = VDSOBase + 5
	SysHandleCheckValid               Num = VDSOBase + 6
	SysVMARUnmapHandleCloseThreadExit Num = VDSOBase + 7
	SysFutexWakeHandleCloseThreadExit Num = VDSOBase + 8

	vdsoEnd = VDSOBase + 9
)

var fuchsiaNames = [Count]string{
	"bti_create",
	"bti_pin",
	"bti_release_quarantine",
	"channel_call_etc_finish",
	"channel_call_etc_noretry",
	"channel_call_finish",
	"channel_call_noretry",
	"channel_create",
	"channel_read",
	"channel_read_etc",
	"channel_write",
	"channel_write_etc",
	"clock_create",
	"clock_get_details",
	"clock_get_monotonic_via_kernel",
	"clock_read",
	"clock_update",
	"cprng_add_entropy",
	"cprng_draw_once",
	"debug_read",
	"debug_send_command",
	"debug_write",
	"debuglog_create",
	"debuglog_read",
	"debuglog_write",
	"event_create",
	"eventpair_create",
	"exception_get_process",
	"exception_get_thread",
	"fifo_create",
	"fifo_read",
	"fifo_write",
	"framebuffer_get_info",
	"framebuffer_set_range",
	"futex_get_owner",
	"futex_requeue",
	"futex_requeue_single_owner",
	"futex_wait",
	"futex_wake",
	"futex_wake_single_owner",
	"guest_create",
	"guest_set_trap",
	"handle_close",
	"handle_close_many",
	"handle_duplicate",
	"handle_replace",
	"interrupt_ack",
	"interrupt_bind",
	"interrupt_create",
	"interrupt_destroy",
	"interrupt_trigger",
	"interrupt_wait",
	"iommu_create",
	"ioports_release",
	"ioports_request",
	"job_create",
	"job_set_critical",
	"job_set_policy",
	"ktrace_control",
	"ktrace_read",
	"ktrace_write",
	"msi_allocate",
	"msi_create",
	"mtrace_control",
	"nanosleep",
	"object_get_child",
	"object_get_info",
	"object_get_property",
	"object_set_profile",
	"object_set_property",
	"object_signal",
	"object_signal_peer",
	"object_wait_async",
	"object_wait_many",
	"object_wait_one",
	"pager_create",
	"pager_create_vmo",
	"pager_detach_vmo",
	"pager_op_range",
	"pager_query_dirty_ranges",
	"pager_query_vmo_stats",
	"pager_supply_pages",
	"pc_firmware_tables",
	"pci_add_subtract_io_range",
	"pci_cfg_pio_rw",
	"pci_config_read",
	"pci_config_write",
	"pci_enable_bus_master",
	"pci_get_bar",
	"pci_get_nth_device",
	"pci_init",
	"pci_map_interrupt",
	"pci_query_irq_mode",
	"pci_reset_device",
	"pci_set_irq_mode",
	"pmt_unpin",
	"port_cancel",
	"port_create",
	"port_queue",
	"port_wait",
	"process_create",
	"process_create_shared",
	"process_exit",
	"process_read_memory",
	"process_start",
	"process_write_memory",
	"profile_create",
	"resource_create",
	"restricted_enter",
	"restricted_read_state",
	"restricted_write_state",
	"smc_call",
	"socket_create",
	"socket_read",
	"socket_set_disposition",
	"socket_write",
	"stream_create",
	"stream_readv",
	"stream_readv_at",
	"stream_seek",
	"stream_writev",
	"stream_writev_at",
	"syscall_next_1",
	"syscall_test_handle_create",
	"syscall_test_widening_signed_narrow",
	"syscall_test_widening_signed_wide",
	"syscall_test_widening_unsigned_narrow",
	"syscall_test_widening_unsigned_wide",
	"syscall_test_wrapper",
	"syscall_test_0",
	"syscall_test_1",
	"syscall_test_2",
	"syscall_test_3",
	"syscall_test_4",
	"syscall_test_5",
	"syscall_test_6",
	"syscall_test_7",
	"syscall_test_8",
	"system_get_event",
	"system_get_performance_info",
	"system_mexec",
	"system_mexec_payload_get",
	"system_powerctl",
	"system_set_performance_info",
	"task_create_exception_channel",
	"task_kill",
	"task_suspend",
	"task_suspend_token",
	"thread_create",
	"thread_exit",
	"thread_legacy_yield",
	"thread_read_state",
	"thread_start",
	"thread_write_state",
	"ticks_get_via_kernel",
	"timer_cancel",
	"timer_create",
	"timer_set",
	"vcpu_create",
	"vcpu_enter",
	"vcpu_interrupt",
	"vcpu_kick",
	"vcpu_read_state",
	"vcpu_write_state",
	"vmar_allocate",
	"vmar_destroy",
	"vmar_map",
	"vmar_op_range",
	"vmar_protect",
	"vmar_unmap",
	"vmo_create",
	"vmo_create_child",
	"vmo_create_contiguous",
	"vmo_create_physical",
	"vmo_get_size",
	"vmo_op_range",
	"vmo_read",
	"vmo_replace_as_executable",
	"vmo_set_cache_policy",
	"vmo_set_size",
	"vmo_write",
}

var vdsoNames = [vdsoEnd - VDSOBase]string{
	"deadline_after",
	"system_get_page_size",
	"system_get_num_cpus",
	"system_get_physmem",
	"system_get_dcache_line_size",
	"ticks_per_second",
	"handle_check_valid",
	"vmar_unmap_handle_close_thread_exit",
	"futex_wake_handle_close_thread_exit",
}

// Name is the syscall's name without the zx_ prefix ("channel_write"), or
// "" for a number that names none.
func Name(n Num) string {
	switch {
	case n < Count:
		return fuchsiaNames[n]
	case n >= VDSOBase && n < vdsoEnd:
		return vdsoNames[n-VDSOBase]
	}
	return ""
}
