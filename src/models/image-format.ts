/**
 * Root image formats and what each costs a deployment: the bytes and files to send, the node-side
 * time to write the image and to read the boot's working set from it, and the RAM it pins.
 *
 * - tree: individual files (BCM's rsync'd root): many files, no decompression;
 * - squashfs: one compressed read-only file (KiERA): fewer bytes to send, decompression at read;
 * - disk: a raw disk image written to the node's local disk (dd-style), read back at boot;
 * - overlay: a tmpfs upper layer over a read-only lower image (KiERA's SquashFS + OverlayFS):
 *   writes cost nothing at deploy time, but they live in the node's RAM.
 *
 * Pure functions: a model that sends or boots an image asks these for its sizes and costs. A
 * node's time after the last byte arrives is writeTime(image) + bootReadCost(image, W, cores).
 */
import { UsageError, ErrorCodes } from '../errors.ts';
import { SQUASHFS_DECOMPRESS_RATE, SQUASHFS_RATIO, type SquashfsAlgorithm } from './image-format-params.ts';

export { SQUASHFS_DECOMPRESS_RATE, SQUASHFS_RATIO, type SquashfsAlgorithm };

/** A plain file tree. */
export interface TreeImage {
  kind: 'tree';
  /** Bytes of file data. */
  bytes: number;
  /** Number of files. */
  files: number;
}

/** A SquashFS image of a tree. */
export interface SquashfsImage {
  kind: 'squashfs';
  /** Bytes of the uncompressed tree. */
  sourceBytes: number;
  algorithm: SquashfsAlgorithm;
  /** mksquashfs -b, bytes: a power of two from 4 KiB to 1 MiB (default 128 KiB). */
  blockSize: number;
  /**
   * Compression ratio (source / image) measured for this tree, overriding the algorithm's table
   * value (e.g. KiERA's RHEL 7.9 root: 5.1 GB to 2 GB, 2.55).
   */
  ratio?: number;
}

/** A raw disk image written to the node's local disk. */
export interface DiskImage {
  kind: 'disk';
  bytes: number;
  /** Bytes/s the node's disk writes at. */
  writeRate: number;
  /** Bytes/s it reads back at boot. Default writeRate (a disk reads at least as fast as it writes). */
  readRate?: number;
}

/** An overlay: a tmpfs upper layer, over an optional read-only lower image. */
export interface OverlayImage {
  kind: 'overlay';
  upper: 'tmpfs';
  /** The read-only image below (usually squashfs); its costs are the overlay's. */
  lower?: ImageFormat;
  /** Bytes written into the upper layer while the node runs; they occupy its RAM. Default 0. */
  upperBytes?: number;
}

export type ImageFormat = TreeImage | SquashfsImage | DiskImage | OverlayImage;

function bad(what: string): UsageError {
  return new UsageError(ErrorCodes.IMAGE_BAD_FORMAT, `image format: ${what}`);
}

function nonNegative(name: string, v: number): void {
  if (!(v >= 0) || v === Infinity) throw bad(`${name} must be a finite number >= 0, got ${v}`);
}

/** Throws DT_IMAGE_BAD_FORMAT if the image is malformed. */
export function validateImage(image: ImageFormat): void {
  switch (image.kind) {
    case 'tree':
      nonNegative('tree bytes', image.bytes);
      if (!(Number.isInteger(image.files) && image.files >= 0)) throw bad(`tree files must be an integer >= 0, got ${image.files}`);
      return;
    case 'squashfs': {
      nonNegative('squashfs sourceBytes', image.sourceBytes);
      if (!(image.algorithm in SQUASHFS_RATIO)) throw bad(`unknown squashfs algorithm "${String(image.algorithm)}" (gzip, lzo, lz4, xz, zstd)`);
      const b = image.blockSize;
      if (!(Number.isInteger(b) && b >= 4096 && b <= 1048576 && (b & (b - 1)) === 0)) throw bad(`squashfs blockSize must be a power of two from 4096 to 1048576 bytes, got ${b}`);
      if (image.ratio !== undefined && !(image.ratio >= 1 && image.ratio < Infinity)) throw bad(`squashfs ratio must be a finite number >= 1, got ${image.ratio}`);
      return;
    }
    case 'disk':
      nonNegative('disk bytes', image.bytes);
      if (!(image.writeRate > 0)) throw bad(`disk writeRate must be > 0 bytes/s, got ${image.writeRate}`);
      if (image.readRate !== undefined && !(image.readRate > 0)) throw bad(`disk readRate must be > 0 bytes/s, got ${image.readRate}`);
      return;
    case 'overlay':
      if (image.upper !== 'tmpfs') throw bad(`overlay upper layer must be 'tmpfs', got ${String(image.upper)}`);
      if (image.upperBytes !== undefined) nonNegative('overlay upperBytes', image.upperBytes);
      if (image.lower?.kind === 'overlay') throw bad('an overlay cannot sit directly on another overlay');
      if (image.lower) validateImage(image.lower);
      return;
    default:
      throw bad(`unknown kind "${String((image as { kind: unknown }).kind)}"`);
  }
}

/** The compression ratio a squashfs image gets (its own `ratio`, else the algorithm's). */
export function squashfsRatio(image: SquashfsImage): number {
  return image.ratio ?? SQUASHFS_RATIO[image.algorithm];
}

/** Bytes to send to a node. A squashfs is sourceBytes / ratio; an overlay sends only its lower image. */
export function transferBytes(image: ImageFormat): number {
  validateImage(image);
  switch (image.kind) {
    case 'tree':
      return image.bytes;
    case 'squashfs':
      return image.sourceBytes / squashfsRatio(image);
    case 'disk':
      return image.bytes;
    case 'overlay':
      return image.lower ? transferBytes(image.lower) : 0;
  }
}

/** Files to send (what per-file costs scale with): the tree's count, 1 for an image file. */
export function fileCount(image: ImageFormat): number {
  validateImage(image);
  switch (image.kind) {
    case 'tree':
      return image.files;
    case 'squashfs':
    case 'disk':
      return 1;
    case 'overlay':
      return image.lower ? fileCount(image.lower) : 0;
  }
}

/** Seconds to write the received image to where it is used: a disk image to the local disk; else 0. */
export function writeTime(image: ImageFormat): number {
  validateImage(image);
  if (image.kind === 'disk') return image.bytes / image.writeRate;
  if (image.kind === 'overlay') return image.lower ? writeTime(image.lower) : 0;
  return 0;
}

/**
 * Seconds of decompression to read `bytesReadAtBoot` bytes (uncompressed) from a squashfs image on
 * `cores` cores. SquashFS decompresses whole blocks, so the read is rounded up to whole blocks
 * (never beyond the image); with the per-CPU decompressor (SQUASHFS_DECOMP_MULTI_PERCPU) a boot's
 * parallel readers spread over the cores, hence the division by `cores` (use 1 for the single
 * decompressor). 0 for a format that is not compressed.
 */
export function mountTime(image: ImageFormat, bytesReadAtBoot: number, cores: number): number {
  validateImage(image);
  nonNegative('bytesReadAtBoot', bytesReadAtBoot);
  if (!(Number.isInteger(cores) && cores >= 1)) throw bad(`cores must be an integer >= 1, got ${cores}`);
  if (image.kind === 'overlay') return image.lower ? mountTime(image.lower, bytesReadAtBoot, cores) : 0;
  if (image.kind !== 'squashfs') return 0;
  const blocks = Math.ceil(Math.min(bytesReadAtBoot, image.sourceBytes) / image.blockSize);
  const decompressed = Math.min(blocks * image.blockSize, image.sourceBytes);
  return decompressed / (SQUASHFS_DECOMPRESS_RATE[image.algorithm] * cores);
}

/**
 * Seconds the node spends at boot to read a working set of `workingSetBytes` from the image, once
 * it is in place: decompression for a squashfs (mountTime), reading back from the local disk for a
 * disk image, nothing for a tree (uncompressed, in RAM or page cache) or a bare overlay. Writing a
 * disk image beforehand is writeTime(), not counted here.
 */
export function bootReadCost(image: ImageFormat, workingSetBytes: number, cores: number): number {
  validateImage(image);
  nonNegative('workingSetBytes', workingSetBytes);
  switch (image.kind) {
    case 'tree':
      return 0;
    case 'squashfs':
      return mountTime(image, workingSetBytes, cores);
    case 'disk':
      return Math.min(workingSetBytes, image.bytes) / (image.readRate ?? image.writeRate);
    case 'overlay':
      return image.lower ? bootReadCost(image.lower, workingSetBytes, cores) : 0;
  }
}

/**
 * RAM the format itself pins on the node, bytes: the tmpfs upper layer of an overlay (its
 * upperBytes). Other formats pin none here; a diskless node that keeps a downloaded image in RAM
 * (KiERA loop-mounts its SquashFS from RAM) adds transferBytes(image) itself.
 */
export function memoryBytes(image: ImageFormat): number {
  validateImage(image);
  // The lower layer is never an overlay (validateImage), so it pins nothing itself.
  return image.kind === 'overlay' ? (image.upperBytes ?? 0) : 0;
}
