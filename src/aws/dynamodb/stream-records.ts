import { itemSize, keyOf, sameItem, type Item } from './items';
import type { NewRecord, StreamInfo } from './streams-store';

/** Who made a change, on the records of the service's own writes (TTL's deletions), as the API writes it. */
export interface UserIdentity {
  Type: string;
  PrincipalId: string;
}

/** One item's change by a write: its image before and after (absent when there was no item). */
export interface Change {
  before?: Item;
  after?: Item;
}

/**
 * The stream record of a change, or undefined when the item's data did not change: "If you perform a
 * PutItem or UpdateItem operation that does not change any data in an item, DynamoDB Streams does not
 * write a stream record for that operation" (DynamoDB developer guide, Streams).
 */
export function streamRecord(
  stream: StreamInfo,
  { before, after }: Change,
  place: { region: string; eventId: string; now: number; userIdentity?: UserIdentity },
): NewRecord | undefined {
  const image = after ?? before;
  if (!image || sameItem(before, after)) return undefined;
  const view = stream.viewType;
  const Keys = keyOf(image, stream.keySchema);
  const NewImage = after && (view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? after : undefined;
  const OldImage = before && (view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES') ? before : undefined;
  return {
    eventID: place.eventId,
    eventName: !before ? 'INSERT' : !after ? 'REMOVE' : 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: place.region,
    ...(place.userIdentity && { userIdentity: place.userIdentity }),
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(place.now / 1000),
      Keys,
      NewImage,
      OldImage,
      SizeBytes: itemSize(Keys) + (NewImage ? itemSize(NewImage) : 0) + (OldImage ? itemSize(OldImage) : 0),
      StreamViewType: view,
    },
  };
}
