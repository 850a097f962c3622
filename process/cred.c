/*
 * Credential rules of the set*id system calls (see cred.h), transcribed
 * from the man pages and the order of checks in Linux kernel/sys.c and
 * kernel/groups.c.  Pure functions: no locks, no current process; the
 * callers in cred_syscalls.c apply the result.
 *
 * In the initial user namespace every id is valid except (uid_t)-1, which
 * means "unchanged" where the call allows it and is -EINVAL elsewhere.
 */
#include "process/cred.h"
#include "include/errno.h"

static bool id_given(uint32_t id)
{
	return id != CRED_ID_UNCHANGED;
}

void cred_init_root(struct cred *c)
{
	*c = (struct cred){ 0 };
}

int cred_setuid(struct cred *new, const struct cred *old, uint32_t uid)
{
	if (!id_given(uid))
		return -EINVAL;
	*new = *old;
	if (cred_is_privileged(old))
		new->uid = new->suid = uid;
	else if (uid != old->uid && uid != old->suid)
		return -EPERM;
	new->euid = new->fsuid = uid;
	return 0;
}

int cred_setgid(struct cred *new, const struct cred *old, uint32_t gid)
{
	if (!id_given(gid))
		return -EINVAL;
	*new = *old;
	if (cred_is_privileged(old))
		new->gid = new->sgid = gid;
	else if (gid != old->gid && gid != old->sgid)
		return -EPERM;
	new->egid = new->fsgid = gid;
	return 0;
}

/*
 * setreuid(2)/setregid(2): the real id may become the real or effective
 * id, the effective id any of real, effective, saved.  The saved id
 * follows the new effective id when the real id is set, or when the
 * effective id is set to something other than the old real id.
 */
static int set_re(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs,
		  bool privileged, uint32_t nr, uint32_t ne)
{
	uint32_t old_r = *r, old_e = *e, old_s = *s;

	if (id_given(nr)) {
		if (nr != old_r && nr != old_e && !privileged)
			return -EPERM;
		*r = nr;
	}
	if (id_given(ne)) {
		if (ne != old_r && ne != old_e && ne != old_s && !privileged)
			return -EPERM;
		*e = ne;
	}
	if (id_given(nr) || (id_given(ne) && ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

int cred_setreuid(struct cred *new, const struct cred *old,
		  uint32_t ruid, uint32_t euid)
{
	*new = *old;
	return set_re(&new->uid, &new->euid, &new->suid, &new->fsuid,
		      cred_is_privileged(old), ruid, euid);
}

int cred_setregid(struct cred *new, const struct cred *old,
		  uint32_t rgid, uint32_t egid)
{
	*new = *old;
	return set_re(&new->gid, &new->egid, &new->sgid, &new->fsgid,
		      cred_is_privileged(old), rgid, egid);
}

/* An unprivileged process may set each id to any of its current three. */
static bool one_of_three(uint32_t id, uint32_t r, uint32_t e, uint32_t s)
{
	return !id_given(id) || id == r || id == e || id == s;
}

/* setresuid(2)/setresgid(2). */
static int set_res(uint32_t *r, uint32_t *e, uint32_t *s, uint32_t *fs,
		   bool privileged, uint32_t nr, uint32_t ne, uint32_t ns)
{
	if (!privileged && (!one_of_three(nr, *r, *e, *s) ||
			    !one_of_three(ne, *r, *e, *s) ||
			    !one_of_three(ns, *r, *e, *s)))
		return -EPERM;
	if (id_given(nr))
		*r = nr;
	if (id_given(ne))
		*e = ne;
	if (id_given(ns))
		*s = ns;
	*fs = *e;
	return 0;
}

int cred_setresuid(struct cred *new, const struct cred *old,
		   uint32_t ruid, uint32_t euid, uint32_t suid)
{
	*new = *old;
	return set_res(&new->uid, &new->euid, &new->suid, &new->fsuid,
		       cred_is_privileged(old), ruid, euid, suid);
}

int cred_setresgid(struct cred *new, const struct cred *old,
		   uint32_t rgid, uint32_t egid, uint32_t sgid)
{
	*new = *old;
	return set_res(&new->gid, &new->egid, &new->sgid, &new->fsgid,
		       cred_is_privileged(old), rgid, egid, sgid);
}

/*
 * setfsuid(2): allowed to any of real, effective, saved or current fs id,
 * or anything with the privilege; an invalid id ((uid_t)-1) or a refused
 * one leaves it unchanged.  Returns the old value either way.
 */
uint32_t cred_setfsuid(struct cred *new, const struct cred *old, uint32_t fsuid)
{
	*new = *old;
	if (id_given(fsuid) &&
	    (fsuid == old->uid || fsuid == old->euid || fsuid == old->suid ||
	     fsuid == old->fsuid || cred_is_privileged(old)))
		new->fsuid = fsuid;
	return old->fsuid;
}

uint32_t cred_setfsgid(struct cred *new, const struct cred *old, uint32_t fsgid)
{
	*new = *old;
	if (id_given(fsgid) &&
	    (fsgid == old->gid || fsgid == old->egid || fsgid == old->sgid ||
	     fsgid == old->fsgid || cred_is_privileged(old)))
		new->fsgid = fsgid;
	return old->fsgid;
}

int cred_setgroups(struct cred *new, const struct cred *old,
		   const uint32_t *groups, size_t n)
{
	if (!cred_is_privileged(old))
		return -EPERM;
	if (n > NGROUPS_MAX || n > CRED_MAX_GROUPS)
		return -EINVAL;
	*new = *old;
	new->ngroups = (uint32_t)n;
	/* Insertion sort: at most CRED_MAX_GROUPS entries (groups_sort). */
	for (size_t i = 0; i < n; i++) {
		uint32_t g = groups[i];
		size_t j = i;

		for (; j > 0 && new->groups[j - 1] > g; j--)
			new->groups[j] = new->groups[j - 1];
		new->groups[j] = g;
	}
	return 0;
}

bool cred_has_group(const struct cred *c, uint32_t gid)
{
	if (gid == c->fsgid)
		return true;
	for (uint32_t i = 0; i < c->ngroups; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}
