/**
 * Publishing image files (kernel, initrd, rootfs) where nodes can download them. Implementations:
 * the twin (sizes only, no bytes), the project's fastify artifact server, an existing web server.
 */
export type RootfsFormat = 'tree' | 'squashfs' | 'disk';

export interface ImageFile {
  /** Local path (real) or a label (twin). */
  path: string;
  bytes: number;
  /** Hex SHA-256 of the content (the twin: of a description of it). */
  sha256: string;
}

export interface Image {
  name: string;
  kernel: ImageFile;
  initrd: ImageFile;
  rootfs: ImageFile & { format: RootfsFormat; files?: number };
}

export interface PublishedImage {
  image: Image;
  kernelUrl: string;
  initrdUrl: string;
  rootfsUrl: string;
}

export interface Artifacts {
  /** Makes the image's files downloadable; idempotent for the same image (same checksums). */
  publish(image: Image, signal?: AbortSignal): Promise<PublishedImage>;
  /** Withdraws a published image. */
  withdraw(name: string, signal?: AbortSignal): Promise<void>;
}
