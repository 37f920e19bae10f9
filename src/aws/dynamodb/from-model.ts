import type { ServiceModel } from '../../service/model';
import type { TableResource } from '../../service/resources';

/** The service's `AWS::DynamoDB::Table` resources, each with the CreateTable input it defines. */
export function tablesFromModel(model: ServiceModel): TableResource[] {
  return [...model.resources.tables.values()];
}
