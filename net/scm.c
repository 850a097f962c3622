/*
 * Ancillary data of SOL_SOCKET (cmsg(3), unix(7)): SCM_RIGHTS passes
 * open files, SCM_CREDENTIALS passes (pid, uid, gid).
 *
 * Sending: scm_send walks the control messages the way Linux's
 * __scm_send does (CMSG_FIRSTHDR/CMSG_NXTHDR, every header checked with
 * CMSG_OK, other levels skipped, unknown SOL_SOCKET types EINVAL), takes
 * a reference to each passed file (at most SCM_MAX_FD per message) and
 * checks credentials: a process may only claim its own pid, and one of
 * its real, effective or saved uids and gids, unless it is root.
 *
 * Receiving: scm_recv puts SCM_CREDENTIALS first (when the socket has
 * SO_PASSCRED), then installs as many descriptors as fit in the user's
 * buffer (MSG_CMSG_CLOEXEC sets FD_CLOEXEC); the rest are closed and
 * MSG_CTRUNC is set, as it is when the buffer cannot hold a header.
 *
 * File references held by messages are dropped through a deferred list
 * (see scm_fp_list_put).  Locking: defer_lock, a leaf spinlock, protects
 * the list and the flag saying that some thread is draining it.
 */
#include "net/internal.h"
#include "include/errno.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "syscall/uaccess.h"

static struct spinlock defer_lock = SPINLOCK_INIT("scm defer");
static struct list_node defer_list = LIST_HEAD_INIT(defer_list); /* [d] */
static bool defer_draining;                                      /* [d] */

/* Drop everything on the deferred list; the caller set defer_draining. */
static void scm_drain(void)
{
	for (;;) {
		uint64_t irq = spin_lock_irqsave(&defer_lock);
		struct scm_fp_list *fpl;

		if (list_empty(&defer_list)) {
			defer_draining = false;
			spin_unlock_irqrestore(&defer_lock, irq);
			return;
		}
		fpl = list_first_entry(&defer_list, struct scm_fp_list, node);
		list_del(&fpl->node);
		spin_unlock_irqrestore(&defer_lock, irq);
		for (int i = 0; i < fpl->count; i++)
			file_put(fpl->fp[i]);
		kfree(fpl);
	}
}

/* The worker's part: drain what callers under vfs_lock left behind. */
static void scm_drain_work(void)
{
	uint64_t irq = spin_lock_irqsave(&defer_lock);
	bool mine = !defer_draining && !list_empty(&defer_list);

	if (mine)
		defer_draining = true;
	spin_unlock_irqrestore(&defer_lock, irq);
	if (mine)
		scm_drain();
}

void scm_fp_list_put(struct scm_fp_list *fpl)
{
	uint64_t irq;
	bool drain, kick = false;

	if (!fpl)
		return;
	irq = spin_lock_irqsave(&defer_lock);
	list_add_tail(&fpl->node, &defer_list);
	drain = !defer_draining && !vfs_lock_held();
	if (drain)
		defer_draining = true;
	else
		kick = !defer_draining;
	spin_unlock_irqrestore(&defer_lock, irq);
	if (drain)
		scm_drain();
	else if (kick)
		net_work_schedule();
}

struct scm_fp_list *scm_fp_dup(struct scm_fp_list *fpl)
{
	struct scm_fp_list *n = kmalloc(sizeof(*n));

	if (!n)
		return NULL;
	n->count = fpl->count;
	for (int i = 0; i < fpl->count; i++)
		n->fp[i] = file_get(fpl->fp[i]);
	return n;
}

void scm_destroy(struct scm_cookie *scm)
{
	scm_fp_list_put(scm->fp);
	scm->fp = NULL;
}

/* SCM_RIGHTS: reference the files named by the descriptors. */
static int scm_fp_copy(const struct cmsghdr_k *c, struct scm_fp_list **fplp)
{
	const int32_t *fds = (const int32_t *)(c + 1);
	long num = (long)((c->len - sizeof(*c)) / sizeof(int32_t));
	struct scm_fp_list *fpl = *fplp;

	if (num <= 0)
		return 0;
	if (num > SCM_MAX_FD)
		return -EINVAL;
	if (!fpl) {
		fpl = kmalloc(sizeof(*fpl));
		if (!fpl)
			return -ENOMEM;
		fpl->count = 0;
		*fplp = fpl;
	}
	if (fpl->count + num > SCM_MAX_FD)
		return -EINVAL;
	for (long i = 0; i < num; i++) {
		struct file *f = fds[i] < 0 ? NULL : fd_get(fds[i]);

		if (!f)
			return -EBADF;
		fpl->fp[fpl->count++] = f;
	}
	return 0;
}

/* SCM_CREDENTIALS: what the sender may claim (Linux's scm_check_creds). */
static int scm_check_creds(const struct ucred_k *uc)
{
	const struct cred *c = current_cred();
	struct process *p = current_process();
	bool root = c->euid == 0;

	if (uc->uid == (uint32_t)-1 || uc->gid == (uint32_t)-1)
		return -EINVAL;
	if (!(p && uc->pid == p->pid) && !root)
		return -EPERM;
	if (uc->uid != c->uid && uc->uid != c->euid && uc->uid != c->suid &&
	    !root)
		return -EPERM;
	if (uc->gid != c->gid && uc->gid != c->egid && uc->gid != c->sgid &&
	    !root)
		return -EPERM;
	if (uc->pid <= 0 || !process_exists(uc->pid, 0))
		return -ESRCH;
	return 0;
}

int scm_send(struct socket *sock, struct kmsg *m, struct scm_cookie *scm)
{
	const uint8_t *ctl = m->control;
	size_t size = m->controllen, off = 0;
	int err = 0;

	memset(scm, 0, sizeof(*scm));
	scm->fp = m->kfp;
	m->kfp = NULL;
	if (!ctl || size < sizeof(struct cmsghdr_k))
		return 0;
	while (off + sizeof(struct cmsghdr_k) <= size) {
		struct cmsghdr_k c;

		memcpy(&c, ctl + off, sizeof(c));
		if (c.len < sizeof(c) || c.len > size - off) {
			err = -EINVAL;
			break;
		}
		if (c.level == SOL_SOCKET) {
			if (c.type == SCM_RIGHTS && sock->ops->family == AF_UNIX) {
				err = scm_fp_copy((const void *)(ctl + off),
						  &scm->fp);
			} else if (c.type == SCM_CREDENTIALS &&
				   c.len == CMSG_LEN_K(sizeof(struct ucred_k))) {
				struct ucred_k uc;

				memcpy(&uc, ctl + off + sizeof(c), sizeof(uc));
				err = scm_check_creds(&uc);
				if (!err) {
					scm->creds = uc;
					scm->has_creds = true;
				}
			} else {
				err = -EINVAL;
			}
			if (err)
				break;
		}
		off += CMSG_ALIGN_K(c.len);
	}
	if (err)
		scm_destroy(scm);
	return err;
}

int scm_put_cmsg(struct kmsg *m, int level, int type, size_t len,
		 const void *data)
{
	struct cmsghdr_k h = { .len = CMSG_LEN_K(len), .level = level,
			       .type = type };
	size_t space;

	if (!m->ucontrol || m->ucontrollen < sizeof(h)) {
		m->flags |= MSG_CTRUNC;
		return 0;
	}
	if (m->ucontrollen < h.len) {
		m->flags |= MSG_CTRUNC;
		h.len = m->ucontrollen;
	}
	if (copy_to_user(m->ucontrol, &h, sizeof(h)) ||
	    copy_to_user(m->ucontrol + sizeof(h), data, h.len - sizeof(h)))
		return -EFAULT;
	space = MIN(CMSG_SPACE_K(len), m->ucontrollen);
	m->ucontrol += space;
	m->ucontrollen -= space;
	return 0;
}

/* Install the passed files as descriptors in the user's buffer. */
static void scm_detach_fds(struct kmsg *m, struct scm_fp_list *fpl)
{
	bool cloexec = m->flags & MSG_CMSG_CLOEXEC;
	uaddr_t data = m->ucontrol + sizeof(struct cmsghdr_k);
	int fdmax = 0, i;

	if (m->ucontrollen > sizeof(struct cmsghdr_k))
		fdmax = (int)((m->ucontrollen - sizeof(struct cmsghdr_k)) /
			      sizeof(int32_t));
	fdmax = MIN(fdmax, fpl->count);
	for (i = 0; i < fdmax; i++) {
		int32_t fd = fd_install(file_get(fpl->fp[i]), cloexec);

		if (fd < 0) {
			file_put(fpl->fp[i]);
			break;
		}
		if (copy_to_user(data + (size_t)i * sizeof(fd), &fd, sizeof(fd))) {
			fd_close(fd);
			break;
		}
	}
	if (i > 0) {
		struct cmsghdr_k h = { .len = CMSG_LEN_K(i * sizeof(int32_t)),
				       .level = SOL_SOCKET, .type = SCM_RIGHTS };

		if (!copy_to_user(m->ucontrol, &h, sizeof(h))) {
			size_t space = MIN(CMSG_SPACE_K(i * sizeof(int32_t)),
					   m->ucontrollen);

			m->ucontrol += space;
			m->ucontrollen -= space;
		}
	}
	if (i < fpl->count)
		m->flags |= MSG_CTRUNC;
}

void scm_recv(struct kmsg *m, struct scm_cookie *scm, bool passcred)
{
	if (!m->ucontrol) {
		if (passcred || scm->fp)
			m->flags |= MSG_CTRUNC;
		scm_destroy(scm);
		return;
	}
	if (passcred) {
		struct ucred_k uc = { .pid = 0, .uid = 65534, .gid = 65534 };

		if (scm->has_creds)
			uc = scm->creds;
		scm_put_cmsg(m, SOL_SOCKET, SCM_CREDENTIALS, sizeof(uc), &uc);
	}
	if (scm->fp)
		scm_detach_fds(m, scm->fp);
	scm_destroy(scm);
}

/* Registered with the socket layer's worker by unix_init. */
void scm_init(void)
{
	net_work_register(scm_drain_work);
}
