/*
 * System V IPC (message queues, semaphores, shared memory): what the
 * rest of the kernel calls.  The system calls themselves are in ipc/;
 * shared memory segments reach address spaces through mm/'s
 * anon_shared objects and need no hooks of their own.
 */
#ifndef IPC_IPC_H
#define IPC_IPC_H

struct process;
struct sem_undo_list;

/* Limits (Linux's defaults; /proc/sys/kernel shows them, read-only). */
#define MSGMAX 8192                     /* bytes in one message */
#define MSGMNB 16384                    /* default queue size in bytes */
#define MSGMNI 32000                    /* message queues */
#define SEMMSL 32000                    /* semaphores per set */
#define SEMMNI 32000                    /* semaphore sets */
#define SEMMNS (SEMMNI * SEMMSL)        /* semaphores */
#define SEMOPM 500                      /* operations per semop */
#define SHMMNI 4096                     /* shared memory segments */
#define SHMMAX (UINT64_MAX - (1ULL << 24))      /* bytes per segment */
#define SHMALL SHMMAX                   /* pages in all segments */

/* The last thread of @p is gone: drop its reference to its SEM_UNDO
 * list (p->sysvsem); the last sharer applies the adjustments. */
void sem_exit(struct process *p);
/* clone(CLONE_SYSVSEM): @child shares @parent's undo list (created now
 * if @parent has none).  0 or -ENOMEM. */
int sem_share_undo(struct process *parent, struct process *child);

#endif
