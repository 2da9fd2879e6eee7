/**
 * Every error deploytwin raises on purpose carries a stable code (grouped by subsystem, like
 * fastify's lib/errors.js), a message that says what was wrong and where, and whether retrying the
 * same action can help. The CLI maps `usage` errors to exit code 2 and prints one line, never a
 * stack trace.
 */

/** How an error should be treated by whoever catches it. */
export type ErrorKind =
  /** The input (command line, scenario file, HTTP request) is wrong: fix it and run again. */
  | 'usage'
  /** Something outside failed in a way that retrying may cure (timeout, busy BMC). */
  | 'retryable'
  /** Something failed and retrying will not help (bad credentials, unsupported operation). */
  | 'fatal'
  /** A bug or a broken invariant inside deploytwin itself. */
  | 'internal';

export class DeployTwinError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;
  /** Extra lines (e.g. one per problem in a scenario file), printed after the message. */
  readonly details: readonly string[];

  constructor(code: string, message: string, kind: ErrorKind, options?: { cause?: unknown; details?: readonly string[] }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeployTwinError';
    this.code = code;
    this.kind = kind;
    this.details = options?.details ?? [];
  }

  get retryable(): boolean {
    return this.kind === 'retryable';
  }
}

/** Bad command line, bad scenario file or bad request: the user can fix it. */
export class UsageError extends DeployTwinError {
  constructor(code: string, message: string, options?: { cause?: unknown; details?: readonly string[] }) {
    super(code, message, 'usage', options);
    this.name = 'UsageError';
  }
}

/** A broken invariant inside the simulation (a bug, never the user's fault). */
export class InternalError extends DeployTwinError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, 'internal', options);
    this.name = 'InternalError';
  }
}

/**
 * The catalogue of stable codes. Codes never change meaning once released; add new ones instead.
 * The prefix names the subsystem.
 */
export const ErrorCodes = {
  // Command line
  CLI_BAD_ARGUMENT: 'DT_CLI_BAD_ARGUMENT',
  CLI_UNKNOWN_COMMAND: 'DT_CLI_UNKNOWN_COMMAND',
  CLI_FILE_NOT_FOUND: 'DT_CLI_FILE_NOT_FOUND',
  CLI_CANNOT_WRITE: 'DT_CLI_CANNOT_WRITE',
  // Scenario files
  SCENARIO_INVALID: 'DT_SCENARIO_INVALID',
  SCENARIO_YAML_SYNTAX: 'DT_SCENARIO_YAML_SYNTAX',
  // Values with units, distributions and hostlists
  UNIT_INVALID: 'DT_UNIT_INVALID',
  DISTRIBUTION_INVALID: 'DT_DISTRIBUTION_INVALID',
  HOSTLIST_INVALID: 'DT_HOSTLIST_INVALID',
  // Simulation engine
  ENGINE_TIME_IN_PAST: 'DT_ENGINE_TIME_IN_PAST',
  ENGINE_BAD_DELAY: 'DT_ENGINE_BAD_DELAY',
  ENGINE_PROCESS_FAILED: 'DT_ENGINE_PROCESS_FAILED',
  ENGINE_REENTRANT_RUN: 'DT_ENGINE_REENTRANT_RUN',
  ENGINE_STALLED: 'DT_ENGINE_STALLED',
  ENGINE_BAD_ARGUMENT: 'DT_ENGINE_BAD_ARGUMENT',
  // Flow-level network
  NETWORK_BAD_LINK: 'DT_NETWORK_BAD_LINK',
  NETWORK_BAD_ROUTE: 'DT_NETWORK_BAD_ROUTE',
  NETWORK_BAD_FLOW: 'DT_NETWORK_BAD_FLOW',
  NETWORK_INVARIANT: 'DT_NETWORK_INVARIANT',
  // Artifact servers and image formats (models: http-server, rsync, nfs-root, image-format)
  HTTP_REFUSED: 'DT_HTTP_REFUSED',
  HTTP_BAD_PARAMS: 'DT_HTTP_BAD_PARAMS',
  RSYNC_BAD_PARAMS: 'DT_RSYNC_BAD_PARAMS',
  NFS_BAD_PARAMS: 'DT_NFS_BAD_PARAMS',
  IMAGE_BAD_FORMAT: 'DT_IMAGE_BAD_FORMAT',
  // Boot path (models: bmc, dhcp, pxe, tftp)
  BMC_TIMEOUT: 'DT_BMC_TIMEOUT',
  BMC_BAD_PARAMS: 'DT_BMC_BAD_PARAMS',
  DHCP_BAD_PARAMS: 'DT_DHCP_BAD_PARAMS',
  PXE_NO_OFFER: 'DT_PXE_NO_OFFER',
  TFTP_FILE_TOO_LARGE: 'DT_TFTP_FILE_TOO_LARGE',
  TFTP_TIMEOUT: 'DT_TFTP_TIMEOUT',
  TFTP_BAD_PARAMS: 'DT_TFTP_BAD_PARAMS',
  // Broadcast methods (models: multicast, chain, peer-to-peer)
  BROADCAST_BAD_PARAMS: 'DT_BROADCAST_BAD_PARAMS',
  BROADCAST_NODE_FAILED: 'DT_BROADCAST_NODE_FAILED',
  // Ports (twin in-memory implementations: engine-clock, memory-journal, node-events-hub)
  CLOCK_BAD_DURATION: 'DT_CLOCK_BAD_DURATION',
  JOURNAL_BAD_ARGUMENT: 'DT_JOURNAL_BAD_ARGUMENT',
  JOURNAL_BAD_LINE: 'DT_JOURNAL_BAD_LINE',
  EVENTS_BAD_ARGUMENT: 'DT_EVENTS_BAD_ARGUMENT',
  EVENTS_TIMEOUT: 'DT_EVENTS_TIMEOUT',
  // orchestrator: configure (cluster configuration stage: planCluster, applyClusterPlan)
  CONFIGURE_BAD_CONFIG: 'DT_CONFIGURE_BAD_CONFIG',
  CONFIGURE_BAD_ADDRESS: 'DT_CONFIGURE_BAD_ADDRESS',
  CONFIGURE_DUPLICATE_NAME: 'DT_CONFIGURE_DUPLICATE_NAME',
  CONFIGURE_UNKNOWN_NODE: 'DT_CONFIGURE_UNKNOWN_NODE',
  CONFIGURE_ROLE_CONFLICT: 'DT_CONFIGURE_ROLE_CONFLICT',
  CONFIGURE_BAD_GROUPS: 'DT_CONFIGURE_BAD_GROUPS',
  CONFIGURE_RANGE_EXHAUSTED: 'DT_CONFIGURE_RANGE_EXHAUSTED',
  CONFIGURE_NETWORK_OVERLAP: 'DT_CONFIGURE_NETWORK_OVERLAP',
  CONFIGURE_BAD_SSH_KEY: 'DT_CONFIGURE_BAD_SSH_KEY',
  CONFIGURE_INVENTORY_CONFLICT: 'DT_CONFIGURE_INVENTORY_CONFLICT',
  // orchestrator: node state machine
  ORCH_BAD_TRANSITION: 'DT_ORCH_BAD_TRANSITION',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
