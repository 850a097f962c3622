/*
 * Permission checks (path_resolution(7), "Permissions"): owner, group
 * (fsgid or a supplementary group), other; a process with fsuid 0 acts
 * with CAP_DAC_OVERRIDE: it may read and write anything and search any
 * directory, but executes a file only if some execute bit is set.
 */
#include "vfs/internal.h"
#include "include/errno.h"
#include "mm/mm.h"
#include "process/process.h"

unsigned dtype_of(unsigned mode)
{
	return (mode & S_IFMT) >> 12;   /* DT_* are the S_IFMT bits >> 12 */
}

static bool groups_contain(const struct cred *c, uint32_t gid)
{
	for (uint32_t i = 0; i < c->ngroups && i < CRED_MAX_GROUPS; i++)
		if (c->groups[i] == gid)
			return true;
	return false;
}

bool cred_in_group(uint32_t gid)
{
	const struct cred *c = current_cred();

	return c->fsgid == gid || groups_contain(c, gid);
}

int inode_permission_ids(struct inode *inode, int mask, uint32_t uid,
			 uint32_t gid, bool root)
{
	unsigned mode = inode->mode, perm;
	const struct cred *c = current_cred();

	mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
	if (root) {
		if (!(mask & MAY_EXEC) || S_ISDIR(mode) || (mode & 0111))
			return 0;
		return -EACCES;
	}
	if (uid == inode->uid)
		perm = mode >> 6;
	else if (gid == inode->gid || groups_contain(c, inode->gid))
		perm = mode >> 3;
	else
		perm = mode;
	return (mask & ~perm & 7) ? -EACCES : 0;
}

int inode_permission(struct inode *inode, int mask)
{
	const struct cred *c = current_cred();

	return inode_permission_ids(inode, mask, c->fsuid, c->fsgid,
				    c->fsuid == 0);
}

bool inode_owner_or_capable(const struct inode *inode)
{
	const struct cred *c = current_cred();

	return c->fsuid == 0 || c->fsuid == inode->uid;     /* CAP_FOWNER */
}

bool capable_fsetid(void)
{
	return current_cred()->fsuid == 0;
}

int may_delete_sticky(struct inode *dir, struct inode *victim)
{
	const struct cred *c = current_cred();

	if (!(dir->mode & S_ISVTX) || c->fsuid == 0)
		return 0;
	if (c->fsuid == victim->uid || c->fsuid == dir->uid)
		return 0;
	return -EPERM;
}

uint64_t inode_cache_size(struct page_cache *pc)
{
	return inode_size_read(page_cache_host(pc));
}

void inode_init_owner(struct inode *dir, unsigned *mode, uint32_t *uid,
		      uint32_t *gid)
{
	const struct cred *c = current_cred();

	*uid = c->fsuid;
	*gid = c->fsgid;
	if (dir->mode & S_ISGID) {      /* the directory's group is inherited */
		*gid = dir->gid;
		if (S_ISDIR(*mode))
			*mode |= S_ISGID;
	}
}
