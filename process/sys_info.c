/*
 * System information calls: uname, sethostname, setdomainname, sysinfo,
 * getcpu, sched_yield.
 *
 * Locking: uts_lock protects the host and domain names (written by
 * sethostname/setdomainname, copied out whole by uname).  Leaf lock.
 */
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "process/cred.h"
#include "process/process.h"
#include "process/system.h"
#include "cpu/percpu.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "time/clock.h"
#include "time/timespec.h"

struct new_utsname {
	char sysname[UTS_FIELD_LEN];
	char nodename[UTS_FIELD_LEN];
	char release[UTS_FIELD_LEN];
	char version[UTS_FIELD_LEN];
	char machine[UTS_FIELD_LEN];
	char domainname[UTS_FIELD_LEN];
};

STATIC_ASSERT(sizeof(struct new_utsname) == 390, "utsname ABI");

struct sysinfo {
	long uptime;                    /* seconds since boot */
	unsigned long loads[3];         /* 1, 5, 15 minute loads << 16 */
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs;           /* number of current threads */
	unsigned short pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;          /* bytes per unit of the sizes above */
};

STATIC_ASSERT(sizeof(struct sysinfo) == 112, "sysinfo ABI");
STATIC_ASSERT(offsetof(struct sysinfo, procs) == 80, "sysinfo ABI");
STATIC_ASSERT(offsetof(struct sysinfo, mem_unit) == 104, "sysinfo ABI");

static struct spinlock uts_lock = SPINLOCK_INIT("uts");
static char hostname[UTS_FIELD_LEN] = "(none)";        /* [u] uts_lock */
static char domainname[UTS_FIELD_LEN] = "(none)";      /* [u] */

void uts_get_hostname(char *buf)
{
	spin_lock(&uts_lock);
	memcpy(buf, hostname, UTS_FIELD_LEN);
	spin_unlock(&uts_lock);
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, ubuf)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, UTS_SYSNAME, UTS_FIELD_LEN);
	strlcpy(u.release, UTS_RELEASE, UTS_FIELD_LEN);
	strlcpy(u.version, UTS_VERSION, UTS_FIELD_LEN);
	strlcpy(u.machine, UTS_MACHINE, UTS_FIELD_LEN);
	spin_lock(&uts_lock);
	memcpy(u.nodename, hostname, UTS_FIELD_LEN);
	memcpy(u.domainname, domainname, UTS_FIELD_LEN);
	spin_unlock(&uts_lock);
	return copy_to_user((uaddr_t)ubuf, &u, sizeof(u)) ? -EFAULT : 0;
}

/* sethostname/setdomainname: EPERM, then EINVAL, then EFAULT (Linux). */
static long set_uts_name(char *field, const char __user *name, int len)
{
	char tmp[UTS_FIELD_LEN];

	if (!cred_is_privileged(current_cred()))
		return -EPERM;
	if (len < 0 || len > UTS_FIELD_LEN - 1)
		return -EINVAL;
	if (copy_from_user(tmp, (uaddr_t)name, (size_t)len))
		return -EFAULT;
	memset(tmp + len, 0, sizeof(tmp) - (size_t)len);
	spin_lock(&uts_lock);
	memcpy(field, tmp, UTS_FIELD_LEN);
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_name(hostname, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_name(domainname, name, len);
}

/* Sizes in bytes (mem_unit 1), as Linux reports on 64-bit machines. */
SYSCALL_DEFINE1(sysinfo, struct sysinfo __user *, uinfo)
{
	uint64_t up = clock_uptime_ns();
	int threads = sched_thread_count();
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(up / NSEC_PER_SEC) + (up % NSEC_PER_SEC ? 1 : 0);
	si.totalram = pmm_total_page_count() * PAGE_SIZE;
	si.freeram = pmm_free_page_count() * PAGE_SIZE;
	si.procs = (unsigned short)(threads > 0xffff ? 0xffff : threads);
	si.mem_unit = 1;
	return copy_to_user((uaddr_t)uinfo, &si, sizeof(si)) ? -EFAULT : 0;
}

SYSCALL_DEFINE3(getcpu, unsigned __user *, ucpu, unsigned __user *, unode,
		void __user *, unused_cache)
{
	unsigned cpu = this_cpu()->cpu_id;
	int err = 0;

	if (ucpu)
		err |= put_user(cpu, ucpu);
	if (unode)
		err |= put_user(0u, unode);     /* one NUMA node */
	return err ? -EFAULT : 0;
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield();
	return 0;
}
