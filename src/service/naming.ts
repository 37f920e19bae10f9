/** The framework's logical id stem for a function or layer key (lib/plugins/aws/lib/naming.js normalizeName). */
export function normalizeLogicalName(key: string): string {
  const name = key.replace(/-/g, 'Dash').replace(/_/g, 'Underscore');
  return name.charAt(0).toUpperCase() + name.slice(1);
}
