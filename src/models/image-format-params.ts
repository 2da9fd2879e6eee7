/**
 * Measured figures of SquashFS compressors, used by image-format.ts. Source: Linux commit
 * 87bf54bb43dd ("squashfs: Add zstd support"), mksquashfs on the Ubuntu 16.10 desktop tree at
 * 128 KiB blocks; decompression timed as tar of the mounted tree to /dev/null in a 2-core VM.
 */

export type SquashfsAlgorithm = 'gzip' | 'lzo' | 'lz4' | 'xz' | 'zstd';

/**
 * Compression ratio of mksquashfs on an OS tree at 128 KiB blocks (Linux commit 87bf54bb43dd,
 * the Ubuntu 16.10 desktop tree; zstd at level 15). Used for every block size: the commit's
 * 256 KiB rows (xz 3.53, zstd-16 3.24) show only a few percent gain; set `ratio` to calibrate.
 */
export const SQUASHFS_RATIO: Readonly<Record<SquashfsAlgorithm, number>> = Object.freeze({
  gzip: 2.92,
  lzo: 2.64,
  lz4: 2.12,
  xz: 3.43,
  zstd: 3.13,
});

/**
 * Decompression throughput per core, bytes/s of uncompressed data (Linux commit 87bf54bb43dd:
 * time to tar the mounted tree to /dev/null, 2-core VM; MB taken as 1e6 bytes). gzip 128 MB/s,
 * xz 35 MB/s as in facts.md; lzo 217, lz4 218 and zstd-15 224 MB/s are that table's own rows
 * (facts.md rounds zstd to ~200 MB/s; 224 is the row matching the 3.13 ratio).
 */
export const SQUASHFS_DECOMPRESS_RATE: Readonly<Record<SquashfsAlgorithm, number>> = Object.freeze({
  gzip: 128e6,
  lzo: 217e6,
  lz4: 218e6,
  xz: 35e6,
  zstd: 224e6,
});
