import { EventsService } from '../aws/events/events-service';
import { busesFromModel, rulesFromModel } from '../aws/events/model-rules';
import { SnsService } from '../aws/sns/sns-service';
import { topologyFromModel } from '../aws/sns/topology';
import type { LambdaDelivery } from '../push/deliver';
import type { ServiceModel } from '../service/model';
import type { Db } from '../state/database';

/**
 * The embedded AWS services, configured from the service's events and resources. They know nothing of
 * Lambda: what targets a function goes through `deliver`.
 */
export function embeddedServices(
  model: ServiceModel,
  db: Db,
  deliver: (delivery: LambdaDelivery) => void,
  log: (line: string) => void,
) {
  const { region, accountId } = model;
  const sns = new SnsService({
    db,
    region,
    accountId,
    topology: topologyFromModel(model),
    deliver,
    deliverToQueue: ({ queueArn }) =>
      log(`SNS message for the SQS queue ${queueArn} not delivered: SQS is not emulated yet`),
    log,
  });
  const events = new EventsService({
    db,
    region,
    accountId,
    rules: rulesFromModel(model),
    buses: busesFromModel(model),
    deliver: (delivery) => deliver({ ...delivery, payload: JSON.stringify(delivery.payload) }),
    onDeliveryError: (error, delivery) => log(`${delivery.source}: ${(error as Error).message}`),
  });
  return { sns, events };
}
