import { createCipheriv, createHmac } from "node:crypto";

/**
 * Turns a tenant's IUV counter into an IUV base nobody can guess: a keyed permutation
 * (format-preserving encryption by a balanced Feistel network with cycle-walking), so
 * consecutive counter values give bases with no visible order, while distinct counter values
 * can never give the same base (a permutation, unlike a random draw, cannot collide).
 *
 * New bases live in [NEW_BASE_OFFSET, 10^13): bases issued sequentially before (1, 2, 3, …)
 * are far below 10^12 and stay valid and distinct from every new one.
 */
export const NEW_BASE_OFFSET = 1_000_000_000_000n;
/** Counter values the permutation accepts: [0, PERMUTED_DOMAIN). */
export const PERMUTED_DOMAIN = 10_000_000_000_000n - NEW_BASE_OFFSET;

const ROUNDS = 10;

/**
 * A keyed permutation of [0, domain) for domains up to 2^52: `permute` is a bijection for any key.
 * The round function is AES-128 (one ECB block per value and round, all the values of a batch
 * in one call), so allocating thousands of numbers costs milliseconds, not seconds.
 */
export class FeistelPermutation {
  private readonly size: number;
  private readonly halfBits: number;
  private readonly half: number;
  private readonly cipher: ReturnType<typeof createCipheriv>;

  constructor(
    key: Buffer,
    readonly domain: bigint,
  ) {
    if (domain < 4n || domain > 2n ** 52n) throw new RangeError("domain out of range");
    this.size = Number(domain);
    // The smallest even bit width covering the domain: cycle-walking takes fewer than 4 steps on average.
    let bits = 2;
    while (2 ** bits < this.size) bits += 2;
    this.halfBits = bits / 2;
    this.half = 2 ** this.halfBits;
    this.cipher = createCipheriv(
      "aes-128-ecb",
      createHmac("sha256", key).update("iuv feistel rounds").digest().subarray(0, 16),
      null,
    );
    this.cipher.setAutoPadding(false);
  }

  /** One pass of the network over every value (not yet walked back into the domain). */
  private encrypt(values: number[]): number[] {
    const n = values.length;
    const left = values.map((v) => Math.floor(v / this.half));
    const right = values.map((v) => v % this.half);
    const block = Buffer.alloc(16 * n);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < n; k++) {
        block.writeUInt8(round, 16 * k);
        block.writeUInt32BE(right[k]!, 16 * k + 1);
      }
      const out = this.cipher.update(block);
      for (let k = 0; k < n; k++) {
        const f = out.readUInt32BE(16 * k) % this.half;
        const next = (left[k]! ^ f) >>> 0;
        left[k] = right[k]!;
        right[k] = next;
      }
    }
    return left.map((l, k) => l * this.half + right[k]!);
  }

  /** The images of `xs` (each 0 ≤ x < domain), walking each cycle back into the domain. */
  permuteMany(xs: readonly bigint[]): bigint[] {
    for (const x of xs) if (x < 0n || x >= this.domain) throw new RangeError(`${x} is outside [0, ${this.domain})`);
    const out = new Array<number>(xs.length);
    let pending = xs.map((x, index) => ({ index, value: Number(x) }));
    while (pending.length) {
      const values = this.encrypt(pending.map((p) => p.value));
      const again: typeof pending = [];
      pending.forEach((p, k) => {
        if (values[k]! < this.size) out[p.index] = values[k]!;
        else again.push({ index: p.index, value: values[k]! });
      });
      pending = again;
    }
    return out.map((v) => BigInt(v));
  }

  permute(x: bigint): bigint {
    return this.permuteMany([x])[0]!;
  }
}

/** The key of one tenant's permutation, derived from the platform secret. */
export function tenantIuvKey(platformSecret: string, tenantId: string): Buffer {
  return createHmac("sha256", platformSecret).update(`iuv-permutation\n${tenantId}`).digest();
}

/**
 * The IUV bases of a tenant's counter values; one permutation object per call, so its round keys
 * are derived once per allocation however many numbers it asks for.
 */
export function iuvBasesOf(platformSecret: string, tenantId: string, counters: bigint[]): bigint[] {
  const permutation = new FeistelPermutation(tenantIuvKey(platformSecret, tenantId), PERMUTED_DOMAIN);
  return permutation.permuteMany(counters).map((p) => NEW_BASE_OFFSET + p);
}
