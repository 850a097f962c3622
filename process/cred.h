/*
 * Credential rules: the permission checks and updates of the set*id
 * family, written as pure functions on struct cred (process.h) so that
 * they are unit-tested on the host.  Rules from credentials(7),
 * setuid(2), setreuid(2), setresuid(2), setfsuid(2), setgroups(2) and
 * Linux kernel/sys.c.
 *
 * Capabilities are not modelled separately: a process has CAP_SETUID,
 * CAP_SETGID, CAP_SYS_ADMIN etc. exactly when its euid is 0.  That is what
 * Linux's capability transitions give without file capabilities or
 * securebits (effective caps follow euid 0, permitted caps survive while
 * any of ruid/euid/suid is 0, and euid can only return to 0 in that case).
 *
 * Each cred_set* function takes the old credentials and the arguments of
 * the system call (-1 = unchanged, as (uint32_t)-1) and fills *new; it
 * returns 0, -EPERM, or -EINVAL exactly where Linux does.  *new is only
 * meaningful on success.  setfsuid/setfsgid never fail: they return the
 * previous value.
 */
#ifndef PROCESS_CRED_H
#define PROCESS_CRED_H

#include "include/compiler.h"

#define NGROUPS_MAX 65536
#define CRED_MAX_GROUPS 32      /* supplementary groups we keep */
#define CRED_ID_UNCHANGED ((uint32_t)-1)

/* Embedded in struct process; see the lock tag there ([p]). */
struct cred {
	uint32_t uid, euid, suid, fsuid;
	uint32_t gid, egid, sgid, fsgid;
	uint32_t ngroups;
	uint32_t groups[CRED_MAX_GROUPS];       /* sorted ascending */
};

struct process;

/* True if @c has the power of root (CAP_SETUID, CAP_SETGID, ...). */
static inline bool cred_is_privileged(const struct cred *c)
{
	return c->euid == 0;
}

/* The credentials of init (all ids 0, no supplementary groups). */
void cred_init_root(struct cred *c);

int cred_setuid(struct cred *new, const struct cred *old, uint32_t uid);
int cred_setgid(struct cred *new, const struct cred *old, uint32_t gid);
int cred_setreuid(struct cred *new, const struct cred *old,
		  uint32_t ruid, uint32_t euid);
int cred_setregid(struct cred *new, const struct cred *old,
		  uint32_t rgid, uint32_t egid);
int cred_setresuid(struct cred *new, const struct cred *old,
		   uint32_t ruid, uint32_t euid, uint32_t suid);
int cred_setresgid(struct cred *new, const struct cred *old,
		   uint32_t rgid, uint32_t egid, uint32_t sgid);
uint32_t cred_setfsuid(struct cred *new, const struct cred *old, uint32_t fsuid);
uint32_t cred_setfsgid(struct cred *new, const struct cred *old, uint32_t fsgid);
/*
 * Replace the supplementary groups with @groups[0..@n): -EPERM without
 * CAP_SETGID, -EINVAL if @n > NGROUPS_MAX or more than we can keep
 * (CRED_MAX_GROUPS).  Stores them sorted, as Linux does (getgroups shows
 * that order).
 */
int cred_setgroups(struct cred *new, const struct cred *old,
		   const uint32_t *groups, size_t n);
/* True if @gid is the fsgid or a supplementary group (in_group_p for any cred). */
bool cred_has_group(const struct cred *c, uint32_t gid);

/* ---- implemented by process/cred_syscalls.c (kernel only) ---- */

/* Copy @p's credentials consistently (for other processes' checks). */
void cred_snapshot(struct process *p, struct cred *out);

#endif
