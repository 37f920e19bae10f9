import { addMissingColumns, statementCache, type Db } from '../../state/database';
import type { BusRecord, RuleOrigin, RuleSpec, RuleState, TargetSpec } from './types';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events_buses (
  name TEXT PRIMARY KEY, description TEXT, created_at INTEGER NOT NULL, origin TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events_rules (
  bus TEXT NOT NULL, name TEXT NOT NULL, event_pattern TEXT, schedule_expression TEXT, state TEXT NOT NULL,
  description TEXT, role_arn TEXT, origin TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (bus, name));
CREATE TABLE IF NOT EXISTS events_targets (
  bus TEXT NOT NULL, rule TEXT NOT NULL, id TEXT NOT NULL, arn TEXT NOT NULL, input TEXT, input_path TEXT,
  input_transformer TEXT, position INTEGER NOT NULL, PRIMARY KEY (bus, rule, id));
`;

/** Target columns added after the table was first shipped: a state folder from before gets them when it opens. */
const TARGET_PARAMETER_COLUMNS = ['message_group_id TEXT', 'partition_key_path TEXT', 'dead_letter_arn TEXT'];

interface BusRow {
  name: string;
  description: string | null;
  created_at: number;
}

interface RuleRow {
  bus: string;
  name: string;
  event_pattern: string | null;
  schedule_expression: string | null;
  state: string;
  description: string | null;
  role_arn: string | null;
  origin: string;
}

interface TargetRow {
  id: string;
  arn: string;
  input: string | null;
  input_path: string | null;
  input_transformer: string | null;
  message_group_id: string | null;
  partition_key_path: string | null;
  dead_letter_arn: string | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

/**
 * The buses, rules and targets of the embedded EventBridge, in tables of the state database so that
 * what the API created survives a restart. The service's own rules (origin `eventBridge` or
 * `cloudwatchEvent`) are replaced by the current configuration at every start, as a deploy would.
 */
export class EventsStore {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
    db.exec(SCHEMA);
    addMissingColumns(db, 'events_targets', TARGET_PARAMETER_COLUMNS);
  }

  /** Puts the configuration's buses and rules in place of the previous configuration's. */
  replaceModel(rules: RuleSpec[], buses: string[], now: number): void {
    this.db.transaction(() => {
      const stale = this.sql("SELECT bus, name FROM events_rules WHERE origin != 'api'").all() as RuleRow[];
      for (const rule of stale) this.deleteRule(rule.bus, rule.name);
      this.insertBus('default', undefined, 'default', now);
      for (const bus of buses) this.insertBus(bus, undefined, 'model', now);
      for (const rule of rules) {
        this.insertBus(rule.eventBus, undefined, 'model', now);
        this.deleteRule(rule.eventBus, rule.name);
        this.putRule(rule, now);
        this.putTargets(rule.eventBus, rule.name, rule.targets);
      }
    })();
  }

  listBuses(): BusRecord[] {
    const rows = this.sql('SELECT * FROM events_buses ORDER BY name').all() as BusRow[];
    return rows.map(toBus);
  }

  getBus(name: string): BusRecord | undefined {
    const row = this.sql('SELECT * FROM events_buses WHERE name = ?').get(name) as BusRow | undefined;
    return row && toBus(row);
  }

  /** False when a bus of that name already exists. */
  insertBus(name: string, description: string | undefined, origin: string, now: number): boolean {
    const sql =
      'INSERT OR IGNORE INTO events_buses (name, description, created_at, origin) VALUES (?, ?, ?, ?)';
    return this.sql(sql).run(name, description ?? null, now, origin).changes > 0;
  }

  /** Deletes a bus with its rules and their targets. */
  deleteBus(name: string): void {
    this.db.transaction(() => {
      this.sql('DELETE FROM events_targets WHERE bus = ?').run(name);
      this.sql('DELETE FROM events_rules WHERE bus = ?').run(name);
      this.sql('DELETE FROM events_buses WHERE name = ?').run(name);
    })();
  }

  listRules(bus: string): RuleSpec[] {
    const rows = this.sql('SELECT * FROM events_rules WHERE bus = ? ORDER BY name').all(bus) as RuleRow[];
    return rows.map((row) => this.toRule(row));
  }

  getRule(bus: string, name: string): RuleSpec | undefined {
    const sql = 'SELECT * FROM events_rules WHERE bus = ? AND name = ?';
    const row = this.sql(sql).get(bus, name) as RuleRow | undefined;
    return row && this.toRule(row);
  }

  /** Creates or replaces a rule's settings; its targets stay. */
  putRule(rule: Omit<RuleSpec, 'targets'>, now: number): void {
    this.sql(
      `INSERT INTO events_rules (bus, name, event_pattern, schedule_expression, state, description, role_arn,
           origin, created_at) VALUES (@bus, @name, @pattern, @schedule, @state, @description, @roleArn, @origin, @now)
         ON CONFLICT (bus, name) DO UPDATE SET event_pattern = @pattern, schedule_expression = @schedule,
           state = @state, description = @description, role_arn = @roleArn`,
    ).run({
      bus: rule.eventBus,
      name: rule.name,
      pattern: rule.eventPattern ?? null,
      schedule: rule.scheduleExpression ?? null,
      state: rule.state,
      description: rule.description ?? null,
      roleArn: rule.roleArn ?? null,
      origin: rule.origin,
      now,
    });
  }

  setState(bus: string, name: string, state: RuleState): void {
    this.sql('UPDATE events_rules SET state = ? WHERE bus = ? AND name = ?').run(state, bus, name);
  }

  deleteRule(bus: string, name: string): void {
    this.sql('DELETE FROM events_targets WHERE bus = ? AND rule = ?').run(bus, name);
    this.sql('DELETE FROM events_rules WHERE bus = ? AND name = ?').run(bus, name);
  }

  /** Adds targets, or replaces those with the same id (which keep their place). */
  putTargets(bus: string, rule: string, targets: TargetSpec[]): void {
    const next = this.sql(
      'SELECT COALESCE(MAX(position), 0) + 1 AS next FROM events_targets WHERE bus = ? AND rule = ?',
    );
    const upsert = this.sql(
      `INSERT INTO events_targets (bus, rule, id, arn, input, input_path, input_transformer, message_group_id,
         partition_key_path, dead_letter_arn, position)
       VALUES (@bus, @rule, @id, @arn, @input, @inputPath, @transformer, @groupId, @keyPath, @deadLetter, @position)
       ON CONFLICT (bus, rule, id) DO UPDATE SET arn = @arn, input = @input, input_path = @inputPath,
         input_transformer = @transformer, message_group_id = @groupId, partition_key_path = @keyPath,
         dead_letter_arn = @deadLetter`,
    );
    this.db.transaction(() => {
      for (const target of targets) {
        const { next: position } = next.get(bus, rule) as { next: number };
        upsert.run({
          bus,
          rule,
          id: target.id,
          arn: target.arn,
          input: target.input ?? null,
          inputPath: target.inputPath ?? null,
          transformer: target.inputTransformer ? JSON.stringify(target.inputTransformer) : null,
          groupId: target.messageGroupId ?? null,
          keyPath: target.partitionKeyPath ?? null,
          deadLetter: target.deadLetterArn ?? null,
          position,
        });
      }
    })();
  }

  removeTargets(bus: string, rule: string, ids: string[]): void {
    const remove = this.sql('DELETE FROM events_targets WHERE bus = ? AND rule = ? AND id = ?');
    this.db.transaction(() => ids.forEach((id) => remove.run(bus, rule, id)))();
  }

  private toRule(row: RuleRow): RuleSpec {
    const sql = 'SELECT * FROM events_targets WHERE bus = ? AND rule = ? ORDER BY position';
    const targets = this.sql(sql).all(row.bus, row.name) as TargetRow[];
    return {
      name: row.name,
      eventBus: row.bus,
      eventPattern: orUndefined(row.event_pattern),
      scheduleExpression: orUndefined(row.schedule_expression),
      state: row.state as RuleState,
      description: orUndefined(row.description),
      roleArn: orUndefined(row.role_arn),
      origin: row.origin as RuleOrigin,
      targets: targets.map((target) => ({
        id: target.id,
        arn: target.arn,
        input: orUndefined(target.input),
        inputPath: orUndefined(target.input_path),
        inputTransformer:
          target.input_transformer === null ? undefined : JSON.parse(target.input_transformer),
        messageGroupId: orUndefined(target.message_group_id),
        partitionKeyPath: orUndefined(target.partition_key_path),
        deadLetterArn: orUndefined(target.dead_letter_arn),
      })),
    };
  }
}

function toBus(row: BusRow): BusRecord {
  return { name: row.name, description: orUndefined(row.description), createdAt: row.created_at };
}
