import type { ServiceModel } from '../../../src/service/model';
import { modelOf } from '../../helpers/service';

/** The ARN of a function of the fixture service. */
export const ARN = (key: string) => `arn:aws:lambda:us-east-1:000000000000:function:svc-dev-${key}`;

/** A service whose functions subscribe to buckets with every form of `s3` event. */
export function service(): ServiceModel {
  return modelOf({
    provider: { s3: { archive: { name: 'archive-bucket' } } },
    functions: {
      onImage: {
        handler: 'h.image',
        events: [
          {
            s3: {
              bucket: 'uploads',
              event: 's3:ObjectCreated:*',
              rules: [{ prefix: 'incoming/' }, { suffix: '.jpg' }],
            },
          },
        ],
      },
      onDelete: {
        handler: 'h.delete',
        events: [{ s3: { bucket: 'uploads', event: 's3:ObjectRemoved:Delete' } }],
      },
      onCopy: {
        handler: 'h.copy',
        events: [{ s3: { bucket: 'uploads', event: 's3:ObjectCreated:Copy', existing: true } }],
      },
      onPhoto: { handler: 'h.photo', events: [{ s3: 'photos' }, { s3: 'archive' }] },
    },
    resources: {
      Reports: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'reports' } },
      Unnamed: { Type: 'AWS::S3::Bucket' },
    },
  });
}
