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
  // Orchestrator plans: an impossible plan (unknown scheme, relays for a scheme that cannot use them).
  ORCH_BAD_PLAN: 'DT_ORCH_BAD_PLAN',
  // HTTP admission (model: http-admission): the sender gave up after tcp_retries2 worth of RTO backoff.
  HTTP_TIMED_OUT: 'DT_HTTP_TIMED_OUT',
  // Real adapters: artifact server (src/real/artifacts), status endpoint (src/real/events), SQLite store (src/real/store)
  ARTIFACT_BAD_IMAGE: 'DT_ARTIFACT_BAD_IMAGE',
  ARTIFACT_FILE_NOT_FOUND: 'DT_ARTIFACT_FILE_NOT_FOUND',
  ARTIFACT_SIZE_MISMATCH: 'DT_ARTIFACT_SIZE_MISMATCH',
  ARTIFACT_CHECKSUM_MISMATCH: 'DT_ARTIFACT_CHECKSUM_MISMATCH',
  ARTIFACT_NAME_CONFLICT: 'DT_ARTIFACT_NAME_CONFLICT',
  ARTIFACT_SERVER_CLOSED: 'DT_ARTIFACT_SERVER_CLOSED',
  ARTIFACT_BAD_OPTIONS: 'DT_ARTIFACT_BAD_OPTIONS',
  ARTIFACT_BAD_REQUEST: 'DT_ARTIFACT_BAD_REQUEST',
  ARTIFACT_SERVER_ERROR: 'DT_ARTIFACT_SERVER_ERROR',
  ARTIFACT_NOT_FOUND: 'DT_ARTIFACT_NOT_FOUND',
  ARTIFACT_BUSY: 'DT_ARTIFACT_BUSY',
  ARTIFACT_RANGE_NOT_SATISFIABLE: 'DT_ARTIFACT_RANGE_NOT_SATISFIABLE',
  ARTIFACT_CHANGED_ON_DISK: 'DT_ARTIFACT_CHANGED_ON_DISK',
  ARTIFACT_REMOTE_MISSING: 'DT_ARTIFACT_REMOTE_MISSING',
  ARTIFACT_REMOTE_UNREACHABLE: 'DT_ARTIFACT_REMOTE_UNREACHABLE',
  STATUS_UNAUTHORIZED: 'DT_STATUS_UNAUTHORIZED',
  STATUS_BAD_REQUEST: 'DT_STATUS_BAD_REQUEST',
  STATUS_BAD_JSON: 'DT_STATUS_BAD_JSON',
  STATUS_UNKNOWN_NODE: 'DT_STATUS_UNKNOWN_NODE',
  STATUS_UNKNOWN_PHASE: 'DT_STATUS_UNKNOWN_PHASE',
  STATUS_BODY_TOO_LARGE: 'DT_STATUS_BODY_TOO_LARGE',
  STATUS_WEAK_TOKEN: 'DT_STATUS_WEAK_TOKEN',
  STATUS_JOURNAL_FAILED: 'DT_STATUS_JOURNAL_FAILED',
  STATUS_SERVER_ERROR: 'DT_STATUS_SERVER_ERROR',
  STORE_OPEN_FAILED: 'DT_STORE_OPEN_FAILED',
  STORE_LOCKED: 'DT_STORE_LOCKED',
  STORE_SCHEMA_TOO_NEW: 'DT_STORE_SCHEMA_TOO_NEW',
  STORE_BAD_RECORD: 'DT_STORE_BAD_RECORD',
  STORE_CLOSED: 'DT_STORE_CLOSED',
  STORE_WRITE_FAILED: 'DT_STORE_WRITE_FAILED',
  // Real power control and discovery (src/real/power: ipmitool, Redfish client; src/twin/redfish endpoint)
  POWER_UNKNOWN_NODE: 'DT_POWER_UNKNOWN_NODE',
  IPMI_BAD_TARGET: 'DT_IPMI_BAD_TARGET',
  IPMI_TOOL_MISSING: 'DT_IPMI_TOOL_MISSING',
  IPMI_TIMEOUT: 'DT_IPMI_TIMEOUT',
  IPMI_SESSION_FAILED: 'DT_IPMI_SESSION_FAILED',
  IPMI_BUSY: 'DT_IPMI_BUSY',
  IPMI_AUTH_FAILED: 'DT_IPMI_AUTH_FAILED',
  IPMI_INSUFFICIENT_PRIVILEGE: 'DT_IPMI_INSUFFICIENT_PRIVILEGE',
  IPMI_UNSUPPORTED: 'DT_IPMI_UNSUPPORTED',
  IPMI_COMMAND_FAILED: 'DT_IPMI_COMMAND_FAILED',
  IPMI_BAD_OUTPUT: 'DT_IPMI_BAD_OUTPUT',
  POWER_CYCLE_INCOMPLETE: 'DT_POWER_CYCLE_INCOMPLETE',
  REDFISH_BAD_TARGET: 'DT_REDFISH_BAD_TARGET',
  REDFISH_TIMEOUT: 'DT_REDFISH_TIMEOUT',
  REDFISH_UNREACHABLE: 'DT_REDFISH_UNREACHABLE',
  REDFISH_TLS: 'DT_REDFISH_TLS',
  REDFISH_AUTH_FAILED: 'DT_REDFISH_AUTH_FAILED',
  REDFISH_BUSY: 'DT_REDFISH_BUSY',
  REDFISH_SERVER_ERROR: 'DT_REDFISH_SERVER_ERROR',
  REDFISH_BAD_REQUEST: 'DT_REDFISH_BAD_REQUEST',
  REDFISH_UNSUPPORTED: 'DT_REDFISH_UNSUPPORTED',
  REDFISH_HTTP_ERROR: 'DT_REDFISH_HTTP_ERROR',
  REDFISH_BAD_RESPONSE: 'DT_REDFISH_BAD_RESPONSE',
  REDFISH_ENDPOINT_BAD_OPTIONS: 'DT_REDFISH_ENDPOINT_BAD_OPTIONS',
  // Real boot configuration (src/real/boot: dnsmasq, per-node iPXE scripts) and the PXE mini-cluster (src/real/minicluster)
  BOOT_BAD_ENTRY: 'DT_BOOT_BAD_ENTRY',
  BOOT_BAD_CONFIG: 'DT_BOOT_BAD_CONFIG',
  BOOT_WRITE_FAILED: 'DT_BOOT_WRITE_FAILED',
  BOOT_DNSMASQ_START_FAILED: 'DT_BOOT_DNSMASQ_START_FAILED',
  BOOT_DNSMASQ_NOT_READY: 'DT_BOOT_DNSMASQ_NOT_READY',
  BOOT_DNSMASQ_NOT_RUNNING: 'DT_BOOT_DNSMASQ_NOT_RUNNING',
  BOOT_DNSMASQ_RELOAD_TIMEOUT: 'DT_BOOT_DNSMASQ_RELOAD_TIMEOUT',
  BOOT_SCRIPT_NOT_FOUND: 'DT_BOOT_SCRIPT_NOT_FOUND',
  MINICLUSTER_UNAVAILABLE: 'DT_MINICLUSTER_UNAVAILABLE',
  MINICLUSTER_COMMAND_FAILED: 'DT_MINICLUSTER_COMMAND_FAILED',
  MINICLUSTER_BAD_OPTIONS: 'DT_MINICLUSTER_BAD_OPTIONS',
  MINICLUSTER_VM_FAILED: 'DT_MINICLUSTER_VM_FAILED',
  // Real-mode site runs (src/real/site: deploytwin real)
  SITE_INVALID: 'DT_SITE_INVALID',
  SITE_NO_BMC: 'DT_SITE_NO_BMC',
  SITE_STALE_PROCESS: 'DT_SITE_STALE_PROCESS',
  // Dashboard server (src/server: deploytwin serve, its REST API and event streams)
  SERVER_BAD_REQUEST: 'DT_SERVER_BAD_REQUEST',
  SERVER_UNAUTHORIZED: 'DT_SERVER_UNAUTHORIZED',
  SERVER_NOT_FOUND: 'DT_SERVER_NOT_FOUND',
  SERVER_UNKNOWN_SCENARIO: 'DT_SERVER_UNKNOWN_SCENARIO',
  SERVER_BAD_OVERRIDE: 'DT_SERVER_BAD_OVERRIDE',
  SERVER_BUSY: 'DT_SERVER_BUSY',
  SERVER_RUN_NOT_FINISHED: 'DT_SERVER_RUN_NOT_FINISHED',
  SERVER_RUN_FAILED: 'DT_SERVER_RUN_FAILED',
  SERVER_WEAK_TOKEN: 'DT_SERVER_WEAK_TOKEN',
  SERVER_BAD_SWEEP: 'DT_SERVER_BAD_SWEEP',
  // Real runs the dashboard server follows (serve --real): a file that is not a journal; a request to start or stop one
  SERVER_BAD_JOURNAL: 'DT_SERVER_BAD_JOURNAL',
  SERVER_REAL_RUN_READ_ONLY: 'DT_SERVER_REAL_RUN_READ_ONLY',
  // Planning (src/planning: lower bound, deploytwin sweep and check)
  PLAN_BAD_SET: 'DT_PLAN_BAD_SET',
  PLAN_RUN_FAILED: 'DT_PLAN_RUN_FAILED',
  PLAN_BAD_BASELINE: 'DT_PLAN_BAD_BASELINE',
  // deploytwin plan: the constraints leave no setting to run
  PLAN_INFEASIBLE: 'DT_PLAN_INFEASIBLE',
  // Sweeps on Slurm (src/planning/slurm: deploytwin sweep --slurm, sweep task, sweep merge)
  SLURM_BAD_DIR: 'DT_SLURM_BAD_DIR',
  SLURM_BAD_MANIFEST: 'DT_SLURM_BAD_MANIFEST',
  SLURM_SCENARIO_CHANGED: 'DT_SLURM_SCENARIO_CHANGED',
  SLURM_MISSING_TASKS: 'DT_SLURM_MISSING_TASKS',
  SLURM_FOREIGN_TASKS: 'DT_SLURM_FOREIGN_TASKS',
  SLURM_SBATCH_NOT_FOUND: 'DT_SLURM_SBATCH_NOT_FOUND',
  SLURM_SUBMIT_FAILED: 'DT_SLURM_SUBMIT_FAILED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];
