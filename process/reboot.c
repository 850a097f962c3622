/*
 * reboot(2): restart, halt or power off the machine, or choose what
 * Ctrl-Alt-Del does.  Needs root (CAP_SYS_BOOT) and Linux's magic numbers
 * (include/uapi/linux/reboot.h).  Before the machine stops, the sync hook
 * writes back file systems.  Kexec and hibernation are not built, so
 * those commands are -EINVAL as in a Linux without them.
 *
 * Locking: cad_enabled is one word written with WRITE_ONCE; sync_hook is
 * set once at boot ([I] afterwards).
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "process/cred.h"
#include "process/process.h"
#include "process/system.h"
#include "cpu/x86.h"
#include "drivers/power.h"
#include "include/errno.h"
#include "lib/printk.h"

#define LINUX_REBOOT_MAGIC1 0xfee1deadu
#define LINUX_REBOOT_MAGIC2 672274793u
#define LINUX_REBOOT_MAGIC2A 85072278u
#define LINUX_REBOOT_MAGIC2B 369367448u
#define LINUX_REBOOT_MAGIC2C 537993216u

#define LINUX_REBOOT_CMD_RESTART 0x01234567u
#define LINUX_REBOOT_CMD_HALT 0xCDEF0123u
#define LINUX_REBOOT_CMD_CAD_ON 0x89ABCDEFu
#define LINUX_REBOOT_CMD_CAD_OFF 0x00000000u
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321FEDCu
#define LINUX_REBOOT_CMD_RESTART2 0xA1B2C3D4u

#define RESTART2_ARG_MAX 256

static bool cad_enabled = true;         /* Linux's default C_A_D = 1 */
static void (*sync_hook)(void);         /* [I] */

void reboot_set_sync_hook(void (*sync)(void))
{
	sync_hook = sync;
}

bool reboot_cad_enabled(void)
{
	return READ_ONCE(cad_enabled);
}

static void prepare_stop(void)
{
	if (sync_hook)
		sync_hook();
}

static void __noreturn halt_forever(void)
{
	pr_emerg("reboot: System halted\n");
	for (;;) {
		irq_disable();
		cpu_halt();
	}
}

static bool magic_ok(unsigned magic1, unsigned magic2)
{
	return magic1 == LINUX_REBOOT_MAGIC1 &&
	       (magic2 == LINUX_REBOOT_MAGIC2 || magic2 == LINUX_REBOOT_MAGIC2A ||
		magic2 == LINUX_REBOOT_MAGIC2B || magic2 == LINUX_REBOOT_MAGIC2C);
}

SYSCALL_DEFINE4(reboot, unsigned, magic1, unsigned, magic2, unsigned, cmd,
		const char __user *, arg)
{
	char buf[RESTART2_ARG_MAX];

	if (!cred_is_privileged(current_cred()))
		return -EPERM;
	if (!magic_ok(magic1, magic2))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
		WRITE_ONCE(cad_enabled, true);
		return 0;
	case LINUX_REBOOT_CMD_CAD_OFF:
		WRITE_ONCE(cad_enabled, false);
		return 0;
	case LINUX_REBOOT_CMD_RESTART2:
		/* Too long is fine (truncated, as in Linux); a fault is not. */
		if (strncpy_from_user(buf, (uaddr_t)arg, sizeof(buf) - 1) == -EFAULT)
			return -EFAULT;
		/* the argument only names a firmware mode */
		__attribute__((fallthrough));
	case LINUX_REBOOT_CMD_RESTART:
		prepare_stop();
		pr_emerg("reboot: Restarting system\n");
		power_reboot();
	case LINUX_REBOOT_CMD_HALT:
		prepare_stop();
		halt_forever();
	case LINUX_REBOOT_CMD_POWER_OFF:
		prepare_stop();
		pr_emerg("reboot: Power down\n");
		power_off();
	default:
		return -EINVAL;
	}
}
