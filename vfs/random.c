/*
 * Kernel random numbers: a ChaCha20-based generator with fast key
 * erasure.  The 256-bit key is seeded from RDSEED/RDRAND when CPUID
 * reports them, TSC jitter and the RTC.  Writes to /dev/random mix data
 * in.
 *
 * Small requests (exec's AT_RANDOM and ASLR offsets, socket names) come
 * from a pool: one block under the current key, its nonce carrying the
 * TSC, gives a new key (its first half) and the pool (its second half);
 * bytes leave the pool once and are wiped as they go.  Large requests
 * first replace the key with a TSC-mixed one, generate their blocks under
 * it, and replace it again at the end.  Either way the key that produced
 * some output is gone before that output leaves, so earlier output
 * cannot be recomputed from a later state.
 *
 * Locking: rng_lock (spinlock, leaf) protects the key, counter and pool;
 * output is produced in 64-byte pieces outside user copies.
 */
#include "vfs/internal.h"
#include "cpu/x86.h"
#include "include/errno.h"
#include "lib/chacha20.h"
#include "lib/printk.h"
#include "lib/string.h"
#include "time/clock.h"

static struct spinlock rng_lock = SPINLOCK_INIT("random");
static uint8_t rng_key[CHACHA20_KEY_SIZE];     /* [rng_lock] */
static uint64_t rng_counter;                    /* [rng_lock] */
/* Unused output for small requests: the last rng_pool_left bytes. */
static uint8_t rng_pool[CHACHA20_BLOCK_SIZE - CHACHA20_KEY_SIZE]; /* [rng_lock] */
static size_t rng_pool_left;                    /* [rng_lock] */

static bool cpu_has_rdrand(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1u << 30);
}

static bool cpu_has_rdseed(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return false;
	cpuid(7, 0, &a, &b, &c, &d);
	return b & (1u << 18);
}

static bool hw_random(uint64_t *v, bool seed)
{
	for (int tries = 0; tries < 10; tries++) {
		uint8_t ok;

		if (seed)
			__asm__ __volatile__("rdseed %0; setc %1"
					     : "=r"(*v), "=qm"(ok));
		else
			__asm__ __volatile__("rdrand %0; setc %1"
					     : "=r"(*v), "=qm"(ok));
		if (ok)
			return true;
	}
	return false;
}

/* Fold @len bytes into the key: key = ChaCha20(key ^ data, ...). */
static void mix_locked(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint8_t block[CHACHA20_BLOCK_SIZE], nonce[CHACHA20_NONCE_SIZE] = { 0 };

	while (len) {
		size_t n = MIN(len, sizeof(rng_key));

		for (size_t i = 0; i < n; i++)
			rng_key[i] ^= p[i];
		nonce[0] ^= 0x5a;
		chacha20_block(rng_key, (uint32_t)rng_counter++, nonce, block);
		memcpy(rng_key, block, sizeof(rng_key));
		p += n;
		len -= n;
	}
	memset(block, 0, sizeof(block));
}

void random_mix(const void *data, size_t len)
{
	uint64_t irq = spin_lock_irqsave(&rng_lock);

	mix_locked(data, len);
	spin_unlock_irqrestore(&rng_lock, irq);
}

void random_init(void)
{
	bool seed = cpu_has_rdseed(), rand = cpu_has_rdrand();
	uint64_t v[16];
	int hw = 0;

	for (int i = 0; i < 16; i++) {
		uint64_t t0 = rdtsc();

		v[i] = t0;
		if ((seed && hw_random(&v[i], true)) ||
		    (rand && hw_random(&v[i], false)))
			hw++;
		/* TSC jitter around a short busy wait. */
		clock_busy_wait_ns(1000);
		v[i] ^= (rdtsc() - t0) << 32 ^ rdtsc();
	}
	v[0] ^= (uint64_t)clock_boot_epoch_seconds();
	random_mix(v, sizeof(v));
	memset(v, 0, sizeof(v));
	pr_info("random: seeded from %s, TSC jitter and the RTC\n",
		hw ? (seed ? "RDSEED" : "RDRAND") : "no CPU generator");
}

/* One block under the current key (TSC in the nonce): the new key and a
 * full pool (rng_lock held). */
static void pool_refill_locked(void)
{
	uint8_t block[CHACHA20_BLOCK_SIZE], nonce[CHACHA20_NONCE_SIZE] = { 3 };
	uint64_t t = rdtsc();

	memcpy(nonce + 4, &t, sizeof(t));
	chacha20_block(rng_key, (uint32_t)rng_counter++, nonce, block);
	memcpy(rng_key, block, sizeof(rng_key));        /* key erasure */
	memcpy(rng_pool, block + sizeof(rng_key), sizeof(rng_pool));
	rng_pool_left = sizeof(rng_pool);
	memset(block, 0, sizeof(block));
}

/* A small request from the pool (rng_lock held). */
static void pool_take_locked(uint8_t *out, size_t len)
{
	while (len) {
		size_t n;

		if (!rng_pool_left)
			pool_refill_locked();
		n = MIN(len, rng_pool_left);
		rng_pool_left -= n;
		memcpy(out, rng_pool + rng_pool_left, n);
		memset(rng_pool + rng_pool_left, 0, n);
		out += n;
		len -= n;
	}
}

void random_get_bytes(void *buf, size_t len)
{
	uint8_t block[CHACHA20_BLOCK_SIZE], nonce[CHACHA20_NONCE_SIZE] = { 1 };
	uint8_t *out = buf;
	uint64_t irq, t = rdtsc();

	irq = spin_lock_irqsave(&rng_lock);
	if (len <= sizeof(rng_pool)) {
		pool_take_locked(out, len);
		spin_unlock_irqrestore(&rng_lock, irq);
		return;
	}
	mix_locked(&t, sizeof(t));              /* erases the old key too */
	while (len) {
		size_t n = MIN(len, sizeof(block));

		memcpy(nonce + 4, &rng_counter, sizeof(rng_counter));
		chacha20_block(rng_key, (uint32_t)rng_counter++, nonce, block);
		memcpy(out, block, n);
		out += n;
		len -= n;
	}
	nonce[0] = 2;
	chacha20_block(rng_key, (uint32_t)rng_counter++, nonce, block);
	memcpy(rng_key, block, sizeof(rng_key));        /* key erasure */
	spin_unlock_irqrestore(&rng_lock, irq);
	memset(block, 0, sizeof(block));
}
