/* BLAKE2b (RFC 7693), unkeyed, of byte spans, for the duplicate-paragraph digests: the
 * same bytes as Python's hashlib.blake2b(data, digest_size=n).  One message's
 * compression is a single chain of dependent steps, so hashlib's reference C was the
 * largest single cost of the duplicate-paragraph signature; with AVX2 (checked once, at
 * the first call) four paragraphs are hashed at a time, one in each 64-bit lane, which
 * is three times the throughput.  Without it, one at a time in plain C. */
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DOCLINT_BLAKE2B_AVX2 1
#include <immintrin.h>
#endif

static const uint64_t doclint_blake2b_iv[8] = {
    0x6A09E667F3BCC908ULL, 0xBB67AE8584CAA73BULL, 0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL,
    0x510E527FADE682D1ULL, 0x9B05688C2B3E6C1FULL, 0x1F83D9ABFB41BD6BULL, 0x5BE0CD19137E2179ULL,
};

/* The message permutations; round r (of 12) takes row r % 10. */
static const uint8_t doclint_blake2b_sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static inline uint64_t doclint_rotr64(uint64_t x, int n) { return (x >> n) | (x << (64 - n)); }

/* The first word of the chain value: the IV's, with the parameters of an unkeyed hash of
 * outlen bytes (digest length, no key, fanout 1, depth 1). */
static inline uint64_t doclint_blake2b_first_word(size_t outlen)
{
    return doclint_blake2b_iv[0] ^ 0x01010000ULL ^ (uint64_t)outlen;
}

static inline uint64_t doclint_load64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

/* One round with G (a word of the state at a time, or four messages' at once): the
 * four columns, then the four diagonals, with the words the round's permutation s picks. */
#define DOCLINT_ROUND(G, s)                                   \
    do {                                                      \
        G(0, 4, 8, 12, m[(s)[0]], m[(s)[1]]);                 \
        G(1, 5, 9, 13, m[(s)[2]], m[(s)[3]]);                 \
        G(2, 6, 10, 14, m[(s)[4]], m[(s)[5]]);                \
        G(3, 7, 11, 15, m[(s)[6]], m[(s)[7]]);                \
        G(0, 5, 10, 15, m[(s)[8]], m[(s)[9]]);                \
        G(1, 6, 11, 12, m[(s)[10]], m[(s)[11]]);              \
        G(2, 7, 8, 13, m[(s)[12]], m[(s)[13]]);               \
        G(3, 4, 9, 14, m[(s)[14]], m[(s)[15]]);               \
    } while (0)

#define DOCLINT_G(a, b, c, d, x, y)                \
    do {                                            \
        v[a] = v[a] + v[b] + (x);                   \
        v[d] = doclint_rotr64(v[d] ^ v[a], 32);     \
        v[c] = v[c] + v[d];                         \
        v[b] = doclint_rotr64(v[b] ^ v[c], 24);     \
        v[a] = v[a] + v[b] + (y);                   \
        v[d] = doclint_rotr64(v[d] ^ v[a], 16);     \
        v[c] = v[c] + v[d];                         \
        v[b] = doclint_rotr64(v[b] ^ v[c], 63);     \
    } while (0)

static void doclint_blake2b_compress_plain(uint64_t h[8], const uint8_t *block, uint64_t t, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++)
        m[i] = doclint_load64(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = doclint_blake2b_iv[i];
    }
    v[12] ^= t;  /* the counter's high word stays 0: no message here reaches 2**64 bytes */
    if (last)
        v[14] = ~v[14];
    for (int r = 0; r < 12; r++) {
        DOCLINT_ROUND(DOCLINT_G, doclint_blake2b_sigma[r % 10]);
    }
    for (int i = 0; i < 8; i++)
        h[i] ^= v[i] ^ v[i + 8];
}

/* out[0 .. outlen) = BLAKE2b-(8 * outlen) of data[0 .. len), unkeyed; 1 <= outlen <= 64. */
static void doclint_blake2b(const uint8_t *data, size_t len, uint8_t *out, size_t outlen)
{
    uint64_t h[8];
    uint8_t block[128];
    h[0] = doclint_blake2b_first_word(outlen);
    for (int i = 1; i < 8; i++)
        h[i] = doclint_blake2b_iv[i];
    uint64_t t = 0;
    while (len > 128) {
        t += 128;
        doclint_blake2b_compress_plain(h, data, t, 0);
        data += 128;
        len -= 128;
    }
    memset(block, 0, sizeof block);
    if (len)
        memcpy(block, data, len);
    t += len;
    doclint_blake2b_compress_plain(h, block, t, 1);
    for (size_t i = 0; i < outlen; i++)
        out[i] = (uint8_t)(h[i / 8] >> (8 * (i % 8)));
}

#ifdef DOCLINT_BLAKE2B_AVX2
/* Four messages at once, one in each 64-bit lane: every word of the state is a register
 * of four, so G runs on four independent chains, where one message's compression is a
 * single chain of dependent steps.  A lane whose message ends takes the next one. */
#define DOCLINT_V_ROT32(x) _mm256_shuffle_epi32((x), _MM_SHUFFLE(2, 3, 0, 1))
#define DOCLINT_V_ROT24(x) _mm256_shuffle_epi8((x), r24)
#define DOCLINT_V_ROT16(x) _mm256_shuffle_epi8((x), r16)
#define DOCLINT_V_ROT63(x) _mm256_or_si256(_mm256_srli_epi64((x), 63), _mm256_add_epi64((x), (x)))
#define DOCLINT_VG(a, b, c, d, x, y)                                                 \
    do {                                                                              \
        v[a] = _mm256_add_epi64(_mm256_add_epi64(v[a], v[b]), (x));                   \
        v[d] = DOCLINT_V_ROT32(_mm256_xor_si256(v[d], v[a]));                         \
        v[c] = _mm256_add_epi64(v[c], v[d]);                                          \
        v[b] = DOCLINT_V_ROT24(_mm256_xor_si256(v[b], v[c]));                         \
        v[a] = _mm256_add_epi64(_mm256_add_epi64(v[a], v[b]), (y));                   \
        v[d] = DOCLINT_V_ROT16(_mm256_xor_si256(v[d], v[a]));                         \
        v[c] = _mm256_add_epi64(v[c], v[d]);                                          \
        v[b] = DOCLINT_V_ROT63(_mm256_xor_si256(v[b], v[c]));                         \
    } while (0)

__attribute__((target("avx2")))
static void doclint_blake2b_many_avx2(const uint8_t *base, const int64_t *starts, const int64_t *lens,
                                      int64_t count, size_t outlen, uint8_t *out)
{
    const __m256i r24 = _mm256_setr_epi8(3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10,
                                         3, 4, 5, 6, 7, 0, 1, 2, 11, 12, 13, 14, 15, 8, 9, 10);
    const __m256i r16 = _mm256_setr_epi8(2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9,
                                         2, 3, 4, 5, 6, 7, 0, 1, 10, 11, 12, 13, 14, 15, 8, 9);
    uint64_t H[8][4] __attribute__((aligned(32)));
    uint64_t T[4] __attribute__((aligned(32))) = {0, 0, 0, 0};
    uint64_t LAST[4] __attribute__((aligned(32)));
    uint8_t pad[4][128];
    const uint8_t *ptr[4] = {0, 0, 0, 0}, *blk[4];
    int64_t left[4] = {0, 0, 0, 0}, msg[4] = {-1, -1, -1, -1}, next = 0;
    static const uint8_t zeros[128];
    const uint64_t first = doclint_blake2b_first_word(outlen);
    for (;;) {
        int busy = 0;
        for (int l = 0; l < 4; l++) {
            if (msg[l] < 0 && next < count) {  /* an idle lane takes the next message */
                msg[l] = next;
                ptr[l] = base + starts[next];
                left[l] = lens[next];
                next++;
                T[l] = 0;
                H[0][l] = first;
                for (int i = 1; i < 8; i++)
                    H[i][l] = doclint_blake2b_iv[i];
            }
            LAST[l] = 0;
            if (msg[l] < 0) {
                blk[l] = zeros;  /* nothing left to take: computed, never read */
                continue;
            }
            busy = 1;
            if (left[l] > 128) {
                blk[l] = ptr[l];
                T[l] += 128;
                ptr[l] += 128;
                left[l] -= 128;
            } else {
                memset(pad[l], 0, 128);
                if (left[l])
                    memcpy(pad[l], ptr[l], (size_t)left[l]);
                blk[l] = pad[l];
                T[l] += (uint64_t)left[l];
                left[l] = 0;
                LAST[l] = ~(uint64_t)0;
            }
        }
        if (!busy)
            break;
        __m256i m[16], v[16];
        for (int j = 0; j < 16; j += 4) {  /* words j..j+3 of the four blocks, transposed */
            const __m256i b0 = _mm256_loadu_si256((const __m256i *)(blk[0] + 8 * j));
            const __m256i b1 = _mm256_loadu_si256((const __m256i *)(blk[1] + 8 * j));
            const __m256i b2 = _mm256_loadu_si256((const __m256i *)(blk[2] + 8 * j));
            const __m256i b3 = _mm256_loadu_si256((const __m256i *)(blk[3] + 8 * j));
            const __m256i t0 = _mm256_unpacklo_epi64(b0, b1), t1 = _mm256_unpackhi_epi64(b0, b1);
            const __m256i t2 = _mm256_unpacklo_epi64(b2, b3), t3 = _mm256_unpackhi_epi64(b2, b3);
            m[j] = _mm256_permute2x128_si256(t0, t2, 0x20);
            m[j + 1] = _mm256_permute2x128_si256(t1, t3, 0x20);
            m[j + 2] = _mm256_permute2x128_si256(t0, t2, 0x31);
            m[j + 3] = _mm256_permute2x128_si256(t1, t3, 0x31);
        }
        for (int i = 0; i < 8; i++) {
            v[i] = _mm256_load_si256((const __m256i *)H[i]);
            v[i + 8] = _mm256_set1_epi64x((int64_t)doclint_blake2b_iv[i]);
        }
        v[12] = _mm256_xor_si256(v[12], _mm256_load_si256((const __m256i *)T));
        v[14] = _mm256_xor_si256(v[14], _mm256_load_si256((const __m256i *)LAST));
        for (int r = 0; r < 12; r++) {
            DOCLINT_ROUND(DOCLINT_VG, doclint_blake2b_sigma[r % 10]);
        }
        for (int i = 0; i < 8; i++) {
            const __m256i hv = _mm256_load_si256((const __m256i *)H[i]);
            _mm256_store_si256((__m256i *)H[i], _mm256_xor_si256(hv, _mm256_xor_si256(v[i], v[i + 8])));
        }
        for (int l = 0; l < 4; l++) {
            if (!LAST[l])
                continue;
            uint8_t *o = out + (size_t)msg[l] * outlen;
            for (size_t i = 0; i < outlen; i++)
                o[i] = (uint8_t)(H[i / 8][l] >> (8 * (i % 8)));
            msg[l] = -1;
        }
    }
}
#endif

/* out[k * outlen ..] = BLAKE2b-(8 * outlen) of base[starts[k] .. starts[k] + lens[k]),
 * for every k < count: four at a time where the CPU has AVX2, else one by one. */
static void doclint_blake2b_many(const uint8_t *base, const int64_t *starts, const int64_t *lens,
                                 int64_t count, size_t outlen, uint8_t *out)
{
#ifdef DOCLINT_BLAKE2B_AVX2
    static int avx2 = -1;
    if (avx2 < 0) {
        __builtin_cpu_init();
        avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    if (avx2 && count > 1) {
        doclint_blake2b_many_avx2(base, starts, lens, count, outlen, out);
        return;
    }
#endif
    for (int64_t k = 0; k < count; k++)
        doclint_blake2b(base + starts[k], (size_t)lens[k], out + (size_t)k * outlen, outlen);
}
