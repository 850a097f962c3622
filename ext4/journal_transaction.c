/*
 * The running transaction: handles, buffers joining it, revokes, and the
 * log-space accounting that decides when a handle must wait for a commit
 * or a checkpoint.
 *
 * One transaction runs at a time; handles join it (updates + 1, credits
 * reserved) until its commit locks it.  A buffer joins on
 * journal_get_write_access: it gets a struct journal_buffer (which holds
 * a buffer reference) and BUFFER_PINNED, so the buffer cache leaves its
 * home location alone until the commit that logs it is durable.  If the
 * buffer is at the same time being logged by the committing transaction
 * and that commit has not copied it yet, the committing transaction gets
 * a frozen copy first (journal_buffer.frozen), so changes for the new
 * transaction never leak into the old one's log record.
 *
 * Log space: a transaction of C credits may need C data blocks, its
 * descriptor blocks, revoke blocks (a revoke also costs a credit) and a
 * commit block; a handle starts only if the running and committing
 * transactions' worst cases fit in the free part of the log, else it
 * checkpoints (or commits first if the running transaction reached the
 * quarter of the log that one transaction may use).
 *
 * Locks: see ext4/journal_internal.h.
 */
#include "ext4/journal_internal.h"
#include "block/buffer.h"
#include "include/assert.h"
#include "lib/string.h"
#include "mm/mm.h"
#include "time/clock.h"

void journal_wait_change(struct journal *j)
{
	uint64_t seen = j->wake_seq;

	ASSERT(mutex_is_held(&j->lock));
	mutex_unlock(&j->lock);
	wait_event_timeout(&j->wait, READ_ONCE(j->wake_seq) != seen, 0);
	mutex_lock(&j->lock);
}

void journal_wake(struct journal *j)
{
	j->wake_seq++;
	sched_wake_all(&j->wait);
}

uint32_t journal_log_used(const struct journal *j)
{
	uint32_t len = j->nr_blocks - j->first;

	return (j->head + len - j->tail) % len;
}

uint32_t journal_log_needed(const struct journal *j, int credits)
{
	uint32_t tags = (journal_tag_space(j) - 16) / j->tag_bytes;
	uint32_t records = (j->block_size - JBD2_REVOKE_HEADER_SIZE -
			    JBD2_TAIL_SIZE) / journal_revoke_record_size(j);

	if (credits <= 0)
		return 1;
	return (uint32_t)credits + DIV_ROUND_UP((uint32_t)credits, tags) +
	       DIV_ROUND_UP((uint32_t)credits, records) + 1;
}

static struct transaction *transaction_new(struct journal *j)
{
	struct transaction *t = kzalloc(sizeof(*t));

	if (!t)
		return NULL;
	t->tid = j->next_tid++;
	t->state = T_RUNNING;
	t->start_ns = clock_uptime_ns();
	list_init(&t->buffers);
	list_init(&t->logged);
	list_init(&t->cp_buffers);
	list_init(&t->cp_node);
	return t;
}

void journal_transaction_free(struct transaction *t)
{
	kfree(t->revokes);
	kfree(t);
}

/* What decides a handle of @credits may join now; with j->lock held.
 * 0: join; 1: commit the running transaction first; 2: checkpoint. */
static int start_verdict(struct journal *j, int credits)
{
	struct transaction *t = j->running;
	uint32_t len = j->nr_blocks - j->first;
	uint32_t need = journal_log_needed(j, t->credits + credits);

	if (t->credits + credits > (int)j->max_credits)
		return 1;
	if (j->committing)
		need += journal_log_needed(j, j->committing->credits);
	if (need + 1 > len - journal_log_used(j))
		return 2;
	return 0;
}

/* Make @h a handle of @credits in the running transaction (creating,
 * committing or checkpointing as needed).  0 or -errno. */
static int handle_join(struct journal *j, struct journal_handle *h,
		       int credits)
{
	int err = 0;

	if (credits < 0 || (uint32_t)credits > j->max_credits)
		return -ENOSPC;
	mutex_lock(&j->lock);
	for (;;) {
		int verdict;
		uint32_t tid;

		if (j->error || !j->loaded) {
			err = j->error ? j->error : -EROFS;
			break;
		}
		if (j->barrier || (j->running &&
				   j->running->state != T_RUNNING)) {
			journal_wait_change(j);
			continue;
		}
		if (!j->running) {
			j->running = transaction_new(j);
			if (!j->running) {
				err = -ENOMEM;
				break;
			}
		}
		verdict = start_verdict(j, credits);
		if (verdict == 0)
			break;
		tid = j->running->tid;
		mutex_unlock(&j->lock);
		if (verdict == 1)
			journal_commit_tid(j, tid);
		else
			journal_checkpoint(j);
		mutex_lock(&j->lock);
	}
	if (!err) {
		h->j = j;
		h->t = j->running;
		h->credits = credits;
		h->t->updates++;
		h->t->credits += credits;
	}
	mutex_unlock(&j->lock);
	return err;
}

/* Leave @h's transaction, returning its unused credits.  The tid. */
static uint32_t handle_leave(struct journal_handle *h)
{
	struct journal *j = h->j;
	uint32_t tid;

	mutex_lock(&j->lock);
	h->t->credits -= h->credits;
	h->credits = 0;
	if (--h->t->updates == 0)
		journal_wake(j);
	tid = h->t->tid;
	h->t = NULL;
	mutex_unlock(&j->lock);
	return tid;
}

struct journal_handle *journal_start(struct journal *j, int credits)
{
	struct journal_handle *h = kzalloc(sizeof(*h));
	int err;

	if (!h)
		return ERR_PTR(-ENOMEM);
	err = handle_join(j, h, credits);
	if (err) {
		kfree(h);
		return ERR_PTR(err);
	}
	return h;
}

int journal_stop(struct journal_handle *h)
{
	struct journal *j = h->j;
	uint32_t tid;
	int err;

	if (!h->t) {            /* a failed journal_restart */
		err = journal_error(j);
		kfree(h);
		return err ? err : -EIO;
	}
	tid = handle_leave(h);
	err = journal_error(j);
	if (h->sync && !err)
		err = journal_commit_tid(j, tid);
	kfree(h);
	return err;
}

int journal_extend(struct journal_handle *h, int credits)
{
	struct journal *j = h->j;
	struct transaction *t = h->t;
	uint32_t len = j->nr_blocks - j->first, need;
	int ret = 1;

	if (credits < 0 || !t)
		return -EINVAL;
	mutex_lock(&j->lock);
	if (j->error) {
		ret = j->error;
		goto out;
	}
	if (t->state != T_RUNNING || j->barrier ||
	    t->credits + credits > (int)j->max_credits)
		goto out;
	need = journal_log_needed(j, t->credits + credits);
	if (j->committing)
		need += journal_log_needed(j, j->committing->credits);
	if (need + 1 > len - journal_log_used(j))
		goto out;
	t->credits += credits;
	h->credits += credits;
	ret = 0;
out:
	mutex_unlock(&j->lock);
	return ret;
}

int journal_restart(struct journal_handle *h, int credits)
{
	struct journal *j = h->j;
	bool sync = h->sync;
	int err;

	handle_leave(h);
	err = handle_join(j, h, credits);
	h->sync = sync;
	return err;
}

void journal_handle_set_sync(struct journal_handle *h)
{
	h->sync = true;
}

uint32_t journal_handle_tid(const struct journal_handle *h)
{
	return h->t->tid;
}

int journal_handle_credits(const struct journal_handle *h)
{
	return h->t ? h->credits : 0;
}

int journal_error(const struct journal *j)
{
	return READ_ONCE(j->error);
}

static void set_pinned(struct buffer *b, bool pinned)
{
	mutex_lock(&b->lock);
	if (pinned)
		b->flags |= BUFFER_PINNED;
	else
		b->flags &= ~BUFFER_PINNED;
	mutex_unlock(&b->lock);
}

/* @b's bookkeeping, created (with a buffer reference) if it has none.
 * ERR_PTR(-ENOMEM), or -EINVAL for a buffer the cache no longer knows
 * (buffer_forget was called on it). */
static struct journal_buffer *jb_get(struct journal *j, struct buffer *b)
{
	struct journal_buffer *jb = b->journal_private;
	struct buffer *ref;

	if (jb)
		return jb;
	jb = kzalloc(sizeof(*jb));
	if (!jb)
		return ERR_PTR(-ENOMEM);
	ref = buffer_get(b->bdev, b->blocknr, b->size);
	if (IS_ERR(ref) || ref != b) {
		if (!IS_ERR(ref))
			buffer_put(ref);
		kfree(jb);
		return ERR_PTR(IS_ERR(ref) ? PTR_ERR(ref) : -EINVAL);
	}
	jb->b = b;
	list_init(&jb->run_node);
	list_init(&jb->commit_node);
	list_init(&jb->cp_node);
	mutex_lock(&b->lock);
	b->journal_private = jb;
	mutex_unlock(&b->lock);
	return jb;
}

/* Drop @jb if no transaction needs it any more; with j->lock held. */
void journal_buffer_release(struct journal *j, struct journal_buffer *jb)
{
	struct buffer *b = jb->b;

	if (jb->run_t || jb->commit_t || jb->cp_t)
		return;
	mutex_lock(&b->lock);
	b->journal_private = NULL;
	b->flags &= ~BUFFER_PINNED;
	mutex_unlock(&b->lock);
	kfree(jb->frozen);
	kfree(jb);
	buffer_put(b);
}

static void revoke_cancel(struct transaction *t, uint64_t blocknr)
{
	for (uint32_t i = 0; i < t->nr_revokes; i++) {
		if (t->revokes[i] == blocknr) {
			t->revokes[i] = t->revokes[--t->nr_revokes];
			return;
		}
	}
}

static bool blocknr_fits(const struct journal *j, uint64_t blocknr);

/* The committing transaction still has to copy @jb: keep what it must
 * log before the running transaction changes the buffer. */
static int freeze(struct journal *j, struct journal_buffer *jb)
{
	if (!jb->commit_t || !jb->commit_dirty || jb->copied || jb->frozen)
		return 0;
	jb->frozen = kmalloc(j->block_size);
	if (!jb->frozen)
		return -ENOMEM;
	mutex_lock(&jb->b->lock);
	memcpy(jb->frozen, jb->b->data, j->block_size);
	mutex_unlock(&jb->b->lock);
	j->nr_frozen++;
	return 0;
}

int journal_get_write_access(struct journal_handle *h, struct buffer *b)
{
	struct journal *j = h->j;
	struct journal_buffer *jb;
	int err = 0;

	if (b->size != j->block_size || !blocknr_fits(j, b->blocknr))
		return -EINVAL;
	mutex_lock(&j->lock);
	if (j->error) {
		err = j->error;
		goto out;
	}
	jb = jb_get(j, b);
	if (IS_ERR(jb)) {
		err = (int)PTR_ERR(jb);
		goto out;
	}
	if (jb->run_t == h->t)
		goto out;
	ASSERT(!jb->run_t);
	if (h->credits <= 0) {
		err = -ENOSPC;
		goto out_release;
	}
	err = freeze(j, jb);
	if (err)
		goto out_release;
	h->credits--;
	jb->run_t = h->t;
	jb->run_dirty = false;
	list_add_tail(&jb->run_node, &h->t->buffers);
	set_pinned(b, true);
	revoke_cancel(h->t, b->blocknr);
	goto out;
out_release:
	journal_buffer_release(j, jb);
out:
	mutex_unlock(&j->lock);
	return err;
}

int journal_get_create_access(struct journal_handle *h, struct buffer *b)
{
	return journal_get_write_access(h, b);
}

int journal_dirty_metadata(struct journal_handle *h, struct buffer *b)
{
	struct journal *j = h->j;
	struct journal_buffer *jb;
	int err = 0;

	mutex_lock(&j->lock);
	jb = b->journal_private;
	if (!jb || jb->run_t != h->t) {
		err = -EINVAL;
	} else {
		jb->run_dirty = true;
		mutex_lock(&b->lock);
		buffer_mark_dirty(b);
		mutex_unlock(&b->lock);
	}
	mutex_unlock(&j->lock);
	return err;
}

static int revoke_add(struct transaction *t, uint64_t blocknr)
{
	for (uint32_t i = 0; i < t->nr_revokes; i++)
		if (t->revokes[i] == blocknr)
			return 0;
	if (t->nr_revokes == t->cap_revokes) {
		uint32_t cap = t->cap_revokes ? 2 * t->cap_revokes : 16;
		uint64_t *bigger = kmalloc(cap * sizeof(*bigger));

		if (!bigger)
			return -ENOMEM;
		if (t->nr_revokes)
			memcpy(bigger, t->revokes,
			       t->nr_revokes * sizeof(*bigger));
		kfree(t->revokes);
		t->revokes = bigger;
		t->cap_revokes = cap;
	}
	t->revokes[t->nr_revokes++] = blocknr;
	return 0;
}

/* Block numbers above 32 bits need the 64BIT feature in the log. */
static bool blocknr_fits(const struct journal *j, uint64_t blocknr)
{
	return (j->incompat & JOURNAL_INCOMPAT_64BIT) || blocknr <= UINT32_MAX;
}

int journal_revoke(struct journal_handle *h, uint64_t blocknr,
		   struct buffer *b)
{
	struct journal *j = h->j;
	struct buffer *found = NULL;
	struct journal_buffer *jb;
	int err;

	if (!blocknr_fits(j, blocknr) || blocknr >= j->dev_blocks)
		return -EINVAL;
	/* Without a buffer from the caller, the cached one (if any) may
	 * still be in a transaction or waiting for its checkpoint. */
	if (!b) {
		found = buffer_get(j->bdev, blocknr, j->block_size);
		if (IS_ERR(found))
			return (int)PTR_ERR(found);
		b = found;
	}
	mutex_lock(&j->lock);
	err = j->error;
	if (!err && h->credits <= 0)
		err = -ENOSPC;
	if (!err)
		err = revoke_add(h->t, blocknr);
	if (err)
		goto out;
	h->credits--;
	jb = b->journal_private;
	if (!jb)
		goto out;
	if (jb->run_t == h->t) {
		list_del(&jb->run_node);
		jb->run_t = NULL;
		jb->run_dirty = false;
	}
	if (jb->commit_t)
		jb->revoked = true;
	if (jb->cp_t) {
		list_del(&jb->cp_node);
		jb->cp_t = NULL;
	}
	journal_buffer_release(j, jb);
out:
	mutex_unlock(&j->lock);
	if (found)
		buffer_put(found);
	return err;
}
