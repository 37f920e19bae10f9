const CLAUSE = /\b(SET|REMOVE|ADD|DELETE)\b/gi;
const LIST_INDEX = /\[\s*(\d+)\s*\]\s*$/;

/**
 * The update expression with each REMOVE clause's list elements removed from the highest index down.
 * AWS removes list elements by their indexes in the original list ("REMOVE l[1], l[2]" on [0..5]
 * leaves [0, 3, 4, 5]); dynalite removes them one after the other, each shifting the next, so
 * the highest index goes first. Paths that name no list element keep their places (REMOVE's order
 * does not matter for them). A clause keyword cannot be a path: reserved words need `#names`.
 */
export function removalsFromTheEnd(expression: string): string {
  const clauses = [...expression.matchAll(CLAUSE)];
  let result = '';
  let copied = 0;
  for (const [i, clause] of clauses.entries()) {
    if (clause[1].toUpperCase() !== 'REMOVE') continue;
    const start = (clause.index ?? 0) + clause[0].length;
    const end = clauses[i + 1]?.index ?? expression.length;
    result += expression.slice(copied, start) + ` ${orderedPaths(expression.slice(start, end))} `;
    copied = end;
  }
  return copied ? result + expression.slice(copied) : expression;
}

function orderedPaths(list: string): string {
  const paths = list.split(',').map((path) => path.trim());
  const indexOf = (path: string) => Number(LIST_INDEX.exec(path)?.[1] ?? -1);
  const elements = paths.filter((path) => indexOf(path) >= 0).sort((a, b) => indexOf(b) - indexOf(a));
  return paths.map((path) => (indexOf(path) >= 0 ? (elements.shift() as string) : path)).join(', ');
}
