/*
 * Commit and checkpoint (ordered mode), loading and tearing down a
 * journal, and the periodic commit thread.
 *
 * A commit (commit_mutex held throughout) locks the running transaction
 * (new handles wait), waits for its handles to stop, makes it the
 * committing one (new handles start the next transaction), lets the file
 * system write the ordered data, then writes at the log head:
 *
 *   revoke blocks | descriptor, its data blocks | ... | flush | commit
 *   block (FUA)
 *
 * so the commit block is durable only after everything it vouches for.
 * Blocks that are contiguous on disk go out as one request.
 * Data blocks are copies taken under buffer->lock (or the frozen copy);
 * a copy whose first word is the jbd2 magic is logged with it zeroed
 * and the tag's ESCAPE flag.  Afterwards each logged buffer moves to the
 * transaction's checkpoint list and is unpinned unless the running
 * transaction holds it again.
 *
 * A checkpoint stops new handles (barrier), commits the running
 * transaction, writes every checkpoint buffer home, flushes, and moves
 * the log tail to the head (superblock s_start = head, s_sequence = the
 * next tid): the whole log is free again.
 */
#include "ext4/journal_internal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "include/assert.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "time/clock.h"

#define COMMIT_INTERVAL_NS (5ull * 1000000000ull)

static void journal_abort(struct journal *j, int err)
{
	mutex_lock(&j->lock);
	if (!j->error) {
		pr_err("journal: aborted (error %d)\n", err);
		j->error = -EIO;
	}
	journal_wake(j);
	mutex_unlock(&j->lock);
}

/* Lock the running transaction, wait for its handles, make it the
 * committing one.  NULL if there is none. */
static struct transaction *commit_begin(struct journal *j)
{
	struct transaction *t;
	struct list_node *pos, *tmp;

	mutex_lock(&j->lock);
	t = j->running;
	if (!t) {
		mutex_unlock(&j->lock);
		return NULL;
	}
	t->state = T_LOCKED;
	journal_wake(j);
	while (t->updates > 0)
		journal_wait_change(j);
	j->running = NULL;
	j->committing = t;
	t->state = T_COMMITTING;
	list_for_each_safe(pos, tmp, &t->buffers) {
		struct journal_buffer *jb =
			list_entry(pos, struct journal_buffer, run_node);

		list_del(&jb->run_node);
		jb->run_t = NULL;
		if (!jb->run_dirty) {
			/* Accessed, never changed: nothing to log, and it
			 * may go home again (its checkpoint may need it). */
			mutex_lock(&jb->b->lock);
			jb->b->flags &= ~BUFFER_PINNED;
			mutex_unlock(&jb->b->lock);
			journal_buffer_release(j, jb);
			continue;
		}
		jb->run_dirty = false;
		jb->commit_t = t;
		jb->commit_dirty = true;
		jb->copied = false;
		list_add_tail(&jb->commit_node, &t->logged);
	}
	t->log_start = j->head;
	journal_wake(j);
	mutex_unlock(&j->lock);
	return t;
}

static void header_init(void *block, uint32_t type, uint32_t tid,
			uint32_t size)
{
	memset(block, 0, size);
	put_be32(block, JBD2_MAGIC);
	put_be32((uint8_t *)block + 4, type);
	put_be32((uint8_t *)block + 8, tid);
}

static int write_revokes(struct journal *j, struct transaction *t,
			 uint8_t *block, uint32_t *pos)
{
	uint32_t rs = journal_revoke_record_size(j);
	uint32_t limit = j->block_size - (journal_has_csum(j) ? JBD2_TAIL_SIZE : 0);
	uint32_t i = 0;

	while (i < t->nr_revokes) {
		uint32_t off = JBD2_REVOKE_HEADER_SIZE;
		int err;

		header_init(block, JBD2_REVOKE_BLOCK, t->tid, j->block_size);
		for (; i < t->nr_revokes && off + rs <= limit; i++, off += rs) {
			if (rs == 8) {
				put_be32(block + off, (uint32_t)(t->revokes[i] >> 32));
				put_be32(block + off + 4, (uint32_t)t->revokes[i]);
			} else {
				put_be32(block + off, (uint32_t)t->revokes[i]);
			}
		}
		put_be32(block + sizeof(struct jbd2_header), off);
		journal_tail_csum_set(j, block);
		err = journal_write_block(j, *pos, block);
		if (err)
			return err;
		*pos = journal_next_block(j, *pos, 1);
	}
	return 0;
}

/* Copy @jb's contents for the log into @data (frozen copy if any). */
static void copy_for_log(struct journal *j, struct journal_buffer *jb,
			 uint8_t *data)
{
	mutex_lock(&j->lock);
	if (jb->frozen) {
		memcpy(data, jb->frozen, j->block_size);
		kfree(jb->frozen);
		jb->frozen = NULL;
	} else {
		mutex_lock(&jb->b->lock);
		memcpy(data, jb->b->data, j->block_size);
		mutex_unlock(&jb->b->lock);
	}
	jb->copied = true;
	mutex_unlock(&j->lock);
}

/* How many tags one descriptor block holds (the first carries the
 * UUID). */
static uint32_t tags_per_descriptor(const struct journal *j)
{
	return 1 + (journal_tag_space(j) - j->tag_bytes - 16) / j->tag_bytes;
}

/* One descriptor block and up to tags_per_descriptor() data blocks from
 * *@node on, written as one batch at *@pos.  bufs[0] is the descriptor,
 * bufs[1..] copies of the data. */
static int write_descriptor(struct journal *j, struct transaction *t,
			    void **bufs, struct list_node **node,
			    uint32_t *pos)
{
	uint32_t cap = tags_per_descriptor(j);
	uint8_t *desc = bufs[0];
	uint32_t off = sizeof(struct jbd2_header), n = 0, last_off = 0;
	struct journal_tag tag = { 0 };
	int err;

	header_init(desc, JBD2_DESCRIPTOR_BLOCK, t->tid, j->block_size);
	for (; *node != &t->logged && n < cap; *node = (*node)->next) {
		struct journal_buffer *jb =
			list_entry(*node, struct journal_buffer, commit_node);
		uint8_t *data = bufs[n + 1];

		copy_for_log(j, jb, data);
		tag.blocknr = jb->b->blocknr;
		tag.flags = n ? JBD2_FLAG_SAME_UUID : 0;
		if (get_be32(data) == JBD2_MAGIC) {
			put_be32(data, 0);
			tag.flags |= JBD2_FLAG_ESCAPE;
		}
		tag.checksum = journal_data_csum(j, t->tid, data);
		last_off = off;
		off += journal_tag_encode(j, desc + off, &tag);
		n++;
	}
	ASSERT(n > 0);
	tag.flags |= JBD2_FLAG_LAST_TAG;
	journal_tag_encode(j, desc + last_off, &tag);
	journal_tail_csum_set(j, desc);
	err = journal_write_blocks(j, *pos, bufs, n + 1, false);
	if (!err)
		*pos = journal_next_block(j, *pos, n + 1);
	return err;
}

/* Descriptor blocks and the data blocks they describe.  The list of
 * logged buffers is stable: only this commit removes from it, and
 * journal_revoke only flags entries. */
static int write_metadata(struct journal *j, struct transaction *t,
			  uint8_t *desc, uint32_t *pos)
{
	uint32_t cap = tags_per_descriptor(j), have = 0;
	struct list_node *node = t->logged.next;
	void **bufs;
	int err = 0;

	if (node == &t->logged)
		return 0;
	bufs = kzalloc((cap + 1) * sizeof(*bufs));
	if (!bufs)
		return -ENOMEM;
	bufs[0] = desc;
	/* Buffers for one descriptor's worth, or fewer if the transaction
	 * is smaller. */
	for (struct list_node *p = node; p != &t->logged && have < cap;
	     p = p->next) {
		bufs[++have] = kmalloc(j->block_size);
		if (!bufs[have]) {
			err = -ENOMEM;
			goto out;
		}
	}
	while (!err && node != &t->logged)
		err = write_descriptor(j, t, bufs, &node, pos);
out:
	for (uint32_t i = 1; i <= have; i++)
		kfree(bufs[i]);
	kfree(bufs);
	return err;
}

static int write_commit_block(struct journal *j, struct transaction *t,
			      uint8_t *block, uint32_t *pos)
{
	struct jbd2_commit *c = (struct jbd2_commit *)block;
	int64_t now = clock_realtime_ns();
	int err;

	header_init(block, JBD2_COMMIT_BLOCK, t->tid, j->block_size);
	if (now < 0)
		now = 0;
	c->commit_sec = __builtin_bswap64((uint64_t)now / 1000000000u);
	c->commit_nsec = jbd2_be32((uint32_t)((uint64_t)now % 1000000000u));
	journal_commit_csum_set(j, block);
	err = journal_write_blocks(j, *pos, (void *const *)&block, 1, true);
	if (!err)
		*pos = journal_next_block(j, *pos, 1);
	return err;
}

/* The commit is durable: logged buffers go to the checkpoint list. */
static void commit_end(struct journal *j, struct transaction *t, uint32_t pos)
{
	struct list_node *p, *tmp;

	mutex_lock(&j->lock);
	j->head = pos;
	t->log_end = pos;
	t->state = T_COMMITTED;
	j->committing = NULL;
	j->committed_tid = t->tid;
	j->nr_commits++;
	list_for_each_safe(p, tmp, &t->logged) {
		struct journal_buffer *jb =
			list_entry(p, struct journal_buffer, commit_node);

		list_del(&jb->commit_node);
		jb->commit_t = NULL;
		jb->commit_dirty = false;
		jb->copied = false;
		if (!jb->revoked) {
			if (jb->cp_t)
				list_del(&jb->cp_node);
			jb->cp_t = t;
			list_add_tail(&jb->cp_node, &t->cp_buffers);
		}
		jb->revoked = false;
		if (!jb->run_t) {
			mutex_lock(&jb->b->lock);
			jb->b->flags &= ~BUFFER_PINNED;
			mutex_unlock(&jb->b->lock);
		}
		journal_buffer_release(j, jb);
	}
	kfree(t->revokes);
	t->revokes = NULL;
	t->nr_revokes = t->cap_revokes = 0;
	list_add_tail(&t->cp_node, &j->checkpoint_list);
	journal_wake(j);
	mutex_unlock(&j->lock);
}

/* Commit the running transaction, if any; commit_mutex held. */
int journal_commit_locked(struct journal *j)
{
	struct transaction *t;
	uint8_t *desc = NULL;
	uint32_t pos;
	int err;

	ASSERT(mutex_is_held(&j->commit_mutex));
	t = commit_begin(j);
	if (!t)
		return journal_error(j);
	err = journal_error(j);
	if (err)
		goto fail;
	if (j->ops->write_ordered_data) {
		err = j->ops->write_ordered_data(j->fs, t->tid);
		if (err)
			goto fail;
	}
	err = -ENOMEM;
	desc = kmalloc(j->block_size);
	if (!desc)
		goto fail;
	pos = t->log_start;
	err = write_revokes(j, t, desc, &pos);
	if (!err)
		err = write_metadata(j, t, desc, &pos);
	if (!err)
		err = block_flush(j->bdev);
	if (!err)
		err = write_commit_block(j, t, desc, &pos);
	if (err)
		goto fail;
	kfree(desc);
	commit_end(j, t, pos);
	return 0;
fail:
	kfree(desc);
	/* Its buffers stay pinned: nothing of it may reach home. */
	journal_abort(j, err);
	mutex_lock(&j->lock);
	j->committing = NULL;
	list_add_tail(&t->cp_node, &j->checkpoint_list);
	journal_wake(j);
	mutex_unlock(&j->lock);
	return -EIO;
}

bool journal_tid_committed(struct journal *j, uint32_t tid)
{
	bool done;

	mutex_lock(&j->lock);
	done = tid_geq(j->committed_tid, tid);
	mutex_unlock(&j->lock);
	return done;
}

int journal_commit_tid(struct journal *j, uint32_t tid)
{
	int err = 0;

	mutex_lock(&j->lock);
	for (;;) {
		if (tid_geq(j->committed_tid, tid))
			break;
		if (j->error) {
			err = j->error;
			break;
		}
		if (j->running && j->running->tid == tid) {
			mutex_unlock(&j->lock);
			mutex_lock(&j->commit_mutex);
			journal_commit_locked(j);
			mutex_unlock(&j->commit_mutex);
			mutex_lock(&j->lock);
		} else if (j->committing && j->committing->tid == tid) {
			journal_wait_change(j);
		} else {
			err = -EINVAL;  /* not a transaction of this journal */
			break;
		}
	}
	mutex_unlock(&j->lock);
	return err;
}

int journal_commit(struct journal *j)
{
	uint32_t tid;
	int err;

	mutex_lock(&j->lock);
	if (j->running)
		tid = j->running->tid;
	else if (j->committing)
		tid = j->committing->tid;
	else
		tid = j->committed_tid;
	mutex_unlock(&j->lock);
	err = journal_commit_tid(j, tid);
	return err ? err : journal_error(j);
}

/* Write the checkpoint buffers of every committed transaction home. */
static int checkpoint_write_all(struct journal *j)
{
	int err = 0;

	mutex_lock(&j->lock);
	while (!list_empty(&j->checkpoint_list)) {
		struct transaction *t = list_first_entry(&j->checkpoint_list,
							 struct transaction,
							 cp_node);
		struct journal_buffer *jb;
		int werr;

		if (list_empty(&t->cp_buffers)) {
			list_del(&t->cp_node);
			journal_transaction_free(t);
			continue;
		}
		jb = list_first_entry(&t->cp_buffers, struct journal_buffer,
				      cp_node);
		mutex_unlock(&j->lock);
		werr = buffer_write(jb->b);
		mutex_lock(&jb->b->lock);
		if (jb->b->flags & BUFFER_PINNED) {
			/* Not written: moving the tail would lose it. */
			pr_err("journal: block %llu pinned at checkpoint\n",
			       (unsigned long long)jb->b->blocknr);
			werr = -EIO;
		}
		mutex_unlock(&jb->b->lock);
		mutex_lock(&j->lock);
		if (werr && !err)
			err = werr;
		list_del(&jb->cp_node);
		jb->cp_t = NULL;
		journal_buffer_release(j, jb);
	}
	mutex_unlock(&j->lock);
	return err;
}

int journal_checkpoint(struct journal *j)
{
	int err;

	mutex_lock(&j->commit_mutex);
	mutex_lock(&j->lock);
	j->barrier = true;
	mutex_unlock(&j->lock);
	err = journal_commit_locked(j);
	if (!err && !journal_error(j)) {
		err = checkpoint_write_all(j);
		if (!err)
			err = block_flush(j->bdev);
		if (!err) {
			mutex_lock(&j->lock);
			j->tail = j->head;
			j->tail_tid = j->next_tid;
			mutex_unlock(&j->lock);
			err = journal_write_sb(j, j->head, j->next_tid);
		}
		if (err)
			journal_abort(j, err);
	}
	mutex_lock(&j->lock);
	j->barrier = false;
	if (!err)
		err = j->error;
	journal_wake(j);
	mutex_unlock(&j->lock);
	mutex_unlock(&j->commit_mutex);
	return err;
}

int journal_load(struct journal *j)
{
	int err;

	if (j->sb_start)
		return -EBUSY;
	/* v1 commit checksums (crc32) are not written: drop the compat
	 * feature rather than write commits that claim them. */
	j->compat &= ~JOURNAL_COMPAT_CHECKSUM;
	j->head = j->tail = j->first;
	j->tail_tid = j->next_tid;
	j->committed_tid = j->next_tid - 1;
	err = journal_write_sb(j, j->first, j->next_tid);
	if (err)
		return err;
	j->loaded = true;
	journal_thread_start(j);
	return 0;
}

/* @jb left its last list: drop it, and if its buffer is dirty forget
 * the buffer, so that neither uncommitted changes nor committed ones
 * (the log still holds them: s_start was not reset) go home through the
 * buffer cache.  j->lock held. */
static void drop_jb(struct journal *j, struct journal_buffer *jb)
{
	struct buffer *b = jb->b;
	bool dirty;

	if (jb->run_t || jb->commit_t || jb->cp_t)
		return;
	mutex_lock(&b->lock);
	dirty = b->flags & BUFFER_DIRTY;
	mutex_unlock(&b->lock);
	if (dirty)
		buffer_forget(b->bdev, b->blocknr, b->size);
	journal_buffer_release(j, jb);
}

/* Forget every transaction and buffer still attached (after an abort,
 * or journal_close without journal_destroy): nothing is written. */
void journal_drop_all(struct journal *j)
{
	mutex_lock(&j->lock);
	if (j->running) {
		struct list_node *p, *tmp;

		list_for_each_safe(p, tmp, &j->running->buffers) {
			struct journal_buffer *jb = list_entry(
				p, struct journal_buffer, run_node);

			list_del(&jb->run_node);
			jb->run_t = NULL;
			drop_jb(j, jb);
		}
		journal_transaction_free(j->running);
		j->running = NULL;
	}
	while (!list_empty(&j->checkpoint_list)) {
		struct transaction *t = list_first_entry(&j->checkpoint_list,
							 struct transaction,
							 cp_node);
		struct list_node *p, *tmp;

		list_for_each_safe(p, tmp, &t->logged) {
			struct journal_buffer *jb = list_entry(
				p, struct journal_buffer, commit_node);

			list_del(&jb->commit_node);
			jb->commit_t = NULL;
			drop_jb(j, jb);
		}
		list_for_each_safe(p, tmp, &t->cp_buffers) {
			struct journal_buffer *jb = list_entry(
				p, struct journal_buffer, cp_node);

			list_del(&jb->cp_node);
			jb->cp_t = NULL;
			drop_jb(j, jb);
		}
		list_del(&t->cp_node);
		journal_transaction_free(t);
	}
	mutex_unlock(&j->lock);
}

int journal_destroy(struct journal *j)
{
	int err = 0;

	if (j->loaded) {
		journal_thread_stop(j);
		err = journal_checkpoint(j);
		if (!err)
			err = journal_write_sb(j, 0, j->next_tid);
		j->loaded = false;
	}
	journal_close(j);
	return err;
}

#if defined(HOST_TEST) && !defined(SHIM_THREADS)
/* Single-threaded host builds commit only when asked. */
void journal_thread_start(struct journal *j)
{
}

void journal_thread_stop(struct journal *j)
{
}
#else
/* Commit the running transaction once it is COMMIT_INTERVAL_NS old. */
static void journal_thread(void *arg)
{
	struct journal *j = arg;

	for (;;) {
		uint64_t wait_ns = COMMIT_INTERVAL_NS, now;
		bool due;

		mutex_lock(&j->lock);
		if (j->thread_stop)
			break;
		now = clock_uptime_ns();
		if (j->running) {
			uint64_t deadline = j->running->start_ns +
					    COMMIT_INTERVAL_NS;

			wait_ns = deadline > now ? deadline - now : 0;
		}
		mutex_unlock(&j->lock);
		if (wait_ns)
			wait_event_timeout(&j->thread_wait,
					   READ_ONCE(j->thread_stop), wait_ns);
		mutex_lock(&j->lock);
		due = !j->thread_stop && j->running && !j->error &&
		      clock_uptime_ns() >= j->running->start_ns +
					   COMMIT_INTERVAL_NS;
		mutex_unlock(&j->lock);
		if (due) {
			mutex_lock(&j->commit_mutex);
			journal_commit_locked(j);
			mutex_unlock(&j->commit_mutex);
		}
	}
	j->thread_done = true;
	journal_wake(j);
	mutex_unlock(&j->lock);
}

void journal_thread_start(struct journal *j)
{
	j->thread = thread_spawn("jbd2", journal_thread, j);
	if (!j->thread)
		pr_warn("journal: no commit thread; commits only on demand\n");
}

void journal_thread_stop(struct journal *j)
{
	if (!j->thread)
		return;
	mutex_lock(&j->lock);
	j->thread_stop = true;
	sched_wake_all(&j->thread_wait);
	while (!j->thread_done)
		journal_wait_change(j);
	mutex_unlock(&j->lock);
	j->thread = NULL;
}
#endif
