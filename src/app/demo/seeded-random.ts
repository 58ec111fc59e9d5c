/**
 * A small seeded pseudo-random generator (sfc32) for the large demo data set: the same seed gives the
 * same data, byte for byte, on every machine. Not for anything secret.
 */
/**
 * mulberry32: a one-line generator of floats in [0, 1) for reproducible test traffic and bench data (the
 * crash test's seeds, the bench's scenarios and billing month). Kept apart from `SeededRandom` so that a
 * seed printed by an earlier run still replays the same sequence.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next32();
  }

  /** A uniform 32-bit unsigned integer. */
  next32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next32() / 4294967296;
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)] as T;
  }

  /** One of the keys, with probability proportional to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>;
    let r = this.float() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, w] of entries) {
      r -= w;
      if (r < 0) return key;
    }
    return (entries.at(-1) as [K, number])[0];
  }

  /** Log-normal-ish duration: mostly near `typical`, sometimes much longer (a long tail like real work). */
  minutes(typical: number, spread = 0.6): number {
    const u = Math.max(1e-9, this.float());
    const v = this.float();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return Math.max(1, Math.round(typical * Math.exp(normal * spread)));
  }

  private hex8(): string {
    const v = this.next32();
    return (
      (HEX[v >>> 24] as string) +
      (HEX[(v >>> 16) & 0xff] as string) +
      (HEX[(v >>> 8) & 0xff] as string) +
      (HEX[v & 0xff] as string)
    );
  }

  /**
   * A UUID laid out like version 7 (48-bit milliseconds first): rows made in time order get ids in
   * index order, so a bulk load appends to the B-trees instead of writing all over them.
   */
  uuidAt(ms: number): string {
    const t = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
    const r = this.hex8() + this.hex8() + this.hex8();
    const variant = ((parseInt(r[3] as string, 16) & 0x3) | 0x8).toString(16);
    return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(0, 3)}-${variant}${r.slice(4, 7)}-${r.slice(7, 19)}`;
  }
}
