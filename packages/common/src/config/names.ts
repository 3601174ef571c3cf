/**
 * Bareos matches resource and directive names ignoring case and spaces, so
 * `Maximum Volume Bytes`, `MaximumVolumeBytes` and `maximumvolumebytes` are one name.
 */
export function normalizeName(name: string): string {
  return name.replace(/\s+/g, '').toLowerCase();
}

/** `Maximum Volume Bytes` -> `maximumVolumeBytes`: the property name used in parsed configs. */
export function camelCase(bareosName: string): string {
  const words = bareosName.trim().split(/\s+/);
  return words
    .map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1)))
    .join('');
}

/** `maximumVolumeBytes` -> `Maximum Volume Bytes`, for messages about directives that were not written. */
export function displayName(property: string): string {
  const spaced = property.replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}
