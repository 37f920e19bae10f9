import { randomUUID } from 'node:crypto';
import type { Clock } from '../../clock';
import { buildArn } from '../../service/arn';
import { EventsError, validation } from './errors';
import type { ResourcesStore } from './resources-store';
import { checkName, optionalString, page, requiredString, seconds, type Input, type Place } from './wire';

export interface ConnectionContext extends Place {
  resources: ResourcesStore;
  clock: Clock;
  newId?: () => string;
}

type Operation = (input: Input) => unknown;

const AUTHORIZATION_TYPES = ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'];
const HTTP_METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
const CONNECTIONS = 'events_connections';
const DESTINATIONS = 'events_api_destinations';
const NAME = '[\\.\\-_A-Za-z0-9]+';

interface Connection {
  name: string;
  arn: string;
  secretArn: string;
  description?: string;
  authorizationType: string;
  /** AuthParameters as given; the secrets in it are never answered back. */
  authParameters: Input;
  invocationConnectivityParameters?: unknown;
  createdAt: number;
  modifiedAt: number;
}

interface ApiDestination {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  invocationEndpoint: string;
  httpMethod: string;
  invocationRateLimitPerSecond: number;
  createdAt: number;
  modifiedAt: number;
}

/**
 * Connections and API destinations (API_CreateConnection, API_CreateApiDestination) kept as
 * resources with AWS's answers; a connection is AUTHORIZED at once (no authorization endpoint is
 * called) and its secrets are stored, not put in a Secrets Manager secret. Rule targets that are API
 * destinations get no events: PutTargets reports them as failed entries.
 */
export function connectionOperations(ctx: ConnectionContext): Record<string, Operation> {
  const { resources, clock } = ctx;
  const newId = ctx.newId ?? randomUUID;
  const getConnection = (name: string) => {
    const connection = resources.get<Connection>(CONNECTIONS, name);
    if (!connection)
      throw new EventsError(
        'ResourceNotFoundException',
        `Failed to describe the connection(s). Connection '${name}' does not exist.`,
      );
    return connection;
  };
  const getDestination = (name: string) => {
    const destination = resources.get<ApiDestination>(DESTINATIONS, name);
    if (!destination) {
      throw new EventsError(
        'ResourceNotFoundException',
        `Failed to describe the api-destination(s). An api-destination '${name}' does not exist.`,
      );
    }
    return destination;
  };
  const connectionState = (connection: Connection) => ({
    ConnectionArn: connection.arn,
    ConnectionState: 'AUTHORIZED',
    CreationTime: seconds(connection.createdAt),
    LastModifiedTime: seconds(connection.modifiedAt),
    LastAuthorizedTime: seconds(connection.modifiedAt),
  });
  const destinationState = (destination: ApiDestination) => ({
    ApiDestinationArn: destination.arn,
    ApiDestinationState: 'ACTIVE',
    CreationTime: seconds(destination.createdAt),
    LastModifiedTime: seconds(destination.modifiedAt),
  });
  const destinationShape = (destination: ApiDestination) => ({
    ApiDestinationArn: destination.arn,
    Name: destination.name,
    ApiDestinationState: 'ACTIVE',
    ConnectionArn: destination.connectionArn,
    InvocationEndpoint: destination.invocationEndpoint,
    HttpMethod: destination.httpMethod,
    InvocationRateLimitPerSecond: destination.invocationRateLimitPerSecond,
    CreationTime: seconds(destination.createdAt),
    LastModifiedTime: seconds(destination.modifiedAt),
  });
  const connectionOfArn = (arn: string) => {
    const name = /^arn:[^:]+:events:[^:]*:[^:]*:connection\/([^/]+)\/.+$/.exec(arn)?.[1];
    const connection = name === undefined ? undefined : resources.get<Connection>(CONNECTIONS, name);
    if (!connection || connection.arn !== arn) {
      throw new EventsError('ResourceNotFoundException', `Connection '${arn}' does not exist.`);
    }
    return connection;
  };

  return {
    CreateConnection: (input) => {
      const name = requiredString(input, 'Name', 'name');
      checkName(name, 'name', 64, NAME);
      const authorizationType = requiredString(input, 'AuthorizationType', 'authorizationType');
      checkEnum(authorizationType, 'authorizationType', AUTHORIZATION_TYPES);
      const authParameters = authParametersOf(input.AuthParameters, authorizationType);
      const now = clock.now();
      const id = newId();
      const connection: Connection = {
        name,
        arn: buildArn('events', ctx.region, ctx.accountId, `connection/${name}/${id}`),
        secretArn: buildArn(
          'secretsmanager',
          ctx.region,
          ctx.accountId,
          `secret:events!connection/${name}/${id}-${id.slice(0, 6)}`,
        ),
        description: optionalString(input, 'Description'),
        authorizationType,
        authParameters,
        invocationConnectivityParameters: input.InvocationConnectivityParameters ?? undefined,
        createdAt: now,
        modifiedAt: now,
      };
      if (!resources.put(CONNECTIONS, name, connection, true)) {
        throw new EventsError('ResourceAlreadyExistsException', `Connection ${name} already exists.`);
      }
      const { LastAuthorizedTime: _authorized, ...created } = connectionState(connection);
      return created;
    },
    DescribeConnection: (input) => {
      const connection = getConnection(requiredString(input, 'Name', 'name'));
      return {
        ConnectionArn: connection.arn,
        Name: connection.name,
        Description: connection.description,
        InvocationConnectivityParameters: connection.invocationConnectivityParameters,
        ConnectionState: 'AUTHORIZED',
        AuthorizationType: connection.authorizationType,
        SecretArn: connection.secretArn,
        AuthParameters: withoutSecrets(connection.authParameters),
        CreationTime: seconds(connection.createdAt),
        LastModifiedTime: seconds(connection.modifiedAt),
        LastAuthorizedTime: seconds(connection.modifiedAt),
      };
    },
    ListConnections: (input) => {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const state = optionalString(input, 'ConnectionState');
      const connections = resources
        .list<Connection>(CONNECTIONS)
        .filter((connection) => connection.name.startsWith(prefix))
        .filter(() => state === undefined || state === 'AUTHORIZED');
      const { items, nextToken } = page(connections, input);
      return {
        Connections: items.map((connection) => ({
          ConnectionArn: connection.arn,
          Name: connection.name,
          ConnectionState: 'AUTHORIZED',
          AuthorizationType: connection.authorizationType,
          CreationTime: seconds(connection.createdAt),
          LastModifiedTime: seconds(connection.modifiedAt),
          LastAuthorizedTime: seconds(connection.modifiedAt),
        })),
        NextToken: nextToken,
      };
    },
    UpdateConnection: (input) => {
      const connection = getConnection(requiredString(input, 'Name', 'name'));
      const authorizationType = optionalString(input, 'AuthorizationType') ?? connection.authorizationType;
      checkEnum(authorizationType, 'authorizationType', AUTHORIZATION_TYPES);
      const given = input.AuthParameters;
      const authParameters =
        given === undefined || given === null
          ? connection.authParameters
          : authParametersOf(mergeParameters(connection.authParameters, given), authorizationType);
      const updated: Connection = {
        ...connection,
        description: optionalString(input, 'Description') ?? connection.description,
        authorizationType,
        authParameters,
        invocationConnectivityParameters:
          input.InvocationConnectivityParameters ?? connection.invocationConnectivityParameters,
        modifiedAt: clock.now(),
      };
      resources.put(CONNECTIONS, connection.name, updated);
      return connectionState(updated);
    },
    DeleteConnection: (input) => {
      const connection = getConnection(requiredString(input, 'Name', 'name'));
      resources.delete(CONNECTIONS, connection.name);
      return { ...connectionState(connection), ConnectionState: 'DELETING' };
    },
    CreateApiDestination: (input) => {
      const name = requiredString(input, 'Name', 'name');
      checkName(name, 'name', 64, NAME);
      const connection = connectionOfArn(requiredString(input, 'ConnectionArn', 'connectionArn'));
      const httpMethod = requiredString(input, 'HttpMethod', 'httpMethod');
      checkEnum(httpMethod, 'httpMethod', HTTP_METHODS);
      const now = clock.now();
      const destination: ApiDestination = {
        name,
        arn: buildArn('events', ctx.region, ctx.accountId, `api-destination/${name}/${newId()}`),
        description: optionalString(input, 'Description'),
        connectionArn: connection.arn,
        invocationEndpoint: endpointOf(requiredString(input, 'InvocationEndpoint', 'invocationEndpoint')),
        httpMethod,
        invocationRateLimitPerSecond: rateLimit(input.InvocationRateLimitPerSecond) ?? 300,
        createdAt: now,
        modifiedAt: now,
      };
      if (!resources.put(DESTINATIONS, name, destination, true)) {
        throw new EventsError('ResourceAlreadyExistsException', `An api-destination ${name} already exists.`);
      }
      return destinationState(destination);
    },
    DescribeApiDestination: (input) => {
      const destination = getDestination(requiredString(input, 'Name', 'name'));
      return { ...destinationShape(destination), Description: destination.description };
    },
    ListApiDestinations: (input) => {
      const prefix = optionalString(input, 'NamePrefix') ?? '';
      const connectionArn = optionalString(input, 'ConnectionArn');
      const destinations = resources
        .list<ApiDestination>(DESTINATIONS)
        .filter((destination) => destination.name.startsWith(prefix))
        .filter((destination) => connectionArn === undefined || destination.connectionArn === connectionArn);
      const { items, nextToken } = page(destinations, input);
      return { ApiDestinations: items.map(destinationShape), NextToken: nextToken };
    },
    UpdateApiDestination: (input) => {
      const destination = getDestination(requiredString(input, 'Name', 'name'));
      const connectionArn = optionalString(input, 'ConnectionArn');
      const httpMethod = optionalString(input, 'HttpMethod') ?? destination.httpMethod;
      checkEnum(httpMethod, 'httpMethod', HTTP_METHODS);
      const endpoint = optionalString(input, 'InvocationEndpoint');
      const updated: ApiDestination = {
        ...destination,
        description: optionalString(input, 'Description') ?? destination.description,
        connectionArn:
          connectionArn === undefined ? destination.connectionArn : connectionOfArn(connectionArn).arn,
        invocationEndpoint: endpoint === undefined ? destination.invocationEndpoint : endpointOf(endpoint),
        httpMethod,
        invocationRateLimitPerSecond:
          rateLimit(input.InvocationRateLimitPerSecond) ?? destination.invocationRateLimitPerSecond,
        modifiedAt: clock.now(),
      };
      resources.put(DESTINATIONS, destination.name, updated);
      return destinationState(updated);
    },
    DeleteApiDestination: (input) => {
      const destination = getDestination(requiredString(input, 'Name', 'name'));
      resources.delete(DESTINATIONS, destination.name);
      return {};
    },
  };
}

function checkEnum(value: string, member: string, values: string[]): void {
  if (!values.includes(value)) {
    throw validation(
      `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`,
    );
  }
}

const PARAMETERS_OF: Record<string, string> = {
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
};

/** AuthParameters with the structure the authorization type needs, and its required members. */
function authParametersOf(value: unknown, type: string): Input {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validation(
      "1 validation error detected: Value null at 'authParameters' failed to satisfy constraint: Member must not be null",
    );
  }
  const parameters = value as Input;
  const key = PARAMETERS_OF[type];
  const inner = parameters[key];
  if (inner === null || typeof inner !== 'object') {
    throw validation(
      `Parameter AuthParameters is not valid. Reason: ${key} is required for authorization type ${type}.`,
    );
  }
  const required: Record<string, string[]> = {
    BASIC: ['Username', 'Password'],
    API_KEY: ['ApiKeyName', 'ApiKeyValue'],
    OAUTH_CLIENT_CREDENTIALS: ['AuthorizationEndpoint', 'HttpMethod'],
  };
  for (const member of required[type])
    requiredString(inner as Input, member, `authParameters.${key}.${member}`);
  return parameters;
}

/** UpdateConnection's AuthParameters over the stored ones (a member not given stays). */
function mergeParameters(stored: Input, given: unknown): Input {
  const merged: Input = { ...stored };
  for (const [key, value] of Object.entries(given as Input)) {
    const before = stored[key];
    merged[key] =
      before !== null && typeof before === 'object' && value !== null && typeof value === 'object'
        ? { ...(before as Input), ...(value as Input) }
        : value;
  }
  return merged;
}

/** DescribeConnection's AuthParameters: the password, API key value and client secret left out. */
function withoutSecrets(parameters: Input): Input {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !['Password', 'ApiKeyValue', 'ClientSecret'].includes(key))
        .map(([key, item]) => [key, strip(item)]),
    );
  };
  return strip(parameters) as Input;
}

function endpointOf(endpoint: string): string {
  if (!/^https:\/\/\S+$/.test(endpoint)) {
    throw validation(
      `1 validation error detected: Value '${endpoint}' at 'invocationEndpoint' failed to satisfy constraint: Member must satisfy regular expression pattern: ^((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@\\x26=+$,A-Za-z0-9])+)([).!';/?:,])?$`,
    );
  }
  return endpoint;
}

function rateLimit(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validation(
      `1 validation error detected: Value '${String(value)}' at 'invocationRateLimitPerSecond' failed to satisfy constraint: Member must have value greater than or equal to 1`,
    );
  }
  return value;
}
