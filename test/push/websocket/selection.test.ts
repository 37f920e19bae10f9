import { strict as assert } from 'node:assert';
import { compileSelection } from '../../../src/push/websocket/selection';

describe('push/websocket compileSelection', () => {
  it('reads a property of the body', () => {
    const select = compileSelection('$request.body.action');
    assert.equal(select({ action: 'join' }), 'join');
    assert.equal(select({ other: 'join' }), undefined);
    assert.equal(select('text'), undefined);
    assert.equal(select(null), undefined);
  });

  it('follows nested properties and array indexes', () => {
    assert.equal(compileSelection('$request.body.a.b')({ a: { b: 'deep' } }), 'deep');
    assert.equal(compileSelection('$request.body.list[1]')({ list: ['x', 'y'] }), 'y');
  });

  it('turns numbers and booleans into keys, and selects nothing from objects', () => {
    const select = compileSelection('$request.body.action');
    assert.equal(select({ action: 7 }), '7');
    assert.equal(select({ action: true }), 'true');
    assert.equal(select({ action: { name: 'x' } }), undefined);
  });

  it('bounds a variable with braces and joins several with literal text', () => {
    assert.equal(compileSelection('${request.body.version}-beta')({ version: 'v2' }), 'v2-beta');
    const select = compileSelection('$request.body.service/$request.body.action');
    assert.equal(select({ service: 'chat', action: 'send' }), 'chat/send');
    assert.equal(select({ service: 'chat' }), undefined);
  });

  it('reads an escaped dollar as a literal', () => {
    assert.equal(compileSelection('\\$default')({}), '$default');
  });

  it('does not follow properties the body does not own', () => {
    const select = compileSelection('$request.body.constructor');
    assert.equal(select({}), undefined);
    assert.equal(compileSelection('$request.body.__proto__')(JSON.parse('{"__proto__":"x"}')), 'x');
  });

  it('selects nothing with a variable other than the request body', () => {
    assert.equal(compileSelection('$context.routeKey')({ routeKey: 'x' }), undefined);
  });
});
