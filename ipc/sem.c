/*
 * System V semaphores: semget, semop, semtimedop, semctl (semop(2),
 * semctl(2)).
 *
 * A set holds nsems counters in [0, SEMVMX].  semop applies an array of
 * operations atomically: all of them or none.  An operation that would
 * take a value below zero, or a wait-for-zero on a non-zero value,
 * blocks the whole array (or fails with EAGAIN under IPC_NOWAIT); one
 * that would go above SEMVMX fails with ERANGE.  A blocked caller joins
 * the set's pending list (FIFO); whenever values change, the pending
 * operations are retried in order and completed on the sleepers' behalf
 * (Linux's update_queue), so a post goes to the process that waited
 * first.  GETNCNT/GETZCNT count the sleepers whose blocking operation is
 * a decrement / a wait-for-zero of that semaphore.
 *
 * SEM_UNDO: each process keeps, per set, the adjustment that undoes its
 * SEM_UNDO operations; exit applies it (clamped to [0, SEMVMX]).  SETVAL
 * and SETALL clear the adjustments of the values they set.  fork starts
 * with none; clone(CLONE_SYSVSEM) shares the parent's list (counted), and
 * only the exit of its last sharer applies it; exec keeps them.
 *
 * Locking: sem_ids.lock protects every set, every waiter and every undo
 * structure (including process->sysvsem).
 */
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "include/assert.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"
#include "time/timespec.h"

#define SEMVMX 32767
#define SEMAEM SEMVMX
#define SEMUSZ 20

#define SEM_UNDO 0x1000
#define GETPID 11
#define GETVAL 12
#define GETALL 13
#define GETNCNT 14
#define GETZCNT 15
#define SETVAL 16
#define SETALL 17
#define SEM_STAT 18
#define SEM_INFO 19
#define SEM_STAT_ANY 20

struct sembuf_k {
	uint16_t sem_num;
	int16_t sem_op;
	int16_t sem_flg;
};
STATIC_ASSERT(sizeof(struct sembuf_k) == 6, "struct sembuf");

struct semid64_ds {
	struct ipc64_perm sem_perm;
	int64_t sem_otime;
	uint64_t unused1;
	int64_t sem_ctime;
	uint64_t unused2;
	uint64_t sem_nsems;
	uint64_t unused3, unused4;
};
STATIC_ASSERT(sizeof(struct semid64_ds) == 104, "semid64_ds");

struct seminfo {
	int32_t semmap, semmni, semmns, semmnu, semmsl, semopm, semume,
		semusz, semvmx, semaem;
};

struct sem {
	int semval;                     /* [l] */
	int sempid;                     /* [l] last process to change it */
};

struct sem_array {
	struct ipc_obj perm;            /* first: container_of */
	int nsems;                      /* [I] */
	int64_t otime, ctime;           /* [l] */
	struct list_node pending;       /* [l] struct sem_waiter, FIFO */
	struct list_node undos;         /* [l] struct sem_undo.array_node */
	struct wait_queue wq;           /* sleepers; each checks its status */
	struct sem sems[];              /* [l] */
};

/* A semop that sleeps. */
struct sem_waiter {
	struct list_node node;          /* [l] array->pending */
	const struct sembuf_k *sops;
	int nsops;
	struct sem_undo *undo;          /* NULL without SEM_UNDO */
	int pid;
	int blocking;                   /* [l] index of the op that blocks */
	int status;                     /* [l] 1 waiting, 0 done, -errno */
};

/* The SEM_UNDO adjustments of one process for one set. */
struct sem_undo {
	struct list_node proc_node;     /* [l] sem_undo_list.undos */
	struct list_node array_node;    /* [l] array->undos (if not gone) */
	struct sem_array *array;        /* [l] NULL once the set is removed */
	int semid;                      /* [I] */
	int16_t semadj[];               /* [l] one per semaphore */
};

/* One per process, or shared by processes cloned with CLONE_SYSVSEM. */
struct sem_undo_list {
	struct list_node undos;         /* [l] struct sem_undo.proc_node */
	int refcount;                   /* [l] processes using it */
};

static struct ipc_ids sem_ids = IPC_IDS_INIT(sem_ids, "sem ids", SEMMNI);
static uint64_t sems_in_use;            /* [l] semaphores in all sets */

static struct sem_array *to_array(struct ipc_obj *o)
{
	return container_of(o, struct sem_array, perm);
}

static void undo_unlink(struct sem_undo *u)
{
	if (u->array) {
		list_del(&u->array_node);
		u->array = NULL;
	}
}

static void sem_free_array(struct ipc_obj *o)
{
	kfree(to_array(o));
}

static int new_array(struct ipc_ids *ids, int32_t key, int flag, void *arg)
{
	int nsems = *(int *)arg;
	struct sem_array *a;
	int err;

	if (nsems == 0)
		return -EINVAL;
	if (sems_in_use + (uint64_t)nsems > SEMMNS)
		return -ENOSPC;
	a = kzalloc(sizeof(*a) + (size_t)nsems * sizeof(struct sem));
	if (!a)
		return -ENOMEM;
	a->perm.key = key;
	a->perm.mode = (unsigned)flag & 0777;
	a->perm.free = sem_free_array;
	a->nsems = nsems;
	a->ctime = ipc_now();
	list_init(&a->pending);
	list_init(&a->undos);
	wait_queue_init(&a->wq);
	err = ipc_add(ids, &a->perm);
	if (err) {
		kfree(a);
		return err;
	}
	sems_in_use += (uint64_t)nsems;
	return a->perm.id;
}

static int check_nsems(struct ipc_obj *o, void *arg)
{
	return *(int *)arg > to_array(o)->nsems ? -EINVAL : 0;
}

SYSCALL_DEFINE3(semget, int32_t, key, int, nsems, int, semflg)
{
	if (nsems < 0 || nsems > SEMMSL)
		return -EINVAL;
	return ipc_get_object(&sem_ids, key, semflg, new_array, check_nsems,
			      &nsems);
}

/* ---- operations ---- */

/*
 * Try @sops on @a atomically.  0: applied (values, undo, sempid);
 * 1: would block at *@blocking; -EAGAIN (IPC_NOWAIT) or -ERANGE: nothing
 * changed.
 */
static int perform(struct sem_array *a, const struct sembuf_k *sops,
		   int nsops, struct sem_undo *undo, int pid, int *blocking)
{
	int i, ret = 0;

	for (i = 0; i < nsops; i++) {
		const struct sembuf_k *op = &sops[i];
		struct sem *s = &a->sems[op->sem_num];
		int result = s->semval;

		if (op->sem_op == 0 && result) {
			ret = 1;
			break;
		}
		result += op->sem_op;
		if (result < 0) {
			ret = 1;
			break;
		}
		if (result > SEMVMX) {
			ret = -ERANGE;
			break;
		}
		if (op->sem_flg & SEM_UNDO) {
			int adj = undo->semadj[op->sem_num] - op->sem_op;

			if (adj < -SEMAEM - 1 || adj > SEMAEM) {
				ret = -ERANGE;
				break;
			}
		}
		s->semval = result;
	}
	if (ret == 1) {
		*blocking = i;
		if (sops[i].sem_flg & IPC_NOWAIT)
			ret = -EAGAIN;
	}
	if (ret) {
		while (i-- > 0)         /* take the tentative changes back */
			a->sems[sops[i].sem_num].semval -= sops[i].sem_op;
		return ret;
	}
	for (i = 0; i < nsops; i++) {
		if (sops[i].sem_flg & SEM_UNDO)
			undo->semadj[sops[i].sem_num] -= sops[i].sem_op;
		a->sems[sops[i].sem_num].sempid = pid;
	}
	return 0;
}

/* Values changed: complete the pending operations that can now go, in
 * order, starting over after each success (lock held). */
static void update_queue(struct sem_array *a)
{
	struct list_node *pos, *tmp;
	bool woke = false;

again:
	list_for_each_safe(pos, tmp, &a->pending) {
		struct sem_waiter *w = list_entry(pos, struct sem_waiter, node);
		int r = perform(a, w->sops, w->nsops, w->undo, w->pid,
				&w->blocking);

		if (r == 1)
			continue;
		list_del(&w->node);
		w->status = r;
		woke = true;
		if (r == 0) {
			a->otime = ipc_now();
			goto again;
		}
	}
	if (woke)
		sched_wake_all(&a->wq);
}

static struct sem_undo_list *undo_list_alloc(void)
{
	struct sem_undo_list *ul = kzalloc(sizeof(*ul));

	if (ul) {
		list_init(&ul->undos);
		ul->refcount = 1;
	}
	return ul;
}

/* The undo structure of the current process for set @a (lock held),
 * created if needed; NULL if out of memory. */
static struct sem_undo *find_undo(struct sem_array *a)
{
	struct process *p = current_process();
	struct sem_undo_list *ul = p->sysvsem;
	struct list_node *pos;
	struct sem_undo *u;

	if (!ul) {
		ul = undo_list_alloc();
		if (!ul)
			return NULL;
		p->sysvsem = ul;
	}
	list_for_each(pos, &ul->undos) {
		u = list_entry(pos, struct sem_undo, proc_node);
		if (u->array == a)
			return u;
	}
	u = kzalloc(sizeof(*u) + (size_t)a->nsems * sizeof(int16_t));
	if (!u)
		return NULL;
	u->array = a;
	u->semid = a->perm.id;
	list_add_tail(&u->proc_node, &ul->undos);
	list_add_tail(&u->array_node, &a->undos);
	return u;
}

/* Queue @w on @a and sleep until another operation completes it (or
 * IPC_RMID fails it), @wait_ns passes (EAGAIN) or a signal comes
 * (EINTR, never restarted).  Lock held; dropped while sleeping. */
static long sem_sleep(struct sem_array *a, struct sem_waiter *w,
		      uint64_t wait_ns)
{
	long ret;

	w->status = 1;
	list_add_tail(&w->node, &a->pending);
	ipc_get(&a->perm);
	for (;;) {
		int err;

		mutex_unlock(&sem_ids.lock);
		err = wait_event_interruptible_timeout(&a->wq,
						       READ_ONCE(w->status) != 1,
						       wait_ns);
		mutex_lock(&sem_ids.lock);
		if (w->status != 1) {
			ret = w->status;
			break;
		}
		if (err == -ETIMEDOUT || err == -ERESTARTSYS) {
			list_del(&w->node);
			ret = err == -ETIMEDOUT ? -EAGAIN : -EINTR;
			break;
		}
	}
	ipc_put(&a->perm);
	return ret;
}

/* Apply @sops to set @semid: at once, or after sleeping (lock held). */
static long semop_locked(int semid, const struct sembuf_k *sops, int nsops,
			 uint64_t wait_ns)
{
	struct sem_waiter w = { .sops = sops, .nsops = nsops };
	bool undos = false, alter = false;
	struct sem_array *a;
	struct ipc_obj *o;
	unsigned max = 0;
	long ret;

	for (int i = 0; i < nsops; i++) {
		max = MAX(max, sops[i].sem_num);
		if (sops[i].sem_flg & SEM_UNDO)
			undos = true;
		if (sops[i].sem_op != 0)
			alter = true;
	}
	o = ipc_find_id(&sem_ids, semid);
	if (IS_ERR(o))
		return PTR_ERR(o);
	a = to_array(o);
	if (max >= (unsigned)a->nsems)
		return -EFBIG;
	if (ipc_perms(o, alter ? S_IWUGO : S_IRUGO))
		return -EACCES;
	if (undos) {
		w.undo = find_undo(a);
		if (!w.undo)
			return -ENOMEM;
	}
	w.pid = ipc_current_tgid();
	ret = perform(a, sops, nsops, w.undo, w.pid, &w.blocking);
	if (ret == 0) {
		a->otime = ipc_now();
		if (alter)
			update_queue(a);
	} else if (ret == 1) {
		ret = sem_sleep(a, &w, wait_ns);
	}
	return ret;
}

static long do_semtimedop(int semid, uaddr_t usops, unsigned nsops,
			  const struct __kernel_timespec *timeout)
{
	struct sembuf_k *sops;
	uint64_t wait_ns = 0;
	long ret;

	if (nsops < 1 || semid < 0)
		return -EINVAL;
	if (nsops > SEMOPM)
		return -E2BIG;
	sops = kmalloc(nsops * sizeof(*sops));
	if (!sops)
		return -ENOMEM;
	if (copy_from_user(sops, usops, nsops * sizeof(*sops))) {
		ret = -EFAULT;
		goto out;
	}
	if (timeout) {
		if (!timespec_valid(timeout)) {
			ret = -EINVAL;
			goto out;
		}
		/* A zero timeout still waits "until now": EAGAIN at once. */
		wait_ns = MAX((uint64_t)timespec_to_ns(timeout), 1);
	}
	mutex_lock(&sem_ids.lock);
	ret = semop_locked(semid, sops, (int)nsops, wait_ns);
	mutex_unlock(&sem_ids.lock);
out:
	kfree(sops);
	return ret;
}

SYSCALL_DEFINE3(semop, int, semid, uaddr_t, sops, unsigned, nsops)
{
	return do_semtimedop(semid, sops, nsops, NULL);
}

SYSCALL_DEFINE4(semtimedop, int, semid, uaddr_t, sops, unsigned, nsops,
		uaddr_t, utimeout)
{
	struct __kernel_timespec ts;

	if (utimeout) {
		if (copy_from_user(&ts, utimeout, sizeof(ts)))
			return -EFAULT;
		return do_semtimedop(semid, sops, nsops, &ts);
	}
	return do_semtimedop(semid, sops, nsops, NULL);
}

/* ---- semctl ---- */

/* Sleepers whose blocking operation on @semnum is a decrement (or, with
 * @zero, a wait-for-zero). */
static int count_waiters(struct sem_array *a, int semnum, bool zero)
{
	struct list_node *pos;
	int n = 0;

	list_for_each(pos, &a->pending) {
		struct sem_waiter *w = list_entry(pos, struct sem_waiter, node);
		const struct sembuf_k *op = &w->sops[w->blocking];

		if (op->sem_num == semnum &&
		    (zero ? op->sem_op == 0 : op->sem_op < 0))
			n++;
	}
	return n;
}

static void clear_undo(struct sem_array *a, int semnum)
{
	struct list_node *pos;

	list_for_each(pos, &a->undos) {
		struct sem_undo *u = list_entry(pos, struct sem_undo, array_node);

		if (semnum < 0)
			memset(u->semadj, 0, (size_t)a->nsems * sizeof(int16_t));
		else
			u->semadj[semnum] = 0;
	}
}

static void fill_ds(struct sem_array *a, struct semid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&a->perm, &ds->sem_perm);
	ds->sem_otime = a->otime;
	ds->sem_ctime = a->ctime;
	ds->sem_nsems = (uint64_t)a->nsems;
}

static long semctl_info(int cmd, uaddr_t buf)
{
	struct seminfo info = {
		.semmap = SEMMNS, .semmni = SEMMNI, .semmns = SEMMNS,
		.semmnu = SEMMNS, .semmsl = SEMMSL, .semopm = SEMOPM,
		.semume = SEMOPM, .semusz = SEMUSZ, .semvmx = SEMVMX,
		.semaem = SEMAEM,
	};
	int max;

	mutex_lock(&sem_ids.lock);
	if (cmd == SEM_INFO) {
		info.semusz = (int32_t)sem_ids.in_use;
		info.semaem = (int32_t)sems_in_use;
	}
	max = ipc_max_idx(&sem_ids);
	mutex_unlock(&sem_ids.lock);
	if (copy_to_user(buf, &info, sizeof(info)))
		return -EFAULT;
	return max < 0 ? 0 : max;
}

static long semctl_stat(int semid, int cmd, uaddr_t buf)
{
	struct semid64_ds ds;
	struct ipc_obj *o;
	long ret = 0;

	mutex_lock(&sem_ids.lock);
	o = cmd == IPC_STAT ? ipc_find_id(&sem_ids, semid)
			    : ipc_find_idx(&sem_ids, semid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
	} else if (cmd != SEM_STAT_ANY && ipc_perms(o, S_IRUGO)) {
		ret = -EACCES;
	} else {
		fill_ds(to_array(o), &ds);
		if (cmd != IPC_STAT)
			ret = o->id;
	}
	mutex_unlock(&sem_ids.lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		ret = -EFAULT;
	return ret;
}

static long semctl_setval(int semid, int semnum, int val)
{
	struct ipc_obj *o;
	struct sem_array *a;
	long ret = 0;

	if (val > SEMVMX || val < 0)
		return -ERANGE;
	mutex_lock(&sem_ids.lock);
	o = ipc_find_id(&sem_ids, semid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
		goto out;
	}
	a = to_array(o);
	if (semnum < 0 || semnum >= a->nsems) {
		ret = -EINVAL;
		goto out;
	}
	if (ipc_perms(o, S_IWUGO)) {
		ret = -EACCES;
		goto out;
	}
	clear_undo(a, semnum);
	a->sems[semnum].semval = val;
	a->sems[semnum].sempid = ipc_current_tgid();
	a->ctime = ipc_now();
	update_queue(a);
out:
	mutex_unlock(&sem_ids.lock);
	return ret;
}

/* GETVAL, GETPID, GETNCNT, GETZCNT, GETALL, SETALL. */
static long semctl_main(int semid, int semnum, int cmd, uaddr_t arg)
{
	uint16_t *vals = NULL;
	struct ipc_obj *o;
	struct sem_array *a;
	int nsems = 0;
	long ret = 0;

	mutex_lock(&sem_ids.lock);
	o = ipc_find_id(&sem_ids, semid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
		goto out;
	}
	a = to_array(o);
	nsems = a->nsems;
	if (ipc_perms(o, cmd == SETALL ? S_IWUGO : S_IRUGO)) {
		ret = -EACCES;
		goto out;
	}
	if (cmd == GETALL || cmd == SETALL) {
		vals = kmalloc((size_t)nsems * sizeof(*vals));
		if (!vals) {
			ret = -ENOMEM;
			goto out;
		}
	}
	switch (cmd) {
	case GETALL:
		for (int i = 0; i < nsems; i++)
			vals[i] = (uint16_t)a->sems[i].semval;
		break;
	case SETALL:
		/* Copied under the lock: a fault just fails (no paging out). */
		if (copy_from_user(vals, arg, (size_t)nsems * sizeof(*vals))) {
			ret = -EFAULT;
			break;
		}
		for (int i = 0; i < nsems; i++) {
			if (vals[i] > SEMVMX) {
				ret = -ERANGE;
				goto out;
			}
		}
		for (int i = 0; i < nsems; i++) {
			a->sems[i].semval = vals[i];
			a->sems[i].sempid = ipc_current_tgid();
		}
		clear_undo(a, -1);
		a->ctime = ipc_now();
		update_queue(a);
		break;
	default:
		if (semnum < 0 || semnum >= nsems) {
			ret = -EINVAL;
			break;
		}
		if (cmd == GETVAL)
			ret = a->sems[semnum].semval;
		else if (cmd == GETPID)
			ret = a->sems[semnum].sempid;
		else
			ret = count_waiters(a, semnum, cmd == GETZCNT);
		break;
	}
out:
	mutex_unlock(&sem_ids.lock);
	if (!ret && cmd == GETALL &&
	    copy_to_user(arg, vals, (size_t)nsems * sizeof(*vals)))
		ret = -EFAULT;
	kfree(vals);
	return ret;
}

static void free_array(struct sem_array *a)
{
	struct list_node *pos, *tmp;

	list_for_each_safe(pos, tmp, &a->undos)
		undo_unlink(list_entry(pos, struct sem_undo, array_node));
	list_for_each_safe(pos, tmp, &a->pending) {
		struct sem_waiter *w = list_entry(pos, struct sem_waiter, node);

		list_del(&w->node);
		w->status = -EIDRM;
	}
	sched_wake_all(&a->wq);
	sems_in_use -= (uint64_t)a->nsems;
	ipc_remove(&sem_ids, &a->perm);
}

static long semctl_down(int semid, int cmd, uaddr_t arg)
{
	struct semid64_ds ds;
	struct ipc_obj *o;
	long ret;

	if (cmd == IPC_SET && copy_from_user(&ds, arg, sizeof(ds)))
		return -EFAULT;
	mutex_lock(&sem_ids.lock);
	o = ipc_find_id(&sem_ids, semid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
		goto out;
	}
	ret = ipc_may_change(o);
	if (ret)
		goto out;
	if (cmd == IPC_RMID) {
		free_array(to_array(o));
	} else {
		ipc_set_perm(o, &ds.sem_perm);
		to_array(o)->ctime = ipc_now();
	}
out:
	mutex_unlock(&sem_ids.lock);
	return ret;
}

SYSCALL_DEFINE4(semctl, int, semid, int, semnum, int, cmd, unsigned long, arg)
{
	if (semid < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return semctl_info(cmd, (uaddr_t)arg);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		return semctl_stat(semid, cmd, (uaddr_t)arg);
	case GETALL:
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
	case SETALL:
		return semctl_main(semid, semnum, cmd, (uaddr_t)arg);
	case SETVAL:
		return semctl_setval(semid, semnum, (int)arg);
	case IPC_RMID:
	case IPC_SET:
		return semctl_down(semid, cmd, (uaddr_t)arg);
	default:
		return -EINVAL;
	}
}

/* ---- exit and clone ---- */

int sem_share_undo(struct process *parent, struct process *child)
{
	int err = 0;

	mutex_lock(&sem_ids.lock);
	if (!parent->sysvsem)
		parent->sysvsem = undo_list_alloc();
	if (parent->sysvsem) {
		parent->sysvsem->refcount++;
		child->sysvsem = parent->sysvsem;
	} else {
		err = -ENOMEM;
	}
	mutex_unlock(&sem_ids.lock);
	return err;
}

void sem_exit(struct process *p)
{
	struct sem_undo_list *ul;

	mutex_lock(&sem_ids.lock);
	ul = p->sysvsem;
	p->sysvsem = NULL;
	if (ul && --ul->refcount > 0)
		ul = NULL;              /* another CLONE_SYSVSEM sharer */
	while (ul && !list_empty(&ul->undos)) {
		struct sem_undo *u = list_first_entry(&ul->undos,
						      struct sem_undo, proc_node);
		struct sem_array *a = u->array;

		list_del(&u->proc_node);
		if (a) {
			for (int i = 0; i < a->nsems; i++) {
				int v = a->sems[i].semval + u->semadj[i];

				if (!u->semadj[i])
					continue;
				a->sems[i].semval = MIN(MAX(v, 0), SEMVMX);
				a->sems[i].sempid = p->pid;
			}
			undo_unlink(u);
			update_queue(a);
		}
		kfree(u);
	}
	mutex_unlock(&sem_ids.lock);
	kfree(ul);
}
