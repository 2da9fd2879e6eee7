import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SQUASHFS_DECOMPRESS_RATE,
  SQUASHFS_RATIO,
  bootReadCost,
  fileCount,
  memoryBytes,
  mountTime,
  transferBytes,
  validateImage,
  writeTime,
  type ImageFormat,
  type SquashfsAlgorithm,
  type SquashfsImage,
} from '../../src/models/image-format.ts';

const KiB128 = 131072;
const ALGORITHMS: SquashfsAlgorithm[] = ['gzip', 'lzo', 'lz4', 'xz', 'zstd'];
const sq = (algorithm: SquashfsAlgorithm, sourceBytes: number, blockSize = KiB128, ratio?: number): SquashfsImage => ({
  kind: 'squashfs',
  sourceBytes,
  algorithm,
  blockSize,
  ratio,
});

describe('image formats: closed forms', () => {
  it('tree: its bytes and files, nothing to write or decompress', () => {
    const tree: ImageFormat = { kind: 'tree', bytes: 5.1e9, files: 150_000 };
    expect(transferBytes(tree)).toBe(5.1e9);
    expect(fileCount(tree)).toBe(150_000);
    expect(writeTime(tree)).toBe(0);
    expect(bootReadCost(tree, 2e8, 4)).toBe(0);
    expect(memoryBytes(tree)).toBe(0);
  });

  it('squashfs: the commit 87bf54bb43dd ratios give the transfer size; one file', () => {
    expect(transferBytes(sq('gzip', 2.92e9))).toBeCloseTo(1e9, 3);
    expect(transferBytes(sq('lzo', 2.64e9))).toBeCloseTo(1e9, 3);
    expect(transferBytes(sq('lz4', 2.12e9))).toBeCloseTo(1e9, 3);
    expect(transferBytes(sq('xz', 3.43e9))).toBeCloseTo(1e9, 3);
    expect(transferBytes(sq('zstd', 3.13e9))).toBeCloseTo(1e9, 3);
    expect(fileCount(sq('xz', 1e9))).toBe(1);
    expect(writeTime(sq('xz', 1e9))).toBe(0);
  });

  it("squashfs: a measured ratio overrides the table (KiERA: 5.1 GB tree to a 2 GB image)", () => {
    expect(transferBytes(sq('gzip', 5.1e9, KiB128, 2.55))).toBeCloseTo(2e9, 3);
  });

  it('squashfs: decompression rates per core (xz 35, gzip 128, lzo 217, lz4 218, zstd 224 MB/s)', () => {
    expect(SQUASHFS_DECOMPRESS_RATE).toEqual({ xz: 35e6, gzip: 128e6, lzo: 217e6, lz4: 218e6, zstd: 224e6 });
    expect(SQUASHFS_RATIO).toEqual({ gzip: 2.92, lzo: 2.64, lz4: 2.12, xz: 3.43, zstd: 3.13 });
  });

  it('squashfs: mountTime = whole blocks read / (rate x cores)', () => {
    const image = sq('xz', 1e10);
    const W = 1000 * KiB128; // 131,072,000 bytes
    expect(mountTime(image, W, 1)).toBeCloseTo(131.072e6 / 35e6, 12);
    expect(mountTime(image, W, 4)).toBeCloseTo(131.072e6 / 35e6 / 4, 12);
    // One byte still decompresses a whole 128 KiB block: 131072 / 128e6 s with gzip.
    expect(mountTime(sq('gzip', 1e10), 1, 1)).toBeCloseTo(KiB128 / 128e6, 15);
    // One byte past a block boundary costs a second block.
    expect(mountTime(sq('gzip', 1e10), KiB128 + 1, 1)).toBeCloseTo((2 * KiB128) / 128e6, 15);
    // Never more than the whole image: reading 1 GB of a 100 MB tree decompresses 100 MB.
    expect(mountTime(sq('zstd', 100e6), 1e9, 2)).toBeCloseTo(100e6 / 224e6 / 2, 12);
    expect(bootReadCost(image, W, 4)).toBe(mountTime(image, W, 4));
    expect(mountTime(image, 0, 1)).toBe(0);
  });

  it('disk: writeTime = bytes / writeRate; the working set is read back at readRate (default writeRate)', () => {
    const disk: ImageFormat = { kind: 'disk', bytes: 10e9, writeRate: 200e6 };
    expect(transferBytes(disk)).toBe(10e9);
    expect(fileCount(disk)).toBe(1);
    expect(writeTime(disk)).toBe(50);
    expect(bootReadCost(disk, 2e8, 8)).toBe(1);
    expect(bootReadCost({ ...disk, readRate: 500e6 }, 2e8, 8)).toBeCloseTo(0.4, 12);
    expect(mountTime(disk, 2e8, 1)).toBe(0);
  });

  it('overlay: writes cost nothing at deploy time but the upper layer lives in RAM; costs are the lower image\'s', () => {
    const bare: ImageFormat = { kind: 'overlay', upper: 'tmpfs', upperBytes: 3e8 };
    expect(transferBytes(bare)).toBe(0);
    expect(fileCount(bare)).toBe(0);
    expect(writeTime(bare)).toBe(0);
    expect(bootReadCost(bare, 2e8, 1)).toBe(0);
    expect(memoryBytes(bare)).toBe(3e8);
    const kiera: ImageFormat = { kind: 'overlay', upper: 'tmpfs', lower: sq('xz', 5.1e9, KiB128, 2.55) };
    expect(transferBytes(kiera)).toBeCloseTo(2e9, 3);
    expect(fileCount(kiera)).toBe(1);
    expect(writeTime(kiera)).toBe(0);
    expect(bootReadCost(kiera, 1000 * KiB128, 2)).toBeCloseTo(131.072e6 / 35e6 / 2, 12);
    expect(memoryBytes(kiera)).toBe(0);
  });

  it('malformed images are DT_IMAGE_BAD_FORMAT', () => {
    const bads: unknown[] = [
      { kind: 'tree', bytes: -1, files: 1 },
      { kind: 'tree', bytes: 1, files: 1.5 },
      { kind: 'squashfs', sourceBytes: 1, algorithm: 'bzip2', blockSize: KiB128 },
      { kind: 'squashfs', sourceBytes: 1, algorithm: 'xz', blockSize: 100_000 },
      { kind: 'squashfs', sourceBytes: 1, algorithm: 'xz', blockSize: 2048 },
      { kind: 'squashfs', sourceBytes: 1, algorithm: 'xz', blockSize: 2 * 1048576 },
      { kind: 'squashfs', sourceBytes: 1, algorithm: 'xz', blockSize: KiB128, ratio: 0.5 },
      { kind: 'disk', bytes: 1, writeRate: 0 },
      { kind: 'overlay', upper: 'ext4' },
      { kind: 'overlay', upper: 'tmpfs', lower: { kind: 'overlay', upper: 'tmpfs' } },
      { kind: 'qcow2' },
    ];
    for (const image of bads) expect(() => validateImage(image as ImageFormat)).toThrow(expect.objectContaining({ code: 'DT_IMAGE_BAD_FORMAT' }));
    expect(() => mountTime(sq('xz', 1e9), 1e6, 0)).toThrow(expect.objectContaining({ code: 'DT_IMAGE_BAD_FORMAT' }));
  });
});

const blockArb = fc.integer({ min: 12, max: 20 }).map((k) => 2 ** k);
const algArb = fc.constantFrom(...ALGORITHMS);

describe('image formats: properties', () => {
  it('a higher compression ratio never increases the transfer bytes', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), fc.double({ min: 1, max: 10, noNaN: true }), (source, r1, r2) => {
        const [lo, hi] = r1 <= r2 ? [r1, r2] : [r2, r1];
        expect(transferBytes(sq('xz', source, KiB128, hi))).toBeLessThanOrEqual(transferBytes(sq('xz', source, KiB128, lo)));
        expect(transferBytes(sq('xz', source, KiB128, hi))).toBeLessThanOrEqual(source);
      }),
    );
  });

  it('between algorithms, the one with the higher table ratio sends fewer bytes', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e12, noNaN: true }), algArb, algArb, (source, a, b) => {
        if (SQUASHFS_RATIO[a] <= SQUASHFS_RATIO[b]) expect(transferBytes(sq(b, source))).toBeLessThanOrEqual(transferBytes(sq(a, source)));
      }),
    );
  });

  it('decompression time is linear in whole blocks read and inversely proportional to cores', () => {
    fc.assert(
      fc.property(algArb, blockArb, fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 64 }), (alg, block, k1, k2, cores) => {
        const image = sq(alg, 1e13, block);
        const t = (blocks: number, c = cores) => mountTime(image, blocks * block, c);
        const perBlock = block / (SQUASHFS_DECOMPRESS_RATE[alg] * cores);
        expect(t(k1)).toBeCloseTo(k1 * perBlock, 9);
        expect(t(k1 + k2)).toBeCloseTo(t(k1) + t(k2), 9);
        expect(t(k1, 1)).toBeCloseTo(t(k1, cores) * cores, 9);
      }),
    );
  });

  it('mountTime grows with the bytes read, within one block of the exact byte count', () => {
    fc.assert(
      fc.property(algArb, blockArb, fc.double({ min: 0, max: 1e10, noNaN: true }), fc.double({ min: 0, max: 1e10, noNaN: true }), fc.integer({ min: 1, max: 16 }), (alg, block, w1, w2, cores) => {
        const image = sq(alg, 1e11, block);
        const [lo, hi] = w1 <= w2 ? [w1, w2] : [w2, w1];
        expect(mountTime(image, lo, cores)).toBeLessThanOrEqual(mountTime(image, hi, cores));
        const rate = SQUASHFS_DECOMPRESS_RATE[alg] * cores;
        expect(mountTime(image, lo, cores)).toBeGreaterThanOrEqual((lo / rate) * (1 - 1e-12));
        expect(mountTime(image, lo, cores)).toBeLessThanOrEqual(((lo + block) / rate) * (1 + 1e-12));
      }),
    );
  });

  it('an overlay costs exactly what its lower image costs, plus its upper layer in RAM', () => {
    fc.assert(
      fc.property(algArb, fc.double({ min: 0, max: 1e11, noNaN: true }), fc.double({ min: 0, max: 1e10, noNaN: true }), fc.double({ min: 0, max: 1e10, noNaN: true }), (alg, source, w, upper) => {
        const lower = sq(alg, source);
        const overlay: ImageFormat = { kind: 'overlay', upper: 'tmpfs', lower, upperBytes: upper };
        expect(transferBytes(overlay)).toBe(transferBytes(lower));
        expect(fileCount(overlay)).toBe(fileCount(lower));
        expect(writeTime(overlay)).toBe(writeTime(lower));
        expect(bootReadCost(overlay, w, 2)).toBe(bootReadCost(lower, w, 2));
        expect(memoryBytes(overlay)).toBe(upper);
      }),
    );
  });
});
