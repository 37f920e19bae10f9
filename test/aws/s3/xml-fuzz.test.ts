import fc from 'fast-check';
import { S3Error } from '../../../src/aws/s3/errors';
import { parseXml } from '../../../src/aws/s3/xml';
import { startS3, type S3Harness } from './helpers';

const VALID = [
  '<Delete><Quiet>true</Quiet><Object><Key>a &amp; b</Key></Object></Delete>',
  '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"x"</ETag></Part></CompleteMultipartUpload>',
  '<Tagging><TagSet><Tag><Key>k</Key><Value>&#x263A;</Value></Tag></TagSet></Tagging>',
  '<?xml version="1.0"?><s3:Tagging xmlns:s3="ns"><![CDATA[<x>]]><!-- c --><TagSet/></s3:Tagging>',
];

/** A valid document with a slice cut out, a fragment pasted in, or characters replaced. */
const mutated = fc
  .tuple(
    fc.constantFrom(...VALID),
    fc.nat(),
    fc.nat(12),
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        '<',
        '>',
        '</',
        '/>',
        '&',
        '&#x110000;',
        '&#99999999;',
        '&#;',
        '<!DOCTYPE x>',
        ']]>',
        '<?',
        '<!--',
      ),
    ),
  )
  .map(([text, at, cut, insert]) => {
    const position = at % (text.length + 1);
    return text.slice(0, position) + insert + text.slice(position + cut);
  });

const document = fc.oneof(
  mutated,
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Whether parsing answers an element or S3's MalformedXML, and nothing else. */
function parsesOrIsMalformed(text: string): boolean {
  try {
    const element = parseXml(text);
    return typeof element.name === 'string';
  } catch (error) {
    return error instanceof S3Error && error.code === 'MalformedXML' && error.statusCode === 400;
  }
}

describe('S3 XML parser under fuzzing', () => {
  it('answers an element or MalformedXML for any text, never another error', () => {
    fc.assert(fc.property(document, parsesOrIsMalformed), { numRuns: 5000 });
  });

  describe('over HTTP', () => {
    let s3h: S3Harness;
    before(async () => {
      s3h = await startS3({ buckets: ['fuzz'] });
    });
    after(async () => {
      await s3h.dispose();
    });

    it('answers malformed DeleteObjects, tagging and ACL bodies with 400 MalformedXML, never a 500', async () => {
      const targets = ['/fuzz?delete', '/fuzz?tagging', '/fuzz?lifecycle', '/fuzz?encryption', '/fuzz?acl'];
      await fc.assert(
        fc.asyncProperty(mutated, fc.constantFrom(...targets), async (body, target) => {
          const response = await fetch(`${s3h.url}${target}`, {
            method: target.endsWith('delete') ? 'POST' : 'PUT',
            body,
          });
          const text = await response.text();
          if (response.status >= 500) return false;
          return (
            response.status < 300 || /<Code>(MalformedXML|MalformedACLError|InvalidTag)<\/Code>/.test(text)
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
