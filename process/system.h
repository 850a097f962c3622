/*
 * System-wide identity and power control seen by user space: the UTS
 * names (uname(2), sethostname(2)) and reboot(2).
 */
#ifndef PROCESS_SYSTEM_H
#define PROCESS_SYSTEM_H

#include "include/compiler.h"

#define UTS_FIELD_LEN 65        /* __NEW_UTS_LEN + 1 */
#define UTS_SYSNAME "Linux"     /* user space checks it */
#define UTS_RELEASE "6.1.0"     /* passes glibc's minimum-kernel checks */
/* UTS_RELEASE as LINUX_VERSION_CODE (the vDSO's "Linux" ELF note). */
#define UTS_RELEASE_CODE ((6 << 16) | (1 << 8) | 0)
#define UTS_VERSION "#1 SMP kernel 0.1.0"
#define UTS_MACHINE "x86_64"

/* Copy the host name (NUL-terminated, at most UTS_FIELD_LEN bytes). */
void uts_get_hostname(char *buf);

/* Called by reboot(2) before restarting or powering off, to write back
 * file systems (the VFS registers vfs_sync_all or similar).  NULL: none. */
void reboot_set_sync_hook(void (*sync)(void));
/* Ctrl-Alt-Del: true = reboot at once, false = signal init (SIGINT). */
bool reboot_cad_enabled(void);

#endif
