import assert from 'node:assert/strict';
import { S3Error } from '../../../src/aws/s3/errors';
import { parseRange } from '../../../src/aws/s3/object-read';
import { childrenNamed, childText, parseXml, toXml, xmlDocument } from '../../../src/aws/s3/xml';

describe('S3 XML and ranges', () => {
  it('writes elements in order, repeats arrays, leaves out undefined and escapes text', () => {
    assert.equal(
      toXml({ A: 'x & <y>', B: undefined, C: [{ D: 1 }, { D: 2 }], E: true, F: '' }),
      '<A>x &amp; &lt;y&gt;</A><C><D>1</D></C><C><D>2</D></C><E>true</E><F/>',
    );
    assert.equal(toXml({ Key: 'line\r\nbreak "q"' }), '<Key>line&#13;&#10;break &quot;q&quot;</Key>');
    assert.equal(
      xmlDocument('Root', { A: 1 }),
      '<?xml version="1.0" encoding="UTF-8"?>\n<Root xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><A>1</A></Root>',
    );
  });

  it('reads request documents with namespaces, prefixes, entities, CDATA and comments', () => {
    const document = parseXml(
      '<?xml version="1.0"?><s3:Delete xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><!-- c -->' +
        '<Quiet>true</Quiet><Object><Key>a &amp; b&#x20;&#33;</Key></Object><Object><Key><![CDATA[<raw>]]></Key></Object>' +
        '<Object><Key> spaced </Key><VersionId/></Object></s3:Delete>',
    );
    assert.equal(document.name, 'Delete');
    assert.equal(childText(document, 'Quiet'), 'true');
    assert.deepEqual(
      childrenNamed(document, 'Object').map((o) => childText(o, 'Key')),
      ['a & b !', '<raw>', ' spaced '],
    );
  });

  it('refuses documents that are not well-formed as MalformedXML', () => {
    for (const text of [
      '<A><B></A>',
      '<A>',
      'text',
      '<A/><B/>',
      '<A>1 < 2</A>',
      '<!DOCTYPE a><A/>',
      '<A>a & b</A>',
      '<A>&#x110000;</A>',
      '<A>&#0;</A>',
      'x<A/>',
    ]) {
      assert.throws(
        () => parseXml(text),
        (error: unknown) => error instanceof S3Error && error.code === 'MalformedXML',
        text,
      );
    }
  });

  it('reads one byte range the way S3 serves it', () => {
    assert.deepEqual(parseRange('bytes=0-0', 10), { start: 0, end: 0 });
    assert.deepEqual(parseRange('bytes=3-', 10), { start: 3, end: 9 });
    assert.deepEqual(parseRange('bytes=-4', 10), { start: 6, end: 9 });
    assert.deepEqual(parseRange('bytes=-40', 10), { start: 0, end: 9 });
    assert.deepEqual(parseRange('bytes=5-500', 10), { start: 5, end: 9 });
    assert.equal(parseRange('bytes=10-', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=-0', 10), 'unsatisfiable');
    assert.equal(parseRange('bytes=0-', 0), 'unsatisfiable');
    assert.equal(parseRange('bytes=5-2', 10), undefined);
    assert.equal(parseRange('bytes=0-1,3-4', 10), undefined);
    assert.equal(parseRange('items=0-1', 10), undefined);
  });
});
