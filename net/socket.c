/*
 * The socket file type and the protocol-family registry.
 *
 * Every socket is a file on an inode of the internal "sockfs" mount
 * (vfs/pseudofs.c: S_IFSOCK | 0777, owned by the creator's fsuid/fsgid),
 * whose path is named "socket:[ino]", so fstat(2) and /proc/<pid>/fd show
 * what Linux shows, and opening that magic link gives ENXIO.  The file's private
 * data is its struct socket; read/write/readv/writev turn into one
 * recvmsg/sendmsg of the protocol (O_NONBLOCK as MSG_DONTWAIT, MSG_EOR
 * for SOCK_SEQPACKET writes), poll and ioctl go to the protocol, and the
 * last close releases the protocol side, then the socket.
 *
 * Families register a struct net_proto_family (sock_register); socket(2)
 * checks the family and type ranges, then lets the family's create()
 * check protocol and type.
 *
 * The socket layer also owns one worker thread ("network") for what must
 * not run in the caller's context: dropping files that were in flight
 * when the caller holds vfs_lock, and the AF_UNIX garbage collector.
 *
 * Locking: families[] is written once per family at boot (fam_lock);
 * sockfs_mnt is [V] like pipefs's; work_lock protects the worker's flag.
 */
#include "net/internal.h"
#include "net/net.h"
#include "include/assert.h"
#include "include/errno.h"
#include "lib/format.h"
#include "lib/printk.h"
#include "mm/mm.h"
#include "time/clock.h"
#include "vfs/internal.h"

#define SOCKFS_MAGIC 0x534F434B

static struct spinlock fam_lock = SPINLOCK_INIT("net families");
static const struct net_proto_family *families[AF_MAX];  /* [fam_lock] */
static struct mount *sockfs_mnt;                         /* [V] */

int sock_register(const struct net_proto_family *pf)
{
	uint64_t irq;
	int err = 0;

	if (pf->family < 0 || pf->family >= AF_MAX)
		return -EINVAL;
	irq = spin_lock_irqsave(&fam_lock);
	if (families[pf->family])
		err = -EEXIST;
	else
		families[pf->family] = pf;
	spin_unlock_irqrestore(&fam_lock, irq);
	return err;
}

static const struct net_proto_family *family_find(int family)
{
	uint64_t irq = spin_lock_irqsave(&fam_lock);
	const struct net_proto_family *pf = families[family];

	spin_unlock_irqrestore(&fam_lock, irq);
	return pf;
}

/* ---- generic sock state ---- */

void sock_init_data(struct sock *sk, int family, int type, int protocol)
{
	sk->family = family;
	sk->type = type;
	sk->protocol = protocol;
	mutex_init(&sk->lock, "sock");
	sk->state = SS_CLOSE;
	sk->sndbuf = SOCK_WMEM_DEFAULT;
	sk->rcvbuf = SOCK_RMEM_DEFAULT;
	sk->rcvlowat = 1;
	sk->rcvtimeo_ns = SOCK_TIMEO_FOREVER;
	sk->sndtimeo_ns = SOCK_TIMEO_FOREVER;
	wait_queue_init(&sk->wait);
}

void sock_peercred_current(struct sock_peercred *pc)
{
	struct process *p = current_process();

	pc->valid = true;
	pc->pid = p ? p->pid : 0;
	pc->cred = *current_cred();
}

int sock_error(struct sock *sk)
{
	int err = __atomic_exchange_n(&sk->err, 0, __ATOMIC_RELAXED);

	return -err;
}

uint64_t sock_deadline(uint64_t timeo_ns, bool nonblock)
{
	if (nonblock || timeo_ns == 0)
		return SOCK_DEADLINE_NOW;
	if (timeo_ns == SOCK_TIMEO_FOREVER)
		return 0;
	return clock_uptime_ns() + timeo_ns;
}

/* ---- sockets and their files ---- */

static const struct file_operations socket_fops;

struct socket *sock_from_file(struct file *f)
{
	return f->ops == &socket_fops ? f->private : NULL;
}

struct socket *sock_alloc(int type, const struct proto_ops *ops)
{
	struct socket *sock = kzalloc(sizeof(*sock));

	if (!sock)
		return NULL;
	sock->type = type;
	sock->ops = ops;
	return sock;
}

void sock_release(struct socket *sock)
{
	if (sock->sk && sock->ops && sock->ops->release)
		sock->ops->release(sock);
	kfree(sock);
}

int sock_create(int family, int type, int protocol, struct socket **out)
{
	const struct net_proto_family *pf;
	struct socket *sock;
	int err;

	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	pf = family_find(family);
	if (!pf)
		return -EAFNOSUPPORT;
	sock = sock_alloc(type, NULL);
	if (!sock)
		return -ENOMEM;
	err = pf->create(sock, protocol);
	if (err) {
		kfree(sock);
		return err;
	}
	ASSERT(sock->ops && sock->sk);
	*out = sock;
	return 0;
}

static const struct fs_type sockfs_type = {
	.name = "sockfs",
	.nodev = true,
};

static const struct super_operations sockfs_sops = { 0 };

struct file *sock_alloc_file(struct socket *sock, unsigned flags)
{
	struct inode *inode;
	struct path path;
	struct file *f;
	char name[32];
	int err = -ENOMEM;

	vfs_lock();
	if (!sockfs_mnt)
		sockfs_mnt = pseudofs_mount(&sockfs_type, &sockfs_sops,
					    SOCKFS_MAGIC);
	inode = sockfs_mnt ? inode_alloc(sockfs_mnt->sb, S_IFSOCK | 0777) : NULL;
	if (inode) {
		inode->f_op = &socket_fops;
		/* Its path on the internal mount, "socket:[ino]": what
		 * /proc/<pid>/fd shows and its magic link reaches (where
		 * open gives ENXIO, as for every socket). */
		format_snprintf(name, sizeof(name), "socket:[%lu]",
				(unsigned long)inode->ino);
		err = pseudofs_path(sockfs_mnt, inode, name, &path);
		if (err) {
			inode->nlink = 0;
			inode_put(inode);
			inode = NULL;
		}
	}
	vfs_unlock();
	if (!inode) {
		sock_release(sock);
		return ERR_PTR(err);
	}
	f = file_alloc(&path, inode, O_RDWR | (flags & O_NONBLOCK), &socket_fops);
	if (!f) {
		vfs_lock();
		path_put_locked(&path);         /* frees the inode */
		vfs_unlock();
		sock_release(sock);
		return ERR_PTR(-ENOMEM);
	}
	f->fmode = FMODE_READ | FMODE_WRITE;
	f->private = sock;
	sock->file = f;
	WRITE_ONCE(sock->sk->ino, inode->ino);
	return f;
}

/* ---- file operations ---- */

static long sock_read_vec(struct file *f, struct iobuf *bufs, unsigned n)
{
	struct socket *sock = f->private;
	struct kmsg m = { 0 };
	int flags = (file_flags(f) & O_NONBLOCK) ? MSG_DONTWAIT : 0;

	iov_iter_init(&m.iter, bufs, n);
	if (m.iter.left == 0)
		return 0;               /* SysV: a read of nothing is 0 */
	if (!sock->ops->recvmsg)
		return -EOPNOTSUPP;
	return sock->ops->recvmsg(sock, &m, m.iter.left, flags);
}

static long sock_write_vec(struct file *f, struct iobuf *bufs, unsigned n)
{
	struct socket *sock = f->private;
	struct kmsg m = { 0 };
	int flags = (file_flags(f) & O_NONBLOCK) ? MSG_DONTWAIT : 0;

	if (sock->type == SOCK_SEQPACKET)
		flags |= MSG_EOR;
	iov_iter_init(&m.iter, bufs, n);
	if (!sock->ops->sendmsg)
		return -EOPNOTSUPP;
	return sock->ops->sendmsg(sock, &m, m.iter.left, flags);
}

static long sock_read(struct file *f, struct iobuf *b, uint64_t *pos)
{
	return sock_read_vec(f, b, 1);
}

static long sock_write(struct file *f, struct iobuf *b, uint64_t *pos)
{
	return sock_write_vec(f, b, 1);
}

static unsigned sock_poll(struct file *f, struct poll_table *pt)
{
	struct socket *sock = f->private;

	return sock->ops->poll ? sock->ops->poll(sock, f, pt) : 0;
}

static long sock_ioctl(struct file *f, unsigned cmd, uaddr_t arg)
{
	struct socket *sock = f->private;

	return sock->ops->ioctl ? sock->ops->ioctl(sock, cmd, arg) : -ENOTTY;
}

static void sock_file_release(struct file *f)
{
	struct socket *sock = f->private;

	sock->file = NULL;
	sock_release(sock);
}

static const struct file_operations socket_fops = {
	.read = sock_read,
	.write = sock_write,
	.read_vec = sock_read_vec,
	.write_vec = sock_write_vec,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.release = sock_file_release,
};

/* ---- the worker thread ---- */

#define NET_WORK_MAX 4
#define NET_WORK_PERIOD_NS 1000000000ULL

static struct spinlock work_lock = SPINLOCK_INIT("net work");
static bool work_pending;                       /* [work_lock] */
static struct wait_queue work_wait = WAIT_QUEUE_INIT(work_wait);
static void (*work_fns[NET_WORK_MAX])(void);    /* set at boot */
static unsigned work_count;

void net_work_register(void (*fn)(void))
{
	ASSERT(work_count < NET_WORK_MAX);
	work_fns[work_count++] = fn;
}

void net_work_schedule(void)
{
	uint64_t irq = spin_lock_irqsave(&work_lock);

	work_pending = true;
	spin_unlock_irqrestore(&work_lock, irq);
	sched_wake_all(&work_wait);
}

static void work_take(void)
{
	uint64_t irq = spin_lock_irqsave(&work_lock);

	work_pending = false;
	spin_unlock_irqrestore(&work_lock, irq);
}

/* Runs every registered function when asked, and once a second anyway
 * (the AF_UNIX collector needs that: see unix_gc.c). */
static void net_worker(void *arg)
{
	for (;;) {
		wait_event_timeout(&work_wait, READ_ONCE(work_pending),
				   NET_WORK_PERIOD_NS);
		work_take();
		for (unsigned i = 0; i < work_count; i++)
			work_fns[i]();
	}
}

void net_init(void)
{
	scm_init();
	unix_init();
	if (!thread_spawn("network", net_worker, NULL))
		pr_err("net: cannot start the worker thread\n");
}
