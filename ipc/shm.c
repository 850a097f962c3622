/*
 * System V shared memory: shmget, shmat, shmdt, shmctl (shmget(2),
 * shmop(2), shmctl(2)).
 *
 * A segment owns an anon_shared object (mm/uvm.c): the pages every
 * attachment maps, allocated on first touch.  shmat maps it with a VMA
 * of its own; fork copies such VMAs, munmap/mprotect may split them,
 * exit and exec drop them.  shm_nattch is the number of VMAs mapping
 * the object (as on Linux, where each VMA's open/close counts), read
 * from the object's reference count.  When a VMA goes, mm/ calls
 * shm_unmapped instead of dropping the reference itself, so the detach
 * is accounted here: it records shm_dtime and shm_lpid and destroys a
 * segment that IPC_RMID marked SHM_DEST once nothing maps it any more.
 * A marked segment has key IPC_PRIVATE but may still be attached by id.
 *
 * Locking: shm_ids.lock protects every segment.  It is taken below
 * mm->lock (shm_unmapped runs from munmap/exit with mm->lock held), so
 * it is never held while calling into mm/ except to drop the segment's
 * own reference.
 */
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "include/assert.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define SHMMIN 1
#define SHMSEG SHMMNI
#define SHMLBA PAGE_SIZE

#define SHM_DEST 01000                  /* mode: removed, still attached */
#define SHM_LOCKED 02000                /* mode: SHM_LOCK */
#define SHM_RDONLY 010000
#define SHM_RND 020000
#define SHM_REMAP 040000
#define SHM_EXEC 0100000
#define SHM_LOCK 11
#define SHM_UNLOCK 12
#define SHM_STAT 13
#define SHM_INFO 14
#define SHM_STAT_ANY 15

struct shmid64_ds {
	struct ipc64_perm shm_perm;
	uint64_t shm_segsz;
	int64_t shm_atime, shm_dtime, shm_ctime;
	int32_t shm_cpid, shm_lpid;
	uint64_t shm_nattch;
	uint64_t unused4, unused5;
};
STATIC_ASSERT(sizeof(struct shmid64_ds) == 112, "shmid64_ds");

struct shminfo64 {
	uint64_t shmmax, shmmin, shmmni, shmseg, shmall;
	uint64_t unused1, unused2, unused3, unused4;
};
STATIC_ASSERT(sizeof(struct shminfo64) == 72, "shminfo64");

struct shm_info {
	int32_t used_ids;
	uint64_t shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes;
};
STATIC_ASSERT(sizeof(struct shm_info) == 48, "shm_info");

struct shm_segment {
	struct ipc_obj perm;            /* first: container_of */
	uint64_t size;                  /* [I] bytes, as asked */
	struct anon_shared *obj;        /* [I] the segment's reference */
	int cpid, lpid;                 /* [l] */
	int64_t atime, dtime, ctime;    /* [l] */
};

static struct ipc_ids shm_ids = IPC_IDS_INIT(shm_ids, "shm ids", SHMMNI);
static uint64_t shm_total_pages;        /* [l] of all segments */

static struct shm_segment *to_seg(struct ipc_obj *o)
{
	return container_of(o, struct shm_segment, perm);
}

static uint64_t seg_pages(const struct shm_segment *seg)
{
	return DIV_ROUND_UP(seg->size, PAGE_SIZE);
}

static uint64_t seg_nattch(const struct shm_segment *seg)
{
	return (uint64_t)anon_shared_refs(seg->obj) - 1;
}

static void shm_free_seg(struct ipc_obj *o)
{
	kfree(to_seg(o));
}

/* Remove @seg for good (lock held, nothing maps it). */
static void shm_destroy(struct shm_segment *seg)
{
	shm_total_pages -= seg_pages(seg);
	anon_shared_put(seg->obj);      /* the last reference: pages freed */
	ipc_remove(&shm_ids, &seg->perm);
}

/* mm/ dropped a mapping of the segment (see the top of the file). */
static void shm_unmapped(struct anon_shared *s, void *owner)
{
	struct shm_segment *seg = owner;

	mutex_lock(&shm_ids.lock);
	anon_shared_put(s);
	seg->lpid = ipc_current_tgid();
	seg->dtime = ipc_now();
	if ((seg->perm.mode & SHM_DEST) && anon_shared_refs(s) == 1)
		shm_destroy(seg);
	mutex_unlock(&shm_ids.lock);
}

static int new_segment(struct ipc_ids *ids, int32_t key, int flag, void *arg)
{
	uint64_t size = *(uint64_t *)arg, pages;
	struct shm_segment *seg;
	int err;

	if (size < SHMMIN || size > SHMMAX)
		return -EINVAL;
	pages = DIV_ROUND_UP(size, PAGE_SIZE);
	if (shm_total_pages + pages < shm_total_pages ||
	    shm_total_pages + pages > SHMALL)
		return -ENOSPC;
	seg = kzalloc(sizeof(*seg));
	if (!seg)
		return -ENOMEM;
	seg->obj = anon_shared_create(pages, shm_unmapped, seg);
	if (!seg->obj) {
		kfree(seg);
		return -ENOMEM;
	}
	seg->perm.key = key;
	seg->perm.mode = (unsigned)flag & 0777;
	seg->perm.free = shm_free_seg;
	seg->size = size;
	seg->cpid = ipc_current_tgid();
	seg->ctime = ipc_now();
	err = ipc_add(ids, &seg->perm);
	if (err) {
		anon_shared_put(seg->obj);
		kfree(seg);
		return err;
	}
	shm_total_pages += pages;
	return seg->perm.id;
}

static int check_size(struct ipc_obj *o, void *arg)
{
	return to_seg(o)->size < *(uint64_t *)arg ? -EINVAL : 0;
}

SYSCALL_DEFINE3(shmget, int32_t, key, size_t, size, int, shmflg)
{
	uint64_t sz = size;

	return ipc_get_object(&shm_ids, key, shmflg, new_segment, check_size,
			      &sz);
}

/* ---- shmat, shmdt ---- */

static long do_shmat(int shmid, uaddr_t addr, int flag)
{
	struct mm *mm = current_process()->mm;
	struct shm_segment *seg;
	struct anon_shared *obj;
	struct ipc_obj *o;
	unsigned prot = VM_READ, acc = S_IRUGO, place = MM_PLACE_HINT;
	bool fixed = addr != 0;
	size_t len;
	int err;

	if (shmid < 0)
		return -EINVAL;
	if (addr) {
		if (addr & (SHMLBA - 1)) {
			if (!(flag & SHM_RND))
				return -EINVAL;
			addr = ALIGN_DOWN(addr, SHMLBA);
			if (!addr && (flag & SHM_REMAP))
				return -EINVAL;
		}
	} else if (flag & SHM_REMAP) {
		return -EINVAL;
	}
	if (!(flag & SHM_RDONLY)) {
		prot |= VM_WRITE;
		acc |= S_IWUGO;
	}
	if (flag & SHM_EXEC) {
		prot |= VM_EXEC;
		acc |= 0111;
	}
	mutex_lock(&shm_ids.lock);
	o = ipc_find_id(&shm_ids, shmid);
	if (IS_ERR(o)) {
		mutex_unlock(&shm_ids.lock);
		return PTR_ERR(o);
	}
	if (ipc_perms(o, acc)) {
		mutex_unlock(&shm_ids.lock);
		return -EACCES;
	}
	seg = to_seg(o);
	obj = seg->obj;
	anon_shared_get(obj);           /* keeps a SHM_DEST segment alive */
	len = ALIGN_UP(seg->size, PAGE_SIZE);
	mutex_unlock(&shm_ids.lock);

	/* Placement is decided under the mm lock with the mapping itself,
	 * so a thread's concurrent mmap cannot take the range. */
	if (!fixed) {
		addr = 0;
		place = MM_PLACE_HINT;
		err = 0;
	} else if (addr + len < addr) {
		err = -EINVAL;
	} else if (!user_range_ok(addr, len)) {
		err = -ENOMEM;
	} else if (addr < PAGE_SIZE) {
		err = -EPERM;           /* page 0 stays unmapped (mmap_min_addr) */
	} else {
		place = (flag & SHM_REMAP) ? MM_PLACE_REPLACE : MM_PLACE_NOREPLACE;
		err = 0;
	}
	if (!err) {
		err = mm_map_shared(mm, &addr, len, prot, obj, place);
		if (err == -EEXIST)
			err = -EINVAL;  /* occupied and no SHM_REMAP */
	}

	mutex_lock(&shm_ids.lock);
	if (!err) {
		seg->atime = ipc_now();
		seg->lpid = ipc_current_tgid();
	}
	anon_shared_put(obj);
	if ((seg->perm.mode & SHM_DEST) && anon_shared_refs(obj) == 1)
		shm_destroy(seg);
	mutex_unlock(&shm_ids.lock);
	return err ? err : (long)addr;
}

SYSCALL_DEFINE3(shmat, int, shmid, uaddr_t, addr, int, shmflg)
{
	return do_shmat(shmid, addr, shmflg);
}

SYSCALL_DEFINE1(shmdt, uaddr_t, addr)
{
	if (addr & (PAGE_SIZE - 1))
		return -EINVAL;
	return mm_unmap_shared(current_process()->mm, addr, shm_unmapped);
}

/* ---- shmctl ---- */

static void fill_ds(struct shm_segment *seg, struct shmid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&seg->perm, &ds->shm_perm);
	ds->shm_segsz = seg->size;
	ds->shm_atime = seg->atime;
	ds->shm_dtime = seg->dtime;
	ds->shm_ctime = seg->ctime;
	ds->shm_cpid = seg->cpid;
	ds->shm_lpid = seg->lpid;
	ds->shm_nattch = seg_nattch(seg);
}

static long shmctl_info(int cmd, uaddr_t buf)
{
	struct shminfo64 info = {
		.shmmax = SHMMAX, .shmmin = SHMMIN, .shmmni = SHMMNI,
		.shmseg = SHMSEG, .shmall = SHMALL,
	};
	struct shm_info sinfo = { 0 };
	int max;

	mutex_lock(&shm_ids.lock);
	sinfo.used_ids = (int32_t)shm_ids.in_use;
	sinfo.shm_tot = shm_total_pages;
	max = ipc_max_idx(&shm_ids);
	mutex_unlock(&shm_ids.lock);
	if (cmd == IPC_INFO ? copy_to_user(buf, &info, sizeof(info))
			    : copy_to_user(buf, &sinfo, sizeof(sinfo)))
		return -EFAULT;
	return max < 0 ? 0 : max;
}

static long shmctl_stat(int shmid, int cmd, uaddr_t buf)
{
	struct shmid64_ds ds;
	struct ipc_obj *o;
	long ret = 0;

	mutex_lock(&shm_ids.lock);
	o = cmd == IPC_STAT ? ipc_find_id(&shm_ids, shmid)
			    : ipc_find_idx(&shm_ids, shmid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
	} else if (cmd != SHM_STAT_ANY && ipc_perms(o, S_IRUGO)) {
		ret = -EACCES;
	} else {
		fill_ds(to_seg(o), &ds);
		if (cmd != IPC_STAT)
			ret = o->id;
	}
	mutex_unlock(&shm_ids.lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		ret = -EFAULT;
	return ret;
}

static long shmctl_change(int shmid, int cmd, const struct shmid64_ds *ds)
{
	const struct cred *c = current_cred();
	struct shm_segment *seg;
	struct ipc_obj *o;
	long ret = 0;

	mutex_lock(&shm_ids.lock);
	o = ipc_find_id(&shm_ids, shmid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
		goto out;
	}
	seg = to_seg(o);
	switch (cmd) {
	case IPC_RMID:
		ret = ipc_may_change(o);
		if (ret)
			break;
		if (seg_nattch(seg)) {
			o->mode |= SHM_DEST;
			o->key = IPC_PRIVATE;   /* shmget no longer finds it */
		} else {
			shm_destroy(seg);
		}
		break;
	case IPC_SET:
		ret = ipc_may_change(o);
		if (ret)
			break;
		ipc_set_perm(o, &ds->shm_perm);
		seg->ctime = ipc_now();
		break;
	case SHM_LOCK:
	case SHM_UNLOCK:
		/* CAP_IPC_LOCK, or the owner (with RLIMIT_MEMLOCK, which is
		 * never 0 here). */
		if (c->euid != 0 && c->euid != o->uid && c->euid != o->cuid) {
			ret = -EPERM;
			break;
		}
		if (cmd == SHM_LOCK)
			o->mode |= SHM_LOCKED;
		else
			o->mode &= ~SHM_LOCKED;
		break;
	}
out:
	mutex_unlock(&shm_ids.lock);
	return ret;
}

SYSCALL_DEFINE3(shmctl, int, shmid, int, cmd, uaddr_t, buf)
{
	struct shmid64_ds ds;

	if (cmd < 0 || shmid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SHM_INFO:
		return shmctl_info(cmd, buf);
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		return shmctl_stat(shmid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		return shmctl_change(shmid, cmd, &ds);
	case IPC_RMID:
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_change(shmid, cmd, NULL);
	default:
		return -EINVAL;
	}
}
