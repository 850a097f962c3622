/*
 * System V IPC internals shared by msg.c, sem.c and shm.c.
 *
 * Model (Linux's ipc/util.c): each kind of object (message queues,
 * semaphore sets, shared memory segments) has its own table, struct
 * ipc_ids.  An object's id is seq * IPCMNI + slot: slots are handed out
 * cyclically and the table's sequence number grows each time the slot
 * search wraps, so a removed object's id stays invalid (EINVAL) for a
 * long time.  Keys map to at most one live object; IPC_PRIVATE (0)
 * always makes a new one.
 *
 * Locking: one mutex per table protects the table and every field of
 * every object of that kind that is not marked [I].  Objects carry a
 * reference count ([l]) so that a sleeper (msgsnd, msgrcv, semop) can
 * hold one across its sleep; an object removed from the table is
 * "deleted" and freed with its last reference.
 */
#ifndef IPC_INTERNAL_H
#define IPC_INTERNAL_H

#include "include/compiler.h"
#include "include/errno.h"
#include "sched/sched.h"

#define IPC_PRIVATE 0

/* Flags of the *get calls and the *ctl commands (ipc.h, ABI). */
#define IPC_CREAT 01000
#define IPC_EXCL 02000
#define IPC_NOWAIT 04000
#define IPC_RMID 0
#define IPC_SET 1
#define IPC_STAT 2
#define IPC_INFO 3

#define IPCMNI_SHIFT 15
#define IPCMNI (1 << IPCMNI_SHIFT)      /* slots per table */
#define IPCID_SEQ_MAX (INT32_MAX >> IPCMNI_SHIFT)
#define IPC_MIN_CYCLE 64                /* RADIX_TREE_MAP_SIZE */

#define S_IRUGO 0444
#define S_IWUGO 0222

/* struct ipc64_perm (x86_64). */
struct ipc64_perm {
	int32_t key;
	uint32_t uid, gid, cuid, cgid;
	uint32_t mode;
	uint16_t seq;
	uint16_t pad2;
	uint64_t unused1, unused2;
};
STATIC_ASSERT(sizeof(struct ipc64_perm) == 48, "ipc64_perm");

struct ipc_obj {
	int id;                         /* [I] */
	int32_t key;                    /* [l] (shm IPC_RMID clears it) */
	uint32_t uid, gid, cuid, cgid;  /* [l] */
	unsigned mode;                  /* [l] permission bits + kind flags */
	unsigned seq;                   /* [I] */
	bool deleted;                   /* [l] gone from the table */
	int refcount;                   /* [l] the table's + holders' */
	void (*free)(struct ipc_obj *o); /* [I] called at the last put */
};

struct ipc_ids {
	struct mutex lock;
	struct ipc_obj **slots;         /* [l] IPCMNI entries, on first use */
	unsigned in_use;                /* [l] */
	unsigned seq;                   /* [l] */
	int last_idx;                   /* [l] -1 before the first */
	unsigned max;                   /* [I] objects allowed (*MNI) */
};

#define IPC_IDS_INIT(ids, name, mni) { \
	.lock = MUTEX_INIT((ids).lock, name), .last_idx = -1, .max = (mni) }

/* ---- util.c (ids->lock held for all but ipc_now) ---- */
/* The live object with @key (not IPC_PRIVATE), or NULL. */
struct ipc_obj *ipc_find_key(struct ipc_ids *ids, int32_t key);
/* The live object with @id, or ERR_PTR(-EINVAL). */
struct ipc_obj *ipc_find_id(struct ipc_ids *ids, int id);
/* Enter @o (key and mode set by the caller) in the table: sets id,
 * seq, owner and creator ids, one reference.  0 or -ENOSPC/-ENOMEM. */
int ipc_add(struct ipc_ids *ids, struct ipc_obj *o);
/* Take @o out of the table (the table's reference is dropped). */
void ipc_remove(struct ipc_ids *ids, struct ipc_obj *o);
void ipc_get(struct ipc_obj *o);
void ipc_put(struct ipc_obj *o);
/* Access check of ipcperms(): @flag holds S_IRUGO/S_IWUGO-style bits.
 * 0 or -EACCES (root, CAP_IPC_OWNER, passes). */
int ipc_perms(const struct ipc_obj *o, unsigned flag);
/* IPC_SET and IPC_RMID: the owner, the creator or root.  0 or -EPERM. */
int ipc_may_change(const struct ipc_obj *o);
void ipc_fill_perm(const struct ipc_obj *o, struct ipc64_perm *out);
/* IPC_SET of uid, gid and the permission bits. */
void ipc_set_perm(struct ipc_obj *o, const struct ipc64_perm *in);
/* Highest slot in use (IPC_INFO's result), -1 if none. */
int ipc_max_idx(struct ipc_ids *ids);
/* The object in slot @idx (*_STAT), or ERR_PTR(-EINVAL). */
struct ipc_obj *ipc_find_idx(struct ipc_ids *ids, int idx);
/* Seconds since the epoch, for the *_time fields. */
int64_t ipc_now(void);
int ipc_current_tgid(void);

/*
 * The common part of msgget/semget/shmget: look up @key, create with
 * @create when allowed, else check @flag's permission bits and
 * @check_existing (may be NULL).  Returns the id or -errno.
 */
int ipc_get_object(struct ipc_ids *ids, int32_t key, int flag,
		   int (*create)(struct ipc_ids *ids, int32_t key, int flag,
				 void *arg),
		   int (*check_existing)(struct ipc_obj *o, void *arg),
		   void *arg);

#endif
