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

/* The last thread of @p is gone: apply and drop its SEM_UNDO
 * adjustments (p->sysvsem). */
void sem_exit(struct process *p);

#endif
