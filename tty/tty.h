/*
 * TTY subsystem: terminals with the N_TTY line discipline, job control
 * and the termios ioctls; drivers for the 16550 serial port (ttyS0,
 * /dev/console) and pseudo-terminals (/dev/ptmx, /dev/pts/N).
 *
 * Layers: a driver (serial, pty) moves bytes to and from hardware or a
 * peer; the core (tty_core.c) runs the line discipline (ldisc.h) under the
 * tty's lock and does blocking, wakeups and signals; tty_ioctl.c and
 * tty_jobctl.c implement ioctl_tty(2) and the controlling-terminal rules;
 * tty_file.c plugs ttys into the VFS as character devices.
 *
 * Lifetime: serial ttys are static.  Pty pairs live in a table indexed by
 * their number and are recycled, never freed, so a stale pointer (a
 * process's ctty racing with the pair's teardown) still points at a tty.
 *
 * Lock order: process tree lock -> tty->lock is never needed: the core
 * calls the process layer only without holding tty->lock.  Two ttys'
 * locks are never held together (a pty writer drops its own lock before
 * feeding the peer).  tty->write_mutex is taken before tty->lock.
 */
#ifndef TTY_TTY_H
#define TTY_TTY_H

#include "include/compiler.h"
#include "process/abi.h"
#include "sched/sched.h"
#include "sched/spinlock.h"
#include "tty/ldisc.h"
#include "tty/termios.h"

struct tty;
struct file;
struct iobuf;
struct poll_table;
struct process;


/* Driver operations.  None is called with tty->lock held. */
struct tty_driver_ops {
	/* Send processed output; returns the bytes taken (may be fewer).
	 * May run in interrupt or receive-thread context (echo). */
	size_t (*write)(struct tty *tty, const uint8_t *buf, size_t n);
	/* Bytes write() would take now (SIZE_MAX: no limit). */
	size_t (*write_room)(struct tty *tty);
	/* A reader drained input: whoever feeds this tty may go on. */
	void (*input_consumed)(struct tty *tty);
	/* A file was opened (0 or -errno) / closed; tty->count is already
	 * updated. */
	int (*open)(struct tty *tty);
	void (*close)(struct tty *tty);
	/* Driver-specific ioctls; -ENOTTY for the ones it does not know. */
	long (*ioctl)(struct tty *tty, struct file *f, unsigned cmd, uaddr_t arg);
};

/*
 * A terminal.  Legend: [I] immutable after setup, [l] tty->lock
 * (irq-safe spinlock), [w] write_mutex.
 */
struct tty {
	char name[16];                  /* [I] "ttyS0", "pts/3", "ptm3" */
	const struct tty_driver_ops *ops; /* [I] */
	void *driver_data;              /* [I] */
	struct tty *link;               /* [I] pty peer, NULL otherwise */
	bool pty_master;                /* [I] */
	unsigned major, minor;          /* [I] device number (TIOCGDEV) */
	struct spinlock lock;
	struct ldisc ldisc;             /* [l] input ring, termios, echo */
	speed_t ispeed, ospeed;         /* [l] termios2 speeds */
	struct winsize winsize;         /* [l] */
	int pgrp;                       /* [l] foreground process group (0: none) */
	int session;                    /* [l] session it is the ctty of (0: none) */
	unsigned hangup_gen;            /* [l] files opened before a hangup are dead */
	bool other_closed;              /* [l] pty: every file of the peer closed */
	int count;                      /* [l] open files */
	struct mutex write_mutex;       /* one writer at a time */
	struct wait_queue read_wait;    /* input arrived, hangup */
	struct wait_queue write_wait;   /* room, restart, hangup */
};

/* An open file on a tty (the VFS file's private data). */
struct tty_file {
	struct tty *tty;
	unsigned gen;                   /* tty->hangup_gen at open */
	unsigned flags;                 /* O_* flags of the open */
};

/* Linux open(2) flags the tty layer looks at (x86_64 values). */
#define TTY_O_ACCMODE 0003
#define TTY_O_WRONLY 0001
#define TTY_O_NOCTTY 0400
#define TTY_O_NONBLOCK 04000

/* ---- core (tty_core.c) ---- */

/* Set up @tty with @termios (NULL: the default cooked settings). */
void tty_init(struct tty *tty, const char *name, const struct tty_driver_ops *ops,
	      const struct termios *termios);
/* Input from the device: run it through the line discipline, echo, wake
 * readers, signal the foreground group.  Thread context.  Returns the
 * bytes consumed (fewer when the input ring is full). */
size_t tty_receive(struct tty *tty, const uint8_t *buf, size_t n);
/* Bytes tty_receive would take now. */
size_t tty_receive_room(struct tty *tty);

/* Open @tty for the current process: counts the file, makes it the
 * controlling terminal of a session leader without one (unless
 * @noctty or O_NOCTTY), fills @tf.  0 or -errno. */
int tty_open(struct tty *tty, struct tty_file *tf, unsigned flags, bool noctty);
void tty_close(struct tty_file *tf);
/* read(2)/write(2) on a tty: canonical or VMIN/VTIME reads, OPOST
 * writes, job control, O_NONBLOCK (-EAGAIN), signals (-ERESTARTSYS). */
long tty_read(struct tty_file *tf, struct iobuf *buf, bool nonblock);
long tty_write(struct tty_file *tf, struct iobuf *buf, bool nonblock);
/* poll(2) events of @tf now. */
unsigned tty_poll_events(struct tty_file *tf);
/* Has @tf been hung up (vhangup, pty master closed)? */
bool tty_file_hung_up(const struct tty_file *tf);
/* Hang up @tty: files open on it now read 0 and fail writes with EIO;
 * the session leader gets SIGHUP and SIGCONT (and with @exit_session
 * the foreground group SIGHUP); the session loses its ctty. */
void tty_hangup(struct tty *tty, bool exit_session);

/* Kernel-side settings (the ioctls call these; so do the tests). */
void tty_get_termios(struct tty *tty, struct termios2 *t);
void tty_set_termios(struct tty *tty, const struct termios2 *t);
void tty_get_winsize(struct tty *tty, struct winsize *ws);
/* Set the size; SIGWINCH to the foreground group if it changed. */
void tty_set_winsize(struct tty *tty, const struct winsize *ws);
/* Discard unread input (TCIFLUSH). */
void tty_flush_input(struct tty *tty);

/* ---- ioctl_tty(2) (tty_ioctl.c) ---- */
long tty_ioctl(struct tty_file *tf, struct file *f, unsigned cmd, uaddr_t arg);

/* ---- controlling terminal and job control (tty_jobctl.c) ---- */

/* POSIX job-control check for an access that @sig guards (SIGTTIN for
 * reads, SIGTTOU for writes with TOSTOP and for settings changes):
 * 0 to go ahead, -EIO, or -ERESTARTSYS after signalling the caller's
 * process group. */
int tty_check_job_control(struct tty *tty, int sig);
/* Make @tty the controlling terminal of the current process's session. */
void tty_set_ctty(struct tty *tty);
/* TIOCSCTTY, TIOCNOTTY, TIOCSPGRP, TIOCGPGRP, TIOCGSID. */
int tty_ioctl_sctty(struct tty *tty, struct tty_file *tf, long arg);
int tty_ioctl_notty(struct tty *tty);
int tty_ioctl_spgrp(struct tty *tty, int pgrp);
int tty_ioctl_gpgrp(struct tty *tty, bool is_peer, int *pgrp);
int tty_ioctl_gsid(struct tty *tty, bool is_peer, int *sid);
/* The process layer calls this when a session leader exits (Linux's
 * disassociate_ctty(1)): hang up its terminal (a pty only signals the
 * foreground group) and clear the session's controlling terminal. */
void tty_session_leader_exit(struct process *p);
/* The current process's controlling terminal, for /dev/tty (or NULL). */
struct tty *tty_current_ctty(void);

/*
 * ---- needed from the process layer ----
 * (process/ implements these; tty/process_fallback.c has weak versions
 * for kernel threads only, to be deleted once process/ provides them.)
 */
/* Is @pgid an orphaned process group (POSIX: no member has a parent in
 * another group of the same session)?  A group with no members: true. */
bool process_pgrp_orphaned(int pgid);
/* Session of process group @pgid, or -ESRCH if no process is in it. */
int process_pgrp_session(int pgid);
/* Set @p's controlling terminal (NULL clears), under the tree lock. */
void process_set_ctty(struct process *p, struct tty *tty);
/* Clear the ctty of every process in session @sid whose ctty is @tty
 * (@tty NULL: whatever it is). */
void process_session_clear_ctty(int sid, struct tty *tty);
/* Is @sig blocked by the current thread or ignored (SIG_IGN) by its
 * process?  (Linux is_ignored() in drivers/tty/tty_jobctrl.c.) */
bool signal_ignored_or_blocked(int sig);
/* Send @sig to the process whose pid is @sid if it leads session @sid;
 * 0 or -ESRCH. */
int signal_send_session_leader(int sid, int sig);

/* ---- character devices (tty_file.c) ---- */
/* Register ttyS0, /dev/tty, /dev/console, /dev/ptmx, /dev/pts/N and
 * create their devtmpfs nodes (after vfs_init). */
void tty_dev_init(void);

/* ---- drivers ---- */
/* 16550 COM1 as ttyS0: receive interrupts on ISA IRQ 4 (serial_tty.c). */
void serial_tty_init(void);
struct tty *serial_tty(void);
/* Pseudo-terminals (pty.c): allocate a pair; returns the master. */
struct tty *pty_alloc(void);
/* The slave of pty @index for open(), or ERR_PTR(-EIO/-ENXIO). */
struct tty *pty_slave_lookup(unsigned index);
/* TIOCSPTLCK: lock or unlock (unlockpt) the slave of @master. */
void pty_set_locked(struct tty *master, bool locked);
/* Pty number of a master or slave. */
unsigned pty_index(struct tty *tty);

#endif
