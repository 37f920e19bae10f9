/**
 * Compiles a `wildcard` value to a whole-string matcher. `*` matches any run of characters (also an
 * empty one); `\*` is a literal asterisk and `\\` a literal backslash. As in EventBridge's rule engine
 * (aws/event-ruler WildcardParser), two consecutive `*` and a backslash before anything else are
 * refused; the thrown message gives the position in the value.
 */
export function compileWildcard(value: string): (text: string) => boolean {
  let source = '';
  for (let i = 0; i < value.length; i++) {
    const char = value[i];
    if (char === '*') {
      if (value[i + 1] === '*') throw new Error(`Consecutive wildcard characters at pos ${i}`);
      source += '[\\s\\S]*';
    } else if (char === '\\') {
      const next = value[i + 1];
      if (next !== '*' && next !== '\\') throw new Error(`Invalid escape character at pos ${i}`);
      source += `\\${next}`;
      i++;
    } else {
      source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  const regex = new RegExp(`^${source}$`, 'u');
  return (text) => regex.test(text);
}
