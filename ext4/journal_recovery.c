/*
 * Journal recovery (ext4 disk layout, "Journal (jbd2)"): three walks
 * over the log from s_start with expected tid s_sequence.
 *
 *   scan    find the end: the log continues while each block has the
 *           magic and the expected tid, and descriptor/revoke/commit
 *           checksums hold; the last commit block seen ends the part
 *           that is replayed (a transaction without its commit block is
 *           not).
 *   revoke  collect the revoke records of the committed transactions:
 *           block -> newest tid that revoked it.
 *   replay  write every tagged block home in log order (so the newest
 *           copy wins), except those revoked by the same or a later
 *           transaction, and those whose data checksum fails or whose
 *           home lies outside the device or inside the journal.
 *
 * Then the device is flushed and the superblock says empty (s_start 0,
 * s_sequence the end tid + 1, as e2fsck leaves it).  If a committed
 * transaction turned out corrupt (see walk) or a logged copy failed its
 * checksum, the journal is left as it is and recovery fails with
 * -EBADMSG, as jbd2's does: the file system must not be mounted before
 * fsck.  Every step is
 * bounded by the log's length, and every number read from the log is
 * checked before use, so a corrupt journal ends the scan or skips a
 * block, never more.  Replayed blocks go through the buffer cache so it
 * stays coherent with what the file system reads next.
 */
#include "ext4/journal_internal.h"
#include "block/block.h"
#include "block/buffer.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "mm/mm.h"

#define REVOKE_BUCKETS 1024

struct revoke_entry {
	uint64_t blocknr;
	uint32_t tid;
	struct revoke_entry *next;
};

struct recovery {
	struct journal *j;
	uint8_t *buf;                   /* a log block being parsed */
	uint8_t *data;                  /* a data block being replayed */
	uint32_t start_tid, end_tid;
	struct revoke_entry **revokes;  /* REVOKE_BUCKETS chains */
	struct journal_recovery_info info;
	int error;                      /* first replay failure */
};

enum pass { PASS_SCAN, PASS_REVOKE, PASS_REPLAY };

static unsigned revoke_hash(uint64_t blocknr)
{
	return (unsigned)((blocknr * 0x9E3779B97F4A7C15ull) >> 54) %
	       REVOKE_BUCKETS;
}

static struct revoke_entry *revoke_find(struct recovery *r, uint64_t blocknr)
{
	struct revoke_entry *e = r->revokes[revoke_hash(blocknr)];

	while (e && e->blocknr != blocknr)
		e = e->next;
	return e;
}

static int revoke_add(struct recovery *r, uint64_t blocknr, uint32_t tid)
{
	struct revoke_entry *e = revoke_find(r, blocknr);
	unsigned h;

	if (e) {
		if (tid_gt(tid, e->tid))
			e->tid = tid;
		return 0;
	}
	e = kmalloc(sizeof(*e));
	if (!e)
		return -ENOMEM;
	h = revoke_hash(blocknr);
	*e = (struct revoke_entry){ .blocknr = blocknr, .tid = tid,
				    .next = r->revokes[h] };
	r->revokes[h] = e;
	r->info.nr_revoke_records++;
	return 0;
}

static void revoke_free_all(struct recovery *r)
{
	if (!r->revokes)
		return;
	for (unsigned i = 0; i < REVOKE_BUCKETS; i++) {
		while (r->revokes[i]) {
			struct revoke_entry *e = r->revokes[i];

			r->revokes[i] = e->next;
			kfree(e);
		}
	}
	kfree(r->revokes);
}

static bool home_in_journal(const struct journal *j, uint64_t blocknr)
{
	for (uint32_t i = 0; i < j->nr_extents; i++)
		if (blocknr >= j->map[i].pblock &&
		    blocknr - j->map[i].pblock < j->map[i].len)
			return true;
	return false;
}

/* Write one logged copy home (pass replay). */
static void replay_block(struct recovery *r, const struct journal_tag *tag,
			 uint32_t tid, uint32_t pos)
{
	struct journal *j = r->j;
	struct revoke_entry *rev = revoke_find(r, tag->blocknr);
	struct buffer *b;
	int err;

	if (rev && tid_geq(rev->tid, tid)) {
		r->info.nr_revoked++;
		return;
	}
	err = journal_read_block(j, pos, r->data);
	if (err)
		goto fail;
	if (!journal_tag_csum_ok(j, tag, tid, r->data) ||
	    tag->blocknr >= j->dev_blocks || home_in_journal(j, tag->blocknr)) {
		pr_warn("journal: bad logged copy of block %llu (tid %u)\n",
			(unsigned long long)tag->blocknr, tid);
		r->info.nr_bad_blocks++;
		if (!r->error)
			r->error = -LOCAL_EFSBADCRC;
		return;
	}
	if (tag->flags & JBD2_FLAG_ESCAPE)
		put_be32(r->data, JBD2_MAGIC);
	b = buffer_get(j->bdev, tag->blocknr, j->block_size);
	if (IS_ERR(b)) {
		err = PTR_ERR(b);
		goto fail;
	}
	mutex_lock(&b->lock);
	memcpy(b->data, r->data, j->block_size);
	b->flags |= BUFFER_UPTODATE;
	buffer_mark_dirty(b);
	mutex_unlock(&b->lock);
	err = buffer_write(b);
	buffer_put(b);
	if (err)
		goto fail;
	r->info.nr_replayed++;
	return;
fail:
	if (!r->error)
		r->error = err;
}

/* Walk the tags of the descriptor in r->buf, whose data blocks follow
 * @pos; returns how many data blocks it describes. */
static uint32_t walk_descriptor(struct recovery *r, enum pass pass,
				uint32_t tid, uint32_t pos)
{
	struct journal *j = r->j;
	uint32_t off = sizeof(struct jbd2_header);
	uint32_t end = off + journal_tag_space(j);
	uint32_t n = 0;

	while (off < end) {
		struct journal_tag tag;
		uint32_t size = journal_tag_decode(j, r->buf + off, end - off,
						   &tag);

		if (!size)
			break;
		n++;
		if (pass == PASS_REPLAY)
			replay_block(r, &tag, tid,
				     journal_next_block(j, pos, n));
		off += size;
		if (tag.flags & JBD2_FLAG_LAST_TAG)
			break;
	}
	return n;
}

static int walk_revoke(struct recovery *r, uint32_t tid)
{
	struct journal *j = r->j;
	uint32_t rs = journal_revoke_record_size(j);
	uint32_t count = get_be32(r->buf + sizeof(struct jbd2_header));
	uint32_t limit = j->block_size -
		(journal_has_csum(j) ? JBD2_TAIL_SIZE : 0);

	if (count > limit)
		count = limit;
	for (uint32_t off = JBD2_REVOKE_HEADER_SIZE; off + rs <= count;
	     off += rs) {
		uint64_t blocknr = rs == 8
			? ((uint64_t)get_be32(r->buf + off) << 32) |
				get_be32(r->buf + off + 4)
			: get_be32(r->buf + off);
		int err = revoke_add(r, blocknr, tid);

		if (err)
			return err;
	}
	return 0;
}

/*
 * One walk.  PASS_SCAN sets r->end_tid; the others stop there.  Every
 * block is visited at most once: @budget counts down the log's length.
 *
 * Checksums in the scan, as jbd2 does: a bad commit block ends the log
 * (that transaction never committed).  A bad descriptor or revoke block
 * is judged by the commit block that follows: if that one is older than
 * the last good commit, the bad block is stale data from an earlier use
 * of the log and the log ends; if not, a committed transaction is
 * corrupt and recovery fails with -EBADMSG (EFSBADCRC) before writing
 * anything.
 */
static int walk(struct recovery *r, enum pass pass)
{
	struct journal *j = r->j;
	uint32_t pos = j->sb_start, tid = r->start_tid;
	uint32_t budget = j->nr_blocks - j->first;
	uint64_t last_commit_sec = 0;
	bool suspect = false;           /* a bad descriptor/revoke block */

	if (pass == PASS_SCAN)
		r->end_tid = tid;
	while (budget > 0) {
		uint32_t type;
		int err;

		if (pass != PASS_SCAN && tid == r->end_tid)
			break;
		err = journal_read_block(j, pos, r->buf);
		if (err)
			return err;
		if (get_be32(r->buf) != JBD2_MAGIC ||
		    get_be32(r->buf + 8) != tid)
			break;
		type = get_be32(r->buf + 4);
		budget--;
		if (type == JBD2_DESCRIPTOR_BLOCK || type == JBD2_REVOKE_BLOCK) {
			uint32_t n = 0;

			if (!journal_tail_csum_ok(j, r->buf)) {
				if (pass != PASS_SCAN)
					break;  /* not reached: scan ended */
				suspect = true;
			}
			if (type == JBD2_DESCRIPTOR_BLOCK) {
				n = walk_descriptor(r, suspect ? PASS_SCAN : pass,
						    tid, pos);
				if (n > budget)
					break;
				budget -= n;
			} else if (pass == PASS_REVOKE) {
				err = walk_revoke(r, tid);
				if (err)
					return err;
			}
			pos = journal_next_block(j, pos, n + 1);
		} else if (type == JBD2_COMMIT_BLOCK) {
			uint64_t sec = ((uint64_t)get_be32(r->buf + 0x30) << 32) |
				       get_be32(r->buf + 0x34);

			if (suspect) {
				if (sec >= last_commit_sec) {
					pr_warn("journal: transaction %u is "
						"corrupt\n", tid);
					return -LOCAL_EFSBADCRC;
				}
				break;          /* stale blocks: the end */
			}
			if (!journal_commit_csum_ok(j, r->buf))
				break;
			last_commit_sec = sec;
			pos = journal_next_block(j, pos, 1);
			tid++;
			if (pass == PASS_SCAN)
				r->end_tid = tid;
		} else {
			break;
		}
	}
	return 0;
}

int journal_recover(struct journal *j, struct journal_recovery_info *info)
{
	struct recovery r = { .j = j };
	int err = -ENOMEM;

	if (j->loaded)
		return -EBUSY;
	r.start_tid = r.end_tid = j->sb_sequence;
	r.info.start_tid = r.start_tid;
	if (!j->sb_start) {
		/* Clean: nothing to replay or to write. */
		j->next_tid = j->sb_sequence + 1;
		j->committed_tid = j->sb_sequence;
		r.info.end_tid = r.start_tid;
		if (info)
			*info = r.info;
		return 0;
	}
	r.buf = kmalloc(j->block_size);
	r.data = kmalloc(j->block_size);
	r.revokes = kzalloc(REVOKE_BUCKETS * sizeof(*r.revokes));
	if (!r.buf || !r.data || !r.revokes)
		goto out;
	err = walk(&r, PASS_SCAN);
	if (!err)
		err = walk(&r, PASS_REVOKE);
	if (!err)
		err = walk(&r, PASS_REPLAY);
	if (err)
		goto out;
	err = buffer_sync_device(j->bdev);
	r.info.end_tid = r.end_tid;
	r.info.nr_transactions = r.end_tid - r.start_tid;
	if (!err)
		err = r.error;
	if (err)
		goto out;       /* the log stays for fsck, as in jbd2 */
	/* Skip one tid past the end, as jbd2 does, so that no stale block
	 * of the old log can pass for the next transaction's. */
	err = journal_write_sb(j, 0, r.end_tid + 1);
	if (err)
		goto out;
	j->next_tid = r.end_tid + 1;
	j->committed_tid = r.end_tid;
out:
	if (info)
		*info = r.info;
	revoke_free_all(&r);
	kfree(r.buf);
	kfree(r.data);
	return err;
}
