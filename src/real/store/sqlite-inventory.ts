/**
 * The Inventory port in SQLite, with the in-memory inventory's behaviour: every put replaces the
 * record with the same key (BMC: address and port; node and network: name) and keeps its place,
 * listings come in the order records were first stored, hostlist queries come in hostlist order
 * (expansion by src/scenario/hostlist.ts), and a record read back is a fresh copy. Each put is
 * one committed, fsync'd transaction when its promise resolves.
 */
import type Database from 'better-sqlite3';
import { ErrorCodes, UsageError } from '../../errors.ts';
import type { BmcRecord, Inventory, NetworkRecord, NodeRecord } from '../../ports/index.ts';
import { expandHostlist } from '../../scenario/hostlist.ts';
import { guarded } from './database.ts';
import { isPlainObject, jsonProblem } from './json-data.ts';

function badRecord(what: string, why: string): UsageError {
  return new UsageError(ErrorCodes.STORE_BAD_RECORD, `${what}: ${why}`);
}

/** Checks the fields the store indexes (a key must be non-empty), and that the whole record is plain JSON. */
function checked(kind: string, record: unknown, fields: Record<string, 'key' | 'string' | 'integer'>): string {
  if (!isPlainObject(record)) throw badRecord(kind, 'must be an object');
  for (const [field, type] of Object.entries(fields)) {
    const v = record[field];
    const ok = type === 'integer' ? Number.isSafeInteger(v) : typeof v === 'string' && (type === 'string' || v !== '');
    const wanted = { key: 'non-empty string', string: 'string', integer: 'whole number' }[type];
    if (!ok) throw badRecord(kind, `"${field}" must be a ${wanted}, got ${JSON.stringify(v)}`);
  }
  const problem = jsonProblem(record, kind);
  if (problem !== undefined) throw badRecord(kind, problem);
  return JSON.stringify(record);
}

function parsed<T>(rows: Array<{ record: string }>): T[] {
  return rows.map((r) => JSON.parse(r.record) as T);
}

export class SqliteInventory implements Inventory {
  private readonly sql: Record<string, Database.Statement>;

  /** `db` comes from openDatabase (migrated). */
  constructor(private readonly db: Database.Database) {
    this.sql = {
      putBmc: db.prepare(`INSERT INTO bmcs (address, port, node, record) VALUES (?, ?, ?, ?)
                          ON CONFLICT (address, port) DO UPDATE SET node = excluded.node, record = excluded.record`),
      bmcs: db.prepare('SELECT record FROM bmcs ORDER BY rowid'),
      putNode: db.prepare(`INSERT INTO nodes (name, rack, grp, role, bmc, record) VALUES (?, ?, ?, ?, ?, ?)
                           ON CONFLICT (name) DO UPDATE SET rack = excluded.rack, grp = excluded.grp,
                             role = excluded.role, bmc = excluded.bmc, record = excluded.record`),
      node: db.prepare('SELECT record FROM nodes WHERE name = ?'),
      nodes: db.prepare('SELECT record FROM nodes ORDER BY rowid'),
      putNetwork: db.prepare(`INSERT INTO networks (name, record) VALUES (?, ?)
                              ON CONFLICT (name) DO UPDATE SET record = excluded.record`),
      networks: db.prepare('SELECT record FROM networks ORDER BY rowid'),
    };
  }

  /** Adds a BMC or replaces the one at the same address:port. */
  async putBmc(bmc: BmcRecord): Promise<void> {
    const json = checked('BMC record', bmc, { address: 'key', port: 'integer', credentials: 'string', node: 'string' });
    guarded(this.db, `putBmc ${bmc.address}:${bmc.port}`, () => this.sql.putBmc.run(bmc.address, bmc.port, bmc.node, json));
  }

  /** Every BMC, in the order first stored. */
  async bmcs(): Promise<BmcRecord[]> {
    return guarded(this.db, 'bmcs', () => parsed<BmcRecord>(this.sql.bmcs.all() as Array<{ record: string }>));
  }

  /** Adds a node or replaces the one with the same name. */
  async putNode(node: NodeRecord): Promise<void> {
    const json = checked('node record', node, { name: 'key', rack: 'integer', group: 'string', role: 'key', bmc: 'string' });
    if (!isPlainObject(node.addresses)) throw badRecord(`node record ${node.name}`, '"addresses" must be an object of network name -> address');
    guarded(this.db, `putNode ${node.name}`, () => this.sql.putNode.run(node.name, node.rack, node.group, node.role, node.bmc, json));
  }

  async node(name: string): Promise<NodeRecord | undefined> {
    const row = guarded(this.db, `node ${name}`, () => this.sql.node.get(name) as { record: string } | undefined);
    return row === undefined ? undefined : (JSON.parse(row.record) as NodeRecord);
  }

  /**
   * The stored nodes named by `hostlist`, in hostlist order (names with no record are left out);
   * every node in the order first stored when no hostlist is given. A malformed hostlist rejects
   * with HOSTLIST_INVALID.
   */
  async nodes(hostlist?: string): Promise<NodeRecord[]> {
    if (hostlist === undefined) return guarded(this.db, 'nodes', () => parsed<NodeRecord>(this.sql.nodes.all() as Array<{ record: string }>));
    const names = expandHostlist(hostlist);
    // One read transaction: the answer is a consistent snapshot even while another writer works.
    const read = this.db.transaction(() => names.map((n) => this.sql.node.get(n) as { record: string } | undefined).filter((r) => r !== undefined));
    return guarded(this.db, `nodes ${hostlist}`, () => parsed<NodeRecord>(read()));
  }

  /** Adds a network or replaces the one with the same name. */
  async putNetwork(network: NetworkRecord): Promise<void> {
    const json = checked('network record', network, { name: 'key', start: 'string', prefixLength: 'integer' });
    guarded(this.db, `putNetwork ${network.name}`, () => this.sql.putNetwork.run(network.name, json));
  }

  /** Every network, in the order first stored. */
  async networks(): Promise<NetworkRecord[]> {
    return guarded(this.db, 'networks', () => parsed<NetworkRecord>(this.sql.networks.all() as Array<{ record: string }>));
  }
}
