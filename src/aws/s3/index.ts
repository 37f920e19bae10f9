export { bucketsFromModel, corsFromModel, notificationsFromModel, type S3Notification } from './from-model';
export type { Deliver, S3Delivery, S3EventName } from './notifications';
export { S3Service, type S3ServiceOptions } from './s3-service';
