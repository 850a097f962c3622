/*
 * System V message queues: msgget, msgsnd, msgrcv, msgctl (msgop(2),
 * msgctl(2)).
 *
 * A queue is a FIFO list of messages (type > 0, up to MSGMAX bytes of
 * text) with a byte limit, msg_qbytes (MSGMNB by default).  msgsnd
 * waits while the message does not fit; msgrcv picks the first message
 * (msgtyp 0), the first of a type (> 0, or any other type with
 * MSG_EXCEPT), or the first of the lowest type up to -msgtyp (< 0), and
 * waits while there is none.  Both waits end with EIDRM when the queue
 * is removed and with EINTR on a signal (never restarted after a
 * handler).
 *
 * Waiting: a sleeper holds a reference on the queue and sleeps until the
 * queue's generation counter moves (every send, receive, IPC_SET and
 * IPC_RMID bumps it), then looks again.
 *
 * Locking: msg_ids.lock protects every queue (ipc/internal.h).
 */
#include "ipc/internal.h"
#include "ipc/ipc.h"
#include "include/assert.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "process/process.h"
#include "syscall/syscall.h"
#include "syscall/uaccess.h"

#define MSGSSZ 16
#define MSGSEG 0xffff
#define MSGPOOL (MSGMNI * MSGMNB / 1024)

#define MSG_NOERROR 010000
#define MSG_EXCEPT 020000
#define MSG_COPY 040000
#define MSG_STAT 11
#define MSG_INFO 12
#define MSG_STAT_ANY 13

struct msqid64_ds {
	struct ipc64_perm msg_perm;
	int64_t msg_stime, msg_rtime, msg_ctime;
	uint64_t msg_cbytes, msg_qnum, msg_qbytes;
	int32_t msg_lspid, msg_lrpid;
	uint64_t unused4, unused5;
};
STATIC_ASSERT(sizeof(struct msqid64_ds) == 120, "msqid64_ds");

struct msginfo {
	int32_t msgpool, msgmap, msgmax, msgmnb, msgmni, msgssz, msgtql;
	uint16_t msgseg;
};
STATIC_ASSERT(sizeof(struct msginfo) == 32, "msginfo");

struct msg_msg {
	struct list_node node;          /* [l] queue->messages */
	long type;
	size_t size;
	char text[];
};

struct msg_queue {
	struct ipc_obj perm;            /* first: container_of */
	struct list_node messages;      /* [l] struct msg_msg, FIFO */
	uint64_t cbytes, qnum, qbytes;  /* [l] */
	int64_t stime, rtime, ctime;    /* [l] */
	int lspid, lrpid;               /* [l] */
	uint64_t gen;                   /* [l] bumped on every change */
	struct wait_queue wq;           /* senders and receivers */
};

static struct ipc_ids msg_ids = IPC_IDS_INIT(msg_ids, "msg ids", MSGMNI);
static uint64_t msg_total_bytes, msg_total_count;      /* [l] MSG_INFO */

static struct msg_queue *to_queue(struct ipc_obj *o)
{
	return container_of(o, struct msg_queue, perm);
}

/* Something changed: every sleeper looks again (lock held). */
static void queue_changed(struct msg_queue *q)
{
	q->gen++;
	sched_wake_all(&q->wq);
}

/* Sleep until @q changes; drops and retakes the lock.  0, or
 * -ERESTARTNOHAND on a signal. */
static int queue_wait(struct msg_queue *q)
{
	uint64_t seen = q->gen;
	int err;

	mutex_unlock(&msg_ids.lock);
	err = wait_event_interruptible(&q->wq, READ_ONCE(q->gen) != seen);
	mutex_lock(&msg_ids.lock);
	return err ? -ERESTARTNOHAND : 0;
}

static void msg_free_queue(struct ipc_obj *o)
{
	struct msg_queue *q = to_queue(o);

	while (!list_empty(&q->messages)) {
		struct msg_msg *m = list_first_entry(&q->messages,
						     struct msg_msg, node);
		list_del(&m->node);
		kfree(m);
	}
	kfree(q);
}

static int new_queue(struct ipc_ids *ids, int32_t key, int flag, void *arg)
{
	struct msg_queue *q = kzalloc(sizeof(*q));
	int err;

	if (!q)
		return -ENOMEM;
	q->perm.key = key;
	q->perm.mode = (unsigned)flag & 0777;
	q->perm.free = msg_free_queue;
	list_init(&q->messages);
	wait_queue_init(&q->wq);
	q->qbytes = MSGMNB;
	q->ctime = ipc_now();
	err = ipc_add(ids, &q->perm);
	if (err) {
		kfree(q);
		return err;
	}
	return q->perm.id;
}

SYSCALL_DEFINE2(msgget, int32_t, key, int, msgflg)
{
	return ipc_get_object(&msg_ids, key, msgflg, new_queue, NULL, NULL);
}

/* ---- msgsnd ---- */

static bool msg_fits(const struct msg_queue *q, size_t size)
{
	return size + q->cbytes <= q->qbytes && 1 + q->qnum <= q->qbytes;
}

static void enqueue(struct msg_queue *q, struct msg_msg *m)
{
	list_add_tail(&m->node, &q->messages);
	q->cbytes += m->size;
	q->qnum++;
	msg_total_bytes += m->size;
	msg_total_count++;
	q->lspid = ipc_current_tgid();
	q->stime = ipc_now();
	queue_changed(q);
}

SYSCALL_DEFINE4(msgsnd, int, msqid, uaddr_t, msgp, size_t, msgsz, int, msgflg)
{
	struct msg_msg *m;
	struct ipc_obj *o;
	struct msg_queue *q;
	long type;
	int err;

	if (copy_from_user(&type, msgp, sizeof(type)))
		return -EFAULT;
	if (msgsz > MSGMAX || (long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	if (type < 1)
		return -EINVAL;
	m = kmalloc(sizeof(*m) + msgsz);
	if (!m)
		return -ENOMEM;
	m->type = type;
	m->size = msgsz;
	if (copy_from_user(m->text, msgp + sizeof(long), msgsz)) {
		kfree(m);
		return -EFAULT;
	}
	mutex_lock(&msg_ids.lock);
	o = ipc_find_id(&msg_ids, msqid);
	if (IS_ERR(o)) {
		err = (int)PTR_ERR(o);
		goto out_unlock;
	}
	q = to_queue(o);
	ipc_get(o);
	for (;;) {
		if (ipc_perms(o, S_IWUGO)) {
			err = -EACCES;
			break;
		}
		if (o->deleted) {
			err = -EIDRM;
			break;
		}
		if (msg_fits(q, msgsz)) {
			enqueue(q, m);
			m = NULL;
			err = 0;
			break;
		}
		if (msgflg & IPC_NOWAIT) {
			err = -EAGAIN;
			break;
		}
		err = queue_wait(q);
		if (err && !o->deleted)
			break;
	}
	ipc_put(o);
out_unlock:
	mutex_unlock(&msg_ids.lock);
	kfree(m);
	return err;
}

/* ---- msgrcv ---- */

enum search_mode { SEARCH_ANY, SEARCH_EQUAL, SEARCH_NOTEQUAL,
		   SEARCH_LESSEQUAL, SEARCH_NUMBER };

static enum search_mode convert_mode(long *type, int flag)
{
	if (flag & MSG_COPY)
		return SEARCH_NUMBER;
	if (*type == 0)
		return SEARCH_ANY;
	if (*type < 0) {
		*type = *type == (-INT64_MAX - 1) ? INT64_MAX : -*type;
		return SEARCH_LESSEQUAL;
	}
	return (flag & MSG_EXCEPT) ? SEARCH_NOTEQUAL : SEARCH_EQUAL;
}

/* The message msgrcv takes, or NULL. */
static struct msg_msg *find_msg(struct msg_queue *q, long type,
				enum search_mode mode)
{
	struct msg_msg *found = NULL;
	struct list_node *pos;
	long count = 0;

	list_for_each(pos, &q->messages) {
		struct msg_msg *m = list_entry(pos, struct msg_msg, node);

		switch (mode) {
		case SEARCH_ANY:
			return m;
		case SEARCH_EQUAL:
			if (m->type == type)
				return m;
			break;
		case SEARCH_NOTEQUAL:
			if (m->type != type)
				return m;
			break;
		case SEARCH_LESSEQUAL:
			/* The first of the lowest type not above @type. */
			if (m->type <= type && (!found || m->type < found->type))
				found = m;
			break;
		case SEARCH_NUMBER:
			if (count++ == type)
				return m;
			break;
		}
	}
	return found;
}

static void dequeue(struct msg_queue *q, struct msg_msg *m)
{
	list_del(&m->node);
	q->cbytes -= m->size;
	q->qnum--;
	msg_total_bytes -= m->size;
	msg_total_count--;
	q->lrpid = ipc_current_tgid();
	q->rtime = ipc_now();
	queue_changed(q);
}

/* Take (or with MSG_COPY copy) the message msgrcv wants from queue
 * @msqid, waiting unless IPC_NOWAIT.  The message or ERR_PTR. */
static struct msg_msg *receive(int msqid, size_t bufsz, long type,
			       enum search_mode mode, int flag)
{
	struct msg_msg *m, *copy = NULL;
	struct ipc_obj *o;
	struct msg_queue *q;
	int err;

	if (flag & MSG_COPY) {
		copy = kmalloc(sizeof(*copy) + MIN(bufsz, (size_t)MSGMAX));
		if (!copy)
			return ERR_PTR(-ENOMEM);
	}
	mutex_lock(&msg_ids.lock);
	o = ipc_find_id(&msg_ids, msqid);
	if (IS_ERR(o)) {
		m = (struct msg_msg *)o;
		goto out_unlock;
	}
	q = to_queue(o);
	ipc_get(o);
	for (;;) {
		if (ipc_perms(o, S_IRUGO)) {
			m = ERR_PTR(-EACCES);
			break;
		}
		if (o->deleted) {
			m = ERR_PTR(-EIDRM);
			break;
		}
		m = find_msg(q, type, mode);
		if (m) {
			if (bufsz < m->size && !(flag & MSG_NOERROR)) {
				m = ERR_PTR(-E2BIG);
			} else if (copy && bufsz < m->size) {
				m = ERR_PTR(-EINVAL);   /* no truncated copies */
			} else if (copy) {
				copy->type = m->type;
				copy->size = m->size;
				memcpy(copy->text, m->text, copy->size);
				m = copy;
				copy = NULL;
			} else {
				dequeue(q, m);
			}
			break;
		}
		if (flag & IPC_NOWAIT) {
			m = ERR_PTR(-ENOMSG);
			break;
		}
		err = queue_wait(q);
		if (err && !o->deleted) {
			m = ERR_PTR(err);
			break;
		}
	}
	ipc_put(o);
out_unlock:
	mutex_unlock(&msg_ids.lock);
	kfree(copy);
	return m;
}

SYSCALL_DEFINE5(msgrcv, int, msqid, uaddr_t, msgp, size_t, msgsz, long, msgtyp,
		int, msgflg)
{
	enum search_mode mode;
	struct msg_msg *m;
	size_t n;
	long ret;

	if (msqid < 0 || (long)msgsz < 0)
		return -EINVAL;
	if ((msgflg & MSG_COPY) &&
	    ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT)))
		return -EINVAL;
	mode = convert_mode(&msgtyp, msgflg);
	m = receive(msqid, msgsz, msgtyp, mode, msgflg);
	if (IS_ERR(m))
		return PTR_ERR(m);
	n = MIN(msgsz, m->size);
	if (copy_to_user(msgp, &m->type, sizeof(long)) ||
	    copy_to_user(msgp + sizeof(long), m->text, n))
		ret = -EFAULT;          /* the message is lost, as on Linux */
	else
		ret = (long)n;
	kfree(m);
	return ret;
}

/* ---- msgctl ---- */

static void fill_ds(struct msg_queue *q, struct msqid64_ds *ds)
{
	memset(ds, 0, sizeof(*ds));
	ipc_fill_perm(&q->perm, &ds->msg_perm);
	ds->msg_stime = q->stime;
	ds->msg_rtime = q->rtime;
	ds->msg_ctime = q->ctime;
	ds->msg_cbytes = q->cbytes;
	ds->msg_qnum = q->qnum;
	ds->msg_qbytes = q->qbytes;
	ds->msg_lspid = q->lspid;
	ds->msg_lrpid = q->lrpid;
}

static long msgctl_info(int cmd, uaddr_t buf)
{
	struct msginfo info = {
		.msgpool = MSGPOOL, .msgmap = MSGMNB, .msgmax = MSGMAX,
		.msgmnb = MSGMNB, .msgmni = MSGMNI, .msgssz = MSGSSZ,
		.msgtql = MSGMNB, .msgseg = MSGSEG,
	};
	int max;

	mutex_lock(&msg_ids.lock);
	if (cmd == MSG_INFO) {
		info.msgpool = (int32_t)msg_ids.in_use;
		info.msgmap = (int32_t)msg_total_count;
		info.msgtql = (int32_t)msg_total_bytes;
	}
	max = ipc_max_idx(&msg_ids);
	mutex_unlock(&msg_ids.lock);
	if (copy_to_user(buf, &info, sizeof(info)))
		return -EFAULT;
	return max < 0 ? 0 : max;
}

static long msgctl_stat(int msqid, int cmd, uaddr_t buf)
{
	struct msqid64_ds ds;
	struct ipc_obj *o;
	long ret = 0;

	mutex_lock(&msg_ids.lock);
	o = cmd == IPC_STAT ? ipc_find_id(&msg_ids, msqid)
			    : ipc_find_idx(&msg_ids, msqid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
	} else if (cmd != MSG_STAT_ANY && ipc_perms(o, S_IRUGO)) {
		ret = -EACCES;
	} else {
		fill_ds(to_queue(o), &ds);
		if (cmd != IPC_STAT)
			ret = o->id;
	}
	mutex_unlock(&msg_ids.lock);
	if (ret >= 0 && copy_to_user(buf, &ds, sizeof(ds)))
		ret = -EFAULT;
	return ret;
}

static long msgctl_down(int msqid, int cmd, const struct msqid64_ds *ds)
{
	struct ipc_obj *o;
	struct msg_queue *q;
	long ret;

	mutex_lock(&msg_ids.lock);
	o = ipc_find_id(&msg_ids, msqid);
	if (IS_ERR(o)) {
		ret = PTR_ERR(o);
		goto out;
	}
	ret = ipc_may_change(o);
	if (ret)
		goto out;
	q = to_queue(o);
	if (cmd == IPC_RMID) {
		msg_total_bytes -= q->cbytes;
		msg_total_count -= q->qnum;
		queue_changed(q);       /* sleepers see it deleted: EIDRM */
		ipc_remove(&msg_ids, o);
		goto out;
	}
	if (ds->msg_qbytes > MSGMNB && current_cred()->euid != 0) {
		ret = -EPERM;           /* CAP_SYS_RESOURCE */
		goto out;
	}
	ipc_set_perm(o, &ds->msg_perm);
	q->qbytes = ds->msg_qbytes;
	q->ctime = ipc_now();
	queue_changed(q);               /* more room, other permissions */
out:
	mutex_unlock(&msg_ids.lock);
	return ret;
}

SYSCALL_DEFINE3(msgctl, int, msqid, int, cmd, uaddr_t, buf)
{
	struct msqid64_ds ds;

	if (msqid < 0 || cmd < 0)
		return -EINVAL;
	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		return msgctl_info(cmd, buf);
	case IPC_STAT:
	case MSG_STAT:
	case MSG_STAT_ANY:
		return msgctl_stat(msqid, cmd, buf);
	case IPC_SET:
		if (copy_from_user(&ds, buf, sizeof(ds)))
			return -EFAULT;
		return msgctl_down(msqid, cmd, &ds);
	case IPC_RMID:
		return msgctl_down(msqid, cmd, NULL);
	default:
		return -EINVAL;
	}
}
