/* Power the machine off: the Debian test image has no init system, so its
 * /init ends with this (sync, then reboot(RB_POWER_OFF) as BusyBox's
 * poweroff -f does). */
#include <stdio.h>
#include <sys/reboot.h>
#include <unistd.h>

int main(void)
{
	sync();
	reboot(RB_POWER_OFF);
	perror("reboot");
	return 1;
}
