#!/usr/bin/env bash
# Installs a built Burrow tree as the systemd units in configs/systemd expect it:
#   - /usr/bin/<program> links to each program of the packages (package.json "bin"),
#     made executable (the programs start with #!/usr/bin/env -S node ...);
#   - the units in /etc/systemd/system;
#   - the system user and group `burrow` the Director's and Storage daemon's units run as.
# Idempotent: what is already there is left as it is and said so; run it again after
# each update of the tree. It never touches /etc/burrow (configurations are yours).
#
# Usage: scripts/install.sh [--root DIR] [--client]
#   --root DIR  install below DIR instead of / (a package build, a test): the links still
#               name the tree where it is, and the user goes into DIR/etc/passwd
#   --client    a client machine: the File daemon's unit only, and no `burrow` user
#               (the File daemon runs as root, with only the capabilities a backup needs)
set -euo pipefail

root=""
client=no
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root="${2:?--root needs a directory}"; shift 2 ;;
    --client) client=yes; shift ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$root" ]; then
  [ -d "$root" ] || { echo "install.sh: --root $root: no such directory" >&2; exit 2; }
  root=$(cd "$root" && pwd)
fi
tree=$(cd "$(dirname "$0")/.." && pwd)
command -v node >/dev/null || { echo "install.sh: node is not on PATH (Burrow needs Node 20: apt-get install nodejs)" >&2; exit 1; }

# Each program: "name<TAB>absolute path in the tree", from the packages' package.json.
programs=$(node -e '
  const fs = require("fs"), path = require("path");
  const tree = process.argv[1];
  for (const dir of fs.readdirSync(path.join(tree, "packages")).sort()) {
    const file = path.join(tree, "packages", dir, "package.json");
    if (!fs.existsSync(file)) continue;
    const bin = JSON.parse(fs.readFileSync(file, "utf8")).bin ?? {};
    for (const [name, rel] of Object.entries(bin)) console.log(`${name}\t${path.join(tree, "packages", dir, rel)}`);
  }' "$tree")

missing=$(printf '%s\n' "$programs" | while IFS=$'\t' read -r _name target; do [ -e "$target" ] || echo "$target"; done)
if [ -n "$missing" ]; then
  echo "install.sh: not built yet (npm run build in $tree); missing:" >&2
  printf '  %s\n' $missing >&2
  exit 1
fi

mkdir -p "$root/usr/bin"
printf '%s\n' "$programs" | while IFS=$'\t' read -r name target; do
  chmod a+x "$target"
  link="$root/usr/bin/$name"
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then
    echo "link $link: already there"
  elif [ -e "$link" ] && [ ! -L "$link" ]; then
    echo "install.sh: $link exists and is not a link: left alone (remove it to install $name)" >&2
    exit 1
  else
    ln -sfn "$target" "$link"
    echo "link $link -> $target"
  fi
done

units=(burrow-fd.service)
[ "$client" = yes ] || units=(burrow-dir.service burrow-sd.service burrow-fd.service)
mkdir -p "$root/etc/systemd/system"
for unit in "${units[@]}"; do
  dest="$root/etc/systemd/system/$unit"
  if cmp -s "$tree/configs/systemd/$unit" "$dest"; then
    echo "unit $dest: already there"
  else
    install -m 0644 "$tree/configs/systemd/$unit" "$dest"
    echo "unit $dest: installed"
  fi
done

if [ "$client" = no ]; then
  passwd="$root/etc/passwd"
  if [ -f "$passwd" ] && grep -q '^burrow:' "$passwd"; then
    echo "user burrow: already there"
  else
    prefix=()
    [ -z "$root" ] || prefix=(--prefix "$root")
    useradd "${prefix[@]}" --system --user-group --home-dir /var/lib/burrow --no-create-home \
      --shell /usr/sbin/nologin --comment "Burrow backup daemons" burrow
    echo "user burrow: created"
  fi
fi

echo "done. Configurations go in $root/etc/burrow (see docs/client-install.md); then: systemctl daemon-reload"
