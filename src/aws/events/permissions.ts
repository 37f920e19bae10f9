import { busNotFound, EventsError, ruleNotFound, validation } from './errors';
import type { EventsStore } from './events-store';
import type { ResourcesStore, Tag } from './resources-store';
import { busArn, busNameOf, optionalString, requiredString, type Input, type Place } from './wire';

export interface PermissionContext extends Place {
  store: EventsStore;
  resources: ResourcesStore;
}

type Operation = (input: Input) => unknown;

interface Statement {
  Sid: string;
  [key: string]: unknown;
}

interface Policy {
  Version?: string;
  Statement?: Statement[];
  [key: string]: unknown;
}

/**
 * PutPermission and RemovePermission (the bus's resource policy, answered by DescribeEventBus as
 * `Policy`; kept, not enforced: every caller may put events on every bus), and the tags of rules and
 * buses (TagResource, UntagResource, ListTagsForResource).
 */
export function permissionOperations(ctx: PermissionContext): Record<string, Operation> {
  const { store, resources } = ctx;
  const requireBus = (input: Input) => {
    const bus = busNameOf(input.EventBusName);
    if (!store.getBus(bus)) throw busNotFound(bus);
    return bus;
  };
  const requireResource = (input: Input) => {
    const arn = requiredString(input, 'ResourceARN', 'resourceARN');
    checkTaggable(ctx, arn);
    return arn;
  };
  return {
    PutPermission: (input) => {
      const bus = requireBus(input);
      const given = optionalString(input, 'Policy');
      if (given !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(given);
        } catch {
          throw validation('Parameter Policy is not valid. Reason: it is not valid JSON.');
        }
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
          throw validation('Parameter Policy is not valid. Reason: it must be a JSON object.');
        }
        resources.setPolicy(bus, JSON.stringify(parsed));
        return {};
      }
      const action = requiredString(input, 'Action', 'action');
      if (action !== 'events:PutEvents') {
        throw validation(`Provided value in parameter 'action' is not supported.`);
      }
      const principal = requiredString(input, 'Principal', 'principal');
      const sid = requiredString(input, 'StatementId', 'statementId');
      const condition = input.Condition as Input | undefined;
      const statement: Statement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principal === '*' ? '*' : { AWS: `arn:aws:iam::${principal}:root` },
        Action: action,
        Resource: busArn(ctx, bus),
      };
      if (condition !== undefined && condition !== null) {
        statement.Condition = {
          [String(condition.Type ?? 'StringEquals')]: { [String(condition.Key)]: condition.Value },
        };
      }
      const policy = policyOf(resources.policy(bus));
      const statements = (policy.Statement ?? []).filter((existing) => existing.Sid !== sid);
      resources.setPolicy(
        bus,
        JSON.stringify({ Version: '2012-10-17', ...policy, Statement: [...statements, statement] }),
      );
      return {};
    },
    RemovePermission: (input) => {
      const bus = requireBus(input);
      if (input.RemoveAllPermissions === true) {
        resources.setPolicy(bus, undefined);
        return {};
      }
      const sid = requiredString(input, 'StatementId', 'statementId');
      const policy = policyOf(resources.policy(bus));
      const statements = policy.Statement ?? [];
      if (!statements.some((statement) => statement.Sid === sid)) {
        throw new EventsError('ResourceNotFoundException', 'Statement with the provided id does not exist.');
      }
      const left = statements.filter((statement) => statement.Sid !== sid);
      resources.setPolicy(bus, left.length ? JSON.stringify({ ...policy, Statement: left }) : undefined);
      return {};
    },
    TagResource: (input) => {
      const arn = requireResource(input);
      resources.tag(arn, tagsOf(input.Tags));
      return {};
    },
    UntagResource: (input) => {
      const arn = requireResource(input);
      const keys = input.TagKeys;
      if (!Array.isArray(keys) || keys.some((key) => typeof key !== 'string')) {
        throw validation(
          "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
        );
      }
      resources.untag(arn, keys as string[]);
      return {};
    },
    ListTagsForResource: (input) => ({ Tags: resources.tags(requireResource(input)) }),
  };
}

function policyOf(text: string | undefined): Policy {
  if (text === undefined) return {};
  const parsed = JSON.parse(text) as Policy;
  return { ...parsed, Statement: Array.isArray(parsed.Statement) ? parsed.Statement : [] };
}

/** A rule or bus ARN that exists, or ResourceNotFoundException. */
function checkTaggable(ctx: PermissionContext, arn: string): void {
  const match = /^arn:[^:]+:events:([^:]*):([^:]*):(rule|event-bus)\/(.+)$/.exec(arn);
  if (!match || match[1] !== ctx.region || match[2] !== ctx.accountId) {
    throw new EventsError('ResourceNotFoundException', `Resource ${arn} does not exist.`);
  }
  const [, , , kind, path] = match;
  if (kind === 'event-bus') {
    if (!ctx.store.getBus(path)) throw busNotFound(path);
    return;
  }
  const slash = path.lastIndexOf('/');
  const bus = slash < 0 ? 'default' : path.slice(0, slash);
  const rule = slash < 0 ? path : path.slice(slash + 1);
  if (!ctx.store.getRule(bus, rule)) throw ruleNotFound(rule, bus);
}

/** A Tags member: a list of {Key, Value} (1 to 128 characters for the key, up to 256 for the value). */
export function tagsOf(value: unknown): Tag[] {
  if (!Array.isArray(value)) {
    throw validation(
      "1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null",
    );
  }
  return value.map((tag, index) => {
    const input = (tag ?? {}) as Input;
    const key = requiredString(input, 'Key', `tags.${index + 1}.member.key`);
    const tagValue = input.Value;
    if (typeof tagValue !== 'string') {
      throw validation(
        `1 validation error detected: Value null at 'tags.${index + 1}.member.value' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (key.length > 128 || tagValue.length > 256) {
      throw validation(`Tag ${key}: keys are at most 128 characters and values at most 256.`);
    }
    return { Key: key, Value: tagValue };
  });
}
