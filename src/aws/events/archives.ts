import { buildArn } from '../../service/arn';
import type { Clock } from '../../clock';
import { EventsError, validation } from './errors';
import { compileEventPattern } from './event-pattern';
import type { EventsStore } from './events-store';
import type { ResourcesStore } from './resources-store';
import type { EventBridgeEvent } from './types';
import {
  busNameOf,
  checkName,
  NAME_PATTERN,
  optionalString,
  page,
  requiredString,
  seconds,
  type Input,
  type Place,
} from './wire';

/** An archive as kept in the state database (times in epoch milliseconds). */
interface Archive {
  name: string;
  bus: string;
  eventSourceArn: string;
  description?: string;
  eventPattern?: string;
  retentionDays: number;
  createdAt: number;
}

type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

interface Replay {
  name: string;
  description?: string;
  archive: string;
  eventSourceArn: string;
  eventStartTime: number;
  eventEndTime: number;
  destination: { Arn: string; FilterArns?: string[] };
  state: ReplayState;
  stateReason?: string;
  replayStartTime: number;
  replayEndTime?: number;
  eventLastReplayedTime?: number;
}

export interface ArchiveContext extends Place {
  store: EventsStore;
  resources: ResourcesStore;
  clock: Clock;
  /** Delivers a replayed event to the targets of the bus's matching rules (or of the rules named). */
  redeliver: (bus: string, event: EventBridgeEvent, ruleArns?: string[]) => Promise<void>;
  /** Where a replay that failed is reported. */
  log: (line: string) => void;
}

type Operation = (input: Input) => unknown;

const ARCHIVES = 'events_archives';
const REPLAYS = 'events_replays';
const archiveArn = (place: Place, name: string) =>
  buildArn('events', place.region, place.accountId, `archive/${name}`);
const replayArn = (place: Place, name: string) =>
  buildArn('events', place.region, place.accountId, `replay/${name}`);
const archiveNotFound = (name: string) =>
  new EventsError('ResourceNotFoundException', `Archive ${name} does not exist.`);
const replayNotFound = (name: string) =>
  new EventsError('ResourceNotFoundException', `Replay ${name} does not exist.`);

/**
 * Archives and replays (eb-archive, API_CreateArchive, API_StartReplay): an archive keeps the events
 * put on its bus that match its pattern (all of them without one; never replayed events); a replay
 * sends the archived events whose time is in [EventStartTime, EventEndTime) again to the bus's rules
 * (or to the rules of Destination.FilterArns), with `replay-name` set on each. A replay starts
 * (STARTING), then runs (RUNNING) on the emulator's clock as soon as StartReplay has answered, and ends
 * COMPLETED (or CANCELLED, FAILED) when its events are sent: not minute by minute as in AWS.
 */
export class Archives {
  private readonly archives = new Map<string, Archive[]>();

  constructor(private readonly ctx: ArchiveContext) {
    // A replay the previous run did not finish does not resume: its events may have gone out already.
    for (const replay of ctx.resources.list<Replay>(REPLAYS)) {
      if (['STARTING', 'RUNNING', 'CANCELLING'].includes(replay.state)) {
        this.save({
          ...replay,
          state: 'FAILED',
          stateReason: 'The emulator stopped before the replay ended.',
          replayEndTime: ctx.clock.now(),
        });
      }
    }
  }

  /** Keeps an event put on a bus in the bus's archives whose pattern it matches. */
  archive(bus: string, event: EventBridgeEvent): void {
    if (event['replay-name'] !== undefined) return;
    for (const archive of this.archivesOf(bus)) {
      if (archive.matches && !archive.matches(event)) continue;
      this.ctx.resources.archiveEvent(archive.name, Date.parse(event.time), event);
    }
  }

  operations(): Record<string, Operation> {
    const { ctx } = this;
    const { resources } = ctx;
    const getArchive = (name: string) => {
      const archive = resources.get<Archive>(ARCHIVES, name);
      if (!archive) throw archiveNotFound(name);
      return archive;
    };
    const getReplay = (name: string) => {
      const replay = resources.get<Replay>(REPLAYS, name);
      if (!replay) throw replayNotFound(name);
      return replay;
    };
    return {
      CreateArchive: (input) => {
        const name = requiredString(input, 'ArchiveName', 'archiveName');
        checkName(name, 'archiveName', 48, NAME_PATTERN);
        const eventSourceArn = requiredString(input, 'EventSourceArn', 'eventSourceArn');
        const bus = busOfArn(eventSourceArn, 'EventSourceArn');
        if (!ctx.store.getBus(bus)) {
          throw new EventsError('ResourceNotFoundException', `Event bus ${bus} does not exist.`);
        }
        const eventPattern = optionalString(input, 'EventPattern');
        if (eventPattern !== undefined) checkPattern(eventPattern);
        const archive: Archive = {
          name,
          bus,
          eventSourceArn,
          description: optionalString(input, 'Description'),
          eventPattern,
          retentionDays: retentionDays(input.RetentionDays) ?? 0,
          createdAt: ctx.clock.now(),
        };
        if (!resources.put(ARCHIVES, name, archive, true)) {
          throw new EventsError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
        }
        this.archives.clear();
        return {
          ArchiveArn: archiveArn(ctx, name),
          State: 'ENABLED',
          CreationTime: seconds(archive.createdAt),
        };
      },
      DescribeArchive: (input) => {
        const archive = getArchive(requiredString(input, 'ArchiveName', 'archiveName'));
        return {
          ArchiveArn: archiveArn(ctx, archive.name),
          ArchiveName: archive.name,
          EventSourceArn: archive.eventSourceArn,
          Description: archive.description,
          EventPattern: archive.eventPattern,
          ...this.summary(archive),
        };
      },
      ListArchives: (input) => {
        const prefix = optionalString(input, 'NamePrefix') ?? '';
        const source = optionalString(input, 'EventSourceArn');
        const state = optionalString(input, 'State');
        const archives = resources
          .list<Archive>(ARCHIVES)
          .filter((archive) => archive.name.startsWith(prefix))
          .filter((archive) => source === undefined || archive.eventSourceArn === source)
          .filter(() => state === undefined || state === 'ENABLED');
        const { items, nextToken } = page(archives, input);
        return {
          Archives: items.map((archive) => ({
            ArchiveName: archive.name,
            EventSourceArn: archive.eventSourceArn,
            ...this.summary(archive),
          })),
          NextToken: nextToken,
        };
      },
      UpdateArchive: (input) => {
        const archive = getArchive(requiredString(input, 'ArchiveName', 'archiveName'));
        const eventPattern = optionalString(input, 'EventPattern');
        if (eventPattern !== undefined) checkPattern(eventPattern);
        const updated: Archive = {
          ...archive,
          description: optionalString(input, 'Description') ?? archive.description,
          eventPattern: eventPattern ?? archive.eventPattern,
          retentionDays: retentionDays(input.RetentionDays) ?? archive.retentionDays,
        };
        resources.put(ARCHIVES, archive.name, updated);
        this.archives.clear();
        return {
          ArchiveArn: archiveArn(ctx, archive.name),
          State: 'ENABLED',
          CreationTime: seconds(archive.createdAt),
        };
      },
      DeleteArchive: (input) => {
        const archive = getArchive(requiredString(input, 'ArchiveName', 'archiveName'));
        resources.delete(ARCHIVES, archive.name);
        this.archives.clear();
        return {};
      },
      StartReplay: (input) => this.startReplay(input),
      DescribeReplay: (input) => {
        const replay = getReplay(requiredString(input, 'ReplayName', 'replayName'));
        return {
          ReplayName: replay.name,
          ReplayArn: replayArn(ctx, replay.name),
          Description: replay.description,
          Destination: replay.destination,
          ...replaySummary(replay),
        };
      },
      ListReplays: (input) => {
        const prefix = optionalString(input, 'NamePrefix') ?? '';
        const source = optionalString(input, 'EventSourceArn');
        const state = optionalString(input, 'State');
        const replays = resources
          .list<Replay>(REPLAYS)
          .filter((replay) => replay.name.startsWith(prefix))
          .filter((replay) => source === undefined || replay.eventSourceArn === source)
          .filter((replay) => state === undefined || replay.state === state);
        const { items, nextToken } = page(replays, input);
        return {
          Replays: items.map((replay) => ({ ReplayName: replay.name, ...replaySummary(replay) })),
          NextToken: nextToken,
        };
      },
      CancelReplay: (input) => {
        const replay = getReplay(requiredString(input, 'ReplayName', 'replayName'));
        if (replay.state !== 'STARTING' && replay.state !== 'RUNNING') {
          throw new EventsError(
            'IllegalStatusException',
            `Replay ${replay.name} is not in a valid state for this operation.`,
          );
        }
        this.save({ ...replay, state: 'CANCELLING' });
        return { ReplayArn: replayArn(ctx, replay.name), State: 'CANCELLING' };
      },
    };
  }

  private summary(archive: Archive) {
    const { resources, clock } = this.ctx;
    resources.expire(archive.name, archive.retentionDays, clock.now());
    const { count, bytes } = resources.archiveSize(archive.name);
    return {
      State: 'ENABLED',
      RetentionDays: archive.retentionDays,
      SizeBytes: bytes,
      EventCount: count,
      CreationTime: seconds(archive.createdAt),
    };
  }

  private startReplay(input: Input) {
    const { ctx } = this;
    const name = requiredString(input, 'ReplayName', 'replayName');
    checkName(name, 'replayName', 64, NAME_PATTERN);
    const eventSourceArn = requiredString(input, 'EventSourceArn', 'eventSourceArn');
    const archiveName = /^arn:[^:]+:events:[^:]*:[^:]*:archive\/(.+)$/.exec(eventSourceArn)?.[1];
    if (archiveName === undefined) {
      throw validation(
        `Parameter EventSourceArn is not valid. Reason: ${eventSourceArn} is not an archive ARN.`,
      );
    }
    const eventStartTime = timestamp(input.EventStartTime, 'eventStartTime');
    const eventEndTime = timestamp(input.EventEndTime, 'eventEndTime');
    const destination = destinationOf(input.Destination);
    if (ctx.resources.get<Replay>(REPLAYS, name)) {
      throw new EventsError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    }
    const archive = ctx.resources.get<Archive>(ARCHIVES, archiveName);
    if (!archive) throw archiveNotFound(archiveName);
    if (busOfArn(destination.Arn, 'Destination.Arn') !== archive.bus) {
      throw validation(
        'Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.',
      );
    }
    if (eventStartTime >= eventEndTime) {
      throw validation(
        'Parameter EventStartTime is not valid. Reason: EventStartTime must be before EventEndTime.',
      );
    }
    const replay: Replay = {
      name,
      description: optionalString(input, 'Description'),
      archive: archive.name,
      eventSourceArn,
      eventStartTime,
      eventEndTime,
      destination,
      state: 'STARTING',
      replayStartTime: ctx.clock.now(),
    };
    this.save(replay);
    ctx.clock.setTimeout(() => {
      this.run(name).catch((error: unknown) =>
        ctx.log(`EventBridge replay ${name} failed: ${String(error)}`),
      );
    }, 0);
    return {
      ReplayArn: replayArn(ctx, name),
      State: 'STARTING',
      ReplayStartTime: seconds(replay.replayStartTime),
    };
  }

  /** Sends the replay's events, checking between events whether it was cancelled. */
  private async run(name: string): Promise<void> {
    const { ctx } = this;
    let replay = ctx.resources.get<Replay>(REPLAYS, name);
    if (!replay) return;
    try {
      if (replay.state === 'CANCELLING') {
        this.save({ ...replay, state: 'CANCELLED', replayEndTime: ctx.clock.now() });
        return;
      }
      replay = this.save({ ...replay, state: 'RUNNING' });
      const archive = ctx.resources.get<Archive>(ARCHIVES, replay.archive);
      if (!archive) throw new Error(`Archive ${replay.archive} was deleted.`);
      ctx.resources.expire(archive.name, archive.retentionDays, ctx.clock.now());
      const events = ctx.resources.archivedEvents(archive.name, replay.eventStartTime, replay.eventEndTime);
      for (const { time, event } of events) {
        const current = ctx.resources.get<Replay>(REPLAYS, name);
        if (!current || current.state === 'CANCELLING') {
          if (current) this.save({ ...current, state: 'CANCELLED', replayEndTime: ctx.clock.now() });
          return;
        }
        const replayed = { ...(event as EventBridgeEvent), 'replay-name': name };
        await ctx.redeliver(archive.bus, replayed, replay.destination.FilterArns);
        replay = this.save({ ...current, eventLastReplayedTime: time });
      }
      const last = ctx.resources.get<Replay>(REPLAYS, name) ?? replay;
      this.save({
        ...last,
        state: last.state === 'CANCELLING' ? 'CANCELLED' : 'COMPLETED',
        replayEndTime: ctx.clock.now(),
      });
    } catch (error) {
      ctx.log(`EventBridge replay ${name} failed: ${String(error)}`);
      const current = ctx.resources.get<Replay>(REPLAYS, name) ?? replay;
      this.save({ ...current, state: 'FAILED', stateReason: String(error), replayEndTime: ctx.clock.now() });
    }
  }

  private save(replay: Replay): Replay {
    this.ctx.resources.put(REPLAYS, replay.name, replay);
    return replay;
  }

  private archivesOf(bus: string): (Archive & { matches?: (event: unknown) => boolean })[] {
    let archives = this.archives.get(bus);
    if (!archives) {
      archives = this.ctx.resources
        .list<Archive>(ARCHIVES)
        .filter((archive) => archive.bus === bus)
        .map((archive) => ({
          ...archive,
          matches: archive.eventPattern === undefined ? undefined : compileEventPattern(archive.eventPattern),
        }));
      this.archives.set(bus, archives);
    }
    return archives;
  }
}

function replaySummary(replay: Replay) {
  return {
    EventSourceArn: replay.eventSourceArn,
    State: replay.state,
    StateReason: replay.stateReason,
    EventStartTime: seconds(replay.eventStartTime),
    EventEndTime: seconds(replay.eventEndTime),
    EventLastReplayedTime:
      replay.eventLastReplayedTime === undefined ? undefined : seconds(replay.eventLastReplayedTime),
    ReplayStartTime: seconds(replay.replayStartTime),
    ReplayEndTime: replay.replayEndTime === undefined ? undefined : seconds(replay.replayEndTime),
  };
}

/** The bus an event bus ARN names (a bare name is not accepted where AWS wants the ARN). */
function busOfArn(arn: string, member: string): string {
  if (!/^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/.+$/.test(arn)) {
    throw validation(`Parameter ${member} is not valid. Reason: Provided Arn is not in correct format.`);
  }
  return busNameOf(arn);
}

function checkPattern(text: string): void {
  try {
    compileEventPattern(text);
  } catch (error) {
    throw new EventsError(
      'InvalidEventPatternException',
      `Event pattern is not valid. Reason: ${(error as Error).message}`,
    );
  }
}

function retentionDays(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw validation(
      `1 validation error detected: Value '${String(value)}' at 'retentionDays' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  }
  return value;
}

/** A timestamp of the request: epoch seconds, as SDKs send them in JSON 1.1, or an ISO string. */
function timestamp(value: unknown, member: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value * 1000;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return Date.parse(value);
  throw validation(
    `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
  );
}

function destinationOf(value: unknown): { Arn: string; FilterArns?: string[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validation(
      "1 validation error detected: Value null at 'destination' failed to satisfy constraint: Member must not be null",
    );
  }
  const input = value as Input;
  const arn = requiredString(input, 'Arn', 'destination.arn');
  const filters = input.FilterArns;
  if (filters === undefined || filters === null) return { Arn: arn };
  if (!Array.isArray(filters) || filters.some((filter) => typeof filter !== 'string')) {
    throw validation(
      'Parameter Destination.FilterArns is not valid. Reason: it must be a list of rule ARNs.',
    );
  }
  return { Arn: arn, FilterArns: filters as string[] };
}
