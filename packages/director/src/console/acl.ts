/**
 * Bareos's ACL lists (JobACL, ClientACL, CommandACL...) and how they combine, as its
 * Director decides (dird/ua_acl.cc):
 *
 * - Entries are tried in the order written; the first that matches decides: a plain
 *   entry allows, an entry starting with `!` denies. `*all*` matches everything (so
 *   `!*all*` denies everything not allowed before it).
 * - A name matches an entry equal to it ignoring case, or, when the entry holds a
 *   regular-expression character (`.()[]|^$+?*`), an entry that as an extended regular
 *   expression, ignoring case, matches the whole name. An entry that does not compile
 *   matches nothing.
 * - A console's own list is asked first; when none of its entries matches, the lists of
 *   its Profiles are asked in the order the Console names them, and the first that has
 *   a matching entry decides. Nothing matching anywhere: denied.
 *
 * WhereACL entries are restore locations rather than names: Burrow matches an entry
 * and every folder below it (`/srv/restores` allows `/srv/restores/alice`), never a
 * path with `..`; `!` and `*all*` work as above. Bareos compares where= with each
 * entry as a name or a regular expression; paths are full of dots, so Burrow does not
 * read them as regular expressions.
 */

/** One entry's verdict on an item: allow, deny, or no opinion. */
type Verdict = boolean | undefined;

const REGEX_CHARS = /[.()[\]|^$+?*]/;
const ALL = '*all*';

function nameEntry(entry: string): (name: string) => boolean {
  if (entry.toLowerCase() === ALL) return () => true;
  const exact = entry.toLowerCase();
  let re: RegExp | undefined;
  if (REGEX_CHARS.test(entry)) {
    try {
      re = new RegExp(`^(?:${entry})$`, 'i');
    } catch {
      re = undefined;
    }
  }
  return (name) => name.toLowerCase() === exact || (re?.test(name) ?? false);
}

function whereEntry(entry: string): (where: string) => boolean {
  if (entry.toLowerCase() === ALL) return () => true;
  const root = entry.replace(/\/+$/, '');
  return (where) => {
    const w = where.replace(/\/+$/, '');
    return w === root || (root === '' ? w === '' : w.startsWith(`${root}/`));
  };
}

type Matcher = (item: string) => Verdict;

/** One list: its first matching entry's verdict. */
function compileList(list: readonly string[], entry: (text: string) => (item: string) => boolean): Matcher {
  const rules = list.map((e) => {
    const deny = e.startsWith('!');
    return { allow: !deny, matches: entry(deny ? e.slice(1) : e) };
  });
  return (item) => rules.find((r) => r.matches(item))?.allow;
}

/**
 * The lists of one kind of a console, its own first and then its profiles', combined
 * as Bareos combines them.
 */
export function nameAcl(lists: ReadonlyArray<readonly string[]>): (name: string) => boolean {
  const matchers = lists.map((l) => compileList(l, nameEntry));
  return (name) => firstVerdict(matchers, name);
}

/** WhereACL lists likewise; a path with a `..` component is never allowed. */
export function whereAcl(lists: ReadonlyArray<readonly string[]>): (where: string) => boolean {
  const matchers = lists.map((l) => compileList(l, whereEntry));
  return (where) => !where.split('/').includes('..') && firstVerdict(matchers, where);
}

function firstVerdict(matchers: readonly Matcher[], item: string): boolean {
  for (const m of matchers) {
    const v = m(item);
    if (v !== undefined) return v;
  }
  return false;
}

/**
 * Whether lists leave a console every item of their kind (Bareos's AclNoRestrictions):
 * asked in order, the console's own list and then its profiles', the first entry that
 * is `*all*` before any `!` entry says yes; a `!` entry first, or none, says no.
 */
export function unrestricted(lists: ReadonlyArray<readonly string[]>): boolean {
  for (const list of lists) {
    for (const entry of list) {
      if (entry.startsWith('!')) return false;
      if (entry.toLowerCase() === ALL) return true;
    }
  }
  return false;
}
