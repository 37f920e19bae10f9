import path from 'node:path';
import type { AwsRequest, AwsService } from '../aws/endpoint';
import { requestRegion } from '../aws/signature';
import { parseArn } from '../service/arn';
import type { ServiceModel } from '../service/model';
import { readResources } from '../service/resources';
import { openStateDatabase, type Db } from '../state/database';
import { regionServices, type EmbeddedDeps, type RegionServices } from './aws-services';

const REGIONAL = ['sqs', 'sns', 'events', 'dynamodb', 'kinesis'] as const;

interface Region {
  services: RegionServices;
  db: Db;
}

/**
 * The embedded services region by region, as AWS scopes their resources. The service's own region
 * holds what it defines, and is the one its event source mappings, schedules and destinations read;
 * any other region a request names gets its own services, empty, at its first request, with their
 * state in `regions/<region>/` of the state folder. A request's region is its signature's (else the
 * AWS host it names, else the service's); a delivery's is that of the ARN it targets.
 */
export class Regions {
  readonly home: RegionServices;
  private readonly others = new Map<string, Promise<Region>>();

  /** `deps` are the home region's; another region's state goes in its own folder and database. */
  constructor(
    private readonly model: ServiceModel,
    private readonly deps: EmbeddedDeps,
  ) {
    this.home = regionServices(model, deps, this.servicesOf);
  }

  /** The services of the region an ARN names (the service's own for an ARN without one). */
  readonly servicesOf = (arn: string): Promise<RegionServices> =>
    this.in(parseArn(arn)?.region || this.model.region);

  /** Each regional service on the AWS endpoint, serving a request with its region's instance. */
  endpointServices(): AwsService[] {
    return REGIONAL.map((kind) => ({
      handles: (request: AwsRequest) => this.home[kind].handles(request),
      handle: async (request: AwsRequest) =>
        (await this.in(requestRegion(request) ?? this.model.region))[kind].handle(request),
    }));
  }

  async in(region: string): Promise<RegionServices> {
    if (region === this.model.region) return this.home;
    let opening = this.others.get(region);
    if (!opening) {
      opening = this.open(region);
      this.others.set(region, opening);
      opening.catch(() => this.others.delete(region));
    }
    return (await opening).services;
  }

  async start(): Promise<void> {
    await this.home.dynamodb.start();
  }

  /** Long polls on every region's queues end at once. */
  stopPolls(): void {
    this.home.sqs.stop();
    for (const region of this.others.values()) void region.then(({ services }) => services.sqs.stop(), noop);
  }

  /** The home region's database is the emulator's to close; the other regions' are closed here. */
  async stop(): Promise<void> {
    await this.home.dynamodb.stop();
    const others = await Promise.allSettled(this.others.values());
    for (const other of others) {
      if (other.status !== 'fulfilled') continue;
      other.value.services.sqs.stop();
      await other.value.services.dynamodb.stop();
      other.value.db.close();
    }
    this.others.clear();
  }

  private async open(region: string): Promise<Region> {
    const stateDir = path.join(this.deps.stateDir, 'regions', region);
    const db = openStateDatabase(stateDir, { reset: false, commits: this.deps.commits });
    try {
      const model = emptyModel(this.model, region);
      const services = regionServices(model, { ...this.deps, db, stateDir }, this.servicesOf);
      await services.dynamodb.start();
      return { services, db };
    } catch (error) {
      db.close();
      throw error;
    }
  }
}

/** The service as another region sees it: nothing of its own there. */
function emptyModel(model: ServiceModel, region: string): ServiceModel {
  const place = { region, account: model.accountId, stackName: `${model.service}-${model.stage}` };
  return { ...model, region, functions: [], resources: readResources({}, place, new Map()) };
}

const noop = () => undefined;
