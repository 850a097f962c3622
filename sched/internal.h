/*
 * Shared between the files of sched/ only.
 */
#ifndef SCHED_INTERNAL_H
#define SCHED_INTERNAL_H

#include "sched/spinlock.h"

/* Protects run queue, wait queues, thread states, mutex owners. */
extern struct spinlock sched_lock;

#endif
