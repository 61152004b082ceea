/**
 * A small seeded PRNG for the synthetic trace generator: xoshiro128** (Blackman & Vigna,
 * https://prng.di.unimi.it/), seeded through a splitmix32-style mixer.
 *
 * Why not mulberry32: its state is 32 bits, so a 64-bit span id built from two consecutive
 * outputs can only take 2^32 values and a million spans would collide about a hundred times.
 * xoshiro128** keeps 128 bits of state, which makes such collisions negligible.
 */
const BYTE_HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

export class Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(seed: number) {
    let x = seed >>> 0
    const mix = (): number => {
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.s0 = mix()
    this.s1 = mix()
    this.s2 = mix()
    this.s3 = mix()
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1
  }

  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0
    const t = this.s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= this.s1
    this.s1 ^= this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error('pick from an empty list')
    return item
  }

  /** Picks by weight; `weights[i]` belongs to `items[i]`. */
  pickWeighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0
    for (const w of weights) total += w
    let r = this.next() * total
    for (let i = 0; i < items.length; i++) {
      r -= weights[i] ?? 0
      if (r < 0) return items[i] as T
    }
    return items[items.length - 1] as T
  }

  /** Lower-case hex of `words` random 32-bit words, never all zeros (an all-zero id means "absent"). */
  hex(words: number): string {
    for (;;) {
      let out = ''
      let isZero = true
      for (let i = 0; i < words; i++) {
        const w = this.nextUint32()
        if (w !== 0) isZero = false
        out +=
          (BYTE_HEX[w >>> 24] as string) + (BYTE_HEX[(w >>> 16) & 0xff] as string) + (BYTE_HEX[(w >>> 8) & 0xff] as string) + (BYTE_HEX[w & 0xff] as string)
      }
      if (!isZero) return out
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}

/** Turns a `--seed` argument into a 32-bit seed: decimal integers map to themselves, other text is hashed (FNV-1a). */
export function parseSeed(text: string): number {
  if (/^\d+$/.test(text)) return Number(BigInt(text) & 0xffffffffn)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
