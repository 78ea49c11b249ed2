#!/usr/bin/env bash
# The floors (docs/architecture.md, "Floors"): which parts of the tree may
# include which. Reads every #include of raft/, kernel/include/kahuna/,
# plugins/, client/, tools/ and examples/, works out where it resolves the
# way the build's include paths would, and lists each crossing as
#   file:line: rule
# Exit 0 when clean, 1 on any crossing, 2 when SOURCE_ROOT is not a Kahuna tree.
#
#   scripts/check-floors.sh [SOURCE_ROOT]    (default: this script's tree)
#
# Only bash, grep and find: it needs nothing built (ctest -L floors).
set -uo pipefail

root="${1:-$(dirname "$0")/..}"
if ! cd "$root" 2>/dev/null || [[ ! -d kernel/include/kahuna || ! -d raft/include/kahuna/raft ]]; then
  echo "check-floors: $root is not a Kahuna source tree" >&2
  exit 2
fi

source_files=(--include='*.h' --include='*.hh' --include='*.hpp' --include='*.hxx'
              --include='*.ipp' --include='*.inl' --include='*.tpp'
              --include='*.c' --include='*.cc' --include='*.cpp' --include='*.cxx')

# Public headers that only the server and its plugins use: the KernelApi a
# protocol plugin serves, the server-side dispatch of wire requests, and the
# plugin interfaces. A client program has no business with any of them.
server_side_headers=(
  kernel/include/kahuna/kernel_api.h
  kernel/include/kahuna/wire/dispatch.h
  kernel/include/kahuna/plugin.h
  kernel/include/kahuna/plugin_loader.h
  kernel/include/kahuna/plugin_options.h
  kernel/include/kahuna/protocol_server.h
  kernel/include/kahuna/storage_engine.h
)

crossings=0
crossing() {  # rule, reason; uses file, line, spelled
  echo "$file:$line: $1: $spelled $2"
  crossings=$((crossings + 1))
}

# ---------------------------------------------------------------------------
# Reading and resolving includes

# Prints "file:line:text" for every #include under the given folders.
include_lines() {
  grep -rnE --exclude-dir=build --exclude-dir='build-*' "${source_files[@]}" \
    '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' "$@" 2>/dev/null
}

# Splits one include_lines entry into file, line, spelled ("<x>" or "\"x\"")
# and path (x); fails on anything else.
parse_include() {
  local re='^([^:]+):([0-9]+):[[:space:]]*#[[:space:]]*include[[:space:]]*([<"])([^>"]+)[>"]'
  [[ $1 =~ $re ]] || return 1
  file=${BASH_REMATCH[1]} line=${BASH_REMATCH[2]} path=${BASH_REMATCH[4]}
  if [[ ${BASH_REMATCH[3]} == '<' ]]; then spelled="<$path>"; else spelled="\"$path\""; fi
}

# a/b/../c/./d -> a/c/d, without touching the file system.
normalize() {
  local IFS=/ part parts out=()
  read -ra parts <<< "$1"
  for part in "${parts[@]}"; do
    case $part in
      '' | .) ;;
      ..) if ((${#out[@]})) && [[ ${out[-1]} != .. ]]; then unset 'out[-1]'; else out+=(..); fi ;;
      *) out+=("$part") ;;
    esac
  done
  normalized="${out[*]}"
}

# The folder a file belongs to, whose files it may always include: a plugin's
# or a tool's own folder, not its neighbours'.
own_folder() {
  if [[ $1 =~ ^((examples/)?plugins/[^/]+/[^/]+)/ || $1 =~ ^((tools|examples)/[^/]+)/ ]]; then
    own=${BASH_REMATCH[1]}
  elif [[ $1 =~ ^(raft|client|kernel/include)/ ]]; then
    own=${BASH_REMATCH[1]}
  else
    own=${1%/*}
  fi
}

# Every file of a folder, one per line and framed by newlines, so that a
# suffix match finds where an include path lands inside it.
declare -A folder_files=()
files_of() {
  [[ -n ${folder_files[$1]+set} ]] ||
    folder_files[$1]=$'\n'"$(find "$1" -type f -not -path '*/build/*' -not -path '*/build-*/*' 2>/dev/null)"$'\n'
}

# Sets target to the repository file an include names, "missing:<path>" for
# a kahuna/ header that exists nowhere, or "" for system and third-party
# headers. Search order as in the build: a quoted include first next to the
# including file, then the file's own folder, then the include directories
# the libraries export (kernel/include, raft/include, client/include, and
# kernel/src, which kahuna_kernel exports to whatever links it).
declare -A resolved=()
resolve() {
  local dir=${file%/*} key list prefix
  own_folder "$file"
  key="$own|$spelled"
  if [[ $spelled == \"* ]]; then
    normalize "$dir/$path"
    if [[ -f $normalized ]]; then target=$normalized; return; fi
    key="$dir|$key"
  fi
  if [[ -n ${resolved[$key]+set} ]]; then target=${resolved[$key]}; return; fi

  target=""
  files_of "$own"
  list=${folder_files[$own]}
  if [[ $path != *..* && $list == *"/$path"$'\n'* ]]; then
    prefix=${list%%"/$path"$'\n'*}
    target="${prefix##*$'\n'}/$path"
  else
    for prefix in kernel/include raft/include client/include kernel/src; do
      normalize "$prefix/$path"
      if [[ $normalized == "$prefix"/* && -f $normalized ]]; then target=$normalized; break; fi
    done
    if [[ -z $target && $path == kahuna/* ]]; then target="missing:$path"; fi
  fi
  resolved[$key]=$target
}

# Sets reason to what a target is, in words, for a crossing's message.
describe() {
  case $1 in
    missing:*) reason="is no public header (nothing in kernel/include/${1#missing:})" ;;
    kernel/include/*)
      if is_server_side "$1"; then reason="is a server-side header ($1)"
      else reason="is the public surface ($1)"; fi ;;
    kernel/*) reason="is a kernel internal ($1)" ;;
    raft/*) reason="is raft/ ($1)" ;;
    client/include/*) reason="is the client SDK ($1)" ;;
    client/*) reason="is an internal of the client SDK ($1)" ;;
    plugins/* | examples/plugins/*) reason="is a plugin's file ($1)" ;;
    tools/*) reason="is a tool's file ($1)" ;;
    *) reason="is outside its floor ($1)" ;;
  esac
}

is_server_side() {
  local header
  for header in "${server_side_headers[@]}"; do
    [[ $1 == "$header" ]] && return 0
  done
  return 1
}

# Runs a rule over the includes of some folders: allowed (a function taking
# the resolved target) decides; everything it refuses is a crossing.
apply_rule() {  # rule, allowed, folder...
  local rule=$1 allowed=$2 entry file line spelled path target own reason
  shift 2
  while IFS= read -r entry; do
    parse_include "$entry" || continue
    resolve
    [[ -z $target ]] && continue       # system or third-party header
    [[ $target == "$own"/* ]] && continue   # the file's own folder
    "$allowed" "$target" && continue
    describe "$target"
    crossing "$rule" "$reason"
  done < <(include_lines "$@")
}

# ---------------------------------------------------------------------------
# The rules. Each allows, besides the file's own folder and every header
# outside the tree, exactly what its floor may see.

# Rule 1: the Raft core is tested with no disk, no network and no kernel, so
# it sees nothing of ours beyond raft/ itself.
raft_may_include() { return 1; }
check_raft() {
  apply_rule "rule 1 (raft/ includes nothing of kernel/, plugins/ or client/)" \
    raft_may_include raft
}

# Rule 2: plugins and SDK users build against kernel/include/kahuna/ alone
# (it is installed), so it must not lean on anything that is not installed.
public_may_include() { return 1; }
check_public_surface() {
  apply_rule "rule 2 (kernel/include/kahuna/ includes no kernel internals)" \
    public_may_include kernel/include
}

# Rule 3: a plugin is built against the installed public headers and loaded
# into any kernel of the same ABI; reaching into the kernel, Raft, the SDK
# or a sibling plugin would tie it to one build of the tree.
plugin_may_include() { [[ $1 == kernel/include/kahuna/* ]]; }
check_plugins() {
  apply_rule "rule 3 (a plugin includes only kernel/include/kahuna/ and its own files)" \
    plugin_may_include plugins
}

# Rule 4: the SDK talks to a cluster over the wire; it shares the public types
# and the wire codec, never the server's interfaces.
client_may_include() { [[ $1 == kernel/include/kahuna/* ]] && ! is_server_side "$1"; }
check_client() {
  apply_rule "rule 4 (client/ includes only the public surface, the wire codec and its own files)" \
    client_may_include client
}

# Rule 5: the tools are clients of a running cluster, written against the
# SDK exactly as a user's program is.
tool_may_include() {
  [[ $1 == client/include/kahuna/client/* ]] ||
    { [[ $1 == kernel/include/kahuna/* ]] && ! is_server_side "$1"; }
}
check_tools() {
  apply_rule "rule 5 (tools/ use only client/ and the public surface)" tool_may_include tools
}

# Rule 6: the examples show how to write against what is installed: the SDK
# programs as the tools do, the out-of-tree plugin as the plugins do.
check_examples() {
  local folder
  for folder in examples/*/; do
    folder=${folder%/}
    [[ -d $folder && $folder != examples/plugins ]] || continue
    apply_rule "rule 6 (an SDK example uses only client/ and the public surface)" \
      tool_may_include "$folder"
  done
  [[ -d examples/plugins ]] &&
    apply_rule "rule 6 (an example plugin includes only kernel/include/kahuna/ and its own files)" \
      plugin_may_include examples/plugins
}

# The CMake side of the same floors, as far as a grep can tell: linking the
# kernel or Raft libraries hands a target their include directories, so a
# target above them must not name them at all.
check_links() {  # rule, folder, forbidden library...
  local rule=$1 folder=$2 entry file line text lib
  shift 2
  [[ -d $folder ]] || return 0
  while IFS= read -r entry; do
    [[ $entry =~ ^([^:]+):([0-9]+):(.*)$ ]] || continue
    file=${BASH_REMATCH[1]} line=${BASH_REMATCH[2]} text=${BASH_REMATCH[3]%%#*}
    for lib in "$@"; do
      if [[ $text =~ (^|[^[:alnum:]_])$lib([^[:alnum:]_]|$) ]]; then
        echo "$file:$line: $rule: names $lib"
        crossings=$((crossings + 1))
      fi
    done
  done < <(grep -rnE --exclude-dir=build --exclude-dir='build-*' --include=CMakeLists.txt --include='*.cmake' \
             --include='*.cmake.in' 'kahuna_' "$folder" 2>/dev/null)
}
check_cmake() {
  local internals=(kahuna_kernel kahuna_raft kahuna_raft_node)
  check_links "rule 5 (tools/ link only the SDK)" tools \
    "${internals[@]}" kahuna_plugin_loader kahuna_wire_dispatch
  check_links "rule 4 (client/ links no server library)" client \
    "${internals[@]}" kahuna_plugin_loader kahuna_wire_dispatch
  check_links "rule 3 (a plugin links no kernel or Raft library)" plugins "${internals[@]}"
  check_links "rule 6 (the examples link no kernel or Raft library)" examples "${internals[@]}"
}

check_raft
check_public_surface
check_plugins
check_client
check_tools
check_examples
check_cmake

if ((crossings)); then
  echo "check-floors: $crossings crossing(s); the rules are in docs/architecture.md, \"Floors\""
  exit 1
fi
echo "check-floors: no crossings"
