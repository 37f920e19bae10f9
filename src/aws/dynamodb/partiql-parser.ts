import { isObject } from '../../service/values';
import { validation } from './errors';
import type { Item, WireValue } from './items';

/*
 * DynamoDB's PartiQL, parsed by hand: npm has no maintained parser of this dialect (partiql-js is a
 * proprietary placeholder with one version, @aws/lsp-partiql a language server for editors), and
 * DynamoDB's subset (one table, one item written a statement, `?` parameters bound from
 * AttributeValues) is small enough for a recursive-descent parser in one module.
 */

/** A document path: `a`, `"a"`, `a.b`, `a[0]`. */
export type Path = Array<string | number>;

export type Operand =
  { kind: 'path'; path: Path } | { kind: 'value'; value: WireValue } | { kind: 'size'; path: Path };

export type Condition =
  | { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: Operand; right: Operand }
  | { kind: 'between'; operand: Operand; low: Operand; high: Operand }
  | { kind: 'in'; operand: Operand; values: Operand[] }
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; condition: Condition }
  | { kind: 'function'; name: ConditionFunction; args: Operand[] };

export type ConditionFunction =
  'begins_with' | 'contains' | 'attribute_exists' | 'attribute_not_exists' | 'attribute_type';

/** The value of a SET: an operand, a sum or difference, or one of the update functions. */
export type SetValue =
  | { kind: 'operand'; operand: Operand }
  | { kind: 'arithmetic'; op: '+' | '-'; left: Operand; right: Operand }
  | { kind: 'list_append'; left: Operand; right: Operand }
  | { kind: 'if_not_exists'; path: Path; value: Operand }
  | { kind: 'set_add' | 'set_delete'; path: Path; value: Operand };

export type UpdateAction = { kind: 'set'; path: Path; value: SetValue } | { kind: 'remove'; path: Path };

export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export type Statement =
  | {
      kind: 'select';
      projection?: Path[];
      table: string;
      index?: string;
      where?: Condition;
      /** `ORDER BY <key> [ASC|DESC]`. */
      order?: { path: Path; descending: boolean };
    }
  | { kind: 'insert'; table: string; item: Item }
  | { kind: 'update'; table: string; actions: UpdateAction[]; where: Condition; returning?: Returning }
  | { kind: 'delete'; table: string; where: Condition; returning?: Returning }
  /** `EXISTS(SELECT * FROM t WHERE ...)`: a transaction's condition check. */
  | { kind: 'exists'; table: string; where: Condition };

type Token =
  | { type: 'word'; text: string; at: number }
  | { type: 'quoted'; text: string; at: number }
  | { type: 'string'; text: string; at: number }
  | { type: 'number'; text: string; at: number }
  | { type: 'punct'; text: string; at: number }
  | { type: 'end'; text: ''; at: number };

const PUNCTUATION = ['<<', '>>', '<=', '>=', '<>', '!=', ...',.[](){}:?*=<>+-;'];

/** The statement's tokens; a character PartiQL has no use for is a ValidationException. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && text[i + 1] === '-') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = i;
      while (i < text.length && /[A-Za-z0-9_$]/.test(text[i])) i++;
      tokens.push({ type: 'word', text: text.slice(start, i), at: start });
    } else if (c === '"' || c === "'") {
      const start = i;
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw malformed(`Unterminated ${c === '"' ? 'quoted identifier' : 'string'}`);
        if (text[i] === c) {
          if (text[i + 1] === c) {
            value += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += text[i++];
      }
      tokens.push({ type: c === '"' ? 'quoted' : 'string', text: value, at: start });
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i)) as RegExpExecArray;
      tokens.push({ type: 'number', text: match[0], at: i });
      i += match[0].length;
    } else {
      const punct = PUNCTUATION.find((p) => text.startsWith(p, i));
      if (!punct) throw malformed(`Unexpected character '${c}'`);
      tokens.push({ type: 'punct', text: punct === '!=' ? '<>' : punct, at: i });
      i += punct.length;
    }
  }
  tokens.push({ type: 'end', text: '', at: text.length });
  return tokens;
}

/** A statement that cannot be parsed, in DynamoDB's words. */
export const malformed = (detail: string) =>
  validation(`Statement wasn't well formed, can't be processed: ${detail}`);

/** Parses one statement, binding its `?` parameters, in order, to `parameters`. */
export function parseStatement(text: string, parameters: unknown[] = []): Statement {
  return new Parser(tokenize(text), parameters).statement();
}

class Parser {
  private at = 0;
  private bound = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly parameters: unknown[],
  ) {}

  statement(): Statement {
    const verb = this.peek();
    const keyword = verb.type === 'word' ? verb.text.toUpperCase() : '';
    let statement: Statement;
    if (keyword === 'SELECT') statement = this.select();
    else if (keyword === 'INSERT') statement = this.insert();
    else if (keyword === 'UPDATE') statement = this.update();
    else if (keyword === 'DELETE') statement = this.delete();
    else if (keyword === 'EXISTS') statement = this.exists();
    else if (verb.type === 'end') throw malformed('Empty statement');
    else throw validation(`Unsupported operation: ${verb.text || 'statement'} is not supported`);
    this.acceptPunct(';');
    if (this.peek().type !== 'end') throw malformed(`Unexpected token '${this.peek().text}'`);
    if (this.bound !== this.parameters.length) {
      throw validation(`Number of parameters in request and statement don't match.`);
    }
    return statement;
  }

  private select(): Statement {
    this.keyword('SELECT');
    let projection: Path[] | undefined;
    if (!this.acceptPunct('*')) {
      const word = this.peek();
      const called = this.tokens[this.at + 1]?.text === '(';
      if (word.type === 'word' && (called || word.text.toUpperCase() === 'DISTINCT')) {
        throw validation(`Unsupported operation: ${word.text.toUpperCase()} is not supported in SELECT`);
      }
      projection = [this.path()];
      while (this.acceptPunct(',')) projection.push(this.path());
    }
    this.keyword('FROM');
    const table = this.name();
    let index: string | undefined;
    if (this.acceptPunct('.')) index = this.name();
    const where = this.acceptKeyword('WHERE') ? this.condition() : undefined;
    let order: { path: Path; descending: boolean } | undefined;
    if (this.acceptKeyword('ORDER')) {
      this.keyword('BY');
      const path = this.path();
      const descending = this.acceptKeyword('DESC');
      if (!descending) this.acceptKeyword('ASC');
      order = { path, descending };
    }
    const next = this.peek();
    if (next.type === 'word' && ['LIMIT', 'GROUP', 'OFFSET'].includes(next.text.toUpperCase())) {
      throw validation(`Unsupported operation: ${next.text.toUpperCase()} is not supported`);
    }
    return { kind: 'select', projection, table, index, where, ...(order ? { order } : {}) };
  }

  private insert(): Statement {
    this.keyword('INSERT');
    this.keyword('INTO');
    const table = this.name();
    this.keyword('VALUE');
    const item = this.value();
    if (!isObject(item.M)) throw malformed('INSERT expects a tuple as its VALUE');
    return { kind: 'insert', table, item: item.M as Item };
  }

  private update(): Statement {
    this.keyword('UPDATE');
    const table = this.name();
    const actions: UpdateAction[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do actions.push(this.setAction());
        while (this.acceptPunct(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do actions.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunct(','));
      } else break;
    }
    if (!actions.length) throw malformed('UPDATE expects SET or REMOVE');
    this.keyword('WHERE');
    const where = this.condition();
    const returning = this.returning(['ALL OLD', 'MODIFIED OLD', 'ALL NEW', 'MODIFIED NEW']);
    return { kind: 'update', table, actions, where, returning };
  }

  private delete(): Statement {
    this.keyword('DELETE');
    this.keyword('FROM');
    const table = this.name();
    this.keyword('WHERE');
    const where = this.condition();
    return { kind: 'delete', table, where, returning: this.returning(['ALL OLD']) };
  }

  private exists(): Statement {
    this.keyword('EXISTS');
    this.punct('(');
    this.keyword('SELECT');
    this.punct('*');
    this.keyword('FROM');
    const table = this.name();
    this.keyword('WHERE');
    const where = this.condition();
    this.punct(')');
    return { kind: 'exists', table, where };
  }

  /** `RETURNING ALL OLD *` and the like. */
  private returning(allowed: string[]): Returning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const which = `${this.word().toUpperCase()} ${this.word().toUpperCase()}`;
    this.punct('*');
    if (!allowed.includes(which)) throw malformed(`RETURNING ${which} * is not supported here`);
    const [scope, age] = which.split(' ');
    return `${scope === 'ALL' ? 'ALL' : 'UPDATED'}_${age}` as Returning;
  }

  private setAction(): UpdateAction {
    const path = this.path();
    this.punct('=');
    const next = this.peek();
    const fn = next.type === 'word' && this.tokens[this.at + 1]?.text === '(' ? next.text.toLowerCase() : '';
    if (fn === 'list_append') {
      const [left, right] = this.call(2);
      return { kind: 'set', path, value: { kind: 'list_append', left, right } };
    }
    if (fn === 'if_not_exists' || fn === 'set_add' || fn === 'set_delete') {
      const [target, value] = this.call(2);
      if (target.kind !== 'path') throw malformed(`${fn} expects a path as its first argument`);
      return { kind: 'set', path, value: { kind: fn, path: target.path, value } };
    }
    const left = this.operand();
    const op = this.acceptPunct('+') ? '+' : this.acceptPunct('-') ? '-' : undefined;
    if (!op) return { kind: 'set', path, value: { kind: 'operand', operand: left } };
    return { kind: 'set', path, value: { kind: 'arithmetic', op, left, right: this.operand() } };
  }

  /** A function call's arguments: `name(a, b)`. */
  private call(count: number): Operand[] {
    const name = this.word();
    this.punct('(');
    const args = [this.operand()];
    while (this.acceptPunct(',')) args.push(this.operand());
    this.punct(')');
    if (args.length !== count) throw malformed(`${name} expects ${count} arguments`);
    return args;
  }

  condition(): Condition {
    let left = this.conjunction();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Condition {
    if (this.acceptKeyword('NOT')) return { kind: 'not', condition: this.negation() };
    return this.predicate();
  }

  private predicate(): Condition {
    const next = this.peek();
    // An operand never starts with '(': one opens a parenthesized condition.
    if (next.type === 'punct' && next.text === '(') {
      this.punct('(');
      const inner = this.condition();
      this.punct(')');
      return inner;
    }
    if (next.type === 'word' && this.tokens[this.at + 1]?.text === '(') {
      const name = next.text.toLowerCase();
      const functions: Record<string, [ConditionFunction, number]> = {
        begins_with: ['begins_with', 2],
        contains: ['contains', 2],
        attribute_exists: ['attribute_exists', 1],
        attribute_not_exists: ['attribute_not_exists', 1],
        exists: ['attribute_exists', 1],
        missing: ['attribute_not_exists', 1],
        attribute_type: ['attribute_type', 2],
      };
      if (functions[name]) {
        const [fn, count] = functions[name];
        return { kind: 'function', name: fn, args: this.call(count) };
      }
      if (name !== 'size') throw validation(`Unsupported function: ${next.text} is not supported`);
    }
    const operand = this.operand();
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      if (operand.kind !== 'path') throw malformed('IS expects a path');
      const what = this.word().toUpperCase();
      if (what === 'MISSING') {
        return {
          kind: 'function',
          name: negated ? 'attribute_exists' : 'attribute_not_exists',
          args: [operand],
        };
      }
      const type = { NULL: 'NULL', STRING: 'S', NUMBER: 'N', BOOLEAN: 'BOOL', BINARY: 'B' }[what];
      if (!type) throw malformed(`IS ${what} is not supported`);
      const test: Condition = {
        kind: 'function',
        name: 'attribute_type',
        args: [operand, { kind: 'value', value: { S: type } }],
      };
      return negated ? { kind: 'not', condition: test } : test;
    }
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.operand();
      this.keyword('AND');
      return { kind: 'between', operand, low, high: this.operand() };
    }
    if (this.acceptKeyword('IN')) {
      const close = this.acceptPunct('[') ? ']' : (this.punct('('), ')');
      const values = [this.operand()];
      while (this.acceptPunct(',')) values.push(this.operand());
      this.punct(close);
      return { kind: 'in', operand, values };
    }
    const op = this.peek();
    if (op.type === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(op.text)) {
      this.at++;
      const right = this.operand();
      return { kind: 'compare', op: op.text as '=', left: operand, right };
    }
    throw malformed(`Unexpected token '${op.text}'`);
  }

  private operand(): Operand {
    const next = this.peek();
    if (
      next.type === 'word' &&
      next.text.toLowerCase() === 'size' &&
      this.tokens[this.at + 1]?.text === '('
    ) {
      const [arg] = this.call(1);
      if (arg.kind !== 'path') throw malformed('size expects a path');
      return { kind: 'size', path: arg.path };
    }
    if (
      next.type === 'quoted' ||
      (next.type === 'word' && !LITERAL_WORDS.includes(next.text.toUpperCase()))
    ) {
      return { kind: 'path', path: this.path() };
    }
    return { kind: 'value', value: this.value() };
  }

  path(): Path {
    const path: Path = [this.name()];
    for (;;) {
      if (this.acceptPunct('.')) path.push(this.name());
      else if (this.acceptPunct('[')) {
        const index = this.take();
        if (index.type !== 'number' || !/^\d+$/.test(index.text)) throw malformed('Expected a list index');
        path.push(Number(index.text));
        this.punct(']');
      } else return path;
    }
  }

  /** A literal, a tuple, a list, a bag (a set) or a parameter, as an AttributeValue. */
  private value(): WireValue {
    const token = this.take();
    if (token.type === 'string') return { S: token.text };
    if (token.type === 'number') return { N: token.text };
    if (token.type === 'punct') {
      if (token.text === '-' && this.peek().type === 'number') return { N: `-${this.take().text}` };
      if (token.text === '?') return this.parameter();
      if (token.text === '{') {
        const map: Record<string, WireValue> = {};
        if (!this.acceptPunct('}')) {
          do {
            const name = this.take();
            if (name.type !== 'string' && name.type !== 'quoted' && name.type !== 'word') {
              throw malformed('Expected an attribute name');
            }
            this.punct(':');
            map[name.text] = this.value();
          } while (this.acceptPunct(','));
          this.punct('}');
        }
        return { M: map };
      }
      if (token.text === '[') {
        const list: WireValue[] = [];
        if (!this.acceptPunct(']')) {
          do list.push(this.value());
          while (this.acceptPunct(','));
          this.punct(']');
        }
        return { L: list };
      }
      if (token.text === '<<') return this.bag();
    }
    if (token.type === 'word') {
      const word = token.text.toUpperCase();
      if (word === 'TRUE' || word === 'FALSE') return { BOOL: word === 'TRUE' };
      if (word === 'NULL') return { NULL: true };
    }
    throw malformed(`Expected a value, found '${token.text}'`);
  }

  /** `<<'a', 'b'>>`: a string, number or binary set. */
  private bag(): WireValue {
    const members: WireValue[] = [];
    do members.push(this.value());
    while (this.acceptPunct(','));
    this.punct('>>');
    const types = new Set(members.map((m) => Object.keys(m)[0]));
    const type = [...types][0];
    if (types.size !== 1 || !['S', 'N', 'B'].includes(type)) {
      throw validation('A set must have members of one type: string, number or binary');
    }
    return { [`${type}S`]: members.map((m) => m[type]) };
  }

  private parameter(): WireValue {
    if (this.bound >= this.parameters.length) {
      throw validation(`Number of parameters in request and statement don't match.`);
    }
    const value = this.parameters[this.bound++];
    if (!isObject(value) || Object.keys(value).length !== 1) {
      throw validation(
        'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
      );
    }
    return value as WireValue;
  }

  /** A table, index or attribute name: `"quoted"` or a bare word. */
  private name(): string {
    const token = this.take();
    if (token.type === 'quoted' || token.type === 'word') return token.text;
    throw malformed(`Expected identifier, found '${token.text}'`);
  }

  private word(): string {
    const token = this.take();
    if (token.type !== 'word') throw malformed(`Expected keyword, found '${token.text}'`);
    return token.text;
  }

  private keyword(keyword: string): void {
    if (!this.acceptKeyword(keyword)) throw malformed(`Expected ${keyword}, found '${this.peek().text}'`);
  }

  private acceptKeyword(keyword: string): boolean {
    const token = this.peek();
    if (token.type !== 'word' || token.text.toUpperCase() !== keyword) return false;
    this.at++;
    return true;
  }

  private punct(text: string): void {
    if (!this.acceptPunct(text)) throw malformed(`Expected '${text}', found '${this.peek().text}'`);
  }

  private acceptPunct(text: string): boolean {
    const token = this.peek();
    if (token.type !== 'punct' || token.text !== text) return false;
    this.at++;
    return true;
  }

  private peek(): Token {
    return this.tokens[this.at];
  }

  private take(): Token {
    const token = this.tokens[this.at];
    if (token.type !== 'end') this.at++;
    return token;
  }
}

const LITERAL_WORDS = ['TRUE', 'FALSE', 'NULL'];
