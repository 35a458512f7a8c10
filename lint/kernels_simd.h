/* The MinHash inner loop, compiled once per instruction set (SSE2, AVX2, AVX-512)
 * where the compiler can pick among them at load time (GCC and Clang on x86-64 Linux):
 * a wheel must run on any x86-64, and 16 lanes of 32-bit multiply-and-min are three
 * times faster than SSE2's emulated ones.  Elsewhere it is compiled once, plainly. */
#include <stdint.h>

#if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define DOCLINT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef DOCLINT_CLONES
#define DOCLINT_CLONES
#endif

/* MurmurHash3's 32-bit finaliser, as lint.minhash._fmix32. */
static inline uint32_t doclint_fmix32(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    return h ^ (h >> 16);
}

/* out[s * perms + p] = min over k in [offsets[s], offsets[s + 1]) of a[p] * x + b[p],
 * x = fmix32(shingles[k]), in 32-bit arithmetic (mod 2**32). */
DOCLINT_CLONES
static void doclint_minhash_rows(const uint32_t *shingles, const int64_t *offsets, int64_t sets,
                                 const uint32_t *a, const uint32_t *b, int64_t perms, uint32_t *out)
{
    for (int64_t s = 0; s < sets; s++) {
        uint32_t *row = out + s * perms;
        for (int64_t p = 0; p < perms; p++)
            row[p] = 0xFFFFFFFFu;
        for (int64_t k = offsets[s]; k < offsets[s + 1]; k++) {
            const uint32_t x = doclint_fmix32(shingles[k]);
            for (int64_t p = 0; p < perms; p++) {
                const uint32_t v = a[p] * x + b[p];
                row[p] = v < row[p] ? v : row[p];
            }
        }
    }
}
