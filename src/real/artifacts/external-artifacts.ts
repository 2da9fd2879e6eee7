/**
 * The Artifacts port on a web server deploytwin does not run (nginx, Apache, a site's existing
 * mirror): the operator has put the files there; publishing only computes their URLs and checks,
 * with one HEAD request each, that they answer 200 with the image's sizes. Checksums are not
 * re-checked (that would mean downloading every file; the ETags of common servers are not
 * content hashes), so this mode trusts whoever copied the files.
 */
import { basename } from 'node:path';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import type { Artifacts, Image, PublishedImage } from '../../ports/index.ts';
import { checkImage, FILE_KINDS, type FileKind } from './image-files.ts';

export interface ExternalArtifactsOptions {
  /** Where the images are served, e.g. "http://10.0.0.1/images". */
  baseUrl: string;
  /**
   * The URL of one file of an image. Default: `${baseUrl}/${image.name}/${basename(file.path)}`,
   * i.e. one directory per image holding the files under their own names.
   */
  urlOf?: (image: Image, kind: FileKind) => string;
  /** Seconds one HEAD request may take. Default 10. */
  timeout?: number;
}

export class ExternalArtifacts implements Artifacts {
  private readonly published = new Map<string, PublishedImage>();
  private readonly baseUrl: string;

  constructor(private readonly options: ExternalArtifactsOptions) {
    let url: URL | undefined;
    try {
      url = new URL(options.baseUrl);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError(ErrorCodes.ARTIFACT_BAD_OPTIONS, `baseUrl must be an http:// or https:// URL, got ${JSON.stringify(options.baseUrl)}`);
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  /** The URL an image's file is expected at. */
  urlOf(image: Image, kind: FileKind): string {
    return this.options.urlOf?.(image, kind) ?? `${this.baseUrl}/${encodeURIComponent(image.name)}/${encodeURIComponent(basename(image[kind].path))}`;
  }

  /**
   * Checks each file with a HEAD request and returns the URLs. Rejects with
   * ARTIFACT_REMOTE_MISSING (fatal: the file is not there), ARTIFACT_SIZE_MISMATCH (fatal), or
   * ARTIFACT_REMOTE_UNREACHABLE (retryable: no answer, a timeout or a 5xx).
   */
  async publish(image: Image, signal?: AbortSignal): Promise<PublishedImage> {
    checkImage(image);
    const urls = {} as Record<FileKind, string>;
    for (const kind of FILE_KINDS) {
      urls[kind] = this.urlOf(image, kind);
      await this.check(urls[kind], image[kind].bytes, `image ${image.name}: ${kind}`, signal);
    }
    const published: PublishedImage = { image: structuredClone(image), kernelUrl: urls.kernel, initrdUrl: urls.initrd, rootfsUrl: urls.rootfs };
    this.published.set(image.name, published);
    return structuredClone(published);
  }

  /** Forgets the image; the files stay on the web server (deploytwin did not put them there). */
  async withdraw(name: string): Promise<void> {
    this.published.delete(name);
  }

  private async check(url: string, bytes: number, what: string, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout((this.options.timeout ?? 10) * 1000);
    let res: Response;
    try {
      res = await fetch(url, { method: 'HEAD', redirect: 'follow', signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      const why = timeout.aborted ? `no answer within ${this.options.timeout ?? 10}s` : ((e as Error).cause as Error | undefined)?.message ?? (e as Error).message;
      throw new DeployTwinError(ErrorCodes.ARTIFACT_REMOTE_UNREACHABLE, `${what}: HEAD ${url} failed: ${why}`, 'retryable', { cause: e });
    }
    if (res.status === 404 || res.status === 410 || res.status === 403) {
      throw new DeployTwinError(ErrorCodes.ARTIFACT_REMOTE_MISSING, `${what}: ${url} answers ${res.status}; copy the file there first`, 'fatal');
    }
    if (res.status >= 500) throw new DeployTwinError(ErrorCodes.ARTIFACT_REMOTE_UNREACHABLE, `${what}: ${url} answers ${res.status}`, 'retryable');
    if (res.status !== 200) throw new DeployTwinError(ErrorCodes.ARTIFACT_REMOTE_MISSING, `${what}: ${url} answers ${res.status}, expected 200`, 'fatal');
    const length = res.headers.get('content-length');
    if (length === null || Number(length) !== bytes) {
      const got = length === null ? 'no Content-Length' : `${length} bytes`;
      throw new DeployTwinError(ErrorCodes.ARTIFACT_SIZE_MISMATCH, `${what}: ${url} has ${got}, the image says ${bytes}`, 'fatal');
    }
  }
}
