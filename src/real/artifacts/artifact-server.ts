/**
 * The project's own artifact server (fastify): publishes images' kernel, initrd and rootfs files
 * from local disk and serves them over HTTP to booting nodes.
 *
 *   GET|HEAD /images/<name>/kernel | /images/<name>/initrd | /images/<name>/rootfs
 *
 * URLs name a published image and a file kind, never a path, so no request can reach a file that
 * was not published (no path traversal by construction). At most `maxDownloads` bodies stream at
 * once; beyond that a GET gets 503 with Retry-After (counted in `counters.refused`), as a node's
 * boot script or wget retry loop expects. Errors are JSON {error:{code,message}}.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { DeployTwinError, ErrorCodes, UsageError } from '../../errors.ts';
import type { Artifacts, Image, PublishedImage } from '../../ports/index.ts';
import { sendError, sendFile } from './file-response.ts';
import { checkImage, FILE_KINDS, unchanged, verifyFile, type FileKind, type VerifiedFile } from './image-files.ts';

export interface ArtifactServerOptions {
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  /** Listen port; 0 (the default) picks a free one. */
  port?: number;
  /** Base URL nodes reach the server at, when it differs from the listen address. */
  publicUrl?: string;
  /** Most response bodies streaming at once. Default 64 (a few per core saturates a 10 Gb/s NIC). */
  maxDownloads?: number;
  /** Seconds a refused node is told to wait (Retry-After). Default 5. */
  retryAfter?: number;
}

export interface ArtifactCounters {
  /** Bodies streaming now, and the most at once so far. */
  active: number;
  peakActive: number;
  /** Bodies started, sent in full, and GETs refused for the cap. */
  started: number;
  completed: number;
  refused: number;
  /** Bytes of the bodies sent in full. */
  bytesCompleted: number;
}

interface Entry {
  published: PublishedImage;
  files: Record<FileKind, VerifiedFile>;
}

export class ArtifactServer implements Artifacts {
  readonly counters: ArtifactCounters = { active: 0, peakActive: 0, started: 0, completed: 0, refused: 0, bytesCompleted: 0 };
  private readonly images = new Map<string, Entry>();
  /** One publish per name at a time, so concurrent publishes of an image verify it once. */
  private readonly publishing = new Map<string, Promise<unknown>>();
  private baseUrl = '';
  private closed = false;

  private constructor(
    private readonly app: FastifyInstance,
    private readonly options: ArtifactServerOptions,
  ) {}

  /** Starts listening; resolves once the server answers. */
  static async start(options: ArtifactServerOptions = {}): Promise<ArtifactServer> {
    const maxDownloads = options.maxDownloads ?? 64;
    if (!Number.isSafeInteger(maxDownloads) || maxDownloads < 1) throw new UsageError(ErrorCodes.ARTIFACT_BAD_OPTIONS, `maxDownloads must be a whole number >= 1, got ${String(maxDownloads)}`);
    const app = Fastify({
      logger: false,
      exposeHeadRoutes: false,
      forceCloseConnections: true,
      // Undecodable URLs (e.g. "%ZZ") get the same JSON error shape as everything else.
      frameworkErrors: (err, _req, reply) => sendError(reply, 400, ErrorCodes.ARTIFACT_BAD_REQUEST, err.message),
    });
    const server = new ArtifactServer(app, { ...options, maxDownloads });
    app.route({
      method: ['GET', 'HEAD'],
      url: '/images/:name/:kind',
      handler: async (req, reply) => {
        const { name, kind } = req.params as { name: string; kind: string };
        const file = FILE_KINDS.includes(kind as FileKind) ? server.images.get(name)?.files[kind as FileKind] : undefined;
        if (file === undefined) return sendError(reply, 404, ErrorCodes.ARTIFACT_NOT_FOUND, `no published file ${req.url.split('?')[0]}`);
        return sendFile(req, reply, file, server.admission());
      },
    });
    app.setNotFoundHandler((req, reply) => sendError(reply, 404, ErrorCodes.ARTIFACT_NOT_FOUND, `no published file ${req.url.split('?')[0]} (URLs are /images/<name>/kernel|initrd|rootfs)`));
    app.setErrorHandler((err: { statusCode?: number; message: string }, _req, reply) => {
      const status = err.statusCode ?? 500;
      return sendError(reply, status, status < 500 ? ErrorCodes.ARTIFACT_BAD_REQUEST : ErrorCodes.ARTIFACT_SERVER_ERROR, err.message);
    });
    const address = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
    server.baseUrl = (options.publicUrl ?? address).replace(/\/+$/, '');
    return server;
  }

  /** Base URL, e.g. "http://127.0.0.1:40123". */
  get url(): string {
    return this.baseUrl;
  }

  /**
   * Verifies the image's files (size and streamed SHA-256) and makes them downloadable. Publishing
   * the same name again with the same checksums returns the same URLs, re-reading only files that
   * moved or changed on disk; other checksums under a published name are refused
   * (ARTIFACT_NAME_CONFLICT: withdraw it first, or use a new name). See verifyFile for the rest.
   */
  async publish(image: Image, signal?: AbortSignal): Promise<PublishedImage> {
    checkImage(image);
    const previous = this.publishing.get(image.name) ?? Promise.resolve();
    const run = previous.catch(() => {}).then(() => this.publishNow(image, signal));
    this.publishing.set(image.name, run);
    try {
      return await run;
    } finally {
      if (this.publishing.get(image.name) === run) this.publishing.delete(image.name);
    }
  }

  /** Stops serving an image (downloads already streaming finish). Idempotent. */
  async withdraw(name: string): Promise<void> {
    this.images.delete(name);
  }

  /** Stops listening and cuts open downloads. */
  async close(): Promise<void> {
    this.closed = true;
    await this.app.close();
  }

  private async publishNow(image: Image, signal?: AbortSignal): Promise<PublishedImage> {
    if (this.closed) throw new DeployTwinError(ErrorCodes.ARTIFACT_SERVER_CLOSED, `cannot publish ${image.name}: the artifact server at ${this.baseUrl} is closed`, 'fatal');
    const old = this.images.get(image.name);
    if (old !== undefined && FILE_KINDS.some((k) => old.files[k].sha256 !== image[k].sha256)) {
      const was = FILE_KINDS.map((k) => `${k} ${old.files[k].sha256.slice(0, 12)}`).join(', ');
      throw new UsageError(ErrorCodes.ARTIFACT_NAME_CONFLICT, `image ${image.name} is already published with other content (${was}); withdraw it first or use a new name`);
    }
    const files = {} as Record<FileKind, VerifiedFile>;
    for (const kind of FILE_KINDS) {
      const known = old?.files[kind];
      const same = known !== undefined && known.path === image[kind].path && (await unchanged(known));
      files[kind] = same ? known : await verifyFile(image.name, kind, image[kind], signal);
    }
    const base = `${this.baseUrl}/images/${image.name}`;
    const published: PublishedImage = { image: structuredClone(image), kernelUrl: `${base}/kernel`, initrdUrl: `${base}/initrd`, rootfsUrl: `${base}/rootfs` };
    this.images.set(image.name, { published, files });
    return structuredClone(published);
  }

  private admission() {
    const c = this.counters;
    return {
      retryAfter: this.options.retryAfter ?? 5,
      admit: () => {
        if (c.active >= this.options.maxDownloads!) {
          c.refused++;
          return undefined;
        }
        c.active++;
        c.started++;
        c.peakActive = Math.max(c.peakActive, c.active);
        return () => void c.active--;
      },
      completed: (bytes: number) => {
        c.completed++;
        c.bytesCompleted += bytes;
      },
    };
  }
}
