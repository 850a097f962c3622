/*
 * System V IPC tables: ids and keys, permissions, the parts of the
 * *get and *ctl calls that every kind of object shares.  See
 * ipc/internal.h for the model and the locking.
 */
#include "ipc/internal.h"
#include "include/assert.h"
#include "mm/mm.h"
#include "process/process.h"
#include "time/clock.h"

static bool ids_ready(struct ipc_ids *ids)
{
	if (ids->slots)
		return true;
	ids->slots = kzalloc(IPCMNI * sizeof(*ids->slots));
	return ids->slots != NULL;
}

struct ipc_obj *ipc_find_key(struct ipc_ids *ids, int32_t key)
{
	unsigned seen = 0;

	ASSERT(mutex_is_held(&ids->lock));
	if (key == IPC_PRIVATE || !ids->slots)
		return NULL;
	for (int i = 0; i < IPCMNI && seen < ids->in_use; i++) {
		struct ipc_obj *o = ids->slots[i];

		if (!o)
			continue;
		if (o->key == key)
			return o;
		seen++;
	}
	return NULL;
}

struct ipc_obj *ipc_find_idx(struct ipc_ids *ids, int idx)
{
	ASSERT(mutex_is_held(&ids->lock));
	if (idx < 0 || idx >= IPCMNI || !ids->slots || !ids->slots[idx])
		return ERR_PTR(-EINVAL);
	return ids->slots[idx];
}

struct ipc_obj *ipc_find_id(struct ipc_ids *ids, int id)
{
	struct ipc_obj *o;

	if (id < 0)
		return ERR_PTR(-EINVAL);
	o = ipc_find_idx(ids, id & (IPCMNI - 1));
	if (!IS_ERR(o) && o->seq != (unsigned)(id >> IPCMNI_SHIFT))
		return ERR_PTR(-EINVAL);
	return o;
}

/* A free slot, searched cyclically after the last one handed out in
 * [0, limit) (Linux's idr_alloc_cyclic); -1 if none. */
static int find_slot(struct ipc_ids *ids, int limit)
{
	for (int n = 0; n < limit; n++) {
		int i = (ids->last_idx + 1 + n) % limit;

		if (!ids->slots[i])
			return i;
	}
	return -1;
}

int ipc_add(struct ipc_ids *ids, struct ipc_obj *o)
{
	const struct cred *c = current_cred();
	int limit, idx;

	ASSERT(mutex_is_held(&ids->lock));
	if (ids->in_use >= ids->max)
		return -ENOSPC;
	if (!ids_ready(ids))
		return -ENOMEM;
	limit = (int)MAX(ids->in_use * 3 / 2, IPC_MIN_CYCLE);
	limit = MIN(limit, (int)ids->max);
	idx = find_slot(ids, limit);
	if (idx < 0)
		return -ENOSPC;
	if (idx <= ids->last_idx) {
		ids->seq++;
		if (ids->seq > IPCID_SEQ_MAX)
			ids->seq = 0;
	}
	ids->last_idx = idx;
	o->seq = ids->seq;
	o->id = (int)((o->seq << IPCMNI_SHIFT) + (unsigned)idx);
	o->uid = o->cuid = c->euid;
	o->gid = o->cgid = c->egid;
	o->refcount = 1;
	o->deleted = false;
	ids->slots[idx] = o;
	ids->in_use++;
	return 0;
}

void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o)
{
	ASSERT(mutex_is_held(&ids->lock));
	ASSERT(ids->slots[o->id & (IPCMNI - 1)] == o);
	ids->slots[o->id & (IPCMNI - 1)] = NULL;
	ids->in_use--;
	o->deleted = true;
	ipc_put(o);
}

void ipc_get(struct ipc_obj *o)
{
	ASSERT(o->refcount > 0);
	o->refcount++;
}

void ipc_put(struct ipc_obj *o)
{
	ASSERT(o->refcount > 0);
	if (--o->refcount == 0)
		o->free(o);
}

int ipc_perms(const struct ipc_obj *o, unsigned flag)
{
	const struct cred *c = current_cred();
	unsigned requested = (flag >> 6) | (flag >> 3) | flag;
	unsigned granted = o->mode;

	if (c->euid == o->cuid || c->euid == o->uid)
		granted >>= 6;
	else if (cred_has_group(c, o->cgid) || cred_has_group(c, o->gid))
		granted >>= 3;
	if ((requested & ~granted & 0007) && c->euid != 0)
		return -EACCES;
	return 0;
}

int ipc_may_change(const struct ipc_obj *o)
{
	const struct cred *c = current_cred();

	if (c->euid == o->cuid || c->euid == o->uid || c->euid == 0)
		return 0;
	return -EPERM;
}

void ipc_fill_perm(const struct ipc_obj *o, struct ipc64_perm *out)
{
	*out = (struct ipc64_perm){
		.key = o->key, .uid = o->uid, .gid = o->gid, .cuid = o->cuid,
		.cgid = o->cgid, .mode = o->mode, .seq = (uint16_t)o->seq,
	};
}

void ipc_set_perm(struct ipc_obj *o, const struct ipc64_perm *in)
{
	o->uid = in->uid;
	o->gid = in->gid;
	o->mode = (o->mode & ~0777u) | (in->mode & 0777u);
}

int ipc_max_idx(struct ipc_ids *ids)
{
	unsigned seen = 0;
	int max = -1;

	if (!ids->slots)
		return -1;
	for (int i = 0; i < IPCMNI && seen < ids->in_use; i++) {
		if (ids->slots[i]) {
			max = i;
			seen++;
		}
	}
	return max;
}

int64_t ipc_now(void)
{
	return clock_realtime_ns() / 1000000000LL;
}

int ipc_current_tgid(void)
{
	struct process *p = current_process();

	return p ? p->pid : 0;
}

int ipc_get_object(struct ipc_ids *ids, int32_t key, int flag,
		   int (*create)(struct ipc_ids *ids, int32_t key, int flag,
				 void *arg),
		   int (*check_existing)(struct ipc_obj *o, void *arg),
		   void *arg)
{
	struct ipc_obj *o;
	int ret;

	mutex_lock(&ids->lock);
	o = ipc_find_key(ids, key);
	if (!o) {
		ret = (key == IPC_PRIVATE || (flag & IPC_CREAT))
		      ? create(ids, key, flag, arg) : -ENOENT;
	} else if ((flag & IPC_CREAT) && (flag & IPC_EXCL)) {
		ret = -EEXIST;
	} else {
		ret = check_existing ? check_existing(o, arg) : 0;
		if (!ret)
			ret = ipc_perms(o, (unsigned)flag) ? -EACCES : o->id;
	}
	mutex_unlock(&ids->lock);
	return ret;
}
